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
import { StoreContext, createTillStore } from '../../store/store';
import { PaymentScreen } from './PaymentScreen';

// The training simulator has no card on the intent during the signature check (the card comes
// with the capture), so the browser suite cannot show the last four there: this covers the
// renderer's side with the card Dojo may send.
const offline = () =>
  Promise.resolve({
    ok: false as const,
    error: { code: 'INTERNAL' as const, message: 'offline', retryable: false },
  });
const till = new Proxy({} as TillApi, {
  get: (_t, key) => (key === 'on' ? () => () => undefined : offline),
});

const card: MaskedCard = {
  cardNumber: '************4242',
  last4: '4242',
  cardType: 'VISA',
  entryMode: 'Icc',
  verificationMethod: 'Signature',
  expiryDate: null,
  authCode: null,
  transactionId: null,
};
const attempt: PaymentAttempt = {
  id: '5d1f2c1e-8a6b-4c1e-9a53-3f1f3c2b1a10',
  orderId: null,
  kind: 'sale',
  amountMinor: 2002,
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
const signature = (withCard: MaskedCard | null): PaymentProgress => ({
  attemptId: attempt.id,
  orderId: null,
  kind: 'sale',
  amountMinor: 2002,
  state: {
    kind: 'signature_required',
    sessionStatus: 'SignatureVerificationRequired',
    deadlineAt: new Date(Date.now() + 80_000).toISOString(),
    decided: null,
  },
  prompt: null,
  newPrompts: [],
  isFinal: false,
  card: withCard,
});

function render(progress: PaymentProgress[]) {
  const store = createTillStore(till);
  store.setState({ payment: { attempt, prompt: null, timeline: [], manual: null } });
  progress.forEach((p) => store.getState().applyProgress(p));
  // Server rendering reads zustand's initial state: hand it the state as it is now.
  const value = { ...store, getInitialState: () => store.getState() };
  return renderToStaticMarkup(
    createElement(StoreContext.Provider, { value }, createElement(PaymentScreen)),
  );
}

describe('signature check prompt', () => {
  it('shows the last four digits of the card from the progress event', () => {
    expect(render([signature(card)])).toContain(
      'with the one on the card ending <strong>4242</strong>.',
    );
  });

  it('keeps the card once known, and says nothing of it while unknown', () => {
    expect(render([signature(card), signature(null)])).toContain('ending <strong>4242</strong>');
    const html = render([signature(null)]);
    expect(html).toContain('with the one on the card.');
    expect(html).not.toMatch(/ending|null|undefined/);
  });
});
