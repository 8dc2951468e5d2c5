/**
 * The one way tests wait: for a condition to come true (`waitFor`), or for one to stay true for a
 * while (`staysTrueFor`). Never a fixed sleep before an assertion.
 */

/** What is awaited, named in the error; a function is asked only when the time runs out. */
export type What = string | (() => string);

const describe = (what: What): string => (typeof what === 'function' ? what() : what);
const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Checks until `check` returns a truthy value and returns it; a check that throws counts as "not
 * yet" (its last error is named if the time runs out).
 */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  what: What = 'condition',
  timeoutMs = 10_000,
  everyMs = 20,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
      last = undefined;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${describe(what)}${last instanceof Error ? `: ${last.message}` : ''}`,
      );
    await pause(everyMs);
  }
}

/**
 * Asserts that `check` holds for the whole of `ms`: checked at once, every `everyMs`, and on every
 * event `subscribe` reports (pass the event source of what could break it, so a change is caught
 * when it happens rather than at the next look). Fails as soon as it does not hold.
 */
export async function staysTrueFor(
  check: () => boolean | Promise<boolean>,
  ms: number,
  what: What,
  options: { everyMs?: number; subscribe?: (onEvent: () => void) => () => void } = {},
): Promise<void> {
  const started = Date.now();
  let broken: string | null = null;
  const look = async () => {
    if (broken === null && !(await check()))
      broken = `${describe(what)} stopped holding after ${Date.now() - started} ms`;
  };
  const unsubscribe = options.subscribe?.(() => void look());
  try {
    for (;;) {
      await look();
      if (broken !== null) throw new Error(broken);
      const left = started + ms - Date.now();
      if (left <= 0) return;
      await pause(Math.min(left, options.everyMs ?? 20));
    }
  } finally {
    unsubscribe?.();
  }
}

/**
 * Lets wall-clock time pass, for code under test that reads the real clock and has none to inject
 * (the simulator's expiry and pruning). Not for waiting on something to happen: use `waitFor`.
 */
export const letTimePass = (ms: number): Promise<void> => pause(Math.max(0, ms));
