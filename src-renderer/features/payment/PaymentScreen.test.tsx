// @vitest-environment happy-dom
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { TillApi } from '../../../src-shared/contract';
import type {
  MaskedCard,
  PaymentAttempt,
  PaymentProgress,
} from '../../../src-shared/domain/payments';
import { StoreContext, createTillStore, type TillState } from '../../store/store';
import { PaymentScreen } from './PaymentScreen';

const offline = () =>
  Promise.resolve({
    ok: false as const,
    error: { code: 'INTERNAL' as const, message: 'offline', retryable: false },
  });
const till = new Proxy({} as TillApi, {
  get: (_t, key) => (key === 'on' ? () => () => undefined : offline),
});

const card = (last4: string): MaskedCard => ({
  cardNumber: `************${last4}`,
  last4,
  cardType: 'VISA',
  entryMode: 'ContactChip',
  verificationMethod: 'Pin',
  expiryDate: '12/29',
  authCode: '123456',
  transactionId: null,
});
const base: PaymentAttempt = {
  id: '5d1f2c1e-8a6b-4c1e-9a53-3f1f3c2b1a10',
  orderId: '7d1f2c1e-8a6b-4c1e-9a53-3f1f3c2b1a10',
  kind: 'sale',
  amountMinor: 1250,
  currency: 'GBP',
  terminalId: 'tm_1',
  terminalTid: '28340001',
  paymentIntentId: 'pi_1',
  sessionId: 'ts_1',
  state: { kind: 'in_progress', sessionStatus: 'Initiated', prompt: null, expireAt: null },
  isFinal: false,
  card: null,
  customerReceipt: null,
  merchantReceipt: null,
  signatureTaken: false,
  refundableMinor: null,
  createdAt: '2026-11-23T10:00:00.000Z',
  updatedAt: '2026-11-23T10:00:00.000Z',
};
const progress = (a: PaymentAttempt, extra: Partial<PaymentProgress> = {}): PaymentProgress => ({
  attemptId: a.id,
  orderId: a.orderId,
  kind: a.kind,
  amountMinor: a.amountMinor,
  state: a.state,
  prompt: 'PresentCard',
  newPrompts: [],
  isFinal: a.isFinal,
  card: a.card,
  ...extra,
});

function render(attempt: PaymentAttempt, events: PaymentProgress[], more: Partial<TillState> = {}) {
  const store = createTillStore(till);
  store.setState({ payment: { attempt, prompt: null, timeline: [], manual: null }, ...more });
  events.forEach((p) => store.getState().applyProgress(p));
  const value = { ...store, getInitialState: () => store.getState() };
  return renderToStaticMarkup(
    createElement(StoreContext.Provider, { value }, createElement(PaymentScreen)),
  );
}

/** The big line at the top of the dialog (the terminal prompt, or what the till knows). */
const headline = (html: string) => /aria-label="Terminal prompt"[^>]*>([^<]*)</.exec(html)?.[1];

describe('payment dialog while Dojo is lost', () => {
  it('says the link is lost and the result will come, not the last terminal prompt', () => {
    const before = render(base, [progress(base)]);
    expect(headline(before)).toMatch(/^Ask the customer to tap/);
    const html = render(base, [progress(base), progress(base, { linkLost: true })]);
    expect(headline(html)).toBe('The link to Dojo is lost — the result will come when it is back');
    expect(html).toContain('keeps trying and shows the result');
    expect(html).toContain('Link to Dojo lost — waiting for it to come back');
  });

  it('goes back to the prompt when a poll gets through', () => {
    const html = render(base, [
      progress(base, { linkLost: true }),
      progress(base, { linkLost: false }),
    ]);
    expect(headline(html)).toMatch(/^Ask the customer to tap/);
    expect(html).toContain('Link to Dojo back');
  });

  it('also when the status bar says Dojo is unreachable', () => {
    const status = {
      mode: 'training',
      dojo: { state: 'offline', checkedAt: null, reason: 'reset' },
      queue: { pending: 0, failed: 0 },
      printer: { state: 'none', pendingJobs: 0, reason: null },
      needsAttention: 0,
    } as unknown as TillState['status'];
    expect(render(base, [progress(base)], { status })).toContain('The link to Dojo is lost');
  });
});

describe('after a refund on the terminal', () => {
  const refund: PaymentAttempt = {
    ...base,
    id: '6d1f2c1e-8a6b-4c1e-9a53-3f1f3c2b1a10',
    kind: 'matched_refund',
    amountMinor: 400,
  };
  const done = (last4: string) =>
    progress(refund, {
      state: { kind: 'succeeded' },
      isFinal: true,
      prompt: null,
      card: card(last4),
    });
  const sale = {
    ...base,
    state: { kind: 'succeeded' as const },
    isFinal: true,
    card: card('4242'),
  };

  it('shows the card details the core has, as the slip does', () => {
    const html = render(refund, [done('4242')], { selectedAttempts: [{ ...sale, events: [] }] });
    expect(html).toContain('Refund approved');
    expect(html).toContain('4242');
    expect(html).toContain('VISA');
    expect(html).not.toContain('—');
    expect(html).not.toContain('different card');
  });

  it('says so when the terminal refunded a different card from the one that paid', () => {
    const html = render(refund, [done('1881')], { selectedAttempts: [{ ...sale, events: [] }] });
    expect(html).toContain('Refunded to a different card (ending 1881) from the one that paid');
    expect(html).toContain('(ending 4242)');
  });
});
