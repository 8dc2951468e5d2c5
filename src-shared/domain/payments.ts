import type { CurrencyCode } from '../money';

/** What an attempt asks the terminal to do. */
export const attemptKinds = ['sale', 'matched_refund', 'unlinked_refund'] as const;
export type AttemptKind = (typeof attemptKinds)[number];

/**
 * The state of one payment attempt (docs/PAYMENTS.md). A discriminated union, switched over with
 * `assertNever`. `unconfirmed` is deliberately not final: the order stays blocked until someone
 * checks again (docs/PAYMENTS.md rule 3, "ambiguous is not failed").
 */
export type AttemptState =
  /** Row committed; `POST /payment-intents` may or may not have happened. Sales only. */
  | { kind: 'creating_intent' }
  /** Intent known (or not needed); `POST /terminal-sessions` may or may not have happened. */
  | { kind: 'creating_session' }
  /** Session live on the terminal; the customer is acting. */
  | { kind: 'in_progress'; sessionStatus: string; prompt: string | null; expireAt: string | null }
  /** The terminal asks the cashier to check the signature; Dojo accepts on its own at the deadline. */
  | {
      kind: 'signature_required';
      sessionStatus: string;
      deadlineAt: string;
      decided: boolean | null;
    }
  /**
   * The session says `Captured` and the intent agrees, but the card was (or may have been)
   * verified by signature and no signature status has come yet: Dojo can ask for the signature
   * check after `Captured`. The session is watched until the check comes, is decided, or `until`
   * (the session's `expireAt`) passes; then the intent has the last word.
   */
  | { kind: 'signature_may_follow'; sessionStatus: string; until: string }
  /** `PUT …/cancel` accepted; the terminal may still capture (docs/PAYMENTS.md rule 6). */
  | { kind: 'cancel_requested'; sessionStatus: string; prompt: string | null }
  /** The session ended; the payment intent is read for the last word (docs/PAYMENTS.md rule 7). */
  | { kind: 'confirming'; sessionStatus: string }
  | { kind: 'succeeded' }
  | { kind: 'declined'; reason: string }
  | { kind: 'canceled'; reason: string }
  /** The terminal was never asked, or refused up front: nothing happened. */
  | { kind: 'failed'; reason: string }
  /** Result cannot be confirmed: check again (or record by hand) before anything else. */
  | { kind: 'unconfirmed'; reason: string; sessionStatus: string | null };

export type AttemptStateKind = AttemptState['kind'];

/** Masked card details as Dojo reports them; never a full number. */
export type MaskedCard = {
  cardNumber: string | null;
  last4: string | null;
  cardType: string | null;
  entryMode: string | null;
  verificationMethod: string | null;
  expiryDate: string | null;
  authCode: string | null;
  transactionId: string | null;
};

/** A Dojo card receipt, lines verbatim (docs/ARCHITECTURE.md, step 5 of a sale). */
export type CardReceiptLine = {
  lineType: string;
  text?:
    | {
        value: string;
        size?: string | undefined;
        align?: string | undefined;
        emphasisBold?: boolean | undefined;
      }
    | null
    | undefined;
  imageLogo?: { value: string; align?: string | undefined } | null | undefined;
};
export type CardReceipt = { lines: CardReceiptLine[] };

/** Who or what wrote a journal entry. */
export const journalSources = ['till', 'dojo', 'cashier', 'recovery', 'operator'] as const;
export type JournalSource = (typeof journalSources)[number];

/**
 * Every kind of entry in an attempt's journal (`payment_attempt_events.type`). A closed list: the
 * core's journal writer (`src-main/payments/journal.ts`) refuses any other kind at compile time.
 */
export const journalEventTypes = [
  'attempt-created',
  'intent-created',
  'intent-create-failed',
  'intent-found',
  'session-created',
  'session-create-uncertain',
  'session-create-ambiguous',
  'session-create-failed',
  'session-adopted',
  'session-status',
  'notification',
  'unknown-session-status',
  'signature-required',
  'signature-card-read',
  'signature-decision',
  'signature-answer-refused',
  'signature-auto-decided',
  'signature-may-follow',
  'cancel-requested',
  'cancel-accepted',
  'cancel-refused',
  'intent-not-final',
  'intent-read',
  'intent-captured-without-session',
  'refund-result',
  'link-lost',
  'link-back',
  'session-lost',
  'polling-resumed',
  'check-again',
  'needs-operator',
  'not-started',
  'manual-record',
  'manual-record-refused',
] as const;
export type JournalEventType = (typeof journalEventTypes)[number];

