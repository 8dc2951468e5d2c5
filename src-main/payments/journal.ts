import type {
  AttemptStateKind,
  JournalEventType,
  JournalSource,
} from '../../src-shared/domain/payments';

/**
 * What each kind of journal entry carries. The journal is read by people (the order's detail, the
 * operator's check) and by tests, so each kind has one shape; `null` means no detail at all.
 */
export type JournalDetails = {
  'attempt-created': {
    amountMinor: number;
    terminalId?: string;
    terminalTid?: string | null;
    reusedIntent?: string | null;
    tipMinor?: number;
    originalAttemptId?: string;
    full?: boolean;
    staffId?: string | null;
    approvedBy?: string | null;
  };
  'intent-created': { paymentIntentId: string; status: string };
  'intent-create-failed': { error: string; code: string };
  'intent-found': { paymentIntentId: string };
  'session-created': { sessionId: string; status: string; expireAt: string | null };
  'session-create-uncertain': { error: string; try: number };
  'session-create-ambiguous': { error: string };
  'session-create-failed': { error: string; code: string };
  'session-adopted': { sessionId: string; status?: string };
  'session-status': { status: string; dojoAt: string; debugMessage: string | null };
  notification: { notificationType: string; dojoAt: string };
  'unknown-session-status': { status: string };
  'signature-required': { deadlineAt: string };
  'signature-card-read': {
    found: boolean;
    intentStatus?: string;
    last4?: string | null;
    cardType?: string | null;
    error?: string;
  };
  'signature-decision': {
    accepted: boolean;
    decidedBy: 'cashier';
    late: boolean;
    stateMeanwhile: AttemptStateKind;
  };
  'signature-answer-refused': { accepted: boolean; late: boolean; error: string };
  'signature-auto-decided': { status: string; note: string };
  'signature-may-follow': {
    intentStatus: string;
    verificationMethod: string | null;
    until: string;
  };
  'cancel-requested': null;
  'cancel-accepted': { sessionStatus: string; stateMeanwhile: AttemptStateKind };
  'cancel-refused': { code: string; error: string };
  'intent-not-final': { intentStatus: string; sessionStatus: string };
  'intent-read': {
    intentStatus: string;
    sessionStatus: string;
    outcome: string;
    refundedAmount: number | null;
  };
  'intent-captured-without-session': { intentStatus: string };
  'refund-result': { sessionStatus: string; intentStatus?: string; refundedAmount?: number | null };
  'link-lost': { error: string };
  'link-back': null;
  'session-lost': { error: string; previous: AttemptStateKind };
  'polling-resumed': { state: AttemptStateKind };
  'check-again': { sessionStatus: string };
  'needs-operator': { reason: string };
  'not-started': { reason: string; paymentIntentId?: string | null; terminalStatus?: string };
  'manual-record': {
    outcome: 'paid' | 'not-paid';
    note: string;
    staffId: string | null;
    approvedBy: string | null;
    intentStatus: string | null;
    previousReason: string | null;
  };
  'manual-record-refused': { outcome: 'paid' | 'not-paid'; intentStatus: string };
};

type EntryOf<K extends JournalEventType> = {
  source: JournalSource;
  type: K;
  /** When it happened; the write's own time when absent. */
  at?: string;
} & (JournalDetails[K] extends null ? { detail?: undefined } : { detail: JournalDetails[K] });

/**
 * One journal entry to write: a kind from the closed list with the detail that kind carries. An
 * unknown kind, or a detail of the wrong shape, does not compile.
 */
export type JournalEntry = { [K in JournalEventType]: EntryOf<K> }[JournalEventType];

/** Builds an entry with its kind checked against its detail (for entries built apart from a write). */
export const entry = <K extends JournalEventType>(e: EntryOf<K>): EntryOf<K> => e;
