import type { Db } from '../db/connection';
import type { Logger } from '../logging/logger';
import { TillError } from '../../src-shared/errors';
import { backoffDelay, createBackgroundLoop, type Nap } from '../platform/backoff';
import type { ConnectivityMonitor } from './connectivity-monitor';
import {
  claimItem,
  discardItem,
  listOutbox,
  earliestPending,
  enqueue,
  getOutboxItem,
  markDead,
  markDone,
  markRetry,
  nextDueItem,
  outboxCounts,
  reviveItem,
  unclaimItem,
  type EnqueueInput,
  type OutboxItem,
} from './outbox.repo';
import { createEmitter } from '../platform/emitter';
import { errorText } from '../platform/error-text';

/**
 * Does one item's external work. The same `idempotencyKey` may arrive more than once (a crash
 * after success and before the item is marked done): pass it on to the remote side (e.g. Dojo's
 * refund `idempotencyKey`) or check it locally, so the work takes effect exactly once.
 * Throw a `TillError` with `retryable: false` for a permanent failure; anything else is retried.
 */
export type OutboxHandler = (
  item: { id: number; kind: string; idempotencyKey: string; payload: unknown; attempt: number },
  signal: AbortSignal,
) => Promise<void>;

export type OutboxEvents = {
  done: { id: number; kind: string; attempts: number };
  retry: { id: number; kind: string; attempts: number; nextAttemptAt: string; error: string };
  dead: { id: number; kind: string; attempts: number; error: string };
  /** An operator gave a dead item up (the feature that owns it settles its own records). */
  discarded: { id: number; kind: string; idempotencyKey: string; reason: string; by: string };
  /** Counts changed (enqueue, done, dead): for the status bar. */
  changed: { pending: number; dead: number };
};

export type OutboxOptions = {
  db: Db;
  logger: Logger;
  /** Tries before an item is `dead` (default 8). */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Re-check for due work at least this often while idle (default 30 s). */
  idlePollMs?: number;
  /** A handler that has not finished by then is abandoned and retried (default 60 s). */
  handlerTimeoutMs?: number;
  /** Drains only while this is not `offline`; the outbox drains at once when it turns `online`. */
  connectivity?: Pick<ConnectivityMonitor, 'on'> & {
    readonly state: 'online' | 'offline' | 'unknown';
  };
  random?: () => number;
  now?: () => Date;
};

export type Outbox = ReturnType<typeof createOutbox>;

/**
 * Adds an item inside the caller's own transaction, so it is committed with the row it belongs
 * to; call `outbox.enqueuedElsewhere()` after the commit so it is sent at once.
 */
export { enqueue } from './outbox.repo';

const isRetryable = (error: unknown): boolean => !(error instanceof TillError) || error.retryable;

/** How long the remote side asked us to wait (Dojo's `Retry-After` on 429 and 503), if it did. */
function retryAfterMs(error: unknown): number {
  const hinted = (error as { info?: { retryAfterMs?: unknown } } | null)?.info?.retryAfterMs;
  return typeof hinted === 'number' && Number.isFinite(hinted) && hinted > 0
    ? Math.min(hinted, 60 * 60_000)
    : 0;
}

