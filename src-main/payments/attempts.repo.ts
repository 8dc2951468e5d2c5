import { TillError } from '../../src-shared/errors';
import type { CurrencyCode } from '../../src-shared/money';
import {
  journalEventTypes,
  type AttemptEvent,
  type JournalEventType,
  type AttemptKind,
  type AttemptState,
  type CardReceipt,
  type MaskedCard,
  type PaymentAttempt,
} from '../../src-shared/domain/payments';
import type { Db } from '../db/connection';
import { nowIso } from '../db/connection';
import { SESSION_OVER_STATUSES, isFinalState } from './attempt-state';
import {
  nextState,
  openingState,
  sameState,
  type AttemptInput,
  type Step,
} from './attempt-transitions';
import type { JournalEntry } from './journal';
import { refundableMinorFor } from './refunds.repo';

type AttemptRow = {
  id: string;
  order_id: string | null;
  kind: string;
  amount_minor: number;
  currency: string;
  terminal_id: string;
  terminal_tid: string | null;
  payment_intent_id: string | null;
  session_id: string | null;
  state: string;
  state_data: string;
  is_final: number;
  card: string | null;
  customer_receipt: string | null;
  merchant_receipt: string | null;
  signature_taken: number;
  created_at: string;
  updated_at: string;
};

type EventRow = { id: number; at: string; source: string; type: string; detail: string | null };

const parseJson = <T>(text: string | null): T | null => {
  if (text === null) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
};

