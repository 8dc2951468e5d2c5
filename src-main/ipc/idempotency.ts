import { createHash } from 'node:crypto';
import type { Handlers } from '../../src-shared/contract';
import { TillError } from '../../src-shared/errors';
import { idempotentChannels, type IdempotentChannel } from '../../src-shared/idempotency';
import { nowIso, type Db } from '../db/connection';
import type { Logger } from '../logging/logger';

type Row = { request_hash: string; state: 'running' | 'done'; result_json: string | null };

/** How long a finished key is kept: far longer than any screen keeps a key, short enough to stay small. */
const KEEP_DAYS = 30;

export type IdempotencyGuard = {
  /**
   * Runs `action` once per (channel, key). A repeat while the first is running shares its promise;
   * a repeat after it finished (also after a restart) gets the stored result. A failed action
   * leaves no record, so the same press can be tried again.
   */
  run<T>(channel: string, key: string, request: unknown, action: () => Promise<T> | T): Promise<T>;
};

/** A digest of the request, without the manager PIN (a hash of a short PIN is no secret). */
const hashOf = (request: unknown): string => {
  const { managerPin: _pin, ...rest } = request as Record<string, unknown>;
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex');
};

export function createIdempotencyGuard(db: Db, log: Logger): IdempotencyGuard {
  const find = db.prepare<[string, string], Row>(
    'SELECT request_hash, state, result_json FROM idempotency_keys WHERE channel = ? AND key = ?',
  );
  const reserve = db.prepare<[string, string, string, string]>(
    `INSERT INTO idempotency_keys (channel, key, request_hash, state, created_at)
     VALUES (?, ?, ?, 'running', ?)`,
  );
  const finish = db.prepare<[string, string, string, string]>(
    `UPDATE idempotency_keys SET state = 'done', result_json = ?, finished_at = ?
     WHERE channel = ? AND key = ?`,
  );
  const release = db.prepare<[string, string]>(
    "DELETE FROM idempotency_keys WHERE channel = ? AND key = ? AND state = 'running'",
  );
  db.prepare("DELETE FROM idempotency_keys WHERE state = 'done' AND created_at < ?").run(
    new Date(Date.now() - KEEP_DAYS * 86_400_000).toISOString(),
  );

  const inFlight = new Map<string, { hash: string; promise: Promise<unknown> }>();
  const reused = () =>
    new TillError(
      'CONFLICT',
      'This request key was already used for a different request. Nothing was done; try again.',
    );

  return {
    run<T>(channel: string, key: string, request: unknown, action: () => Promise<T> | T) {
      const hash = hashOf(request);
      const slot = `${channel}\u0000${key}`;
      // Checked and set before any await, so two duplicates arriving together share one action.
      const running = inFlight.get(slot);
      if (running) {
        if (running.hash !== hash) return Promise.reject(reused());
        log.info('repeat of a request in flight answered with its result', { channel });
        return running.promise as Promise<T>;
      }
      const row = find.get(channel, key);
      if (row) {
        if (row.request_hash !== hash) return Promise.reject(reused());
        if (row.state === 'done') {
          log.info('repeat of a finished request answered with its first result', { channel });
          return Promise.resolve(JSON.parse(row.result_json ?? 'null') as T);
        }
        return Promise.reject(
          new TillError(
            'REQUEST_IN_DOUBT',
            'This press was being handled when the till stopped, so it may or may not have gone through. Check the order or the refunds before trying again.',
          ),
        );
      }
      reserve.run(channel, key, hash, nowIso());
      // The action starts on the next microtask, after the slot is taken.
      const promise = Promise.resolve()
        .then(() => action())
        .then(
          (result) => {
            finish.run(JSON.stringify(result ?? null), nowIso(), channel, key);
            return result;
          },
          (error: unknown) => {
            release.run(channel, key);
            throw error;
          },
        )
        .finally(() => inFlight.delete(slot));
      inFlight.set(slot, { hash, promise });
      return promise;
    },
  };
}

/**
 * Wraps the money handlers so each request goes through the guard under its channel and key; the
 * handler itself receives the request without the key.
 */
export function withIdempotency<H extends Partial<Handlers>>(
  handlers: H,
  guard: IdempotencyGuard,
): H {
  const wrapped: Partial<Handlers> = { ...handlers };
  for (const channel of idempotentChannels) {
    const handler = handlers[channel] as ((input: unknown) => unknown) | undefined;
    if (!handler) continue;
    (wrapped as Record<IdempotentChannel, unknown>)[channel] = (input: {
      idempotencyKey: string;
    }) => {
      const { idempotencyKey, ...request } = input;
      return guard.run(channel, idempotencyKey, request, () => handler(request));
    };
  }
  return wrapped as H;
}
