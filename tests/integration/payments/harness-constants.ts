/** Fast polling for tests: the simulator runs at a small time scale. */
export const TEST_POLLING = { fastMs: 10, slowMs: 25, idleAfterMs: 300, maxBackoffMs: 80 };
