import type { Logger } from '../logging/logger';
import { isDojoError } from '../dojo/dojo-errors';
import { backoffDelay } from '../platform/backoff';
import { errorText } from '../platform/error-text';

export type PollingOptions = {
  /** While the customer is acting (something changed recently). */
  fastMs: number;
  /** When nothing has changed for `idleAfterMs`. */
  slowMs: number;
  idleAfterMs: number;
  /** Cap of the exponential backoff on errors. */
  maxBackoffMs: number;
};

/**
 * 400 ms while the customer is acting: the bench measures terminal prompts reaching the screen at
 * p95 under half the delay of Dojo's sample 1-second poller, for at most 2.5× its session reads
 * (500 ms missed the first; each 100 ms less costs ~2.5 more reads per chip sale).
 */
export const defaultPolling: PollingOptions = {
  fastMs: 400,
  slowMs: 2000,
  idleAfterMs: 8000,
  maxBackoffMs: 15_000,
};

export type PollClock = {
  lastChangeAt: number;
  now: number;
  consecutiveErrors: number;
  retryAfterMs: number | null;
};

/** Pure so it can be tested: fast while things change, slower when idle, backoff on errors. */
export function nextPollDelay(p: PollingOptions, c: PollClock): number {
  if (c.consecutiveErrors > 0) {
    const backoff = backoffDelay(c.consecutiveErrors + 1, {
      baseMs: p.fastMs,
      maxMs: p.maxBackoffMs,
      jitter: [1, 1],
    });
    return Math.max(backoff, Math.min(c.retryAfterMs ?? 0, 120_000));
  }
  return c.now - c.lastChangeAt < p.idleAfterMs ? p.fastMs : p.slowMs;
}

/** What one tick learned: whether anything changed, and whether polling is over. */
export type TickResult = { changed: boolean; done: boolean };

export type AttemptPoller = {
  /** Starts polling; the first tick after `firstDelayMs` (at once by default). */
  start(firstDelayMs?: number): void;
  stop(): void;
  readonly running: boolean;
  readonly polls: number;
};

/**
 * One long-lived job per live attempt: a chained timer (never `setInterval`, so a slow Dojo never
 * stacks requests), an AbortController, adaptive delay and backoff honouring `Retry-After`.
 */
export function createAttemptPoller(opts: {
  attemptId: string;
  polling: PollingOptions;
  log: Logger;
  tick: (signal: AbortSignal) => Promise<TickResult>;
  onError?: (error: unknown, consecutiveErrors: number) => void;
  onStop?: () => void;
}): AttemptPoller {
  let controller: AbortController | null = null;
  let timer: NodeJS.Timeout | null = null;
  let polls = 0;
  let lastChangeAt = Date.now();
  let consecutiveErrors = 0;
  let retryAfterMs: number | null = null;

  const finish = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    controller = null;
    opts.onStop?.();
  };

  const schedule = (delay: number) => {
    if (!controller || controller.signal.aborted) return;
    timer = setTimeout(() => void run(), delay);
  };

  const run = async () => {
    const c = controller;
    if (!c || c.signal.aborted) return;
    polls += 1;
    try {
      const result = await opts.tick(c.signal);
      consecutiveErrors = 0;
      retryAfterMs = null;
      if (result.changed) lastChangeAt = Date.now();
      if (result.done || c.signal.aborted) {
        if (controller === c) finish();
        return;
      }
    } catch (error) {
      consecutiveErrors += 1;
      retryAfterMs = isDojoError(error) ? error.info.retryAfterMs : null;
      opts.log.warn('poll failed; backing off', {
        attemptId: opts.attemptId,
        consecutiveErrors,
        code: isDojoError(error) ? error.code : 'INTERNAL',
        message: errorText(error),
      });
      opts.onError?.(error, consecutiveErrors);
    }
    if (controller !== c) return;
    schedule(
      nextPollDelay(opts.polling, {
        lastChangeAt,
        now: Date.now(),
        consecutiveErrors,
        retryAfterMs,
      }),
    );
  };

  return {
    start(firstDelayMs = 0) {
      if (controller) return;
      controller = new AbortController();
      lastChangeAt = Date.now();
      schedule(firstDelayMs);
    },
    stop() {
      controller?.abort();
      finish();
    },
    get running() {
      return controller !== null;
    },
    get polls() {
      return polls;
    },
  };
}