/** The durable queue of external work, drained in id order by one worker. */
export function createOutbox(options: OutboxOptions) {
  const { db } = options;
  const log = options.logger.child('outbox');
  const emitter = createEmitter<OutboxEvents>((error) =>
    log.error('outbox listener failed', { error: errorText(error) }),
  );
  const runner = createBackgroundLoop(run);
  const handlers = new Map<string, OutboxHandler>();
  const describers = new Map<string, (item: OutboxItem) => string>();
  const maxAttempts = options.maxAttempts ?? 8;
  const backoff = {
    baseMs: options.baseDelayMs ?? 2_000,
    maxMs: options.maxDelayMs ?? 10 * 60_000,
    random: options.random ?? Math.random,
  };
  const idlePollMs = options.idlePollMs ?? 30_000;
  const handlerTimeoutMs = options.handlerTimeoutMs ?? 60_000;
  const now = options.now ?? (() => new Date());

  let unsubscribe: (() => void) | null = null;

  const kinds = () => [...handlers.keys()];
  const online = () => options.connectivity?.state !== 'offline';
  const emitCounts = () => {
    const c = outboxCounts(db);
    emitter.emit('changed', { pending: c.pending, dead: c.dead });
  };
  const kick = () => runner.wake();

  async function runHandler(
    item: OutboxItem,
    handler: OutboxHandler,
    signal: AbortSignal,
  ): Promise<void> {
    const timeout = AbortSignal.timeout(handlerTimeoutMs);
    const combined = AbortSignal.any([signal, timeout]);
    let onAbort = () => {};
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () =>
        reject(
          timeout.aborted
            ? new Error(`No answer within ${handlerTimeoutMs / 1000} s`)
            : new Error('Stopped'),
        );
      combined.addEventListener('abort', onAbort, { once: true });
    });
    try {
      await Promise.race([
        handler(
          {
            id: item.id,
            kind: item.kind,
            idempotencyKey: item.idempotencyKey,
            payload: item.payload,
            attempt: item.attempts + 1,
          },
          combined,
        ),
        aborted,
      ]);
    } finally {
      combined.removeEventListener('abort', onAbort);
    }
  }

  async function processItem(item: OutboxItem, signal: AbortSignal): Promise<void> {
    const handler = handlers.get(item.kind);
    if (!handler) return;
    claimItem(db, item.id);
    const attempts = item.attempts + 1;
    try {
      await runHandler(item, handler, signal);
    } catch (error) {
      const message = errorText(error);
      if (signal.aborted) {
        // Stopping is not the item's fault: it runs again on the next start.
        markRetry(db, item.id, now(), message);
        return;
      }
      // "Too many requests" means the request was not processed: waiting as asked is not a failed
      // try, so a rate-limit storm cannot use up an item's tries and leave it dead.
      const rateLimited = error instanceof TillError && error.code === 'DOJO_RATE_LIMITED';
      if (rateLimited) unclaimItem(db, item.id);
      if (!isRetryable(error) || (!rateLimited && attempts >= maxAttempts)) {
        markDead(db, item.id, message);
        log.error('outbox item dead', { id: item.id, kind: item.kind, attempts, error: message });
        emitter.emit('dead', { id: item.id, kind: item.kind, attempts, error: message });
        emitCounts();
        return;
      }
      // Never sooner than the server asked (Retry-After), never sooner than our own backoff.
      const waitMs = Math.max(backoffDelay(attempts, backoff), retryAfterMs(error));
      const nextAt = new Date(now().getTime() + waitMs);
      markRetry(db, item.id, nextAt, message);
      log.warn('outbox item will retry', {
        id: item.id,
        kind: item.kind,
        attempts,
        nextAttemptAt: nextAt.toISOString(),
        error: message,
      });
      emitter.emit('retry', {
        id: item.id,
        kind: item.kind,
        attempts,
        nextAttemptAt: nextAt.toISOString(),
        error: message,
      });
      return;
    }
    markDone(db, item.id, now());
    log.info('outbox item done', { id: item.id, kind: item.kind, attempts });
    emitter.emit('done', { id: item.id, kind: item.kind, attempts });
    emitCounts();
  }

  /** Runs every item due now, oldest first, while online. Returns how many were tried. */
  async function drainOnce(signal: AbortSignal = new AbortController().signal): Promise<number> {
    let tried = 0;
    while (!signal.aborted && online()) {
      const item = nextDueItem(db, now(), kinds());
      if (!item) break;
      await processItem(item, signal);
      tried++;
    }
    return tried;
  }

  async function run(signal: AbortSignal, nap: Nap): Promise<void> {
    while (!signal.aborted) {
      try {
        await drainOnce(signal);
      } catch (error) {
        // A database error must not kill the worker; it tries again on the next round.
        log.error('outbox drain failed', { error: errorText(error) });
      }
      if (signal.aborted) break;
      const next = online() ? earliestPending(db, kinds()) : null;
      const wait = next
        ? Math.min(idlePollMs, Math.max(0, next.getTime() - now().getTime()))
        : idlePollMs;
      await nap(wait);
    }
  }

  return {
    on: emitter.on,
    kick,
    drainOnce,

    enqueue(input: EnqueueInput) {
      const result = enqueue(db, input, now());
      if (result.created) {
        emitCounts();
        kick();
      }
      return result;
    },

    /**
     * An item was enqueued inside the caller's own transaction (committed with the row it belongs
     * to): announce the new counts — the "Queued" counter — and try it now.
     */
    enqueuedElsewhere(): void {
      emitCounts();
      kick();
    },

    /** The feature that owns a kind sends its items and, for the queue screen, says what one is. */
    registerHandler(
      kind: string,
      handler: OutboxHandler,
      describe?: (item: OutboxItem) => string,
    ): void {
      if (handlers.has(kind))
        throw new Error(`An outbox handler for "${kind}" is already registered`);
      handlers.set(kind, handler);
      if (describe) describers.set(kind, describe);
      kick();
    },

    /** Plain words for an item: its owner's, or the kind's name when no owner describes it. */
    describe(item: OutboxItem): string {
      return describers.get(item.kind)?.(item) ?? `Queued work (${item.kind})`;
    },

    revive(id: number): boolean {
      const ok = reviveItem(db, id, now());
      if (ok) {
        emitCounts();
        kick();
      }
      return ok;
    },

    /**
     * Gives a dead item up for good, with the operator's reason (kept on the item and journalled
     * by the caller). False when the item is not dead (already retried, done or discarded).
     */
    discard(id: number, reason: string, by: string): boolean {
      const ok = discardItem(db, id, reason, by, now());
      if (ok) {
        const item = getOutboxItem(db, id);
        log.warn('outbox item discarded', { id, kind: item?.kind, by, reason });
        if (item)
          emitter.emit('discarded', {
            id,
            kind: item.kind,
            idempotencyKey: item.idempotencyKey,
            reason,
            by,
          });
        emitCounts();
      }
      return ok;
    },

    /** Items an operator should see: waiting or dead (oldest first), and the last discarded. */
    queued(): OutboxItem[] {
      return [
        ...listOutbox(db, 'dead'),
        ...listOutbox(db, 'pending'),
        ...listOutbox(db, 'discarded').slice(-20),
      ];
    },

    stats(): { pending: number; dead: number } {
      const c = outboxCounts(db);
      return { pending: c.pending, dead: c.dead };
    },

    start(): void {
      if (runner.running) return;
      unsubscribe =
        options.connectivity?.on('change', (change) => {
          if (change.state === 'online') kick();
        }) ?? null;
      runner.start();
      log.info('outbox started', { kinds: kinds() });
    },

    async stop(): Promise<void> {
      if (!runner.running) return;
      unsubscribe?.();
      unsubscribe = null;
      await runner.stop();
      log.info('outbox stopped');
    },
  };
}
