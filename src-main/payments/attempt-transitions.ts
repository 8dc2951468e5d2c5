import { TillError } from '../../src-shared/errors';
import type {
  AttemptKind,
  AttemptState,
  AttemptStateKind,
  PaymentAttempt,
} from '../../src-shared/domain/payments';
import type { DojoTerminalSession } from '../dojo/dojo-schemas';
import { isFinalState, sessionPhase, stateAfterSessionRead } from './attempt-state';
import type { JournalDetails, JournalEntry } from './journal';

/**
 * The one place an attempt's state moves (docs/PAYMENTS.md, "States of an attempt"). Every flow —
 * sale, refunds, cancel, signature, recovery, manual record — describes what happened as an
 * `AttemptInput` and asks `nextState` for the state that follows and the journal entries that
 * explain it; the flows then write both in one step (`advanceAttempt` in `attempts.repo.ts`).
 * Pure: no clock, no database, no Dojo.
 */

/** What `nextState` needs to know about the attempt. */
export type AttemptFacts = Pick<PaymentAttempt, 'kind' | 'state'>;

/** The session as `nextState` reads it (a recorded session or one just returned by Dojo). */
export type SessionFacts = { id: string; status: string; expireAt: string | null };

/** One thing that happened to an attempt: a Dojo answer, a person's action, recovery's finding. */
export type AttemptInput =
  // The sale's payment intent.
  | { type: 'intent-created'; paymentIntentId: string; intentStatus: string }
  | { type: 'intent-create-failed'; error: string; code: string }
  /** Recovery found the intent a crash left unrecorded (by the attempt id in its metadata). */
  | { type: 'intent-found'; paymentIntentId: string }
  // The terminal session.
  | { type: 'session-created'; session: SessionFacts }
  | { type: 'session-create-uncertain'; error: string; try: number }
  /** While creating: a session Dojo started for this attempt, found in the intent's history. */
  | { type: 'session-found'; sessionId: string }
  | { type: 'session-create-ambiguous'; error: string }
  | { type: 'session-create-failed'; error: string; code: string }
  /**
   * One read of a live session. `seen` counts the status and notification events already
   * journalled (only newer ones are journalled again); `cardRead` is the masked-card read of a
   * signature check, when one was made.
   */
  | {
      type: 'session-read';
      session: DojoTerminalSession;
      seen: { statuses: number; notifications: number };
      cardRead: JournalDetails['signature-card-read'] | null;
      now: number;
    }
  /** Recovery re-reads the recorded session of an attempt that was creating or unconfirmed. */
  | { type: 'session-reread'; session: DojoTerminalSession; now: number }
  /** Recovery adopts a session a crash left unrecorded. */
  | { type: 'session-recovered'; session: SessionFacts }
  | { type: 'polling-resumed' }
  | { type: 'link-lost'; error: string }
  | { type: 'link-back' }
  /** Dojo no longer knows the session (several polls in a row). */
  | { type: 'session-lost'; error: string }
  // The cashier.
  | { type: 'cancel-requested' }
  | { type: 'cancel-accepted'; sessionStatus: string }
  | { type: 'cancel-refused'; code: string; error: string }
  | { type: 'signature-decision'; accepted: boolean; late: boolean }
  | { type: 'signature-answer-refused'; accepted: boolean; late: boolean; error: string }
  // The last word (docs/PAYMENTS.md rule 7).
  /** The intent is `Authorized`: back to watching the session. */
  | { type: 'intent-not-final'; intentStatus: string }
  /** Captured, but a signature check may still come: watch the session until `until`. */
  | {
      type: 'late-signature-watch';
      intentStatus: string;
      verificationMethod: string | null;
      until: string;
    }
  | {
      type: 'intent-read';
      intentStatus: string;
      refundedAmount: number | null;
      checkingAgain: boolean;
    }
  | {
      type: 'refund-result';
      checkingAgain: boolean;
      intent: { status: string; refundedAmount: number | null } | null;
    }
  // Recovery and the operator.
  | { type: 'check-again'; sessionStatus: string; by: 'operator' | 'recovery' }
  | { type: 'captured-without-session'; intentStatus: string }
  | { type: 'needs-operator'; reason: string }
  | {
      type: 'not-started';
      reason: string;
      paymentIntentId?: string | null;
      terminalStatus?: string;
    }
  | {
      type: 'manual-record';
      outcome: 'paid' | 'not-paid';
      note: string;
      staffId: string | null;
      approvedBy: string | null;
      intentStatus: string | null;
    }
  | { type: 'manual-record-refused'; outcome: 'paid' | 'not-paid'; intentStatus: string };

