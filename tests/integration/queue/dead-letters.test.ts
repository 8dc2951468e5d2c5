import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { QueueItemView } from '../../../src-shared/contract';
import { createDispatcher } from '../../../src-main/ipc/dispatcher';
import { silentLogger } from '../../../src-main/logging/logger';
import { setManagerPin } from '../../../src-main/staff/manager-pin';
import { describeServerRefund } from '../../../src-main/payments/server-refunds';
import { createQueueHandlers } from '../../../src-main/queue/queue.ipc';
import { createHarness, insertOrder, orderState, T1, type Harness } from '../payments/harness';

let h: Harness;
let dispatch: ReturnType<typeof createDispatcher>;
beforeEach(async () => {
  h = await createHarness();
  dispatch = createDispatcher(
    createQueueHandlers({
      db: h.db,
      outbox: h.outbox,
      describe: (item) => describeServerRefund(h.db, h.orders, item.idempotencyKey),
    }),
    silentLogger,
  );
});
afterEach(async () => {
  await h.close();
});

async function call<T>(channel: string, input?: unknown): Promise<T> {
  const r = await dispatch(channel, input);
  if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
  return r.value as T;
}

async function paidSale(total = 2000) {
  const orderId = insertOrder(h.db, total);
  const sale = await h.settle(await h.service.startSale({ orderId, terminalId: T1 }));
  expect(sale.state.kind).toBe('succeeded');
  return { orderId, sale };
}

/** Dojo keeps answering 503: the refund is tried until the outbox stops (8 tries). */
async function deadRefund(saleId: string, amountMinor: number) {
  h.sim.control.injectFault({
    kind: 'http-error',
    path: '/payment-intents/*/refunds',
    status: 503,
    count: 100,
  });
  const refund = await h.service.serverRefund({ originalAttemptId: saleId, amountMinor });
  for (let i = 0; i < 10; i++) {
    h.db.prepare("UPDATE outbox SET next_attempt_at = '2000-01-01T00:00:00.000Z'").run();
    await h.service.drainRefundOutbox();
  }
  h.sim.control.clearFaults();
  return refund;
}

const refundPosts = () =>
  h.sim.control
    .records()
    .requests.filter((r) => r.method === 'POST' && r.path.endsWith('/refunds'));

describe('outbox dead letters: shown in plain words, retried, or discarded by a manager', () => {
  it('retry: a dead refund is sent again with the same key and takes effect exactly once', async () => {
    const { orderId, sale } = await paidSale(2000);
    const refund = await deadRefund(sale.id, 700);
    const [dead] = await call<QueueItemView[]>('queue:list');
    expect(dead).toMatchObject({ status: 'dead', attempts: 8 });
    expect(dead?.what).toMatch(/^Refund of £7\.00 to the card, order T1-/);
    expect(dead?.lastError).toMatch(/HTTP 503/);
    expect(h.outbox.stats()).toEqual({ pending: 0, dead: 1 });

    const retried = await call<QueueItemView>('queue:retry', { id: dead?.id });
    expect(retried).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await h.service.drainRefundOutbox()).toBe(1);
    expect(await call<QueueItemView[]>('queue:list')).toEqual([]);
    expect(h.service.listRefundsForOrder(orderId)[0]).toMatchObject({
      id: refund.id,
      status: 'completed',
    });
    expect(h.sim.control.records().refunds.map((r) => [r.amount, r.idempotencyKey])).toEqual([
      [700, refund.id],
    ]);
    expect(new Set(refundPosts().map((r) => r.headers.idempotencykey))).toEqual(
      new Set([refund.id]),
    );
    const journal = h.db
      .prepare("SELECT action, subject FROM audit_log WHERE action LIKE 'queue.%'")
      .all();
    expect(journal).toEqual([{ action: 'queue.retry', subject: String(dead?.id) }]);
  });

  it('discard: needs a manager PIN and a reason, is journalled, frees the amount, never sends again', async () => {
    const { orderId, sale } = await paidSale(2000);
    const refund = await deadRefund(sale.id, 700);
    const [dead] = await call<QueueItemView[]>('queue:list');
    const id = dead?.id ?? 0;
    const posts = refundPosts().length;

    await expect(
      call('queue:discard', { id, reason: 'x', managerPin: '2468' }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    await expect(
      call('queue:discard', { id, reason: 'Refunded in cash', managerPin: '2468' }),
    ).rejects.toMatchObject({ code: 'MANAGER_PIN_NOT_SET' });
    setManagerPin(h.db, '2468');
    await expect(
      call('queue:discard', { id, reason: 'Refunded in cash', managerPin: '1111' }),
    ).rejects.toMatchObject({ code: 'MANAGER_PIN_INVALID' });

    const gone = await call<QueueItemView>('queue:discard', {
      id,
      reason: 'Refunded in cash',
      managerPin: '2468',
    });
    expect(gone).toMatchObject({
      status: 'discarded',
      discardedReason: 'Refunded in cash',
      discardedBy: 'manager',
    });
    expect(h.outbox.stats()).toEqual({ pending: 0, dead: 0 });
    expect(h.service.listRefundsForOrder(orderId)[0]).toMatchObject({
      id: refund.id,
      status: 'failed',
      lastError: 'Discarded by a manager: Refunded in cash',
    });
    expect(orderState(h.db, orderId)?.refunded_minor).toBe(0);
    // Neither a retry nor a second discard can bring it back.
    await expect(call('queue:retry', { id })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(
      call('queue:discard', { id, reason: 'again', managerPin: '2468' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await h.service.drainRefundOutbox();
    expect(refundPosts()).toHaveLength(posts);
    expect(h.sim.control.records().refunds).toEqual([]);
    const journal = h.db
      .prepare<[], { details: string }>(
        "SELECT details FROM audit_log WHERE action = 'queue.discard'",
      )
      .all()
      .map((r) => JSON.parse(r.details) as { reason: string; what: string });
    expect(journal).toHaveLength(1);
    expect(journal[0]?.reason).toBe('Refunded in cash');
    expect(journal[0]?.what).toMatch(/£7\.00/);
    // The amount is free again: a new refund of the whole sale is accepted.
    expect((await h.service.serverRefund({ originalAttemptId: sale.id })).status).toBe('completed');
  });

  it('a waiting item can be neither retried nor discarded (only one that stopped)', async () => {
    const { sale } = await paidSale(2000);
    h.sim.control.injectFault({
      kind: 'http-error',
      path: '/payment-intents/*/refunds',
      status: 503,
      count: 1,
    });
    await h.service.serverRefund({ originalAttemptId: sale.id, amountMinor: 500 });
    const [waiting] = await call<QueueItemView[]>('queue:list');
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1 });
    expect(waiting?.nextAttemptAt).not.toBeNull();
    await expect(call('queue:retry', { id: waiting?.id })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });
});
