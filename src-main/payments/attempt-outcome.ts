import type { MaskedCard, PaymentAttempt } from '../../src-shared/domain/payments';
import type { DojoPaymentIntent } from '../dojo/dojo-schemas';
import { recordTip } from '../tips/tips';
import { SIGNATURE_FOLLOW_FALLBACK_MS, signatureMayBeDue } from './attempt-state';
import { nextState, type AttemptInput } from './attempt-transitions';
import {
  advanceAttempt,
  getAttempt,
  journalCounts,
  signatureStatusJournalled,
} from './attempts.repo';
import { emitProgress, maskedCard, runHook, type PaymentsContext } from './payments-context';
import { completeRefund, refundForAttempt, setRefundStatus } from './refunds.repo';

/**
 * Deciding and finishing the outcome (docs/PAYMENTS.md rules 6 and 7): once the session ended, the
 * payment intent has the last word on a sale and the session on a refund; a captured sale becomes
 * its order's card tender in the transaction that finishes the attempt.
 */

/** How many times an `Authorized` intent sends the till back to polling before it asks the operator. */
const MAX_INTENT_WAITS = 40;

/**
 * Reads the last word and finishes the attempt. Returns false (keep polling) when Dojo could not be
 * read: the poller backs off and tries again.
 */
export async function confirm(
  ctx: PaymentsContext,
  attemptId: string,
  checkingAgain = false,
  sessionExpireAt: string | null = null,
): Promise<boolean> {
  const attempt = getAttempt(ctx.db, attemptId);
  if (attempt.kind === 'sale') {
    if (!attempt.paymentIntentId) throw new Error('sale attempt without a payment intent');
    const intent = await ctx
      .dojo()
      .getPaymentIntent(attempt.paymentIntentId, { returnCanceled: true });
    if (waitForLateSignature(ctx, attempt, intent, checkingAgain, sessionExpireAt)) return false;
    if (intent.status === 'Authorized' && attempt.state.kind === 'confirming' && !checkingAgain) {
      // Authorized is on its way to Captured (auto capture; a signature check in between):
      // go back to watching the session, a bounded number of times.
      if (journalCounts(ctx.db, attemptId)['intent-not-final'] < MAX_INTENT_WAITS) {
        advanceAttempt(ctx.db, attemptId, {
          type: 'intent-not-final',
          intentStatus: intent.status,
        });
        return false;
      }
    }
    const read: AttemptInput = {
      type: 'intent-read',
      intentStatus: intent.status,
      refundedAmount: intent.refundedAmount ?? null,
      checkingAgain,
    };
    if (nextState(attempt, read).state.kind === 'succeeded') {
      ctx.crash('sale:after-capture');
      finishCapturedSale(ctx, attempt, intent, read);
    } else {
      emitProgress(ctx, advanceAttempt(ctx.db, attemptId, read).attempt);
    }
    return true;
  }
  let intentRead: { status: string; refundedAmount: number | null } | null = null;
  if (attempt.kind === 'matched_refund' && attempt.paymentIntentId) {
    try {
      const intent = await ctx
        .dojo()
        .getPaymentIntent(attempt.paymentIntentId, { returnCanceled: true });
      intentRead = { status: intent.status, refundedAmount: intent.refundedAmount ?? null };
    } catch {
      ctx.log.warn('could not read the refunded intent; the session result stands', { attemptId });
    }
  }
  const result: AttemptInput = { type: 'refund-result', checkingAgain, intent: intentRead };
  if (nextState(attempt, result).state.kind === 'succeeded') ctx.crash('refund:after-complete');
  finishRefund(ctx, attempt, result);
  return true;
}

/**
 * Dojo can report `Captured` and ask for the signature check afterwards (its own example runs
 * `Captured → SignatureVerificationAccepted`). When the card was (or may have been) verified by
 * signature and no signature status has been seen, the sale is not finished yet: the till keeps
 * polling the session until the check comes, is decided, or the session's expireAt passes. Once
 * per attempt (journalled as `signature-may-follow`). True when the attempt now waits.
 */
