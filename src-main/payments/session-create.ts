import { setTimeout as sleep } from 'node:timers/promises';
import type { PaymentAttempt } from '../../src-shared/domain/payments';
import { isDojoError } from '../dojo/dojo-errors';
import type { DojoTerminalSession } from '../dojo/dojo-schemas';
import { advanceAttempt } from './attempts.repo';
import type { PaymentsContext } from './payments-context';
import { errorText } from '../platform/error-text';

export type SessionCreateResult =
  { session: DojoTerminalSession } | { error: unknown; ambiguous: boolean };

const MAX_TRIES = 3;

/**
 * A session Dojo started for this attempt that the till never recorded: found through the payment
 * intent's `terminalSessionHistory` (sale or matched refund). Unlinked refunds have no intent.
 */
export async function findUnrecordedSession(
  ctx: PaymentsContext,
  attempt: PaymentAttempt,
  paymentIntentId: string | null,
): Promise<DojoTerminalSession | null> {
  if (!paymentIntentId) return null;
  const intent = await ctx.dojo().getPaymentIntent(paymentIntentId, { returnCanceled: true });
  const known = new Set(
    ctx.db
      .prepare<[], { session_id: string }>(
        'SELECT session_id FROM payment_attempts WHERE session_id IS NOT NULL',
      )
      .all()
      .map((r) => r.session_id),
  );
  const candidates = intent.terminalSessionHistory
    .map((h) => h.terminalSession)
    .filter((s): s is NonNullable<typeof s> => Boolean(s?.id) && !known.has(s?.id ?? ''))
    .filter((s) => !s.terminalId || s.terminalId === attempt.terminalId);
  const latest = candidates.at(-1);
  if (!latest?.id) return null;
  const session = await ctx.dojo().getSession(latest.id);
  const wantType =
    attempt.kind === 'sale'
      ? 'Sale'
      : attempt.kind === 'matched_refund'
        ? 'MatchedRefund'
        : 'UnlinkedRefund';
  return session.details && session.details.sessionType !== wantType ? null : session;
}

/**
 * docs/PAYMENTS.md rule 3: session creation has no idempotency key at Dojo. When a create may or may not have
 * happened, look (intent history, terminal status) before asking again; if still unsure, say so.
 */
export async function createSessionCarefully(
  ctx: PaymentsContext,
  attempt: PaymentAttempt,
  create: () => Promise<DojoTerminalSession>,
  opts: { paymentIntentId: string | null },
): Promise<SessionCreateResult> {
  for (let tries = 1; ; tries += 1) {
    try {
      return { session: await create() };
    } catch (error) {
      if (!isDojoError(error)) return { error, ambiguous: true };
      if (error.code === 'DOJO_RATE_LIMITED' && tries < MAX_TRIES) {
        await sleep(Math.min(error.info.retryAfterMs ?? ctx.polling.slowMs, 10_000));
        continue;
      }
      if (!error.info.ambiguous) return { error, ambiguous: false };
      advanceAttempt(ctx.db, attempt.id, {
        type: 'session-create-uncertain',
        error: errorText(error),
        try: tries,
      });
      // Nothing to look it up by (an unlinked refund has no intent, Dojo no session search), and
      // an idle terminal proves nothing: a quick refund is over before the till looks. Asking again
      // could pay the customer twice, so a person settles it (check the terminal, record it).
      if (!opts.paymentIntentId) return { error, ambiguous: true };
      try {
        const found = await findUnrecordedSession(ctx, attempt, opts.paymentIntentId);
        if (found) {
          advanceAttempt(ctx.db, attempt.id, { type: 'session-found', sessionId: found.id });
          return { session: found };
        }
        const terminal = await ctx.dojo().getTerminal(attempt.terminalId);
        // Busy terminal: it may be running our session. Idle terminal and no session: ask again.
        if (terminal.status !== 'Available') return { error, ambiguous: true };
        if (tries >= MAX_TRIES) return { error, ambiguous: false };
      } catch (lookError) {
        ctx.log.warn('could not check whether the session exists', {
          attemptId: attempt.id,
          error: errorText(lookError),
        });
        return { error, ambiguous: true };
      }
      await sleep(Math.min(ctx.polling.slowMs * tries, 5_000));
    }
  }
}
