import { afterEach, describe, expect, it } from 'vitest';
import { tempDb, type TempDb } from '../../tests/integration/orders/helpers';
import { silentLogger } from '../logging/logger';
import { TillError } from '../../src-shared/errors';
import { backoffDelay } from '../platform/backoff';
import { createOutbox, type OutboxHandler } from './outbox';
import { getOutboxItem, listOutbox } from './outbox.repo';
import { createEmitter } from '../platform/emitter';
import type { ConnectivityChange } from './connectivity-monitor';

let t: TempDb | undefined;
afterEach(() => t?.cleanup());

function clock(start = Date.parse('2026-11-23T12:00:00Z')) {
  let ms = start;
  return { now: () => new Date(ms), advance: (by: number) => (ms += by) };
}

describe('backoffDelay', () => {
  it('doubles from the base up to the cap, with jitter between half and all of it', () => {
    const at = (n: number, r: number) =>
      backoffDelay(n, { baseMs: 1000, maxMs: 60_000, random: () => r });
    expect([1, 2, 3, 4].map((n) => at(n, 0))).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map((n) => at(n, 1))).toEqual([1000, 2000, 4000, 8000]);
    expect(at(20, 1)).toBe(60_000);
    expect(at(20, 0)).toBe(30_000);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(5, { baseMs: 1000, maxMs: 60_000 });
      expect(d >= 8000 && d <= 16_000).toBe(true);
    }
  });
});