function waitForLateSignature(
  ctx: PaymentsContext,
  attempt: PaymentAttempt,
  intent: DojoPaymentIntent,
  checkingAgain: boolean,
  sessionExpireAt: string | null,
): boolean {
  if (checkingAgain || attempt.state.kind !== 'confirming') return false;
  if (attempt.state.sessionStatus !== 'Captured') return false;
  if (intent.status !== 'Captured' && intent.status !== 'Authorized') return false;
  if (journalCounts(ctx.db, attempt.id)['signature-may-follow'] > 0) return false;
  if (signatureStatusJournalled(ctx.db, attempt.id)) return false;
  const card = maskedCard(intent.paymentDetails) ?? attempt.card;
  if (!signatureMayBeDue(card?.verificationMethod)) return false;
  // Each later poll takes the session's own expireAt (Dojo moves it); the fallback covers a
  // session read that gave none.
  const until =
    sessionExpireAt ?? new Date(Date.now() + SIGNATURE_FOLLOW_FALLBACK_MS).toISOString();
  const { attempt: waiting } = advanceAttempt(
    ctx.db,
    attempt.id,
    {
      type: 'late-signature-watch',
      intentStatus: intent.status,
      verificationMethod: card?.verificationMethod ?? null,
      until,
    },
    card ? { card } : {},
  );
  emitProgress(ctx, waiting);
  return true;
}

function finishCapturedSale(
  ctx: PaymentsContext,
  attempt: PaymentAttempt,
  intent: DojoPaymentIntent,
  read: AttemptInput,
): void {
  // The intent's details after capture are complete; the card read at the signature check stays if
  // Dojo ever sends none. The attempt's final state and the tip commit with the card tender.
  const card = maskedCard(intent.paymentDetails) ?? attempt.card;
  applyCardTender(ctx, attempt, card, () => {
    advanceAttempt(ctx.db, attempt.id, read, { card });
    recordTip(ctx.db, attempt, intent);
  });
  ctx.log.info('card payment captured', {
    attemptId: attempt.id,
    orderId: attempt.orderId,
    amountMinor: attempt.amountMinor,
  });
  announceSettled(ctx, attempt);
}

/**
 * Applies a succeeded sale attempt to its order as a card tender through the orders port, in one
 * transaction with `inTransaction` (where the caller marks the attempt succeeded). Idempotent per
 * attempt: recovery may call it again. The orders feature then emits `orders:changed` and, when
 * the order is now paid, runs its one order-paid hook (receipts and whatever follows a sale).
 */
export function applyCardTender(
  ctx: PaymentsContext,
  attempt: PaymentAttempt,
  card: MaskedCard | null,
  inTransaction: () => void,
): void {
  const orderId = attempt.orderId;
  if (!orderId) {
    ctx.db.transaction(inTransaction)();
    return;
  }
  ctx.orders.applyTender(
    {
      orderId,
      kind: 'card',
      amountMinor: attempt.amountMinor,
      attemptId: attempt.id,
      terminalId: attempt.terminalId,
      ...(card?.cardType ? { cardType: card.cardType } : {}),
      ...(card?.last4 ? { cardLast4: card.last4 } : {}),
      ...(card?.authCode ? { authCode: card.authCode } : {}),
    },
    inTransaction,
  );
}

/** After the commit: pushes the attempt's final state to the renderer. */
export function announceSettled(ctx: PaymentsContext, attempt: PaymentAttempt): PaymentAttempt {
  const done = getAttempt(ctx.db, attempt.id);
  emitProgress(ctx, done);
  return done;
}

function finishRefund(ctx: PaymentsContext, attempt: PaymentAttempt, result: AttemptInput): void {
  const refund = refundForAttempt(ctx.db, attempt.id);
  let completedNow = false;
  ctx.db.transaction(() => {
    const { state } = advanceAttempt(ctx.db, attempt.id, result).step;
    if (!refund) return;
    if (state.kind === 'succeeded')
      completedNow = completeRefund(ctx.db, ctx.orders, refund.id, null);
    else if (state.kind !== 'unconfirmed')
      setRefundStatus(ctx.db, refund.id, 'failed', 'reason' in state ? state.reason : null);
  })();
  emitProgress(ctx, getAttempt(ctx.db, attempt.id));
  if (completedNow && refund)
    void runHook(ctx, 'onRefundCompleted', () => ctx.onRefundCompleted(refund.id));
}
