import { assertNever } from '../../src-shared/errors';
import type { AttemptState } from '../../src-shared/domain/payments';
import type { DojoTerminalSession } from '../dojo/dojo-schemas';

/** The cashier has 80 s to answer a signature check; with no answer Dojo accepts it. */
export const SIGNATURE_WINDOW_MS = 80_000;

export function isFinalState(state: AttemptState): boolean {
  switch (state.kind) {
    case 'succeeded':
    case 'declined':
    case 'canceled':
    case 'failed':
      return true;
    case 'creating_intent':
    case 'creating_session':
    case 'in_progress':
    case 'signature_required':
    case 'cancel_requested':
    case 'confirming':
    case 'unconfirmed':
      return false;
    default:
      return assertNever(state, 'attempt state');
  }
}

/** A session the terminal is still working on: keep polling. */
export function isSessionLive(state: AttemptState): boolean {
  switch (state.kind) {
    case 'in_progress':
    case 'signature_required':
    case 'cancel_requested':
      return true;
    case 'creating_intent':
    case 'creating_session':
    case 'confirming':
    case 'succeeded':
    case 'declined':
    case 'canceled':
    case 'failed':
    case 'unconfirmed':
      return false;
    default:
      return assertNever(state, 'attempt state');
  }
}

export type SessionPhase = 'live' | 'signature' | 'ended' | 'unknown';

/**
 * Where a session status puts the attempt. `Captured` with a signature check still open is not
 * the end (Dojo's example shows `… Captured → SignatureVerificationAccepted`). Unknown statuses
 * are `unknown`: journalled, polled on, never fatal (docs/PAYMENTS.md rule 9).
 */
export function sessionPhase(
  session: Pick<DojoTerminalSession, 'status' | 'statusEvents'>,
): SessionPhase {
  switch (session.status) {
    case 'InitiateRequested':
    case 'Initiated':
    case 'CancelRequested':
      return 'live';
    case 'SignatureVerificationRequired':
      return 'signature';
    case 'Captured':
      return signatureOpen(session) ? 'signature' : 'ended';
    case 'Authorized':
    case 'Canceled':
    case 'SignatureVerificationAccepted':
    case 'SignatureVerificationRejected':
    case 'Expired':
    case 'Declined':
      return 'ended';
    default:
      return 'unknown';
  }
}

function signatureOpen(session: Pick<DojoTerminalSession, 'statusEvents'>): boolean {
  let open = false;
  for (const e of session.statusEvents) {
    if (e.status === 'SignatureVerificationRequired') open = true;
    if (
      e.status === 'SignatureVerificationAccepted' ||
      e.status === 'SignatureVerificationRejected'
    )
      open = false;
  }
  return open;
}

/** When the signature window closes, from Dojo's own event time when it is sane. */
export function signatureDeadline(
  session: Pick<DojoTerminalSession, 'statusEvents'>,
  now = Date.now(),
): string {
  const event = [...session.statusEvents]
    .reverse()
    .find((e) => e.status === 'SignatureVerificationRequired');
  const at = event ? Date.parse(event.createdAt) : Number.NaN;
  const start = Number.isFinite(at) && Math.abs(now - at) < 30_000 ? at : now;
  return new Date(start + SIGNATURE_WINDOW_MS).toISOString();
}

export const latestPrompt = (
  session: Pick<DojoTerminalSession, 'notificationEvents'>,
): string | null => session.notificationEvents.at(-1)?.notificationType ?? null;

/** The state a live attempt moves to after reading its session (before the intent is read). */
export function stateAfterSessionRead(
  current: AttemptState,
  session: DojoTerminalSession,
  now = Date.now(),
): AttemptState {
  const prompt = latestPrompt(session);
  const phase = sessionPhase(session);
  switch (phase) {
    case 'live':
    case 'unknown':
      if (current.kind === 'cancel_requested')
        return { kind: 'cancel_requested', sessionStatus: session.status, prompt };
      return {
        kind: 'in_progress',
        sessionStatus: session.status,
        prompt,
        expireAt: session.expireAt ?? null,
      };
    case 'signature':
      return {
        kind: 'signature_required',
        sessionStatus: session.status,
        deadlineAt:
          current.kind === 'signature_required'
            ? current.deadlineAt
            : signatureDeadline(session, now),
        decided: current.kind === 'signature_required' ? current.decided : null,
      };
    case 'ended':
      return { kind: 'confirming', sessionStatus: session.status };
    default:
      return assertNever(phase, 'session phase');
  }
}
