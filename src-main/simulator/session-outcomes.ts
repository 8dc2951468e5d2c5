import { randomInt } from 'node:crypto';
import { buildReceipt } from './receipts';
import type { EntryMode, Verification } from './scenario-scripts';
import { newId, nowIso, type SessionRecord, type SimState } from './sim-state';
import type { PaymentIntentStatus, WirePaymentDetails, WirePaymentIntent } from './wire-types';

/** What a session's outcome does to cards, receipts, intents and refunds. */

const CARDS = [
  { cardType: 'VISA', funding: 'Debit' },
  { cardType: 'MASTERCARD', funding: 'Credit' },
  { cardType: 'VISA', funding: 'Credit' },
  { cardType: 'MAESTRO', funding: 'Debit' },
] as const;

/** A card read by the terminal; only the last four digits ever exist. */
export function makePayment(
  entryMode: EntryMode,
  verification: Verification,
  authCode?: string,
): WirePaymentDetails {
  const card = CARDS[randomInt(CARDS.length)] ?? CARDS[0];
  const last4 = String(randomInt(10_000)).padStart(4, '0');
  return {
    transactionId: newId('tx'),
    transactionDateTime: nowIso(),
    message: 'DEPOSITED',
    authCode: authCode ?? String(randomInt(1_000_000)).padStart(6, '0'),
    card: {
      cardNumber: `************${last4}`,
      cardName: null,
      expiryDate: '12/29',
      cardType: card.cardType,
      cardFundingType: card.funding,
      last4PAN: last4,
      entryMode,
      verificationMethod: verification,
    },
  };
}

export function touchIntent(
  state: SimState,
  id: string | null,
  patch: Partial<{
    status: PaymentIntentStatus;
    paymentDetails: WirePaymentDetails;
    refundedAmount: number;
  }>,
): void {
  const rec = id ? state.intents.get(id) : undefined;
  if (!rec) return;
  Object.assign(rec.wire, patch, { updatedAt: nowIso() });
}

const intentOf = (state: SimState, s: SessionRecord) =>
  s.intentId ? state.intents.get(s.intentId) : undefined;

export function isManualSale(state: SimState, s: SessionRecord): boolean {
  return s.wire.details.sessionType === 'Sale' && intentOf(state, s)?.wire.captureMode === 'Manual';
}

/**
 * The customer added a tip on the terminal (a tip prompt the simulator was told to answer): the
 * intent's `tipsAmount` grows by it and `totalAmount` with it, as Dojo reports a terminal tip.
 */
function addTerminalTip(state: SimState, s: SessionRecord, wire: WirePaymentIntent): void {
  const key = state.tipNext.has(s.wire.terminalId) ? s.wire.terminalId : '*';
  const tip = state.tipNext.get(key);
  if (!tip) return;
  state.tipNext.delete(key);
  const currencyCode = wire.amount.currencyCode;
  wire.tipsAmount = { value: (wire.tipsAmount?.value ?? 0) + tip, currencyCode };
  wire.totalAmount = { value: wire.totalAmount.value + tip, currencyCode };
}

/**
 * Books an approved session: a sale captures (or authorises) its intent, a refund adds to the
 * intent's refunded amount and to the refund records. False when a matched refund no longer fits
 * what remains (another refund got there first).
 */
export function bookOutcome(
  state: SimState,
  s: SessionRecord,
  payment: WirePaymentDetails,
): boolean {
  const intent = intentOf(state, s);
  const type = s.wire.details.sessionType;
  if (type === 'Sale' && intent) {
    const status = intent.wire.captureMode === 'Manual' ? 'Authorized' : 'Captured';
    addTerminalTip(state, s, intent.wire);
    touchIntent(state, intent.wire.id, { status, paymentDetails: payment });
    return true;
  }
  if (type === 'MatchedRefund' && intent) {
    const remaining = intent.wire.totalAmount.value - intent.wire.refundedAmount;
    const refundable = intent.wire.status === 'Captured' || intent.wire.status === 'Refunded';
    if (s.amount.value > remaining || !refundable) return false;
    const refunded = intent.wire.refundedAmount + s.amount.value;
    touchIntent(state, intent.wire.id, {
      refundedAmount: refunded,
      status: refunded >= intent.wire.totalAmount.value ? 'Refunded' : intent.wire.status,
    });
  }
  state.refunds.push({
    refundId: newId('rf'),
    source: 'terminal',
    paymentIntentId: s.intentId,
    terminalSessionId: s.wire.id,
    amount: s.amount.value,
    currencyCode: s.amount.currencyCode,
    idempotencyKey: null,
    refundReason: null,
    notes: null,
    createdAt: nowIso(),
  });
  return true;
}

/** Customer and merchant copies; `receipt` (the schema's name) carries the customer copy. */
export function attachReceipts(
  state: SimState,
  s: SessionRecord,
  payment: WirePaymentDetails,
  outcome: 'SUCCESSFUL' | 'DECLINED',
): void {
  const tid = state.terminal(s.wire.terminalId)?.wire.properties.tid ?? '';
  const base = { tid, sessionType: s.wire.details.sessionType, amount: s.amount, payment, outcome };
  const customer = buildReceipt({ ...base, copy: 'CUSTOMER' });
  s.wire.receipt = customer;
  s.wire.customerReceipt = customer;
  s.wire.merchantReceipt = buildReceipt({ ...base, copy: 'MERCHANT' });
}
