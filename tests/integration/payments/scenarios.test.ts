import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getAttempt } from '../../../src-main/payments/attempts.repo';
import {
  createHarness,
  insertOrder,
  orderState,
  T1,
  T2,
  T_IN_USE,
  T_OFFLINE,
  type Harness,
} from './harness';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  h.expectRequestsValid();
  await h.close();
});

const waitForState = (id: string, kind: string) =>
  h.until(() => getAttempt(h.db, id).state.kind === kind);

describe('signature, cancel, expiry, offline', () => {
  it('signature accepted by the cashier: captured, decision journalled', async () => {
    h.sim.control.forceScenario('signature', T1);
    const orderId = insertOrder(h.db, 2002);
    const a = await h.service.startSale({ orderId, terminalId: T1 });
    await waitForState(a.id, 'signature_required');
    const s = getAttempt(h.db, a.id).state;
    expect(
      s.kind === 'signature_required' && Date.parse(s.deadlineAt) - Date.now(),
    ).toBeGreaterThan(70_000);
    expect(getAttempt(h.db, a.id).terminalTid).toBe('28340001');
    await h.service.signature(a.id, true);
    const done = await h.settle(a);
    expect(done.state.kind).toBe('succeeded');
    expect(done.signatureTaken).toBe(true);
    expect(done.card?.last4).toMatch(/^\d{4}$/);
    expect(orderState(h.db, orderId)?.status).toBe('paid');
    const decision = h.service.get(a.id).events.find((e) => e.type === 'signature-decision');
    expect(decision).toMatchObject({
      source: 'cashier',
      detail: { accepted: true, decidedBy: 'cashier' },
    });
    expect(h.sequence()).toContain('PUT /terminal-sessions/{ts}/signature');
  });

  it('signature check, card on the Authorized intent: last4 and card type on payments:get and on the progress event', async () => {
    // Dojo's spec says an intent's paymentDetails populate "once the status of the transaction is
    // finalized"; whether an Authorized intent awaiting a signature has them is not documented and
    // the simulator sends none. This run adds the masked card to the simulator's Authorized intent.
    const h2 = await createHarness({
      wrapDojo: (client) => ({
        ...client,
        async getPaymentIntent(id, options) {
          const intent = await client.getPaymentIntent(id, options);
          if (intent.status !== 'Authorized' || intent.paymentDetails) return intent;
          return {
            ...intent,
            paymentDetails: {
              card: {
                cardNumber: '************4242',
                cardType: 'VISA',
                entryMode: 'Icc',
                verificationMethod: 'Signature',
              },
            },
          };
        },
      }),
    });
    try {
      h2.sim.control.forceScenario('signature', T1);
      const orderId = insertOrder(h2.db, 2002);
      const a = await h2.service.startSale({ orderId, terminalId: T1 });
      await h2.until(() => getAttempt(h2.db, a.id).state.kind === 'signature_required');
      const during = h2.service.get(a.id);
      expect(during.card).toMatchObject({
        last4: '4242',
        cardType: 'VISA',
        cardNumber: '************4242',
      });
      const opened = h2.progress.find(
        (p) => p.attemptId === a.id && p.state.kind === 'signature_required',
      );
      expect(opened?.card).toMatchObject({ last4: '4242', cardType: 'VISA' });
      expect(
        during.events.filter((e) => e.type === 'signature-card-read').map((e) => e.detail),
      ).toEqual([{ intentStatus: 'Authorized', found: true, last4: '4242', cardType: 'VISA' }]);
      await h2.service.signature(a.id, true);
      const done = await h2.settle(a);
      expect(done.state.kind).toBe('succeeded');
      // The captured intent's own details replace the ones read during the check.
      expect(done.card?.last4).toMatch(/^\d{4}$/);
      expect(orderState(h2.db, orderId)?.status).toBe('paid');
      h2.expectRequestsValid();
    } finally {
      await h2.close();
    }
  });

  it('signature check against the plain simulator: the intent has no card yet, so at most 3 reads, journalled; the card comes with the capture', async () => {
    h.sim.control.forceScenario('signature', T1);
    const orderId = insertOrder(h.db, 2002);
    const a = await h.service.startSale({ orderId, terminalId: T1 });
    await waitForState(a.id, 'signature_required');
    const reads = () => h.service.get(a.id).events.filter((e) => e.type === 'signature-card-read');
    await h.until(() => reads().length === 3);
    const polls = h.service.pollCount(a.id);
    await h.until(() => h.service.pollCount(a.id) >= polls + 5);
    expect(reads().map((e) => e.detail)).toEqual(
      Array.from({ length: 3 }, () => ({
        intentStatus: 'Authorized',
        found: false,
        last4: null,
        cardType: null,
      })),
    );
    expect(getAttempt(h.db, a.id)).toMatchObject({
      state: { kind: 'signature_required' },
      card: null,
    });
    expect(h.progress.filter((p) => p.attemptId === a.id).every((p) => p.card === null)).toBe(true);
    await h.service.signature(a.id, true);
    const done = await h.settle(a);
    expect(done.card?.last4).toMatch(/^\d{4}$/);
    expect(done.card?.verificationMethod).toBe('Signature');
    expect(h.progress.findLast((p) => p.attemptId === a.id)?.card?.last4).toBe(done.card?.last4);
  });

  it('a signature answer that returns after the poller saw the capture does not undo it', async () => {
    h.sim.control.forceScenario('signature', T1);
    const orderId = insertOrder(h.db, 2002);
    const a = await h.service.startSale({ orderId, terminalId: T1 });
    await waitForState(a.id, 'signature_required');
    // Dojo takes the answer at once but the till hears back late: meanwhile the poller sees the capture.
    h.sim.control.injectFault({
      kind: 'slow',
      path: '/terminal-sessions/*/signature',
      count: 1,
      delayMs: 400,
    });
    const answer = h.service.signature(a.id, true);
    await waitForState(a.id, 'succeeded');
    await answer;
    const done = await h.settle(a);
    expect(done).toMatchObject({
      state: { kind: 'succeeded' },
      isFinal: true,
      signatureTaken: true,
    });
    expect(orderState(h.db, orderId)).toMatchObject({ status: 'paid', paid_minor: 2002 });
    expect(
      h.service.get(a.id).events.find((e) => e.type === 'signature-decision')?.detail,
    ).toMatchObject({ accepted: true, stateMeanwhile: 'succeeded' });
  });

  it('a cancel that returns after the poller saw the session cancelled leaves the attempt final', async () => {
    h.sim.control.forceScenario('no-card-expires', T1);
    const orderId = insertOrder(h.db, 904);
    const a = await h.service.startSale({ orderId, terminalId: T1 });
    await h.until(() => h.service.get(a.id).events.some((e) => e.type === 'notification'));
    h.sim.control.injectFault({
      kind: 'slow',
      path: '/terminal-sessions/*/cancel',
      count: 1,
      delayMs: 400,
    });
    const cancel = h.service.cancel(a.id);
    await waitForState(a.id, 'canceled');
    await cancel;
    const done = await h.settle(a);
    expect(done).toMatchObject({ state: { kind: 'canceled' }, isFinal: true });
    expect(
      h.service.get(a.id).events.find((e) => e.type === 'cancel-accepted')?.detail,
    ).toMatchObject({ stateMeanwhile: 'canceled' });
  });

  it('signature rejected: reversed, order stays open', async () => {
    h.sim.control.forceScenario('signature', T1);
    const orderId = insertOrder(h.db, 2002);
    const a = await h.service.startSale({ orderId, terminalId: T1 });
    await waitForState(a.id, 'signature_required');
    await h.service.signature(a.id, false);
    const done = await h.settle(a);
    expect(done.state.kind).toBe('declined');
    expect(done.refundableMinor).toBeNull();
    expect(orderState(h.db, orderId)).toMatchObject({ status: 'open', paid_minor: 0 });
    expect(h.sim.control.records().paymentIntents[0]?.status).toBe('Reversed');
  });

  it('signature not answered: Dojo accepts at the deadline, journalled as not decided by the till', async () => {
    h.sim.control.forceScenario('signature', T1);
    const orderId = insertOrder(h.db, 2002);
    const done = await h.settle(await h.service.startSale({ orderId, terminalId: T1 }));
    expect(done.state.kind).toBe('succeeded');
    expect(done.signatureTaken).toBe(true);
    expect(
      h.service
        .get(done.id)
        .events.some((e) => e.type === 'signature-auto-decided' && e.source === 'dojo'),
    ).toBe(true);
  });

  it('cancel before a card: cancel is a request, then canceled; the intent is reused next time', async () => {
    h.sim.control.forceScenario('no-card-expires', T1);
    const orderId = insertOrder(h.db, 904);
    const a = await h.service.startSale({ orderId, terminalId: T1 });
    await h.until(() => h.service.get(a.id).events.some((e) => e.type === 'notification'));
    const requested = await h.service.cancel(a.id);
    expect(requested.state.kind).toBe('cancel_requested');
    const done = await h.settle(a);
    expect(done.state.kind).toBe('canceled');
    expect(orderState(h.db, orderId)?.status).toBe('open');
    const retry = await h.settle(await h.service.startSale({ orderId, terminalId: T1 }));
    expect(retry.paymentIntentId).toBe(a.paymentIntentId);
    expect(h.sequence()).toContain('PUT /terminal-sessions/{ts}/cancel');
  });

  it('cancel after the card is in: 422 → "card already presented", and the payment is still taken', async () => {
    h.sim.control.forceScenario('slow-pin', T1);
    const orderId = insertOrder(h.db, 808);
    const a = await h.service.startSale({ orderId, terminalId: T1 });
    await h.until(() =>
      h.service
        .get(a.id)
        .events.some((e) => e.type === 'notification' && e.detail?.notificationType === 'EnterPin'),
    );
    await expect(h.service.cancel(a.id)).rejects.toMatchObject({
      code: 'CARD_ALREADY_PRESENTED',
      message: /already been presented/,
    });
    const done = await h.settle(a);
    expect(done.state.kind).toBe('succeeded');
    expect(orderState(h.db, orderId)?.status).toBe('paid');
    expect(h.service.get(a.id).events.some((e) => e.type === 'cancel-refused')).toBe(true);
  });

  it('session expires with no card: "cannot be confirmed", then check-again settles it as not paid', async () => {
    h.sim.control.forceScenario('no-card-expires', T1);
    const orderId = insertOrder(h.db, 904);
    const a = await h.settle(await h.service.startSale({ orderId, terminalId: T1 }));
    expect(a.state.kind).toBe('unconfirmed');
    expect(h.service.needsAttention()).toBe(1);
    await expect(h.service.startSale({ orderId, terminalId: T2 })).rejects.toMatchObject({
      code: 'ATTEMPT_IN_PROGRESS',
    });
    const checked = await h.service.checkAgain(a.id);
    expect(checked.state.kind).toBe('canceled');
    expect(h.service.needsAttention()).toBe(0);
    expect(orderState(h.db, orderId)?.status).toBe('open');
  });

  it('check again that cannot read Dojo is refused, and the attempt is not left stuck confirming', async () => {
    h.sim.control.forceScenario('no-card-expires', T1);
    const orderId = insertOrder(h.db, 904);
    const a = await h.settle(await h.service.startSale({ orderId, terminalId: T1 }));
    expect(a.state.kind).toBe('unconfirmed');
    // The session is read, then the intent read fails: the operator hears Dojo had a problem…
    h.sim.control.injectFault({
      kind: 'http-error',
      path: '/payment-intents/*',
      method: 'GET',
      status: 503,
    });
    await expect(h.service.checkAgain(a.id)).rejects.toMatchObject({
      message: /Dojo had a problem/,
    });
    // …and the till keeps working on it by itself: it ends (not paid), instead of showing
    // "confirming" with nothing behind it until the next restart.
    const end = await h.settle(a.id, 10_000);
    expect(['canceled', 'unconfirmed']).toContain(end.state.kind);
    expect(h.service.get(a.id).state.kind).not.toBe('confirming');
    expect(orderState(h.db, orderId)?.status).toBe('open');
  });

  it('terminal goes offline mid-payment: the intent says captured, so the order is paid', async () => {
    h.sim.control.forceScenario('terminal-offline', T1);
    const orderId = insertOrder(h.db, 505);
    const done = await h.settle(await h.service.startSale({ orderId, terminalId: T1 }), 30_000);
    expect(done.state.kind).toBe('succeeded');
    expect(orderState(h.db, orderId)?.status).toBe('paid');
    expect(
      h.service.get(done.id).events.find((e) => e.type === 'intent-read')?.detail,
    ).toMatchObject({ sessionStatus: 'Expired', intentStatus: 'Captured' });
  });

  it('busy, offline and unknown terminals are refused before anything is written', async () => {
    const orderId = insertOrder(h.db, 100);
    await expect(h.service.startSale({ orderId, terminalId: T_IN_USE })).rejects.toMatchObject({
      code: 'TERMINAL_BUSY',
    });
    await expect(h.service.startSale({ orderId, terminalId: T_OFFLINE })).rejects.toMatchObject({
      code: 'TERMINAL_OFFLINE',
    });
    await expect(h.service.startSale({ orderId, terminalId: 'tm_nope' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: /does not know that terminal/,
    });
    await expect(
      h.service.startSale({ orderId: '6c1b1b3e-6b7a-4f53-9d7a-1d2f3a4b5c6d', terminalId: T1 }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(h.service.listForOrder(orderId)).toEqual([]);
    expect(h.sim.control.records().paymentIntents).toHaveLength(0);
  });

  it('terminals: list with TID and status, set a default', async () => {
    const list = await h.service.listTerminals();
    expect(list.find((t) => t.id === T1)).toMatchObject({
      tid: '28340001',
      status: 'Available',
      isDefault: false,
    });
    await h.service.setDefaultTerminal(T2);
    expect((await h.service.listTerminals()).find((t) => t.isDefault)?.id).toBe(T2);
    await expect(h.service.setDefaultTerminal('tm_nope')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
