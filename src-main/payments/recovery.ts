import { assertNever } from '../../src-shared/errors';
import type { PaymentAttempt } from '../../src-shared/domain/payments';
import { isSessionLive, sessionPhase } from './attempt-state';
import { confirm } from './attempt-outcome';
import { applySession } from './session-read';
import { advanceAttempt, getAttempt, listLiveAttempts } from './attempts.repo';
import { emitProgress, type PaymentsContext } from './payments-context';
import { errorText } from '../platform/error-text';
import { failRefundOfAttempt } from './refund-flow';
import { findUnrecordedSession } from './session-create';

/**
 * docs/PAYMENTS.md rule 8: before a new sale, every attempt that is not final is reconciled with Dojo: the session
 * and the intent are re-read, polling resumes, or the case is marked for the operator.
 */
export async function recoverAll(
  ctx: PaymentsContext,
): Promise<{ checked: number; needsAttention: number }> {
  const live = listLiveAttempts(ctx.db);
  for (const attempt of live) {
    try {
      await recoverOne(ctx, attempt, false);
    } catch (error) {
      ctx.log.warn('recovery could not finish an attempt', {
        attemptId: attempt.id,
        error: errorText(error),
      });
      markForOperator(
        ctx,
        attempt.id,
        `The till restarted during this payment and could not check it with Dojo (${errorText(error)}). Check again.`,
      );
    }
  }
  const needsAttention = listLiveAttempts(ctx.db).filter(
    (a) => a.state.kind === 'unconfirmed',
  ).length;
  ctx.log.info('payment recovery done', { checked: live.length, needsAttention });
  return { checked: live.length, needsAttention };
}

function markForOperator(ctx: PaymentsContext, attemptId: string, reason: string): void {
  const a = getAttempt(ctx.db, attemptId);
  if (a.isFinal || isSessionLive(a.state)) return;
  emitProgress(ctx, advanceAttempt(ctx.db, attemptId, { type: 'needs-operator', reason }).attempt);
}

function notStarted(
  ctx: PaymentsContext,
  attempt: PaymentAttempt,
  reason: string,
  detail: { paymentIntentId?: string | null; terminalStatus?: string } = {},
): void {
  advanceAttempt(ctx.db, attempt.id, { type: 'not-started', reason, ...detail });
  failRefundOfAttempt(ctx, attempt.id, reason);
  emitProgress(ctx, getAttempt(ctx.db, attempt.id));
}

/** Finds the intent a crash left unrecorded, by the attempt id in its metadata. */
async function findIntentOf(ctx: PaymentsContext, attempt: PaymentAttempt): Promise<string | null> {
  const start = new Date(Date.parse(attempt.createdAt) - 5 * 60_000).toISOString();
  const end = new Date(Date.now() + 60_000).toISOString();
  let after: string | undefined;
  for (let page = 0; page < 10; page += 1) {
    const result = await ctx.dojo().searchPaymentIntents({
      startDate: start,
      endDate: end,
      cursor: { limit: 100, ...(after ? { after } : {}) },
    });
    const hit = result.data.find((pi) => pi.metadata?.attemptId === attempt.id);
    if (hit) return hit.id;
    if (!result.after || result.data.length === 0) return null;
    after = result.after;
  }
  return null;
}

/**
 * Reconciles one attempt. `checkingAgain` is the operator's explicit check: it may settle an
 * expired session as "not paid" when the intent says so.
 */
export async function recoverOne(
  ctx: PaymentsContext,
  attempt: PaymentAttempt,
  checkingAgain: boolean,
): Promise<void> {
  const state = attempt.state;
  switch (state.kind) {
    case 'succeeded':
    case 'declined':
    case 'canceled':
    case 'failed':
      return;
    case 'creating_intent': {
      const found = await findIntentOf(ctx, attempt).catch(() => null);
      if (found)
        advanceAttempt(
          ctx.db,
          attempt.id,
          { type: 'intent-found', paymentIntentId: found },
          { paymentIntentId: found },
        );
      // No session was ever asked for: nothing can have been charged. The intent is reused next time.
      notStarted(
        ctx,
        attempt,
        'The till restarted before the terminal was asked; no money was taken.',
        { paymentIntentId: found },
      );
      return;
    }
    case 'in_progress':
    case 'signature_required':
    case 'signature_may_follow':
    case 'cancel_requested':
      advanceAttempt(ctx.db, attempt.id, { type: 'polling-resumed' });
      ctx.drive(attempt.id);
      return;
    case 'confirming':
      await confirmOrDrive(ctx, attempt.id, checkingAgain);
      return;
    case 'creating_session':
    case 'unconfirmed':
      await resolveSession(ctx, attempt, checkingAgain);
      return;
    default:
      assertNever(state, 'attempt state');
  }
}

