import type { AttemptState, MaskedCard, PaymentAttempt } from '../../src-shared/domain/payments';
import type { DojoPaymentIntent, DojoTerminalSession } from '../dojo/dojo-schemas';
import { recordTip } from '../tips/tips';
import {
  SIGNATURE_FOLLOW_FALLBACK_MS,
  isSessionLive,
  latestPrompt,
  sessionPhase,
  signatureMayBeDue,
  stateAfterSessionRead,
} from './attempt-state';
import { getAttempt, listEvents, updateAttempt } from './attempts.repo';
import type { JournalEntry } from './journal';
import { emitProgress, maskedCard, runHook, type PaymentsContext } from './payments-context';
import { errorText } from '../platform/error-text';
import { completeRefund, refundForAttempt, setRefundStatus } from './refunds.repo';
import type { TickResult } from './payment-poller';

/** How many times an `Authorized` intent sends the till back to polling before it asks the operator. */
const MAX_INTENT_WAITS = 40;
/** How many times a signature check reads the intent for the masked card before it gives up. */
const MAX_SIGNATURE_CARD_READS = 3;

const crashPrefix = (a: PaymentAttempt) => (a.kind === 'sale' ? 'sale' : 'refund');

/** Journal entries for the session's status and notification events the till has not seen yet. */
function newSessionEvents(
  ctx: PaymentsContext,
  attempt: PaymentAttempt,
  session: DojoTerminalSession,
): { events: JournalEntry[]; notifications: string[] } {
  const journal = listEvents(ctx.db, attempt.id);
  const seenStatus = journal.filter((e) => e.type === 'session-status').length;
  const seenNotes = journal.filter((e) => e.type === 'notification').length;
  const events: JournalEntry[] = [];
  for (const s of session.statusEvents.slice(seenStatus)) {
    events.push({
      source: 'dojo',
      type: 'session-status',
      detail: { status: s.status, dojoAt: s.createdAt, debugMessage: s.debugMessage ?? null },
    });
  }
  const notes = session.notificationEvents.slice(seenNotes);
  for (const n of notes)
    events.push({
      source: 'dojo',
      type: 'notification',
      detail: { notificationType: n.notificationType, dojoAt: n.createdAt },
    });
  return { events, notifications: notes.map((n) => n.notificationType) };
}

