import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { promptText } from '../../../src-shared/domain/payments';
import { createHarness, insertOrder, orderState, T1, T2, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  h.expectRequestsValid();
  await h.close();
});

const SALE = [
  'GET /terminals/{tm}',
  'POST /payment-intents',
  'POST /terminal-sessions',
  'GET /terminal-sessions/{ts}',
  'GET /payment-intents/{pi}',
];

describe('card sale against the simulator', () => {
  it('chip and PIN: captured, tender applied, order paid, receipts and masked card kept, journal complete', async () => {
    const orderId = insertOrder(h.db, 1250);
    const started = await h.service.startSale({ orderId, terminalId: T1 });
    expect(started.state.kind).toBe('in_progress');
    const done = await h.settle(started);
    expect(done.state).toEqual({ kind: 'succeeded' });
    expect(orderState(h.db, orderId)).toMatchObject({ status: 'paid', paid_minor: 1250 });
    expect(h.paidOrders).toEqual([orderId]);
    expect(done.card?.cardNumber).toMatch(/\*{4}/);
    expect(done.card?.last4).toMatch(/^\d{4}$/);
    expect(done.customerReceipt?.lines.length).toBeGreaterThan(0);
    expect(done.merchantReceipt?.lines.length).toBeGreaterThan(0);
    const tender = h.db
      .prepare('SELECT kind, amount_minor, attempt_id, card_last4 FROM tenders WHERE order_id = ?')
      .all(orderId);
    expect(tender).toEqual([
      { kind: 'card', amount_minor: 1250, attempt_id: done.id, card_last4: done.card?.last4 },
    ]);
    expect(h.sequence()).toEqual(SALE);
    const journal = h.service.get(done.id).events;
    const prompts = journal
      .filter((e) => e.type === 'notification')
      .map((e) => e.detail?.notificationType);
    expect(prompts).toEqual([
      'PresentCard',
      'PleaseWait',
      'EnterPin',
      'PleaseWait',
      'RemoveCard',
      'Approved',
    ]);
    expect(journal.map((e) => e.type)).toEqual(
      expect.arrayContaining([
        'attempt-created',
        'intent-created',
        'session-created',
        'session-status',
        'intent-read',
      ]),
    );
    // Every prompt reached the renderer, in order.
    const pushed = h.progress.filter((p) => p.attemptId === done.id).flatMap((p) => p.newPrompts);
    expect(pushed).toEqual([
      'PresentCard',
      'PleaseWait',
      'EnterPin',
      'PleaseWait',
      'RemoveCard',
      'Approved',
    ]);
    // The intent carried item and VAT lines.
    const intent = h.sim.control.records().paymentIntents[0];
    expect(intent?.itemLines?.[0]).toMatchObject({ name: 'Flat white', quantity: 1 });
    expect(intent?.taxLines?.length).toBe(1);
  });

  it('contactless, card error then retry, unknown notification: all captured', async () => {
    for (const scenario of ['contactless', 'card-error-retry', 'unknown-notification'] as const) {
      h.sim.control.forceScenario(scenario, T1);
      const orderId = insertOrder(h.db, 500);
      const done = await h.settle(await h.service.startSale({ orderId, terminalId: T1 }));
      expect([scenario, done.state.kind]).toEqual([scenario, 'succeeded']);
      expect(orderState(h.db, orderId)?.status).toBe('paid');
      if (scenario === 'unknown-notification') {
        const types = h.service
          .get(done.id)
          .events.filter((e) => e.type === 'notification')
          .map((e) => e.detail?.notificationType);
        expect(types).toContain('TerminalRebooting');
        expect(h.progress.some((x) => x.newPrompts.includes('TerminalRebooting'))).toBe(true);
        expect(promptText('TerminalRebooting')).toBe('Terminal: Terminal Rebooting');
      }
    }
  });

  it('decline, then a retry reuses the same payment intent', async () => {
    const orderId = insertOrder(h.db, 700);
    h.sim.control.forceScenario('declined', T1);
    const declined = await h.settle(await h.service.startSale({ orderId, terminalId: T1 }));
    expect(declined.state.kind).toBe('declined');
    expect(orderState(h.db, orderId)).toMatchObject({ status: 'open', paid_minor: 0 });
    const paid = await h.settle(await h.service.startSale({ orderId, terminalId: T1 }));
    expect(paid.state.kind).toBe('succeeded');
    expect(paid.paymentIntentId).toBe(declined.paymentIntentId);
    expect(h.sim.control.records().paymentIntents).toHaveLength(1);
    expect(h.sequence()).toEqual([
      ...SALE,
      'GET /terminals/{tm}',
      'GET /payment-intents/{pi}',
      'POST /terminal-sessions',
      'GET /terminal-sessions/{ts}',
      'GET /payment-intents/{pi}',
    ]);
  });

  it('split tender: two card payments of parts of the order', async () => {
    const orderId = insertOrder(h.db, 1000);
    const first = await h.settle(
      await h.service.startSale({ orderId, terminalId: T1, amountMinor: 400 }),
    );
    expect(first.state.kind).toBe('succeeded');
    expect(orderState(h.db, orderId)).toMatchObject({ status: 'open', paid_minor: 400 });
    expect(h.paidOrders).toEqual([]);
    await expect(
      h.service.startSale({ orderId, terminalId: T1, amountMinor: 601 }),
    ).rejects.toMatchObject({ code: 'VALIDATION' });
    const second = await h.settle(await h.service.startSale({ orderId, terminalId: T2 }));
    expect(second.amountMinor).toBe(600);
    expect(orderState(h.db, orderId)).toMatchObject({ status: 'paid', paid_minor: 1000 });
    expect(h.paidOrders).toEqual([orderId]);
    const first0 = h.sim.control.records().paymentIntents[0]?.itemLines[0];
    expect(first0).toMatchObject({
      name: expect.stringMatching(/part payment/) as unknown,
      quantity: 1,
      amountTotal: { value: 400, currencyCode: 'GBP' },
    });
  });

  it('one live attempt per order and per terminal; a paid order takes no more', async () => {
    const orderId = insertOrder(h.db, 1234);
    const live = await h.service.startSale({ orderId, terminalId: T1 });
    await expect(h.service.startSale({ orderId, terminalId: T2 })).rejects.toMatchObject({
      code: 'ATTEMPT_IN_PROGRESS',
    });
    const other = insertOrder(h.db, 100);
    await expect(h.service.startSale({ orderId: other, terminalId: T1 })).rejects.toMatchObject({
      code: 'TERMINAL_BUSY',
    });
    await h.settle(live);
    await expect(h.service.startSale({ orderId, terminalId: T1 })).rejects.toMatchObject({
      code: 'ORDER_STATE',
    });
    expect(h.sim.control.records().sessions).toHaveLength(1);
  });
});
