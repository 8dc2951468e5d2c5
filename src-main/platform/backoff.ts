export type BackoffOptions = {
  /** The ceiling of the first retry; it doubles with each further one. */
  baseMs: number;
  /** The ceiling never grows past this. */
  maxMs: number;
  /**
   * The share of the ceiling a delay falls between, picked at random: `[0.5, 1]` ("equal
   * jitter", the default) never comes too soon yet spreads many tills apart; `[1, 1]` is no jitter.
   */
  jitter?: readonly [low: number, high: number];
  random?: () => number;
};

const EQUAL_JITTER = [0.5, 1] as const;

/**
 * Exponential backoff, the one formula for every retry loop: the n-th retry (n ≥ 1) waits
 * between `low` and `high` times min(max, base·2^(n-1)).
 */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  const n = Math.max(1, Math.floor(attempt));
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(n - 1, 30));
  const [low, high] = options.jitter ?? EQUAL_JITTER;
  if (low === high) return Math.round(ceiling * low);
  const random = options.random ?? Math.random;
  return Math.round(ceiling * low + random() * (ceiling * (high - low)));
}

/** Resolves after `ms`, or early when `signal` aborts or `wake` is called (never rejects). */
export function interruptibleSleep(
  ms: number,
  signal: AbortSignal,
): { promise: Promise<void>; wake: () => void } {
  let wake = () => {};
  const promise = new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    signal.addEventListener('abort', done, { once: true });
    wake = done;
  });
  return { promise, wake };
}

/** Naps for `ms` (ended early by the loop's `wake()` or by stopping). */
export type Nap = (ms: number) => Promise<void>;

/**
 * One long-lived background loop: `start()` runs `run` until `stop()` aborts its signal and waits
 * for it to end; `wake()` cuts the current nap short (work arrived, settings changed).
 */
export function createBackgroundLoop(
  run: (signal: AbortSignal, nap: Nap) => Promise<void>,
  onStopped?: () => void,
): { start(): void; stop(): Promise<void>; wake(): void; readonly running: boolean } {
  let controller: AbortController | null = null;
  let loop: Promise<void> | null = null;
  let wake = () => {};
  return {
    start() {
      if (controller) return;
      const signal = (controller = new AbortController()).signal;
      loop = run(signal, (ms) => {
        const sleep = interruptibleSleep(ms, signal);
        wake = sleep.wake;
        return sleep.promise;
      });
    },
    async stop() {
      controller?.abort();
      await loop;
      controller = null;
      loop = null;
      onStopped?.();
    },
    wake: () => wake(),
    get running() {
      return controller !== null;
    },
  };
}