/** What the intent said about the card while the session asks for a signature check. */
export type SignatureCardRead = { card: MaskedCard | null; event: JournalEntry };

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
      event: {
        source: 'dojo',
        type: 'signature-card-read',
        detail: {
          intentStatus: intent.status,
          found: found !== null,
          last4: found?.last4 ?? null,
          cardType: found?.cardType ?? null,
        },
      },
    };
  } catch (error) {
    ctx.log.warn('could not read the card for the signature check', {
      attemptId: attempt.id,
      error: errorText(error),
    });
    return {
      card: null,
      event: {
        source: 'dojo',
        type: 'signature-card-read',
        detail: { found: false, error: errorText(error) },
      },
    };
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
  const { events, notifications } = newSessionEvents(ctx, before, session);
  // The session's own card details (a refund has no intent to read them from; the printed slip
  // shows them), unless the till already knows the card.
  const sessionCard = before.card?.last4 ? null : maskedCard(session.paymentDetails);
  const card =
    cardRead?.card && !before.card?.last4
      ? cardRead.card
      : sessionCard?.last4 || sessionCard?.cardType
        ? sessionCard
        : null;
  const next = stateAfterSessionRead(before.state, session);
  if (next.kind === 'signature_required' && before.state.kind !== 'signature_required') {
    events.push({
      source: 'dojo',
      type: 'signature-required',
      detail: { deadlineAt: next.deadlineAt },
    });
  }
  if (cardRead) events.push(cardRead.event);
  const sigWasOpen = before.state.kind === 'signature_required';
  if (
    sigWasOpen &&
    next.kind !== 'signature_required' &&
    before.state.kind === 'signature_required' &&
    before.state.decided === null
  ) {
    events.push({
      source: 'dojo',
      type: 'signature-auto-decided',
      detail: { status: session.status, note: 'no answer from the till before Dojo decided' },
    });
  }
  if (sessionPhase(session) === 'unknown')
    events.push({
      source: 'dojo',
      type: 'unknown-session-status',
      detail: { status: session.status },
    });
  const receipts = {
    customerReceipt: session.customerReceipt ?? session.receipt ?? undefined,
    merchantReceipt: session.merchantReceipt ?? undefined,
  };
  const autoAccepted =
    events.some((e) => e.type === 'signature-auto-decided') &&
    session.status !== 'SignatureVerificationRejected';
  const stateChanged = JSON.stringify(next) !== JSON.stringify(before.state);
  if (
    !stateChanged &&
    events.length === 0 &&
    !card &&
    !receipts.customerReceipt &&
    !receipts.merchantReceipt
  )
    return { attempt: before, changed: false };
  const attempt = updateAttempt(
    ctx.db,
    attemptId,
    {
      ...(stateChanged ? { state: next } : {}),
      ...(autoAccepted ? { signatureTaken: true } : {}),
      ...(card ? { card } : {}),
      ...(receipts.customerReceipt ? { customerReceipt: receipts.customerReceipt } : {}),
      ...(receipts.merchantReceipt ? { merchantReceipt: receipts.merchantReceipt } : {}),
    },
    events,
  );
  const changed = stateChanged || events.length > 0;
  if (changed)
    emitProgress(ctx, attempt, { prompt: latestPrompt(session), newPrompts: notifications });
  if (notifications.length > 0 && isSessionLive(attempt.state))
    ctx.crash(`${crashPrefix(attempt)}:mid-poll`);
  if (
    next.kind === 'signature_required' &&
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

type Outcome = { state: AttemptState; note: string };

/** The payment intent has the last word on a sale (docs/PAYMENTS.md rule 7); a cancel that captured is paid (rule 6 there). */
export function saleOutcome(
  sessionStatus: string,
  intent: Pick<DojoPaymentIntent, 'status'>,
  checkingAgain: boolean,
): Outcome {
  const status = intent.status;
  if (status === 'Captured')
    return { state: { kind: 'succeeded' }, note: 'Dojo confirms the payment was taken' };
  if (status === 'Reversed') {
    return {
      state: {
        kind: 'declined',
        reason: 'The payment was reversed (signature rejected); no money was taken.',
      },
      note: 'reversed',
    };
  }
  if (status === 'Created' || status === 'Canceled') {
    if (sessionStatus === 'Declined')
      return { state: { kind: 'declined', reason: 'The card was declined.' }, note: 'declined' };
    if (sessionStatus === 'Canceled')
      return {
        state: { kind: 'canceled', reason: 'The payment was cancelled; no money was taken.' },
        note: 'canceled',
      };
    if (sessionStatus === 'SignatureVerificationRejected') {
      return {
        state: {
          kind: 'declined',
          reason: 'The signature was rejected; the payment was reversed.',
        },
        note: 'reversed',
      };
    }
    if (sessionStatus === 'Expired' && checkingAgain) {
      return {
        state: {
          kind: 'canceled',
          reason: 'The terminal session expired and Dojo confirms no money was taken.',
        },
        note: 'expired, not paid',
      };
    }
  }
  const reason =
    sessionStatus === 'Expired'
      ? 'The terminal session expired before the till saw a result. Check the terminal, then check again.'
      : `The terminal said ${sessionStatus} but Dojo reports the payment as ${status}. Check again before taking payment another way.`;
  return { state: { kind: 'unconfirmed', reason, sessionStatus }, note: 'cannot be confirmed' };
}

/** A terminal refund has no intent of its own: the session is its result. */
export function refundOutcome(sessionStatus: string, checkingAgain: boolean): Outcome {
  switch (sessionStatus) {
    case 'Captured':
    case 'SignatureVerificationAccepted':
      return { state: { kind: 'succeeded' }, note: 'refund completed on the terminal' };
    case 'Declined':
    case 'SignatureVerificationRejected':
      return {
        state: { kind: 'declined', reason: 'The terminal declined the refund.' },
        note: 'declined',
      };
    case 'Canceled':
      return { state: { kind: 'canceled', reason: 'The refund was cancelled.' }, note: 'canceled' };
    case 'Expired':
      if (checkingAgain)
        return {
          state: { kind: 'canceled', reason: 'The refund session expired without a card.' },
          note: 'expired',
        };
      return {
        state: {
          kind: 'unconfirmed',
          reason:
            'The refund session expired before the till saw a result. Check the terminal, then check again.',
          sessionStatus,
        },
        note: 'expired',
      };
    default:
      return {
        state: {
          kind: 'unconfirmed',
          reason: `The terminal ended the refund as ${sessionStatus}.`,
          sessionStatus,
        },
        note: 'unknown',
      };
  }
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
  const sessionStatus =
    attempt.state.kind === 'confirming'
      ? attempt.state.sessionStatus
      : attempt.state.kind === 'unconfirmed'
        ? (attempt.state.sessionStatus ?? 'unknown')
        : 'unknown';
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
        updateAttempt(
          ctx.db,
          attemptId,
          { state: { kind: 'in_progress', sessionStatus, prompt: null, expireAt: null } },
          [
            {
              source: 'dojo',
              type: 'intent-not-final',
              detail: { intentStatus: intent.status, sessionStatus },
            },
          ],
        );
        return false;
      }
    }
    const outcome = saleOutcome(sessionStatus, intent, checkingAgain);
    const event: JournalEntry = {
      source: 'dojo',
      type: 'intent-read',
      detail: {
        intentStatus: intent.status,
        sessionStatus,
        outcome: outcome.note,
        refundedAmount: intent.refundedAmount ?? null,
      },
    };
    if (outcome.state.kind === 'succeeded') {
      ctx.crash('sale:after-capture');
      finishCapturedSale(ctx, attempt, intent, event);
    } else {
      emitProgress(ctx, updateAttempt(ctx.db, attemptId, { state: outcome.state }, [event]));
    }
    return true;
  }
  let event: JournalEntry = { source: 'dojo', type: 'refund-result', detail: { sessionStatus } };
  if (attempt.kind === 'matched_refund' && attempt.paymentIntentId) {
    try {
      const intent = await ctx
        .dojo()
        .getPaymentIntent(attempt.paymentIntentId, { returnCanceled: true });
      event = {
        ...event,
        detail: {
          sessionStatus,
          intentStatus: intent.status,
          refundedAmount: intent.refundedAmount ?? null,
        },
      };
    } catch {
      ctx.log.warn('could not read the refunded intent; the session result stands', { attemptId });
    }
  }
  const outcome = refundOutcome(sessionStatus, checkingAgain);
  if (outcome.state.kind === 'succeeded') ctx.crash('refund:after-complete');
  finishRefund(ctx, attempt, outcome, event);
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
  const waiting = updateAttempt(
    ctx.db,
    attempt.id,
    {
      state: { kind: 'signature_may_follow', sessionStatus: 'Captured', until },
      ...(card ? { card } : {}),
    },
    [
      {
        source: 'dojo',
        type: 'signature-may-follow',
        detail: {
          intentStatus: intent.status,
          verificationMethod: card?.verificationMethod ?? null,
          until,
        },
      },
    ],
  );
  emitProgress(ctx, waiting);
  return true;
}

