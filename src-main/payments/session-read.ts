import type { MaskedCard, PaymentAttempt } from '../../src-shared/domain/payments';
import type { DojoTerminalSession } from '../dojo/dojo-schemas';
import { errorText } from '../platform/error-text';
import { isSessionLive, latestPrompt, sessionPhase } from './attempt-state';
import { advanceAttempt, getAttempt, journalCounts } from './attempts.repo';
import type { Db } from '../db/connection';
import type { JournalDetails } from './journal';
import { emitProgress, maskedCard, type PaymentsContext } from './payments-context';

/**
 * Reading the session (docs/PAYMENTS.md rule 4): what one `GET /terminal-sessions/{id}` tells the
 * till — new statuses and prompts, the signature check, the card and receipts — applied to the
 * attempt through `nextState`. Deciding the outcome once the session ended is `attempt-outcome.ts`.
 */

/** How many times a signature check reads the intent for the masked card before it gives up. */
const MAX_SIGNATURE_CARD_READS = 3;
const crashPrefix = (a: PaymentAttempt) => (a.kind === 'sale' ? 'sale' : 'refund');

/** How many of the session's status and notification events the journal already holds. */
function seenSessionEvents(db: Db, attemptId: string): { statuses: number; notifications: number } {
  const counts = journalCounts(db, attemptId);
  return { statuses: counts['session-status'], notifications: counts.notification };
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
  if (journalCounts(ctx.db, attempt.id)['signature-card-read'] >= MAX_SIGNATURE_CARD_READS)
    return null;
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
      seen: seenSessionEvents(ctx.db, attemptId),
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
