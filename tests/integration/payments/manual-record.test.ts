import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../src-main/ipc/dispatcher';
import { silentLogger } from '../../../src-main/logging/logger';
import { createPaymentsHandlers } from '../../../src-main/payments/payments.ipc';
import { createHarness, insertOrder, orderState, T1, T2, type Harness } from './harness';

/** docs/PAYMENTS.md rule 7: "result cannot be confirmed" has a manual-record action next to check-again. */
describe('manual record of a payment that cannot be confirmed', () => {
  let h: Harness;
  let dispatch: ReturnType<typeof createDispatcher>;
  beforeEach(async () => {
    h = await createHarness();
    dispatch = createDispatcher(createPaymentsHandlers(h.service), silentLogger);
  });
  afterEach(async () => {
    h.expectRequestsValid();
    await h.close();
  });

  /** The no-card scenario expires with the intent still `Created`: the till cannot confirm it. */
  async function unconfirmedSale(total = 1250) {
    h.sim.control.forceScenario('no-card-expires', T1);
    const orderId = insertOrder(h.db, total);
    const attempt = await h.settle(await h.service.startSale({ orderId, terminalId: T1 }));
    expect(attempt.state.kind).toBe('unconfirmed');
    return { orderId, attempt };
  }

  const journal = (attemptId: string) => h.service.get(attemptId).events;
  const auditRows = () =>
    h.db
      .prepare(
        "SELECT actor, subject, details FROM audit_log WHERE action = 'payments.manual-record'",
      )
      .all();

  it('paid: the card tender is applied once, the order is paid, the decision and note are journalled', async () => {
    const { orderId, attempt } = await unconfirmedSale();
    // Who may record by hand, and wrong approval PINs: tests/integration/staff/permissions.test.ts.
    const r = await dispatch('payments:record-manually', {
      attemptId: attempt.id,
      outcome: 'paid',
      note: '  terminal printed APPROVED, auth 123456  ',
    });
    expect(r).toMatchObject({ ok: true, value: { state: { kind: 'succeeded' }, isFinal: true } });
    expect(orderState(h.db, orderId)).toMatchObject({ status: 'paid', paid_minor: 1250 });
    expect(
      h.db
        .prepare('SELECT kind, amount_minor, attempt_id FROM tenders WHERE order_id = ?')
        .all(orderId),
    ).toEqual([{ kind: 'card', amount_minor: 1250, attempt_id: attempt.id }]);
    expect(h.paidOrders).toEqual([orderId]);
    expect(journal(attempt.id).at(-1)).toMatchObject({
      source: 'operator',
      type: 'manual-record',
      detail: {
        outcome: 'paid',
        note: 'terminal printed APPROVED, auth 123456',
        approvedBy: null,
        intentStatus: 'Created',
      },
    });
    expect(auditRows()).toHaveLength(1);
    expect(h.service.needsAttention()).toBe(0);
    expect(h.progress.at(-1)).toMatchObject({
      attemptId: attempt.id,
      state: { kind: 'succeeded' },
      isFinal: true,
    });

    // Once recorded, the attempt is no longer "cannot be confirmed": a second record is refused.
    const again = await dispatch('payments:record-manually', {
      attemptId: attempt.id,
      outcome: 'paid',
      note: 'again',
    });
    expect(again).toMatchObject({
      ok: false,
      error: { code: 'ORDER_STATE', message: /cannot be confirmed/ },
    });
    expect(
      h.db.prepare('SELECT count(*) AS n FROM tenders WHERE order_id = ?').get(orderId),
    ).toEqual({ n: 1 });
  });

  it('not paid: the attempt fails, and the order is retried on the same intent, which Dojo still has Created', async () => {
    const { orderId, attempt } = await unconfirmedSale();
    const r = await dispatch('payments:record-manually', {
      attemptId: attempt.id,
      outcome: 'not-paid',
      note: 'customer walked away',
    });
    expect(r).toMatchObject({
      ok: true,
      value: { state: { kind: 'failed', reason: /not paid: customer walked away/ }, isFinal: true },
    });
    expect(orderState(h.db, orderId)).toMatchObject({ status: 'open', paid_minor: 0 });
    expect(h.paidOrders).toEqual([]);
    expect(journal(attempt.id).at(-1)).toMatchObject({
      type: 'manual-record',
      detail: { outcome: 'not-paid', note: 'customer walked away', approvedBy: null },
    });

    const retry = await h.settle(await h.service.startSale({ orderId, terminalId: T1 }));
    expect(retry.state.kind).toBe('succeeded');
    expect(retry.paymentIntentId).toBe(attempt.paymentIntentId);
    expect(h.sim.control.records().paymentIntents).toHaveLength(1);
    expect(orderState(h.db, orderId)).toMatchObject({ status: 'paid', paid_minor: 1250 });
  });

  it('refuses bad input, an attempt that is not unconfirmed, and "not paid" when Dojo shows the money taken', async () => {
    const { attempt } = await unconfirmedSale();
    const good = {
      attemptId: attempt.id,
      outcome: 'not-paid',
      note: 'no card seen',
    };
    for (const [input, message] of [
      [{ ...good, note: '  x ' }, /at least 3/],
      [{ ...good, note: 'n'.repeat(201) }, /at most 200/],
      [{ ...good, note: undefined }, /./],
      [{ ...good, outcome: 'maybe' }, /paid or not paid/],
      [{ ...good, approval: { pin: '12' } }, /4 to 8 digits/],
      [{ ...good, approval: { pin: '24a8' } }, /4 to 8 digits/],
      [{ ...good, attemptId: 'nope' }, /not a payment attempt id/],
      [{ ...good, extra: true }, /./],
    ] as const) {
      expect(await dispatch('payments:record-manually', input)).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION', message },
      });
    }
    expect(h.service.get(attempt.id).state.kind).toBe('unconfirmed');

    // A captured sale is not "cannot be confirmed".
    const paidOrder = insertOrder(h.db, 700);
    const captured = await h.settle(
      await h.service.startSale({ orderId: paidOrder, terminalId: T2 }),
    );
    expect(captured.state.kind).toBe('succeeded');
    expect(
      await dispatch('payments:record-manually', { ...good, attemptId: captured.id }),
    ).toMatchObject({ ok: false, error: { code: 'ORDER_STATE' } });

    // Dojo already captured the intent (e.g. approved after the till stopped looking): "not paid"
    // would let the order be charged twice, so it is refused; check-again is the way.
    h.db
      .prepare('UPDATE payment_attempts SET payment_intent_id = ? WHERE id = ?')
      .run(captured.paymentIntentId, attempt.id);
    expect(await dispatch('payments:record-manually', good)).toMatchObject({
      ok: false,
      error: { code: 'ORDER_STATE', message: /taken \(Captured\).*Check again/ },
    });
    expect(h.service.get(attempt.id).state.kind).toBe('unconfirmed');
    expect(auditRows()).toHaveLength(0);
  });
});
