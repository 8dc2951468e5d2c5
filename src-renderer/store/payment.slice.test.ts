import { describe, expect, it } from 'vitest';
import type { TillApi } from '../../src-shared/contract';
import type { PaymentAttempt, PaymentProgress } from '../../src-shared/domain/payments';
import type { ErrorShape } from '../../src-shared/errors';
import { createTillStore } from './store';

type Answer = { ok: true; value: unknown } | { ok: false; error: ErrorShape };

/**
 * A till connection that answers each channel from `answers` (a function of the request) and
 * records every request; channels without an answer fail as if the core were unreachable.
 */
function fakeTill(answers: Record<string, (input: unknown) => Answer | Promise<Answer>>) {
  const sent: { channel: string; input: unknown }[] = [];
  const till = new Proxy({} as TillApi, {
    get: (_t, channel: string) =>
      channel === 'on'
        ? () => () => undefined
        : async (input: unknown) => {
            sent.push({ channel, input });
            const answer = answers[channel];
            if (answer) return answer(input);
            return {
              ok: false,
              error: { code: 'INTERNAL', message: 'offline', retryable: false },
            };
          },
  });
  return { till, sent };
}

const attempt = (over: Partial<PaymentAttempt> = {}): PaymentAttempt => ({
  id: 'a-1',
  orderId: 'o-1',
  kind: 'sale',
  amountMinor: 1250,
  currency: 'GBP',
  terminalId: 'tm-1',
  terminalTid: '28340001',
  paymentIntentId: 'pi_1',
  sessionId: 'ts_1',
  state: { kind: 'in_progress', sessionStatus: 'InitiateRequested', prompt: null, expireAt: null },
  isFinal: false,
  card: null,
  customerReceipt: null,
  merchantReceipt: null,
  signatureTaken: false,
  refundableMinor: null,
  createdAt: '2026-12-02T09:00:00.000Z',
  updatedAt: '2026-12-02T09:00:00.000Z',
  ...over,
});

const progress = (over: Partial<PaymentProgress>): PaymentProgress => ({
  attemptId: 'a-1',
  orderId: 'o-1',
  kind: 'sale',
  amountMinor: 1250,
  state: { kind: 'in_progress', sessionStatus: 'InitiateRequested', prompt: null, expireAt: null },
  prompt: null,
  newPrompts: [],
  isFinal: false,
  card: null,
  ...over,
});

const showing = (a: PaymentAttempt, answers = {}) => {
  const t = fakeTill({ 'payments:get': () => ({ ok: true, value: a }), ...answers });
  const store = createTillStore(t.till);
  return { store, s: () => store.getState(), sent: t.sent };
};

const texts = (s: ReturnType<ReturnType<typeof createTillStore>['getState']>) =>
  s.payment?.timeline.map((e) => e.text) ?? [];

describe('the payment dialog follows the core', () => {
  it('writes each step on the timeline once, in the words the cashier reads', async () => {
    const { s } = showing(attempt());
    await s().openAttempt('a-1', 'check');
    expect(texts(s())).toEqual(['£12.50 sent to TID 28340001', 'Payment on the terminal']);

    s().applyProgress(progress({ prompt: 'PresentCard' }));
    s().applyProgress(progress({ prompt: 'PresentCard' })); // the same poll answer again
    s().applyProgress(progress({ linkLost: true }));
    s().applyProgress(progress({ linkLost: false }));
    expect(texts(s()).slice(2)).toEqual([
      expect.stringMatching(/card/i),
      'Link to Dojo lost — waiting for it to come back',
      'Link to Dojo back',
    ]);
    expect(s().payment?.linkLost).toBe(false);
  });

  it('ignores progress of another attempt', async () => {
    const { s } = showing(attempt());
    await s().openAttempt('a-1', 'check');
    const before = s().payment;
    s().applyProgress(progress({ attemptId: 'a-2', state: { kind: 'succeeded' }, isFinal: true }));
    expect(s().payment).toBe(before);
  });

  it('drops the "card already presented" note once the result is in', async () => {
    const { s } = showing(attempt(), {
      'payments:cancel': () => ({
        ok: false,
        error: { code: 'CARD_ALREADY_PRESENTED', message: 'upstream words', retryable: false },
      }),
    });
    await s().openAttempt('a-1', 'check');
    await s().cancelPayment();
    expect(s().paymentProblem?.message).toBe(
      'The card has already been presented, so the terminal will not cancel now. Wait for the result on the terminal.',
    );
    s().applyProgress(progress({ state: { kind: 'succeeded' }, isFinal: true }));
    expect(s().paymentProblem).toBeNull();
    expect(texts(s()).at(-1)).toBe('Approved');
  });

  it('calls a refund a refund', async () => {
    const { s } = showing(attempt({ kind: 'matched_refund' }));
    await s().openAttempt('a-1', 'check');
    expect(texts(s()).at(-1)).toBe('Refund on the terminal');
  });
});