function finishCapturedSale(
  ctx: PaymentsContext,
  attempt: PaymentAttempt,
  intent: DojoPaymentIntent,
  event: JournalEntry,
): void {
  // The intent's details after capture are complete; the card read at the signature check stays if
  // Dojo ever sends none. The attempt's final state and the tip commit with the card tender.
  const card = maskedCard(intent.paymentDetails) ?? attempt.card;
  applyCardTender(ctx, attempt, card, () => {
    updateAttempt(ctx.db, attempt.id, { state: { kind: 'succeeded' }, card }, [event]);
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

function finishRefund(
  ctx: PaymentsContext,
  attempt: PaymentAttempt,
  outcome: Outcome,
  event: JournalEntry,
): void {
  const refund = refundForAttempt(ctx.db, attempt.id);
  let completedNow = false;
  ctx.db.transaction(() => {
    updateAttempt(ctx.db, attempt.id, { state: outcome.state }, [event]);
    if (!refund) return;
    if (outcome.state.kind === 'succeeded')
      completedNow = completeRefund(ctx.db, ctx.orders, refund.id, null);
    else if (outcome.state.kind !== 'unconfirmed')
      setRefundStatus(
        ctx.db,
        refund.id,
        'failed',
        'reason' in outcome.state ? outcome.state.reason : null,
      );
  })();
  emitProgress(ctx, getAttempt(ctx.db, attempt.id));
  if (completedNow && refund)
    void runHook(ctx, 'onRefundCompleted', () => ctx.onRefundCompleted(refund.id));
}
