import type { Logger } from '../logging/logger';
import type { ConnectivityState } from '../../src-shared/contract';
import { backoffDelay, createBackgroundLoop, type Nap } from '../platform/backoff';
import { createEmitter } from '../platform/emitter';
import { errorText } from '../platform/error-text';

export type ConnectivityChange = {
  state: ConnectivityState;
  previous: ConnectivityState;
  reason: string | null;
  checkedAt: string;
};

export type ConnectivityEvents = {
  change: ConnectivityChange;
  /** Every probe result, changed or not (for a "last checked" time). */
  checked: { state: ConnectivityState; reason: string | null; checkedAt: string };
};

export type ConnectivityOptions = {
  /** A cheap call to Dojo; resolving means reachable. It receives an AbortSignal with the timeout. */
  probe: (signal: AbortSignal) => Promise<unknown>;
  logger: Logger;
  /** Probe interval while online (default 30 s). */
  intervalMs?: number;
  /** First retry delay while offline, doubling up to `maxBackoffMs` (defaults 2 s and 60 s). */
  offlineBaseMs?: number;
  maxBackoffMs?: number;
  /** A probe slower than this counts as unreachable (default 8 s). */
  timeoutMs?: number;
  random?: () => number;
};

export type ConnectivityMonitor = ReturnType<typeof createConnectivityMonitor>;

/** Tracks whether Dojo is reachable: probes on an interval, backs off while offline, emits changes. */
export function createConnectivityMonitor(options: ConnectivityOptions) {
  const log = options.logger.child('connectivity');
  const emitter = createEmitter<ConnectivityEvents>((error) =>
    log.error('connectivity listener failed', { error: String(error) }),
  );
  const runner = createBackgroundLoop(run);
  const intervalMs = options.intervalMs ?? 30_000;
  const timeoutMs = options.timeoutMs ?? 8_000;
  const backoff = {
    baseMs: options.offlineBaseMs ?? 2_000,
    maxMs: options.maxBackoffMs ?? 60_000,
    random: options.random ?? Math.random,
  };

  let state: ConnectivityState = 'unknown';
  let reason: string | null = null;
  let checkedAt: string | null = null;
  let failures = 0;
  let inFlight: Promise<ConnectivityState> | null = null;

  function record(next: ConnectivityState, why: string | null): void {
    const previous = state;
    state = next;
    reason = why;
    checkedAt = new Date().toISOString();
    emitter.emit('checked', { state, reason, checkedAt });
    if (previous !== next) {
      log.info('connectivity changed', { from: previous, to: next, reason: why });
      emitter.emit('change', { state: next, previous, reason: why, checkedAt });
    }
  }

  async function probeOnce(outer?: AbortSignal): Promise<ConnectivityState> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = outer ? AbortSignal.any([outer, timeout]) : timeout;
    let onAbort = () => {};
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () =>
        reject(new Error(`Dojo did not answer within ${Math.round(timeoutMs / 1000)} s`));
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      await Promise.race([options.probe(signal), aborted]);
      failures = 0;
      record('online', null);
    } catch (error) {
      if (outer?.aborted) return state;
      failures++;
      record('offline', errorText(error));
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
    return state;
  }

  /** One probe now; concurrent callers share it. */
  function checkNow(signal?: AbortSignal): Promise<ConnectivityState> {
    inFlight ??= probeOnce(signal).finally(() => (inFlight = null));
    return inFlight;
  }

  async function run(signal: AbortSignal, nap: Nap): Promise<void> {
    while (!signal.aborted) {
      await checkNow(signal);
      if (signal.aborted) break;
      const delay = state === 'online' ? intervalMs : backoffDelay(failures, backoff);
      await nap(delay);
    }
  }

  return {
    get state(): ConnectivityState {
      return state;
    },
    get reason(): string | null {
      return reason;
    },
    snapshot: () => ({ state, reason, checkedAt }),
    on: emitter.on,
    checkNow,
    /** Probe at once instead of waiting for the timer (e.g. after a network call just failed). */
    poke: () => runner.wake(),
    start: () => runner.start(),
    stop: () => runner.stop(),
  };
}