describe('outbox', () => {
  it('describes an item in the words of the feature that owns its kind, else by the kind', () => {
    t = tempDb();
    const outbox = createOutbox({ db: t.db, logger: silentLogger });
    outbox.registerHandler(
      'email',
      () => Promise.resolve(),
      (item) => `E-mail ${item.idempotencyKey}`,
    );
    const email = outbox.enqueue({ kind: 'email', idempotencyKey: 'k1', payload: null }).item;
    const other = outbox.enqueue({ kind: 'other', idempotencyKey: 'k2', payload: null }).item;
    expect(outbox.describe(email)).toBe('E-mail k1');
    expect(outbox.describe(other)).toBe('Queued work (other)');
  });

  it('dedups on the idempotency key and drains in order, handing the key to the handler', async () => {
    t = tempDb();
    const outbox = createOutbox({ db: t.db, logger: silentLogger });
    expect(outbox.enqueue({ kind: 'email', idempotencyKey: 'k1', payload: { n: 1 } }).created).toBe(
      true,
    );
    expect(
      outbox.enqueue({ kind: 'email', idempotencyKey: 'k1', payload: { n: 99 } }),
    ).toMatchObject({ created: false, item: { payload: { n: 1 } } });
    outbox.enqueue({ kind: 'email', idempotencyKey: 'k2', payload: { n: 2 } });
    outbox.enqueue({ kind: 'other', idempotencyKey: 'k3', payload: null });
    const seen: string[] = [];
    outbox.registerHandler('email', (item) => {
      seen.push(`${item.idempotencyKey}:${JSON.stringify(item.payload)}:${item.attempt}`);
      return Promise.resolve();
    });
    expect(await outbox.drainOnce()).toBe(2);
    expect(seen).toEqual(['k1:{"n":1}:1', 'k2:{"n":2}:1']);
    // No handler for "other" yet: it waits, untouched.
    expect(listOutbox(t.db).map((i) => [i.idempotencyKey, i.status, i.attempts])).toEqual([
      ['k1', 'done', 1],
      ['k2', 'done', 1],
      ['k3', 'pending', 0],
    ]);
    expect(outbox.stats()).toEqual({ pending: 1, dead: 0 });
  });

  it('schedules retries with exponential backoff and records the last error', async () => {
    t = tempDb();
    const c = clock();
    const outbox = createOutbox({
      db: t.db,
      logger: silentLogger,
      baseDelayMs: 1000,
      maxDelayMs: 60_000,
      random: () => 0.5,
      now: c.now,
    });
    let fail = 2;
    outbox.registerHandler('refund', () =>
      fail-- > 0 ? Promise.reject(new Error('Dojo said 503')) : Promise.resolve(),
    );
    const retries: number[] = [];
    outbox.on('retry', (e) => retries.push(Date.parse(e.nextAttemptAt) - c.now().getTime()));
    const { item } = outbox.enqueue({ kind: 'refund', idempotencyKey: 'r1', payload: {} });
    await outbox.drainOnce();
    expect(getOutboxItem(t.db, item.id)).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastError: 'Dojo said 503',
    });
    expect(await outbox.drainOnce()).toBe(0); // not due yet
    c.advance(749);
    expect(await outbox.drainOnce()).toBe(0);
    c.advance(1);
    await outbox.drainOnce();
    expect(getOutboxItem(t.db, item.id)).toMatchObject({ status: 'pending', attempts: 2 });
    c.advance(1500);
    await outbox.drainOnce();
    expect(getOutboxItem(t.db, item.id)).toMatchObject({
      status: 'done',
      attempts: 3,
      lastError: null,
    });
    expect(retries).toEqual([750, 1500]);
  });

  it("honours Retry-After, and a rate-limited try does not use up the item's tries", async () => {
    t = tempDb();
    const c = clock();
    const outbox = createOutbox({
      db: t.db,
      logger: silentLogger,
      baseDelayMs: 1000,
      random: () => 0.5,
      maxAttempts: 3,
      now: c.now,
    });
    const rateLimited = () =>
      Object.assign(
        new TillError('DOJO_RATE_LIMITED', 'Dojo asked the till to slow down', { retryable: true }),
        { info: { retryAfterMs: 20_000 } },
      );
    let limited = 10;
    outbox.registerHandler('refund', () =>
      limited-- > 0 ? Promise.reject(rateLimited()) : Promise.resolve(),
    );
    const { item } = outbox.enqueue({ kind: 'refund', idempotencyKey: 'r1', payload: {} });
    for (let i = 0; i < 10; i++) {
      await outbox.drainOnce();
      const now = getOutboxItem(t.db, item.id);
      expect(now).toMatchObject({ status: 'pending', attempts: 0 });
      // Never sooner than the 20 s Dojo asked for (the own backoff would be 0.75 s).
      expect(Date.parse(now?.nextAttemptAt ?? '') - c.now().getTime()).toBe(20_000);
      c.advance(19_999);
      expect(await outbox.drainOnce()).toBe(0);
      c.advance(1);
    }
    await outbox.drainOnce();
    expect(getOutboxItem(t.db, item.id)).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('a later item is not held up by one that is backing off', async () => {
    t = tempDb();
    const c = clock();
    const outbox = createOutbox({ db: t.db, logger: silentLogger, now: c.now, random: () => 0 });
    outbox.registerHandler('x', (item) =>
      item.idempotencyKey === 'a' ? Promise.reject(new Error('down')) : Promise.resolve(),
    );
    outbox.enqueue({ kind: 'x', idempotencyKey: 'a', payload: 1 });
    outbox.enqueue({ kind: 'x', idempotencyKey: 'b', payload: 2 });
    await outbox.drainOnce();
    expect(listOutbox(t.db).map((i) => i.status)).toEqual(['pending', 'done']);
  });

  it('marks an item dead after N tries, or at once on a non-retryable error; revive gives it fresh tries', async () => {
    t = tempDb();
    const c = clock();
    const outbox = createOutbox({
      db: t.db,
      logger: silentLogger,
      maxAttempts: 3,
      baseDelayMs: 10,
      now: c.now,
    });
    const dead: string[] = [];
    outbox.on('dead', (e) => dead.push(`${e.id}:${e.attempts}:${e.error}`));
    let permanent = true;
    const handler: OutboxHandler = (item) =>
      item.kind === 'bad' && permanent
        ? Promise.reject(new TillError('VALIDATION', 'Refund amount is more than was paid'))
        : item.kind === 'flaky'
          ? Promise.reject(
              new TillError('DOJO_UNREACHABLE', 'Dojo is unreachable', { retryable: true }),
            )
          : Promise.resolve();
    outbox.registerHandler('bad', handler);
    outbox.registerHandler('flaky', handler);
    const bad = outbox.enqueue({ kind: 'bad', idempotencyKey: 'b', payload: {} }).item;
    const flaky = outbox.enqueue({ kind: 'flaky', idempotencyKey: 'f', payload: {} }).item;
    for (let i = 0; i < 5; i++) {
      await outbox.drainOnce();
      c.advance(60_000);
    }
    expect(getOutboxItem(t.db, bad.id)).toMatchObject({
      status: 'dead',
      attempts: 1,
      lastError: 'Refund amount is more than was paid',
    });
    expect(getOutboxItem(t.db, flaky.id)).toMatchObject({
      status: 'dead',
      attempts: 3,
      lastError: 'Dojo is unreachable',
    });
    expect(dead).toEqual([
      `${bad.id}:1:Refund amount is more than was paid`,
      `${flaky.id}:3:Dojo is unreachable`,
    ]);
    expect(outbox.stats()).toEqual({ pending: 0, dead: 2 });
    permanent = false;
    expect(outbox.revive(bad.id)).toBe(true);
    await outbox.drainOnce();
    expect(getOutboxItem(t.db, bad.id)).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('waits while offline and drains on the transition to online (start/stop worker)', async () => {
    t = tempDb();
    const events = createEmitter<{ change: ConnectivityChange }>();
    const connectivity = { state: 'offline' as 'online' | 'offline' | 'unknown', on: events.on };
    const outbox = createOutbox({
      db: t.db,
      logger: silentLogger,
      connectivity,
      idlePollMs: 60_000,
    });
    const done: string[] = [];
    outbox.registerHandler('email', (item) => {
      done.push(item.idempotencyKey);
      return Promise.resolve();
    });
    outbox.start();
    outbox.enqueue({ kind: 'email', idempotencyKey: 'e1', payload: {} });
    outbox.enqueue({ kind: 'email', idempotencyKey: 'e2', payload: {} });
    await new Promise((r) => setTimeout(r, 50));
    expect(done).toEqual([]);
    const drained = new Promise<void>((resolve) =>
      outbox.on('done', (e) => e.id === 2 && resolve()),
    );
    connectivity.state = 'online';
    events.emit('change', {
      state: 'online',
      previous: 'offline',
      reason: null,
      checkedAt: new Date().toISOString(),
    });
    await drained;
    expect(done).toEqual(['e1', 'e2']);
    // While online, new work is picked up at once (enqueue wakes the worker).
    const third = new Promise<void>((resolve) => outbox.on('done', (e) => e.id === 3 && resolve()));
    outbox.enqueue({ kind: 'email', idempotencyKey: 'e3', payload: {} });
    await third;
    await outbox.stop();
    expect(listOutbox(t.db, 'done')).toHaveLength(3);
  });

  it('stop() does not wait for a handler that ignores its signal, and the item stays pending', async () => {
    t = tempDb();
    const outbox = createOutbox({ db: t.db, logger: silentLogger });
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    outbox.registerHandler('slow', () => {
      started();
      return new Promise(() => {});
    });
    const { item } = outbox.enqueue({ kind: 'slow', idempotencyKey: 's', payload: {} });
    outbox.start();
    await running;
    await outbox.stop();
    expect(getOutboxItem(t.db, item.id)).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastError: 'Stopped',
    });
  });
});
