import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PaymentAttempt } from '../../../src-shared/domain/payments';
import { createDispatcher } from '../../../src-main/ipc/dispatcher';
import { silentLogger } from '../../../src-main/logging/logger';
import { createPaymentsHandlers } from '../../../src-main/payments/payments.ipc';
import { createHarness, insertOrder, orderState, T1, T2, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  h.expectRequestsValid();
  await h.close();
});

async function paidSale(total = 2000) {
  const orderId = insertOrder(h.db, total);
  const sale = await h.settle(await h.service.startSale({ orderId, terminalId: T1 }));
  expect(sale.state.kind).toBe('succeeded');
  return { orderId, sale };
}

const outbox = () =>
  h.db.prepare('SELECT kind, status, attempts, idempotency_key FROM outbox').all() as {
    kind: string;
    status: string;
    attempts: number;
    idempotency_key: string;
  }[];

describe('refunds', () => {
  it('matched refunds: partial then the rest, capped at what remains across every refund of the sale', async () => {
    const { orderId, sale } = await paidSale(2000);
    const first = await h.service.matchedRefund({
      originalAttemptId: sale.id,
      terminalId: T1,
      amountMinor: 500,
      reason: 'one cold coffee',
    });
    expect(first.refund.status).toBe('pending');
    await h.settle(first.attempt);
    expect(orderState(h.db, orderId)?.refunded_minor).toBe(500);
    await expect(
      h.service.matchedRefund({ originalAttemptId: sale.id, terminalId: T1, amountMinor: 1501 }),
    ).rejects.toMatchObject({
      code: 'REFUND_EXCEEDS_REMAINING',
      message: /£15\.00/,
    });
    const server = await h.service.serverRefund({ originalAttemptId: sale.id, amountMinor: 300 });
    expect(server.status).toBe('completed');
    const rest = await h.service.matchedRefund({ originalAttemptId: sale.id, terminalId: T2 });
    expect(rest.refund.amountMinor).toBe(1200);
    const done = await h.settle(rest.attempt);
    expect(done.state.kind).toBe('succeeded');
    expect(orderState(h.db, orderId)).toMatchObject({ status: 'paid', refunded_minor: 2000 });
    await expect(h.service.serverRefund({ originalAttemptId: sale.id })).rejects.toMatchObject({
      code: 'REFUND_EXCEEDS_REMAINING',
    });
    const refunds = h.service.listRefundsForOrder(orderId);
    expect(refunds.map((r) => [r.kind, r.amountMinor, r.status])).toEqual([
      ['matched', 500, 'completed'],
      ['server', 300, 'completed'],
      ['matched', 1200, 'completed'],
    ]);
    expect(h.completedRefunds).toHaveLength(3);
    const simRefunds = h.sim.control.records().refunds;
    expect(simRefunds.map((r) => r.amount)).toEqual([500, 300, 1200]);
    const sessions = h.sim.control
      .records()
      .requests.filter((r) => r.method === 'POST' && r.path === '/terminal-sessions')
      .map((r) => r.body);
    expect(sessions[1]).toEqual({
      terminalId: T1,
      details: {
        sessionType: 'MatchedRefund',
        matchedRefund: {
          paymentIntentId: sale.paymentIntentId,
          amount: { value: 500, currencyCode: 'GBP' },
        },
      },
    });
  });

  it('refundableMinor on the attempts: what the cap allows, after partial, pending, declined and server refunds', async () => {
    const dispatch = createDispatcher(createPaymentsHandlers(h.service), silentLogger);
    const refundable = async (attemptId: string) => {
      const got = await dispatch('payments:get', { attemptId });
      if (!got.ok) throw new Error(got.error.message);
      return (got.value as PaymentAttempt).refundableMinor;
    };
    const { orderId, sale } = await paidSale(2000);
    expect(sale.refundableMinor).toBe(2000);
    expect(sale.terminalTid).toBe('28340001');
    // A refund in flight already counts: two refunds cannot overspend the sale.
    const first = await h.service.matchedRefund({
      originalAttemptId: sale.id,
      terminalId: T1,
      amountMinor: 500,
    });
    expect(await refundable(sale.id)).toBe(1500);
    expect(first.attempt.refundableMinor).toBeNull();
    await h.settle(first.attempt);
    expect(await refundable(sale.id)).toBe(1500);
    // A declined refund frees its amount again.
    h.sim.control.forceScenario('declined', T2);
    const declined = await h.service.matchedRefund({
      originalAttemptId: sale.id,
      terminalId: T2,
      amountMinor: 700,
    });
    expect(await refundable(sale.id)).toBe(800);
    expect((await h.settle(declined.attempt)).state.kind).toBe('declined');
    expect(await refundable(sale.id)).toBe(1500);
    expect(
      (await h.service.serverRefund({ originalAttemptId: sale.id, amountMinor: 300 })).status,
    ).toBe('completed');
    expect(await refundable(sale.id)).toBe(1200);
    // The figure is exactly the cap.
    await expect(
      h.service.serverRefund({ originalAttemptId: sale.id, amountMinor: 1201 }),
    ).rejects.toMatchObject({ code: 'REFUND_EXCEEDS_REMAINING', message: /£12\.00/ });
    const listed = await dispatch('payments:list-for-order', { orderId });
    expect(
      listed.ok &&
        (listed.value as PaymentAttempt[]).map((a) => [a.kind, a.state.kind, a.refundableMinor]),
    ).toEqual([
      ['sale', 'succeeded', 1200],
      ['matched_refund', 'succeeded', null],
      ['matched_refund', 'declined', null],
    ]);
    await h.settle(
      (await h.service.matchedRefund({ originalAttemptId: sale.id, terminalId: T1 })).attempt,
    );
    expect(await refundable(sale.id)).toBe(0);
    expect(h.service.listForOrder(orderId)[0]?.refundableMinor).toBe(0);
  });

  it('refundableMinor is null for a sale that did not go through', async () => {
    const orderId = insertOrder(h.db, 1501);
    const declined = await h.settle(await h.service.startSale({ orderId, terminalId: T1 }));
    expect(declined.state.kind).toBe('declined');
    expect(declined.refundableMinor).toBeNull();
    expect(h.service.get(declined.id).refundableMinor).toBeNull();
  });

  it('a declined matched refund frees its amount again', async () => {
    const { orderId, sale } = await paidSale(2000);
    h.sim.control.forceScenario('declined', T1);
    const r = await h.service.matchedRefund({ originalAttemptId: sale.id, terminalId: T1 });
    expect((await h.settle(r.attempt)).state.kind).toBe('declined');
    expect(h.service.listRefundsForOrder(orderId)[0]?.status).toBe('failed');
    expect(orderState(h.db, orderId)?.refunded_minor).toBe(0);
    const again = await h.service.matchedRefund({ originalAttemptId: sale.id, terminalId: T1 });
    expect(again.refund.amountMinor).toBe(2000);
    await h.settle(again.attempt);
  });

  it('unlinked refund against an order: needs a paid order and fits in what remains refundable', async () => {
    // Who may refund without a sale is the core's permission guard (tests/integration/staff).
    const open = insertOrder(h.db, 1003);
    await expect(
      h.service.unlinkedRefund({ terminalId: T1, amountMinor: 100, orderId: open }),
    ).rejects.toMatchObject({ code: 'ORDER_STATE', message: /Only a paid order/ });
    const { orderId } = await paidSale(1000);
    const before = h.db.prepare('SELECT count(*) AS n FROM refunds').get();
    await expect(
      h.service.unlinkedRefund({ terminalId: T1, amountMinor: 50_000, orderId }),
    ).rejects.toMatchObject({
      code: 'REFUND_EXCEEDS_REMAINING',
      message: 'At most £10.00 of this order is left to refund.',
    });
    expect(h.db.prepare('SELECT count(*) AS n FROM refunds').get()).toEqual(before);
    expect(orderState(h.db, orderId)?.refunded_minor).toBe(0);
    const r = await h.service.unlinkedRefund({
      terminalId: T1,
      amountMinor: 450,
      orderId,
      reason: 'goodwill',
    });
    const done = await h.settle(r.attempt);
    expect(done.state.kind).toBe('succeeded');
    expect(orderState(h.db, orderId)?.refunded_minor).toBe(450);
    expect(h.service.listRefundsForOrder(orderId)[0]).toMatchObject({
      kind: 'unlinked',
      status: 'completed',
    });
    // What is left is 10.00 - 4.50: 5.51 is refused, 5.50 would fit.
    await expect(
      h.service.unlinkedRefund({ terminalId: T1, amountMinor: 551, orderId }),
    ).rejects.toMatchObject({ code: 'REFUND_EXCEEDS_REMAINING', message: /£5\.50/ });
    const body = h.sim.control
      .records()
      .requests.filter((x) => x.path === '/terminal-sessions' && x.method === 'POST')
      .at(-1)?.body;
    expect(body).toEqual({
      terminalId: T1,
      details: {
        sessionType: 'UnlinkedRefund',
        unlinkedRefund: { amount: { value: 450, currencyCode: 'GBP' } },
      },
    });
  });

  it('server refund while Dojo is unreachable: queued in the outbox, retried, takes effect exactly once', async () => {
    const { orderId, sale } = await paidSale(2000);
    h.sim.control.injectFault({
      kind: 'http-error',
      path: '/payment-intents/*/refunds',
      status: 503,
      count: 1,
      applyRequest: true,
    });
    const queued = await h.service.serverRefund({ originalAttemptId: sale.id, amountMinor: 700 });
    expect(queued.status).toBe('queued');
    expect(outbox()).toEqual([
      { kind: 'dojo.refund', status: 'pending', attempts: 1, idempotency_key: queued.id },
    ]);
    h.db.prepare("UPDATE outbox SET next_attempt_at = '2000-01-01T00:00:00.000Z'").run();
    expect(await h.service.drainRefundOutbox()).toBe(1);
    expect(outbox()[0]?.status).toBe('done');
    expect(h.service.listRefundsForOrder(orderId)[0]).toMatchObject({
      status: 'completed',
      amountMinor: 700,
    });
    expect(orderState(h.db, orderId)?.refunded_minor).toBe(700);
    // The first request took effect at Dojo; the retry with the same key did not refund again.
    expect(h.sim.control.records().refunds.map((r) => [r.amount, r.idempotencyKey])).toEqual([
      [700, queued.id],
    ]);
    const keys = h.sim.control
      .records()
      .requests.filter((r) => r.path.endsWith('/refunds'))
      .map((r) => r.headers.idempotencykey);
    expect(keys).toEqual([queued.id, queued.id]);
  });

  it('a server refund queued while Dojo is unreachable shows in the "Queued" count at once', async () => {
    const { sale } = await paidSale(2000);
    const counts: { pending: number; dead: number }[] = [];
    const off = h.outbox.on('changed', (c) => counts.push(c));
    h.sim.control.injectFault({
      kind: 'http-error',
      path: '/payment-intents/*/refunds',
      status: 503,
      count: 1,
    });
    const queued = await h.service.serverRefund({ originalAttemptId: sale.id, amountMinor: 700 });
    off();
    expect(queued.status).toBe('queued');
    // The status bar's counter follows these events; before, it stayed 0 until a reload.
    expect(counts).toContainEqual({ pending: 1, dead: 0 });
    expect(h.outbox.stats()).toEqual({ pending: 1, dead: 0 });
  });

  it('server refund rate-limited by Dojo: the outbox waits at least its Retry-After before trying again', async () => {
    const { sale } = await paidSale(2000);
    // The outbox's own backoff for a first retry is 1–2 s; Dojo asks for 30 s.
    h.sim.control.injectFault({
      kind: 'http-error',
      path: '/payment-intents/*/refunds',
      status: 429,
      retryAfterSeconds: 30,
      count: 1,
    });
    const before = Date.now();
    const queued = await h.service.serverRefund({ originalAttemptId: sale.id, amountMinor: 700 });
    expect(queued.status).toBe('queued');
    const next = h.db
      .prepare<[], { next_attempt_at: string }>('SELECT next_attempt_at FROM outbox')
      .get();
    expect(Date.parse(next?.next_attempt_at ?? '') - before).toBeGreaterThanOrEqual(29_000);
    // Not tried again before then, even when asked to drain.
    expect(await h.service.drainRefundOutbox()).toBe(0);
    expect(
      h.sim.control.records().requests.filter((r) => r.path.endsWith('/refunds')),
    ).toHaveLength(1);
  });

  it('server refund refused by Dojo: its words are shown, the refund is failed and frees the amount', async () => {
    const { orderId, sale } = await paidSale(2000);
    h.sim.control.injectFault({
      kind: 'http-error',
      path: '/payment-intents/*/refunds',
      status: 400,
      count: 1,
    });
    await expect(
      h.service.serverRefund({ originalAttemptId: sale.id, amountMinor: 700 }),
    ).rejects.toMatchObject({ code: 'DOJO_HTTP', message: /Dojo refused the refund: .+/ });
    expect(h.service.listRefundsForOrder(orderId)[0]?.status).toBe('failed');
    expect(outbox()[0]?.status).toBe('dead');
    expect(orderState(h.db, orderId)?.refunded_minor).toBe(0);
  });

  it('refunds only against a captured sale', async () => {
    const orderId = insertOrder(h.db, 601);
    h.sim.control.forceScenario('declined', T1);
    const declined = await h.settle(await h.service.startSale({ orderId, terminalId: T1 }));
    await expect(
      h.service.matchedRefund({ originalAttemptId: declined.id, terminalId: T1 }),
    ).rejects.toMatchObject({ code: 'ORDER_STATE' });
    await expect(h.service.serverRefund({ originalAttemptId: declined.id })).rejects.toMatchObject({
      code: 'ORDER_STATE',
    });
  });
});
