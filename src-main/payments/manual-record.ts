import { TillError } from '../../src-shared/errors';
import type { PaymentAttempt } from '../../src-shared/domain/payments';
import { isDojoError } from '../dojo/dojo-errors';
import { audit } from '../platform/audit';
import { advanceAttempt, getAttempt } from './attempts.repo';
import type { AttemptInput } from './attempt-transitions';
import { announceSettled, applyCardTender } from './attempt-outcome';
import { currentActor } from '../staff/actor';
import { runHook, type PaymentsContext } from './payments-context';
import { errorText } from '../platform/error-text';
import { completeRefund, refundForAttempt, setRefundStatus } from './refunds.repo';

export type ManualOutcome = 'paid' | 'not-paid';
export type RecordManuallyInput = {
  attemptId: string;
  outcome: ManualOutcome;
  note: string;
};

/** Intent statuses that mean money was (or is about to be) taken: "not paid" would be wrong. */
const takenStatuses = new Set(['Captured', 'Authorized']);

function checkRecordable(attempt: PaymentAttempt, busy: boolean): void {
  if (attempt.kind === 'matched_refund') {
    throw new TillError(
      'ORDER_STATE',
      'A refund of a card payment cannot be recorded by hand. Check it again once the terminal is reachable.',
    );
  }
  if (attempt.state.kind !== 'unconfirmed') {
    throw new TillError(
      'ORDER_STATE',
      'Only a payment whose result cannot be confirmed can be recorded by hand.',
    );
  }
  if (busy) {
    throw new TillError(
      'ATTEMPT_IN_PROGRESS',
      'The till is checking this payment with Dojo right now. Try again in a moment.',
      { retryable: true },
    );
  }
}

/**
 * What Dojo says about the intent, when it can be read. A manual "not paid" is refused when Dojo
 * shows the money as taken (the till would otherwise let the order be charged twice); when Dojo
 * cannot be read the manager's word stands, and the journal says so.
 */
async function intentStatus(ctx: PaymentsContext, attempt: PaymentAttempt): Promise<string | null> {
  if (!attempt.paymentIntentId) return null;
  try {
    return (await ctx.dojo().getPaymentIntent(attempt.paymentIntentId, { returnCanceled: true }))
      .status;
  } catch (error) {
    ctx.log.warn('manual record: could not read the payment intent', {
      attemptId: attempt.id,
      error: errorText(error),
      code: isDojoError(error) ? error.code : 'INTERNAL',
    });
    return null;
  }
}

/**
 * docs/PAYMENTS.md rule 7, the operator's way out of "result cannot be confirmed": a manager records the
 * outcome by hand. `paid` applies the card tender exactly as a capture would (idempotent per
 * attempt); `not-paid` ends the attempt as failed so the order can be tried again (on the same
 * intent when Dojo still has it `Created`). The decision, the note and the approval are journalled.
 */
export async function recordManually(
  ctx: PaymentsContext,
  input: RecordManuallyInput,
  isBusy: () => boolean,
): Promise<PaymentAttempt> {
  // Who may record by hand (a supervisor or manager, or a cashier with their approval) is checked
  // by the core's permission guard before this runs.
  checkRecordable(getAttempt(ctx.db, input.attemptId), isBusy());
  const attempt = getAttempt(ctx.db, input.attemptId);
  const dojoStatus = await intentStatus(ctx, attempt);
  if (input.outcome === 'not-paid' && dojoStatus !== null && takenStatuses.has(dojoStatus)) {
    advanceAttempt(ctx.db, attempt.id, {
      type: 'manual-record-refused',
      outcome: input.outcome,
      intentStatus: dojoStatus,
    });
    throw new TillError(
      'ORDER_STATE',
      `Dojo reports this payment as taken (${dojoStatus}). Use "Check again" to record it as paid.`,
    );
  }
  // The Dojo read awaited: someone may have checked again or recorded it in the meantime.
  checkRecordable(getAttempt(ctx.db, attempt.id), isBusy());

  const note = input.note.trim();
  const record: AttemptInput = {
    type: 'manual-record',
    outcome: input.outcome,
    note,
    staffId: currentActor()?.staffId ?? null,
    approvedBy: currentActor()?.approvedBy ?? null,
    intentStatus: dojoStatus,
  };
  let refundCompleted: string | null = null;
  const recordAudit = () =>
    audit(ctx.db, 'manager', 'payments.manual-record', attempt.id, {
      outcome: input.outcome,
      note,
      orderId: attempt.orderId,
      amountMinor: attempt.amountMinor,
    });
  if (attempt.kind !== 'unlinked_refund' && input.outcome === 'paid') {
    // The card tender goes through the orders port, with the attempt's state in its transaction.
    applyCardTender(ctx, attempt, attempt.card, () => {
      advanceAttempt(ctx.db, attempt.id, record);
      recordAudit();
    });
  } else {
    ctx.db.transaction(() => {
      const { state } = advanceAttempt(ctx.db, attempt.id, record).step;
      // An unlinked refund (no intent: the till cannot look it up): "paid" = the money went back.
      const refund =
        attempt.kind === 'unlinked_refund' ? refundForAttempt(ctx.db, attempt.id) : null;
      if (refund && state.kind === 'succeeded') {
        if (completeRefund(ctx.db, ctx.orders, refund.id, null)) refundCompleted = refund.id;
      } else if (refund && state.kind === 'failed') {
        setRefundStatus(ctx.db, refund.id, 'failed', state.reason);
      }
      recordAudit();
    })();
  }
  ctx.log.info('payment recorded by hand', {
    attemptId: attempt.id,
    orderId: attempt.orderId,
    outcome: input.outcome,
  });
  const refundId = refundCompleted as string | null;
  if (refundId) void runHook(ctx, 'onRefundCompleted', () => ctx.onRefundCompleted(refundId));
  return announceSettled(ctx, attempt);
}