export type AttemptInputType = AttemptInput['type'];

/** What follows one input: the state (the same one when nothing moves) and its journal entries. */
export type Step = {
  state: AttemptState;
  journal: JournalEntry[];
  /** Set when the input decides whether a signature was taken. */
  signatureTaken?: boolean;
};

type Input<T extends AttemptInputType> = Extract<AttemptInput, { type: T }>;

type Rule<T extends AttemptInputType> = {
  /** The states this input may arrive in; `any` for inputs that never move a final state. */
  from: readonly AttemptStateKind[] | 'any';
  to: (attempt: AttemptFacts, input: Input<T>) => Step;
};

const LIVE: readonly AttemptStateKind[] = [
  'in_progress',
  'signature_required',
  'signature_may_follow',
  'cancel_requested',
];
const NOT_FINAL: readonly AttemptStateKind[] = [
  'creating_intent',
  'creating_session',
  ...LIVE,
  'confirming',
  'unconfirmed',
];
/** Creating the session, or unsure whether it was: the session may still turn up. */
const SESSION_UNSURE: readonly AttemptStateKind[] = ['creating_session', 'unconfirmed'];
/** The session ended (or the operator checks again): the last word is read. */
const LAST_WORD: readonly AttemptStateKind[] = ['confirming', 'unconfirmed'];

/**
 * The state a new attempt starts in (its row and `attempt-created` entry are committed before
 * Dojo is asked anything): a sale creates its payment intent first unless it reuses one; a refund
 * starts at its session.
 */
export function openingState(kind: AttemptKind, paymentIntentId: string | null): AttemptState {
  return kind === 'sale' && paymentIntentId === null
    ? { kind: 'creating_intent' }
    : { kind: 'creating_session' };
}

/** A journal entry only: the state stays as it is. */
const note = (attempt: AttemptFacts, ...journal: JournalEntry[]): Step => ({
  state: attempt.state,
  journal,
});

/** The session status an attempt's last word is read for. */
function sessionStatusOf(state: AttemptState): string {
  if (state.kind === 'confirming') return state.sessionStatus;
  if (state.kind === 'unconfirmed') return state.sessionStatus ?? 'unknown';
  return 'unknown';
}

type Outcome = { state: AttemptState; note: string };