export type AttemptEvent = {
  id: number;
  at: string;
  /** Who or what produced it. */
  source: JournalSource;
  type: JournalEventType;
  detail: Record<string, unknown> | null;
};

export type PaymentAttempt = {
  id: string;
  orderId: string | null;
  kind: AttemptKind;
  amountMinor: number;
  currency: CurrencyCode;
  terminalId: string;
  /**
   * The terminal's TID (`properties.tid`) as listed when the attempt started; null for attempts
   * made before the till recorded it, or when the terminal list could not be read.
   */
  terminalTid: string | null;
  paymentIntentId: string | null;
  sessionId: string | null;
  state: AttemptState;
  isFinal: boolean;
  /**
   * Masked card details. Filled when a sale enters the signature check (so the cashier can compare
   * `last4` and `cardType` with the card and signature) and completed when the payment is captured.
   */
  card: MaskedCard | null;
  customerReceipt: CardReceipt | null;
  merchantReceipt: CardReceipt | null;
  signatureTaken: boolean;
  /**
   * What can still be refunded of a captured sale: its amount less every refund against it that
   * has not failed (pending and queued ones count). The same figure the refund cap enforces.
   * Null for refunds and for sales that did not (or not yet) go through.
   */
  refundableMinor: number | null;
  createdAt: string;
  updatedAt: string;
};

export type PaymentAttemptWithJournal = PaymentAttempt & { events: AttemptEvent[] };

/** An attempt whose result cannot be confirmed, listed for the operator with its order. */
export type AttemptToCheck = PaymentAttempt & { orderReference: string | null };

/** Pushed to the renderer on every poll that sees something new. */
export type PaymentProgress = {
  attemptId: string;
  orderId: string | null;
  kind: AttemptKind;
  amountMinor: number;
  state: AttemptState;
  /** Latest terminal prompt (a Dojo notification type, possibly one the till does not know). */
  prompt: string | null;
  /** Every notification this poll saw, oldest first (several can arrive between two polls). */
  newPrompts: string[];
  isFinal: boolean;
  /** The attempt's masked card, once known (from the signature check on; null before). */
  card: MaskedCard | null;
  /**
   * Set when the polls of a live session keep failing because Dojo cannot be reached (true), and
   * again when a poll gets through (false): the result comes once the link is back.
   */
  linkLost?: boolean;
};

export type TerminalInfo = {
  id: string;
  tid: string;
  /** `Available`, `InUse`, `Offline`, or a status Dojo adds later. */
  status: string;
  updatedAt: string | null;
  isDefault: boolean;
};

export const refundKinds = ['matched', 'unlinked', 'server'] as const;
export type RefundKind = (typeof refundKinds)[number];
/** `queued`: server refund waiting in the outbox for Dojo to be reachable. */
export type RefundStatus = 'pending' | 'queued' | 'completed' | 'failed';

export type Refund = {
  id: string;
  orderId: string | null;
  originalAttemptId: string | null;
  kind: RefundKind;
  amountMinor: number;
  currency: CurrencyCode;
  status: RefundStatus;
  paymentIntentId: string | null;
  dojoRefundId: string | null;
  attemptId: string | null;
  reason: string | null;
  approvedBy: string | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
};

/**
 * Plain words for the terminal's notification types, written for the cashier (what to tell the
 * customer): the one source of this wording. The set is open: anything unknown is shown
 * generically, never an error.
 */
const prompts: Record<string, string> = {
  PresentCard: 'Ask the customer to tap, insert or swipe their card',
  InsertCard: 'Ask the customer to insert their card',
  PresentOnlyOneCard: 'More than one card was presented: ask the customer to present only one card',
  EnterPin: 'The customer is entering their PIN',
  PleaseWait: 'Please wait — the terminal is processing',
  RemoveCard: 'Ask the customer to remove their card',
  Approved: 'Approved',
  Declined: 'The card was declined',
  CardError: 'The card could not be read: ask the customer to try again',
  ReEnterCard: 'Ask the customer to present their card again',
  CardUnsupported: 'This card is not accepted: ask for another card',
};

/** Plain words for a terminal prompt; an unknown type is shown generically, never an error. */
export function promptText(notificationType: string | null): string | null {
  if (notificationType === null) return null;
  return (
    prompts[notificationType] ?? `Terminal: ${notificationType.replace(/([a-z])([A-Z])/g, '$1 $2')}`
  );
}