/** The attempt may or may not have a session: find it, or prove there is none. */
async function resolveSession(
  ctx: PaymentsContext,
  attempt: PaymentAttempt,
  checkingAgain: boolean,
): Promise<void> {
  if (attempt.sessionId) {
    const session = await ctx.dojo().getSession(attempt.sessionId);
    const phase = sessionPhase(session);
    if (attempt.state.kind === 'unconfirmed' && phase === 'ended') {
      advanceAttempt(ctx.db, attempt.id, {
        type: 'check-again',
        sessionStatus: session.status,
        by: checkingAgain ? 'operator' : 'recovery',
      });
      await confirmOrDrive(ctx, attempt.id, checkingAgain);
      return;
    }
    advanceAttempt(ctx.db, attempt.id, { type: 'session-reread', session, now: Date.now() });
    applySession(ctx, attempt.id, session);
    const now = getAttempt(ctx.db, attempt.id);
    if (now.state.kind === 'confirming') await confirmOrDrive(ctx, attempt.id, checkingAgain);
    else if (isSessionLive(now.state)) ctx.drive(attempt.id);
    return;
  }
  const pi = attempt.paymentIntentId;
  const found = await findUnrecordedSession(ctx, attempt, pi);
  if (found) {
    advanceAttempt(
      ctx.db,
      attempt.id,
      {
        type: 'session-recovered',
        session: { id: found.id, status: found.status, expireAt: found.expireAt ?? null },
      },
      { sessionId: found.id },
    );
    const applied = applySession(ctx, attempt.id, found).attempt;
    if (applied.state.kind === 'confirming') await confirmOrDrive(ctx, attempt.id, checkingAgain);
    else ctx.drive(attempt.id);
    return;
  }
  if (attempt.kind === 'sale' && pi) {
    const intent = await ctx.dojo().getPaymentIntent(pi, { returnCanceled: true });
    if (intent.status === 'Captured') {
      advanceAttempt(ctx.db, attempt.id, {
        type: 'captured-without-session',
        intentStatus: intent.status,
      });
      await confirmOrDrive(ctx, attempt.id, checkingAgain);
      return;
    }
  }
  if (attempt.kind === 'matched_refund' && pi && (await refundedMoreThanRecorded(ctx, pi))) {
    markForOperator(
      ctx,
      attempt.id,
      'Dojo shows more refunded on this payment than the till recorded. Check the terminal, then check again.',
    );
    return;
  }
  if (attempt.kind === 'unlinked_refund') {
    // No intent to look at and no session search at Dojo: an idle terminal does not prove the
    // refund never ran (a contactless refund is over in seconds), now or when checking again.
    // Someone looks at the terminal and a manager records what it did.
    markForOperator(
      ctx,
      attempt.id,
      'The till cannot tell whether this refund ran. Look at the terminal’s last transaction, then a manager records it as refunded or not.',
    );
    return;
  }
  const terminal = await ctx.dojo().getTerminal(attempt.terminalId);
  if (terminal.status === 'Available') {
    notStarted(ctx, attempt, 'The terminal never started this payment; no money was taken.', {
      terminalStatus: terminal.status,
    });
    return;
  }
  markForOperator(
    ctx,
    attempt.id,
    `The terminal is ${terminal.status} and the till cannot tell whether it is running this payment. Look at the terminal, then check again.`,
  );
}

/** Evidence that a refund happened even when the intent's history does not list its session. */
async function refundedMoreThanRecorded(
  ctx: PaymentsContext,
  paymentIntentId: string,
): Promise<boolean> {
  const intent = await ctx.dojo().getPaymentIntent(paymentIntentId, { returnCanceled: true });
  const row = ctx.db
    .prepare<[string], { total: number | null }>(
      `SELECT SUM(amount_minor) AS total FROM refunds WHERE payment_intent_id = ? AND status = 'completed'`,
    )
    .get(paymentIntentId);
  return (intent.refundedAmount ?? 0) > (row?.total ?? 0);
}

/**
 * Confirms with the intent; if Dojo is not final yet, goes back to polling the session. When Dojo
 * cannot be read, the attempt is already `confirming`: its poller takes over (with backoff) so it
 * is never left there with nothing driving it, and the caller still hears the error.
 */
async function confirmOrDrive(
  ctx: PaymentsContext,
  attemptId: string,
  checkingAgain: boolean,
): Promise<void> {
  let done: boolean;
  try {
    done = await confirm(ctx, attemptId, checkingAgain);
  } catch (error) {
    ctx.drive(attemptId);
    throw error;
  }
  if (!done) ctx.drive(attemptId);
}