describe('a manager records an unconfirmed sale by hand', () => {
  const unconfirmed = attempt({
    state: { kind: 'unconfirmed', reason: 'Dojo could not be reached', sessionStatus: null },
  });

  it('shows "recorded by a manager as paid", not a card approval', async () => {
    const { s, sent } = showing(unconfirmed, {
      'payments:record-manually': () => ({
        ok: true,
        value: { ...unconfirmed, state: { kind: 'succeeded' }, isFinal: true },
      }),
    });
    await s().openAttempt('a-1', 'record');
    expect(s().payment?.recordOnOpen).toBe(true);
    const problem = await s().recordManually({
      outcome: 'paid',
      note: ' slip 0042 ',
      managerPin: '2468',
    });
    expect(problem).toBeNull();
    expect(texts(s())).toContain('Recorded by a manager as paid: slip 0042');
    expect(texts(s())).not.toContain('Approved');
    expect(sent.find((r) => r.channel === 'payments:record-manually')?.input).toMatchObject({
      attemptId: 'a-1',
      outcome: 'paid',
      approval: { pin: '2468' },
    });
  });

  it('a wrong PIN records nothing and the dialog no longer claims a manual record', async () => {
    const { s } = showing(unconfirmed, {
      'payments:record-manually': () => ({
        ok: false,
        error: { code: 'MANAGER_PIN_INVALID', message: 'core words', retryable: false },
      }),
    });
    await s().openAttempt('a-1', 'record');
    const problem = await s().recordManually({ outcome: 'paid', note: 'slip', managerPin: '9999' });
    expect(problem).toEqual({
      message: 'That manager PIN is not right: nothing was recorded',
      locked: false,
    });
    expect(s().payment?.manual).toBeNull();
    expect(s().payment?.attempt.state.kind).toBe('unconfirmed');
  });
});

describe('starting a card sale', () => {
  it('without a terminal chosen says so and sends nothing', async () => {
    const { till, sent } = fakeTill({});
    const store = createTillStore(till);
    store.setState({
      checkout: { order: { id: 'o-1', remainingMinor: 1250 } } as never,
      selectedTerminalId: null,
    });
    await store.getState().startCardSale(1250);
    expect(store.getState().paymentProblem?.message).toBe(
      'Choose a card terminal first (top right)',
    );
    expect(sent.filter((r) => r.channel === 'payments:start-sale')).toEqual([]);
  });

  it('a double press while the first is on its way sends the same request key', async () => {
    const waiting: ((a: Answer) => void)[] = [];
    const { till, sent } = fakeTill({
      'payments:start-sale': () => new Promise<Answer>((r) => waiting.push(r)),
    });
    const store = createTillStore(till);
    store.setState({
      checkout: { order: { id: 'o-1', remainingMinor: 1250 } } as never,
      selectedTerminalId: 'tm-1',
    });
    const first = store.getState().startCardSale(1250);
    const second = store.getState().startCardSale(1250);
    await new Promise((r) => setTimeout(r, 0));
    for (const release of waiting) release({ ok: true, value: attempt() });
    await Promise.all([first, second]);
    const keys = sent
      .filter((r) => r.channel === 'payments:start-sale')
      .map((r) => (r.input as { idempotencyKey: string }).idempotencyKey);
    // Both presses reach the core under one key: the core takes the money once.
    expect(keys).toHaveLength(2);
    expect(new Set(keys).size).toBe(1);
  });
});

describe('New sale asks the core first', () => {
  const onScreen = {
    checkout: { order: { id: 'o-1', status: 'paid', remainingMinor: 0 } } as never,
    items: [{ key: 'k-1' }] as never,
    basketOrderId: 'o-1',
    payment: { attempt: attempt(), prompt: null, timeline: [], manual: null },
  };

  it('refused while a card payment runs: the screen stays and the reason is shown', async () => {
    const message =
      'A card payment of £12.50 is still in progress on TID 28340001: wait for its result, or cancel it, before starting a new sale.';
    const { till } = fakeTill({
      'payments:new-sale': () => ({
        ok: false,
        error: { code: 'ATTEMPT_IN_PROGRESS', message, retryable: true },
      }),
    });
    const store = createTillStore(till);
    store.setState(onScreen);
    expect(await store.getState().newSale()).toBe(false);
    const s = store.getState();
    expect(s.flash).toMatchObject({ kind: 'error', text: message });
    expect(s.payment?.attempt.id).toBe('a-1');
    expect(s.checkout?.order.id).toBe('o-1');
    expect(s.items).toHaveLength(1);
  });

  it('agreed: no basket, no order, no payment dialog', async () => {
    const { till, sent } = fakeTill({ 'payments:new-sale': () => ({ ok: true, value: null }) });
    const store = createTillStore(till);
    store.setState(onScreen);
    expect(await store.getState().newSale()).toBe(true);
    const s = store.getState();
    expect([s.checkout, s.payment, s.basketOrderId, s.items]).toEqual([null, null, null, []]);
    expect(sent.filter((r) => r.channel === 'payments:new-sale')).toHaveLength(1);
  });
});
