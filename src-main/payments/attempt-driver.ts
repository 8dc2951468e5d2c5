import type { TickResult } from './payment-poller';
import { isSessionLive } from './attempt-state';
import { getAttempt } from './attempts.repo';
import { confirm } from './attempt-outcome';
import type { PaymentsContext } from './payments-context';
import { applySession, readCardForSignature } from './session-read';
/** The outcome rules live with the transition table; named here for the driver's own tests. */
export { refundOutcome, saleOutcome } from './attempt-transitions';

/**
 * One poll of a live attempt: read the session and apply it (`session-read.ts`), then, once the
 * session ended, decide and finish the outcome with the intent (`attempt-outcome.ts`).
 */
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
