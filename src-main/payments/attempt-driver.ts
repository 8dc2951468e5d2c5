import type { MaskedCard, PaymentAttempt } from '../../src-shared/domain/payments';
import type { DojoPaymentIntent, DojoTerminalSession } from '../dojo/dojo-schemas';
import { recordTip } from '../tips/tips';
import {
  SIGNATURE_FOLLOW_FALLBACK_MS,
  isSessionLive,
  latestPrompt,
  sessionPhase,
  signatureMayBeDue,
} from './attempt-state';
import { advanceAttempt, getAttempt, listEvents } from './attempts.repo';
import { nextState, type AttemptInput } from './attempt-transitions';
/** The outcome rules live with the transition table; named here for the driver's own tests. */
export { refundOutcome, saleOutcome } from './attempt-transitions';
import type { JournalDetails } from './journal';
import { emitProgress, maskedCard, runHook, type PaymentsContext } from './payments-context';
import { errorText } from '../platform/error-text';
import { completeRefund, refundForAttempt, setRefundStatus } from './refunds.repo';
import type { TickResult } from './payment-poller';

/** How many times an `Authorized` intent sends the till back to polling before it asks the operator. */
const MAX_INTENT_WAITS = 40;
/** How many times a signature check reads the intent for the masked card before it gives up. */
const MAX_SIGNATURE_CARD_READS = 3;

const crashPrefix = (a: PaymentAttempt) => (a.kind === 'sale' ? 'sale' : 'refund');

/** How many of the session's status and notification events the journal already holds. */
function seenSessionEvents(
  ctx: PaymentsContext,
  attemptId: string,
): { statuses: number; notifications: number } {
  const journal = listEvents(ctx.db, attemptId);
  return {
    statuses: journal.filter((e) => e.type === 'session-status').length,
    notifications: journal.filter((e) => e.type === 'notification').length,
  };
}

/** What the intent said about the card while the session asks for a signature check. */
export type SignatureCardRead = {
  card: MaskedCard | null;
  detail: JournalDetails['signature-card-read'];
};

/**
 * During a sale's signature check the cashier compares the card with the signature, so the till
 * reads the payment intent (`Authorized` by then) for the masked card. Only while the session is
 * in the signature phase, the card is not known yet, and a few tries at most: a failed read is
 * journalled and never stops the poll.
 */
export async function readCardForSignature(
  ctx: PaymentsContext,
  attempt: PaymentAttempt,
  session: DojoTerminalSession,
): Promise<SignatureCardRead | null> {
  if (attempt.kind !== 'sale' || !attempt.paymentIntentId || attempt.card?.last4) return null;
  if (sessionPhase(session) !== 'signature') return null;
  const tries = listEvents(ctx.db, attempt.id).filter(
    (e) => e.type === 'signature-card-read',
  ).length;
  if (tries >= MAX_SIGNATURE_CARD_READS) return null;
  try {
    const intent = await ctx
      .dojo()
      .getPaymentIntent(attempt.paymentIntentId, { returnCanceled: true });
    const card = maskedCard(intent.paymentDetails);
    const found = card?.last4 ? card : null;
    return {
      card: found,
      detail: {
        intentStatus: intent.status,
        found: found !== null,
        last4: found?.last4 ?? null,
        cardType: found?.cardType ?? null,
      },
    };
  } catch (error) {
    ctx.log.warn('could not read the card for the signature check', {
      attemptId: attempt.id,
      error: errorText(error),
    });
    return { card: null, detail: { found: false, error: errorText(error) } };
  }
}

/** Applies one read of the session: journal, state, receipts, masked card, progress to the renderer. */
export function applySession(
  ctx: PaymentsContext,
  attemptId: string,
  session: DojoTerminalSession,
  cardRead: SignatureCardRead | null = null,
): { attempt: PaymentAttempt; changed: boolean } {
  const before = getAttempt(ctx.db, attemptId);
  if (!isSessionLive(before.state) && before.state.kind !== 'unconfirmed')
    return { attempt: before, changed: false };
  // The session's own card details (a refund has no intent to read them from; the printed slip
  // shows them), unless the till already knows the card.
  const sessionCard = before.card?.last4 ? null : maskedCard(session.paymentDetails);
  const card =
    cardRead?.card && !before.card?.last4
      ? cardRead.card
      : sessionCard?.last4 || sessionCard?.cardType
        ? sessionCard
        : null;
  const customerReceipt = session.customerReceipt ?? session.receipt ?? undefined;
  const merchantReceipt = session.merchantReceipt ?? undefined;
  const { attempt, step, moved } = advanceAttempt(
    ctx.db,
    attemptId,
    {
      type: 'session-read',
      session,
      seen: seenSessionEvents(ctx, attemptId),
      cardRead: cardRead?.detail ?? null,
      now: Date.now(),
    },
    {
      ...(card ? { card } : {}),
      ...(customerReceipt ? { customerReceipt } : {}),
      ...(merchantReceipt ? { merchantReceipt } : {}),
    },
  );
  const notifications = step.journal.flatMap((e) =>
    e.type === 'notification' ? [e.detail.notificationType] : [],
  );
  const changed = moved || step.journal.length > 0;
  if (changed)
    emitProgress(ctx, attempt, { prompt: latestPrompt(session), newPrompts: notifications });
  if (notifications.length > 0 && isSessionLive(attempt.state))
    ctx.crash(`${crashPrefix(attempt)}:mid-poll`);
  if (
    step.state.kind === 'signature_required' &&
    before.state.kind !== 'signature_required' &&
    attempt.kind === 'sale'
  )
    ctx.crash('sale:during-signature');
  return { attempt, changed };
}

/** One poll: read the session, apply it, and confirm with the intent once the session ended. */
export async function pollOnce(ctx: PaymentsContext, attemptId: string): Promise<TickResult> {
  const current = getAttempt(ctx.db, attemptId);
  if (current.state.kind === 'confirming')
    return { changed: true, done: await confirm(ctx, attemptId) };
  if (!isSessionLive(current.state) || !current.sessionId) return { changed: false, done: true };
  const session = await ctx.dojo().getSession(current.sessionId);
  const cardRead = await readCardForSignature(ctx, current, session);
  const { attempt, changed } = applySession(ctx, attemptId, session, cardRead);
  if (attempt.state.kind === 'confirming')
    return {
      changed: true,
      done: await confirm(ctx, attemptId, false, session.expireAt ?? null),
    };
  return { changed, done: !isSessionLive(attempt.state) };
}

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
      const waits = listEvents(ctx.db, attemptId).filter(
        (e) => e.type === 'intent-not-final',
      ).length;
      if (waits < MAX_INTENT_WAITS) {
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
  const journal = listEvents(ctx.db, attempt.id);
  if (journal.some((e) => e.type === 'signature-may-follow')) return false;
  const signatureSeen = journal.some(
    (e) =>
      e.type === 'session-status' &&
      typeof e.detail?.status === 'string' &&
      e.detail.status.startsWith('SignatureVerification'),
  );
  if (signatureSeen) return false;
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