function toAttempt(db: Db, row: AttemptRow): PaymentAttempt {
  const data = parseJson<Record<string, unknown>>(row.state_data) ?? {};
  return {
    id: row.id,
    orderId: row.order_id,
    kind: row.kind as AttemptKind,
    amountMinor: row.amount_minor,
    currency: row.currency as CurrencyCode,
    terminalId: row.terminal_id,
    terminalTid: row.terminal_tid,
    paymentIntentId: row.payment_intent_id,
    sessionId: row.session_id,
    state: { ...data, kind: row.state } as AttemptState,
    isFinal: row.is_final === 1,
    card: parseJson<MaskedCard>(row.card),
    customerReceipt: parseJson<CardReceipt>(row.customer_receipt),
    merchantReceipt: parseJson<CardReceipt>(row.merchant_receipt),
    signatureTaken: row.signature_taken === 1,
    refundableMinor: refundableMinorFor(db, {
      id: row.id,
      kind: row.kind,
      state: row.state,
      amountMinor: row.amount_minor,
      paymentIntentId: row.payment_intent_id,
    }),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function stateColumns(state: AttemptState): { state: string; stateData: string; isFinal: 0 | 1 } {
  const { kind, ...data } = state;
  return { state: kind, stateData: JSON.stringify(data), isFinal: isFinalState(state) ? 1 : 0 };
}

function appendEvents(db: Db, attemptId: string, events: readonly JournalEntry[]): void {
  const insert = db.prepare(
    'INSERT INTO payment_attempt_events (attempt_id, at, source, type, detail) VALUES (?, ?, ?, ?, ?)',
  );
  for (const e of events) {
    insert.run(
      attemptId,
      e.at ?? nowIso(),
      e.source,
      e.type,
      e.detail === undefined ? null : JSON.stringify(e.detail),
    );
  }
}

export type NewAttempt = {
  id: string;
  orderId: string | null;
  kind: AttemptKind;
  amountMinor: number;
  currency: CurrencyCode;
  terminalId: string;
  /** The terminal's TID as Dojo listed it when the attempt started; null when not known. */
  terminalTid?: string | null;
  paymentIntentId: string | null;
};

/** Commits the attempt row and its first journal entry before anything is sent to Dojo (docs/PAYMENTS.md rule 1). */
export function insertAttempt(db: Db, a: NewAttempt, event: JournalEntry): PaymentAttempt {
  const now = nowIso();
  const cols = stateColumns(openingState(a.kind, a.paymentIntentId));
  try {
    db.transaction(() => {
      db.prepare(
        `INSERT INTO payment_attempts (id, order_id, kind, amount_minor, currency, terminal_id, terminal_tid, payment_intent_id, state,
                                       state_data, is_final, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        a.id,
        a.orderId,
        a.kind,
        a.amountMinor,
        a.currency,
        a.terminalId,
        a.terminalTid ?? null,
        a.paymentIntentId,
        cols.state,
        cols.stateData,
        cols.isFinal,
        now,
        now,
      );
      appendEvents(db, a.id, [{ ...event, at: now }]);
    })();
  } catch (error) {
    if (
      error instanceof Error &&
      /UNIQUE constraint failed: payment_attempts\.order_id/.test(error.message)
    ) {
      throw new TillError(
        'ATTEMPT_IN_PROGRESS',
        'A card payment for this order is already in progress or needs checking first.',
      );
    }
    throw error;
  }
  return getAttempt(db, a.id);
}

/** Facts about an attempt that are not its state (the state moves only through `advanceAttempt`). */
export type AttemptPatch = {
  paymentIntentId?: string;
  sessionId?: string;
  card?: MaskedCard | null;
  customerReceipt?: CardReceipt | null;
  merchantReceipt?: CardReceipt | null;
  signatureTaken?: boolean;
};

/** One transaction: the attempt's new facts (not its state) and the journal entries that explain them. */
export function updateAttempt(
  db: Db,
  id: string,
  patch: AttemptPatch,
  events: readonly JournalEntry[] = [],
): PaymentAttempt {
  return writeAttempt(db, id, patch, events);
}

export type Advanced = {
  attempt: PaymentAttempt;
  /** What `nextState` answered. */
  step: Step;
  /** The state changed. */
  moved: boolean;
};

/**
 * Moves an attempt by one input (docs/PAYMENTS.md, "States of an attempt"): reads it, asks the
 * pure `nextState` for the state that follows and the journal entries that explain it, and writes
 * both with `facts` in one transaction. Refused (nothing written) when the state cannot take the
 * input. Writes nothing at all when nothing moved, nothing is to be journalled and there are no
 * facts.
 */
export function advanceAttempt(
  db: Db,
  id: string,
  input: AttemptInput,
  facts: AttemptPatch = {},
): Advanced {
  return db.transaction((): Advanced => {
    const before = getAttempt(db, id);
    const step = nextState(before, input);
    const moved = !sameState(step.state, before.state);
    const patch: AttemptPatch & { state?: AttemptState } = {
      ...facts,
      ...(moved ? { state: step.state } : {}),
      ...(step.signatureTaken === undefined ? {} : { signatureTaken: step.signatureTaken }),
    };
    if (step.journal.length === 0 && Object.values(patch).every((v) => v === undefined))
      return { attempt: before, step, moved };
    return { attempt: writeAttempt(db, id, patch, step.journal), step, moved };
  })();
}

function writeAttempt(
  db: Db,
  id: string,
  patch: AttemptPatch & { state?: AttemptState },
  events: readonly JournalEntry[],
): PaymentAttempt {
  db.transaction(() => {
    const sets: string[] = ['updated_at = @now'];
    const params: Record<string, string | number | null> = { id, now: nowIso() };
    if (patch.state) {
      const cols = stateColumns(patch.state);
      sets.push('state = @state', 'state_data = @stateData', 'is_final = @isFinal');
      Object.assign(params, cols);
    }
    if (patch.paymentIntentId !== undefined) {
      sets.push('payment_intent_id = @pi');
      params.pi = patch.paymentIntentId;
    }
    if (patch.sessionId !== undefined) {
      sets.push('session_id = @sid');
      params.sid = patch.sessionId;
    }
    if (patch.card !== undefined) {
      sets.push('card = @card');
      params.card = patch.card && JSON.stringify(patch.card);
    }
    if (patch.customerReceipt !== undefined) {
      sets.push('customer_receipt = @cr');
      params.cr = patch.customerReceipt && JSON.stringify(patch.customerReceipt);
    }
    if (patch.merchantReceipt !== undefined) {
      sets.push('merchant_receipt = @mr');
      params.mr = patch.merchantReceipt && JSON.stringify(patch.merchantReceipt);
    }
    if (patch.signatureTaken !== undefined) {
      sets.push('signature_taken = @sig');
      params.sig = patch.signatureTaken ? 1 : 0;
    }
    db.prepare(`UPDATE payment_attempts SET ${sets.join(', ')} WHERE id = @id`).run(params);
    appendEvents(db, id, events);
  })();
  return getAttempt(db, id);
}

export function findAttempt(db: Db, id: string): PaymentAttempt | null {
  const row = db
    .prepare<[string], AttemptRow>('SELECT * FROM payment_attempts WHERE id = ?')
    .get(id);
  return row ? toAttempt(db, row) : null;
}

export function getAttempt(db: Db, id: string): PaymentAttempt {
  const attempt = findAttempt(db, id);
  if (!attempt) throw new TillError('NOT_FOUND', 'That payment attempt does not exist.');
  return attempt;
}

export function listAttemptsForOrder(db: Db, orderId: string): PaymentAttempt[] {
  return db
    .prepare<[string], AttemptRow>(
      'SELECT * FROM payment_attempts WHERE order_id = ? ORDER BY created_at, rowid',
    )
    .all(orderId)
    .map((r) => toAttempt(db, r));
}

export function listLiveAttempts(db: Db): PaymentAttempt[] {
  return db
    .prepare<[], AttemptRow>(
      'SELECT * FROM payment_attempts WHERE is_final = 0 ORDER BY created_at, rowid',
    )
    .all()
    .map((r) => toAttempt(db, r));
}

const sessionOverList = SESSION_OVER_STATUSES.map((s) => `'${s}'`).join(', ');

/**
 * The attempt that may still be running on this terminal: any attempt that is not final, except
 * an unconfirmed one whose session is known to be over (expired, declined, …) — that one waits for
 * an operator's check, not for the terminal. A live attempt comes before an unconfirmed one.
 */
export function liveAttemptOnTerminal(db: Db, terminalId: string): PaymentAttempt | null {
  const row = db
    .prepare<[string], AttemptRow>(
      `SELECT * FROM payment_attempts
       WHERE is_final = 0 AND terminal_id = ?
         AND NOT (state = 'unconfirmed'
                  AND coalesce(json_extract(state_data, '$.sessionStatus'), '') IN (${sessionOverList}))
       ORDER BY state = 'unconfirmed', created_at LIMIT 1`,
    )
    .get(terminalId);
  return row ? toAttempt(db, row) : null;
}

/** The order's attempt that is not final (at most one: the database enforces it). */
export function liveAttemptForOrder(db: Db, orderId: string): PaymentAttempt | null {
  const row = db
    .prepare<[string], AttemptRow>(
      'SELECT * FROM payment_attempts WHERE is_final = 0 AND order_id = ? LIMIT 1',
    )
    .get(orderId);
  return row ? toAttempt(db, row) : null;
}

/** Attempts whose result cannot be confirmed, oldest first (their orders are read by the caller). */
export function listAttemptsToCheck(db: Db): PaymentAttempt[] {
  return db
    .prepare<[], AttemptRow>(
      `SELECT * FROM payment_attempts WHERE is_final = 0 AND state = 'unconfirmed'
       ORDER BY created_at, rowid`,
    )
    .all()
    .map((r) => toAttempt(db, r));
}

/** The payment intent of an earlier sale attempt on this order that ended without taking money. */
export function reusableIntentForOrder(
  db: Db,
  orderId: string,
  amountMinor: number,
): string | null {
  const row = db
    .prepare<[string, number], { payment_intent_id: string }>(
      `SELECT payment_intent_id FROM payment_attempts
       WHERE order_id = ? AND kind = 'sale' AND amount_minor = ? AND is_final = 1
         AND state IN ('declined', 'canceled', 'failed') AND payment_intent_id IS NOT NULL
       ORDER BY created_at DESC, rowid DESC LIMIT 1`,
    )
    .get(orderId, amountMinor);
  return row?.payment_intent_id ?? null;
}

export function listEvents(db: Db, attemptId: string): AttemptEvent[] {
  return db
    .prepare<[string], EventRow>(
      'SELECT id, at, source, type, detail FROM payment_attempt_events WHERE attempt_id = ? ORDER BY id',
    )
    .all(attemptId)
    .map((r) => ({
      id: r.id,
      at: r.at,
      // Written only through the typed journal writer above.
      source: r.source as AttemptEvent['source'],
      type: r.type as AttemptEvent['type'],
      detail: parseJson<Record<string, unknown>>(r.detail),
    }));
}

/**
 * How many journal entries of each kind an attempt has: one indexed query that reads no detail.
 * The poll asks it for what it has already journalled (session statuses and notifications) and
 * for its bounded retries (card reads at a signature check, waits on an `Authorized` intent).
 */
export function journalCounts(db: Db, attemptId: string): Record<JournalEventType, number> {
  const counts = Object.fromEntries(journalEventTypes.map((t) => [t, 0])) as Record<
    JournalEventType,
    number
  >;
  const rows = db
    .prepare<[string], { type: string; n: number }>(
      'SELECT type, count(*) AS n FROM payment_attempt_events WHERE attempt_id = ? GROUP BY type',
    )
    .all(attemptId);
  for (const r of rows) if (r.type in counts) counts[r.type as JournalEventType] = r.n;
  return counts;
}

/** Whether the journal holds any signature status of the session (required, accepted, rejected). */
export function signatureStatusJournalled(db: Db, attemptId: string): boolean {
  const row = db
    .prepare<[string], { seen: number }>(
      `SELECT EXISTS (
         SELECT 1 FROM payment_attempt_events
         WHERE attempt_id = ? AND type = 'session-status'
           AND substr(json_extract(detail, '$.status'), 1, 21) = 'SignatureVerification'
       ) AS seen`,
    )
    .get(attemptId);
  return row?.seen === 1;
}
