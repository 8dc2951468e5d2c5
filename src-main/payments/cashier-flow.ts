import { TillError } from '../../src-shared/errors';
import type { PaymentAttempt } from '../../src-shared/domain/payments';
import { formatMoney } from '../../src-shared/money';
import { isDojoError } from '../dojo/dojo-errors';
import { errorText } from '../platform/error-text';
import { advanceAttempt, getAttempt, listLiveAttempts } from './attempts.repo';
import { emitProgress, type PaymentsContext } from './payments-context';

/** What the cashier does while the terminal runs a payment: cancel it, answer its signature check. */

/**
 * The cashier cancels a payment the terminal is running (docs/PAYMENTS.md rule 6: a request, not a
 * result; polling goes on and a capture still wins).
 */
export async function cancelAttempt(
  ctx: PaymentsContext,
  attemptId: string,
): Promise<PaymentAttempt> {
  const attempt = getAttempt(ctx.db, attemptId);
  const state = attempt.state;
  if (attempt.isFinal) throw new TillError('ORDER_STATE', 'This payment has already finished.');
  if (state.kind === 'cancel_requested') return attempt;
  if (state.kind === 'signature_required')
    throw new TillError(
      'ORDER_STATE',
      'Answer the signature check first; rejecting it cancels the payment.',
    );
  if (state.kind === 'signature_may_follow')
    throw new TillError(
      'ORDER_STATE',
      'The payment has gone through; only a signature check may follow. Wait for it, then reject the signature if it does not match.',
    );
  if (state.kind !== 'in_progress' || !attempt.sessionId) {
    throw new TillError(
      'ATTEMPT_IN_PROGRESS',
      'The terminal is not running this payment right now; wait a moment, then try again.',
      { retryable: true },
    );
  }
  advanceAttempt(ctx.db, attemptId, { type: 'cancel-requested' });
  try {
    const session = await ctx.dojo().cancelSession(attempt.sessionId);
    // The poller kept running while Dojo answered: only a payment still in progress becomes
    // "cancel requested"; one that has moved on keeps its newer state (never written back).
    const { attempt: after } = advanceAttempt(ctx.db, attemptId, {
      type: 'cancel-accepted',
      sessionStatus: session.status,
    });
    emitProgress(ctx, after);
    return after;
  } catch (error) {
    advanceAttempt(ctx.db, attemptId, {
      type: 'cancel-refused',
      code: isDojoError(error) ? error.code : 'INTERNAL',
      error: errorText(error),
    });
    throw error;
  }
}

/**
 * The cashier accepts or rejects the signature check (docs/PAYMENTS.md rule 5); Dojo's refusal
 * because the check already ended is explained, and the result then comes from the session.
 */
export async function answerSignature(
  ctx: PaymentsContext,
  attemptId: string,
  accepted: boolean,
): Promise<PaymentAttempt> {
  const attempt = getAttempt(ctx.db, attemptId);
  const state = attempt.state;
  if (state.kind !== 'signature_required' || !attempt.sessionId) {
    throw new TillError('ORDER_STATE', 'This payment is not waiting for a signature check.');
  }
  if (state.decided !== null) {
    if (state.decided === accepted) return attempt;
    throw new TillError(
      'ORDER_STATE',
      `The signature was already ${state.decided ? 'accepted' : 'rejected'}.`,
    );
  }
  const late = Date.now() > Date.parse(state.deadlineAt);
  try {
    await ctx.dojo().respondToSignature(attempt.sessionId, accepted);
  } catch (error) {
    advanceAttempt(ctx.db, attemptId, {
      type: 'signature-answer-refused',
      accepted,
      late,
      error: errorText(error),
    });
    if (isDojoError(error) && error.info.httpStatus === 422) {
      throw new TillError(
        'ORDER_STATE',
        'Too late: the terminal has already finished the signature check (Dojo accepts it after 80 seconds). The result will show in a moment.',
      );
    }
    throw error;
  }
  // The poller kept running while Dojo answered and may already have seen the result (even the
  // capture): the decision is journalled, but a state that moved on is never written back.
  // (applySession already recorded what Dojo decided, signature taken or not.)
  const { attempt: after } = advanceAttempt(ctx.db, attemptId, {
    type: 'signature-decision',
    accepted,
    late,
  });
  emitProgress(ctx, after);
  return after;
}

/**
 * The cashier starts the next sale (the sale screen empties: no basket, no order, no payment
 * dialog). Refused while a card payment or refund is still running on this till: the screen must
 * never let go of an attempt whose result is not in. One that cannot be confirmed is not running:
 * it waits in "payments to check", and the next customer need not.
 */
export function readyForNewSale(ctx: PaymentsContext): null {
  const running = listLiveAttempts(ctx.db).find((a) => a.state.kind !== 'unconfirmed');
  if (!running) return null;
  const what = running.kind === 'sale' ? 'card payment' : 'card refund';
  const on = running.terminalTid ? ` on TID ${running.terminalTid}` : '';
  throw new TillError(
    'ATTEMPT_IN_PROGRESS',
    `A ${what} of ${formatMoney(running.amountMinor, running.currency)} is still in progress${on}: wait for its result, or cancel it, before starting a new sale.`,
    { retryable: true },
  );
}