/** The payment intent has the last word on a sale (docs/PAYMENTS.md rule 7); a cancel that captured is paid (rule 6 there). */
export function saleOutcome(
  sessionStatus: string,
  intent: { status: string },
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

/** A read of the session: its new events, the state they lead to, and what they say about the signature. */
function afterSessionRead(attempt: AttemptFacts, input: Input<'session-read'>): Step {
  const { session, seen, cardRead, now } = input;
  const before = attempt.state;
  const journal: JournalEntry[] = [];
  for (const s of session.statusEvents.slice(seen.statuses))
    journal.push({
      source: 'dojo',
      type: 'session-status',
      detail: { status: s.status, dojoAt: s.createdAt, debugMessage: s.debugMessage ?? null },
    });
  for (const n of session.notificationEvents.slice(seen.notifications))
    journal.push({
      source: 'dojo',
      type: 'notification',
      detail: { notificationType: n.notificationType, dojoAt: n.createdAt },
    });
  const next = stateAfterSessionRead(before, session, now);
  if (next.kind === 'signature_required' && before.kind !== 'signature_required')
    journal.push({
      source: 'dojo',
      type: 'signature-required',
      detail: { deadlineAt: next.deadlineAt },
    });
  if (cardRead) journal.push({ source: 'dojo', type: 'signature-card-read', detail: cardRead });
  const autoDecided =
    before.kind === 'signature_required' &&
    next.kind !== 'signature_required' &&
    before.decided === null;
  if (autoDecided)
    journal.push({
      source: 'dojo',
      type: 'signature-auto-decided',
      detail: { status: session.status, note: 'no answer from the till before Dojo decided' },
    });
  if (sessionPhase(session) === 'unknown')
    journal.push({
      source: 'dojo',
      type: 'unknown-session-status',
      detail: { status: session.status },
    });
  const autoAccepted = autoDecided && session.status !== 'SignatureVerificationRejected';
  return { state: next, journal, ...(autoAccepted ? { signatureTaken: true } : {}) };
}

function refuseKind(attempt: AttemptFacts, input: AttemptInput, kinds: AttemptKind[]): void {
  if (!kinds.includes(attempt.kind))
    throw new TillError(
      'ORDER_STATE',
      `A ${attempt.kind.replace('_', ' ')} attempt cannot take "${input.type}".`,
    );
}

/**
 * The transition table: for each input, the states it may arrive in and what follows. Inputs
 * marked `any` only add to the journal in a state they do not move (a final one above all).
 */
const rules: { [T in AttemptInputType]: Rule<T> } = {
  'intent-created': {
    from: ['creating_intent'],
    to: (_a, i) => ({
      state: { kind: 'creating_session' },
      journal: [
        {
          source: 'dojo',
          type: 'intent-created',
          detail: { paymentIntentId: i.paymentIntentId, status: i.intentStatus },
        },
      ],
    }),
  },
  'intent-create-failed': {
    from: ['creating_intent'],
    to: (_a, i) => ({
      state: { kind: 'failed', reason: i.error },
      journal: [
        {
          source: 'till',
          type: 'intent-create-failed',
          detail: { error: i.error, code: i.code },
        },
      ],
    }),
  },
  'intent-found': {
    from: ['creating_intent'],
    to: (a, i) =>
      note(a, {
        source: 'recovery',
        type: 'intent-found',
        detail: { paymentIntentId: i.paymentIntentId },
      }),
  },
  'session-created': {
    from: SESSION_UNSURE,
    to: (_a, { session: s }) => ({
      state: { kind: 'in_progress', sessionStatus: s.status, prompt: null, expireAt: s.expireAt },
      journal: [
        {
          source: 'dojo',
          type: 'session-created',
          detail: { sessionId: s.id, status: s.status, expireAt: s.expireAt },
        },
      ],
    }),
  },
  'session-create-uncertain': {
    from: SESSION_UNSURE,
    to: (a, i) =>
      note(a, {
        source: 'till',
        type: 'session-create-uncertain',
        detail: { error: i.error, try: i.try },
      }),
  },
  'session-found': {
    from: SESSION_UNSURE,
    to: (a, i) =>
      note(a, { source: 'till', type: 'session-adopted', detail: { sessionId: i.sessionId } }),
  },
  'session-create-ambiguous': {
    from: SESSION_UNSURE,
    to: (_a, i) => ({
      state: {
        kind: 'unconfirmed',
        reason: `The terminal may have started this payment (${i.error}). Look at the terminal, then check again.`,
        sessionStatus: null,
      },
      journal: [{ source: 'till', type: 'session-create-ambiguous', detail: { error: i.error } }],
    }),
  },
  'session-create-failed': {
    from: SESSION_UNSURE,
    to: (_a, i) => ({
      state: { kind: 'failed', reason: i.error },
      journal: [
        { source: 'till', type: 'session-create-failed', detail: { error: i.error, code: i.code } },
      ],
    }),
  },
  'session-read': { from: [...LIVE, 'unconfirmed'], to: afterSessionRead },
  'session-reread': {
    from: SESSION_UNSURE,
    to: (_a, i) => ({
      state: stateAfterSessionRead(
        { kind: 'in_progress', sessionStatus: '', prompt: null, expireAt: null },
        i.session,
        i.now,
      ),
      journal: [],
    }),
  },
  'session-recovered': {
    from: SESSION_UNSURE,
    to: (_a, { session: s }) => ({
      state: { kind: 'in_progress', sessionStatus: s.status, prompt: null, expireAt: s.expireAt },
      journal: [
        {
          source: 'recovery',
          type: 'session-adopted',
          detail: { sessionId: s.id, status: s.status },
        },
      ],
    }),
  },
  'polling-resumed': {
    from: LIVE,
    to: (a) =>
      note(a, { source: 'recovery', type: 'polling-resumed', detail: { state: a.state.kind } }),
  },
  'link-lost': {
    from: 'any',
    to: (a, i) => note(a, { source: 'till', type: 'link-lost', detail: { error: i.error } }),
  },
  'link-back': { from: 'any', to: (a) => note(a, { source: 'till', type: 'link-back' }) },
  'session-lost': {
    from: NOT_FINAL,
    to: (a, i) => ({
      state: {
        kind: 'unconfirmed',
        reason: 'Dojo no longer knows this terminal session. Check the terminal, then check again.',
        sessionStatus: null,
      },
      journal: [
        {
          source: 'till',
          type: 'session-lost',
          detail: { error: i.error, previous: a.state.kind },
        },
      ],
    }),
  },
  'cancel-requested': {
    from: ['in_progress'],
    to: (a) => note(a, { source: 'cashier', type: 'cancel-requested' }),
  },
  'cancel-accepted': {
    // Only a payment still in progress becomes "cancel requested"; one that has moved on while
    // Dojo answered keeps its newer state (docs/PAYMENTS.md rule 6).
    from: 'any',
    to: (a, i) => {
      const entry: JournalEntry = {
        source: 'dojo',
        type: 'cancel-accepted',
        detail: { sessionStatus: i.sessionStatus, stateMeanwhile: a.state.kind },
      };
      if (a.state.kind !== 'in_progress') return note(a, entry);
      return {
        state: {
          kind: 'cancel_requested',
          sessionStatus: i.sessionStatus,
          prompt: a.state.prompt,
        },
        journal: [entry],
      };
    },
  },
  'cancel-refused': {
    from: 'any',
    to: (a, i) =>
      note(a, { source: 'dojo', type: 'cancel-refused', detail: { code: i.code, error: i.error } }),
  },
  'signature-decision': {
    // The decision is always journalled; a state that moved on while Dojo answered is kept.
    from: 'any',
    to: (a, i) => {
      const entry: JournalEntry = {
        source: 'cashier',
        type: 'signature-decision',
        detail: {
          accepted: i.accepted,
          decidedBy: 'cashier',
          late: i.late,
          stateMeanwhile: a.state.kind,
        },
      };
      if (a.state.kind !== 'signature_required') return note(a, entry);
      return {
        state: { ...a.state, decided: i.accepted },
        journal: [entry],
        signatureTaken: i.accepted,
      };
    },
  },
  'signature-answer-refused': {
    from: 'any',
    to: (a, i) =>
      note(a, {
        source: 'cashier',
        type: 'signature-answer-refused',
        detail: { accepted: i.accepted, late: i.late, error: i.error },
      }),
  },
  'intent-not-final': {
    from: ['confirming'],
    to: (a, i) => {
      const sessionStatus = sessionStatusOf(a.state);
      return {
        state: { kind: 'in_progress', sessionStatus, prompt: null, expireAt: null },
        journal: [
          {
            source: 'dojo',
            type: 'intent-not-final',
            detail: { intentStatus: i.intentStatus, sessionStatus },
          },
        ],
      };
    },
  },
  'late-signature-watch': {
    from: ['confirming'],
    to: (_a, i) => ({
      state: { kind: 'signature_may_follow', sessionStatus: 'Captured', until: i.until },
      journal: [
        {
          source: 'dojo',
          type: 'signature-may-follow',
          detail: {
            intentStatus: i.intentStatus,
            verificationMethod: i.verificationMethod,
            until: i.until,
          },
        },
      ],
    }),
  },
  'intent-read': {
    from: LAST_WORD,
    to: (a, i) => {
      refuseKind(a, i, ['sale']);
      const sessionStatus = sessionStatusOf(a.state);
      const outcome = saleOutcome(sessionStatus, { status: i.intentStatus }, i.checkingAgain);
      return {
        state: outcome.state,
        journal: [
          {
            source: 'dojo',
            type: 'intent-read',
            detail: {
              intentStatus: i.intentStatus,
              sessionStatus,
              outcome: outcome.note,
              refundedAmount: i.refundedAmount,
            },
          },
        ],
      };
    },
  },
  'refund-result': {
    from: LAST_WORD,
    to: (a, i) => {
      refuseKind(a, i, ['matched_refund', 'unlinked_refund']);
      const sessionStatus = sessionStatusOf(a.state);
      return {
        state: refundOutcome(sessionStatus, i.checkingAgain).state,
        journal: [
          {
            source: 'dojo',
            type: 'refund-result',
            detail: i.intent
              ? {
                  sessionStatus,
                  intentStatus: i.intent.status,
                  refundedAmount: i.intent.refundedAmount,
                }
              : { sessionStatus },
          },
        ],
      };
    },
  },
  'check-again': {
    from: ['unconfirmed'],
    to: (_a, i) => ({
      state: { kind: 'confirming', sessionStatus: i.sessionStatus },
      journal: [{ source: i.by, type: 'check-again', detail: { sessionStatus: i.sessionStatus } }],
    }),
  },
  'captured-without-session': {
    from: SESSION_UNSURE,
    to: (_a, i) => ({
      state: { kind: 'confirming', sessionStatus: 'unknown' },
      journal: [
        {
          source: 'recovery',
          type: 'intent-captured-without-session',
          detail: { intentStatus: i.intentStatus },
        },
      ],
    }),
  },
  'needs-operator': {
    from: ['creating_intent', 'creating_session', 'confirming', 'unconfirmed'],
    to: (a, i) => ({
      state: {
        kind: 'unconfirmed',
        reason: i.reason,
        sessionStatus: a.state.kind === 'confirming' ? a.state.sessionStatus : null,
      },
      journal: [{ source: 'recovery', type: 'needs-operator', detail: { reason: i.reason } }],
    }),
  },
  'not-started': {
    from: ['creating_intent', 'creating_session', 'unconfirmed'],
    to: (_a, { type: _t, reason, ...more }) => ({
      state: { kind: 'failed', reason },
      journal: [{ source: 'recovery', type: 'not-started', detail: { reason, ...more } }],
    }),
  },
  'manual-record': {
    from: ['unconfirmed'],
    to: (a, i) => {
      refuseKind(a, i, ['sale', 'unlinked_refund']);
      const entry: JournalEntry = {
        source: 'operator',
        type: 'manual-record',
        detail: {
          outcome: i.outcome,
          note: i.note,
          staffId: i.staffId,
          approvedBy: i.approvedBy,
          intentStatus: i.intentStatus,
          previousReason: a.state.kind === 'unconfirmed' ? a.state.reason : null,
        },
      };
      if (i.outcome === 'paid') return { state: { kind: 'succeeded' }, journal: [entry] };
      const reason =
        a.kind === 'unlinked_refund'
          ? `Recorded by a manager as not refunded: ${i.note}`
          : `Recorded by hand as not paid: ${i.note}`;
      return { state: { kind: 'failed', reason }, journal: [entry] };
    },
  },
  'manual-record-refused': {
    from: ['unconfirmed'],
    to: (a, i) =>
      note(a, {
        source: 'operator',
        type: 'manual-record-refused',
        detail: { outcome: i.outcome, intentStatus: i.intentStatus },
      }),
  },
};

/** The states each input may arrive in (for the tests and the docs). */
export function allowedFrom(type: AttemptInputType): readonly AttemptStateKind[] | 'any' {
  return rules[type].from;
}

const words = (kind: AttemptStateKind) => kind.replace(/_/g, ' ');

/**
 * The next state of an attempt and the journal entries that explain it. Refuses, with a
 * `TillError`, an input the attempt's state cannot take; a final state never moves.
 */
export function nextState(attempt: AttemptFacts, input: AttemptInput): Step {
  const rule = rules[input.type] as Rule<AttemptInputType>;
  const kind = attempt.state.kind;
  if (rule.from !== 'any' && !rule.from.includes(kind))
    throw new TillError(
      'ORDER_STATE',
      `A payment attempt that is ${words(kind)} cannot take "${input.type}".`,
    );
  const step = rule.to(attempt, input);
  if (isFinalState(attempt.state) && !sameState(step.state, attempt.state))
    throw new TillError(
      'ORDER_STATE',
      `A payment attempt that is ${words(kind)} is final and does not move on "${input.type}".`,
    );
  return step;
}

/** Two states are the same: the same kind and the same value in every field. */
export function sameState(a: AttemptState, b: AttemptState): boolean {
  if (a.kind !== b.kind) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
  for (const key of keys) if (x[key] !== y[key]) return false;
  return true;
}
