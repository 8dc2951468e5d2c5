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
    case 'signature_may_follow':
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
    case 'signature_may_follow':
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
 * Session statuses after which the terminal is no longer running that session. An unconfirmed
 * attempt whose last known status is one of these does not hold its terminal.
 */
export const SESSION_OVER_STATUSES = [
  'Authorized',
  'Captured',
  'Canceled',
  'SignatureVerificationAccepted',
  'SignatureVerificationRejected',
  'Expired',
  'Declined',
] as const;

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

/** Any signature status (required, accepted, rejected) in the session's history. */
export function signatureStatusSeen(session: Pick<DojoTerminalSession, 'statusEvents'>): boolean {
  return session.statusEvents.some((e) => e.status.startsWith('SignatureVerification'));
}

/** How long the till watches for a late signature check when the session gives no `expireAt`. */
export const SIGNATURE_FOLLOW_FALLBACK_MS = 90_000;

/**
 * Whether the card's verification method says a signature is, or may be, due: `Signature`, or
 * anything the till does not know (including nothing at all). `Pin`, `Device` and `None` are not.
 */
export function signatureMayBeDue(verificationMethod: string | null | undefined): boolean {
  const m = verificationMethod?.trim().toLowerCase() ?? '';
  return !(m === 'pin' || m === 'device' || m === 'none');
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
      // Still `Captured` with no signature status: keep watching until the session's expireAt.
      if (
        current.kind === 'signature_may_follow' &&
        session.status === 'Captured' &&
        !signatureStatusSeen(session)
      ) {
        const until = session.expireAt ?? current.until;
        if (now < Date.parse(until)) return { ...current, until };
      }
      return { kind: 'confirming', sessionStatus: session.status };
    default:
      return assertNever(phase, 'session phase');
  }
}
