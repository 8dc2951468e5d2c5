import type { DojoCheck, DojoCheckItem, DojoCheckResult } from '../../src-shared/domain/dojo-check';
import type { ToMatchTender } from '../../src-shared/domain/tenders';
import { nowIso, type Db } from '../db/connection';
import type { DojoClient } from '../dojo/dojo-client';
import type { DojoPaymentIntent } from '../dojo/dojo-schemas';

/** Statuses of a payment Dojo took and kept: captured, or captured then (partly) refunded. */
const TAKEN = ['Captured', 'Refunded'] as const;
const PAGE = 100;
/** A day with more than this many pages is not a till's day: stop rather than loop for ever. */
const MAX_PAGES = 500;

/** Every intent Dojo holds for the window, following the `after` cursor page by page. */
export async function dojoDay(
  dojo: DojoClient,
  windowStart: string,
  windowEnd: string,
): Promise<DojoPaymentIntent[]> {
  const out: DojoPaymentIntent[] = [];
  let after: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await dojo.searchPaymentIntents({
      statuses: [...TAKEN],
      startDate: windowStart,
      endDate: windowEnd,
      cursor: after ? { limit: PAGE, after } : { limit: PAGE },
    });
    out.push(...res.data);
    if (!res.after || res.data.length === 0) break;
    after = res.after;
  }
  return out;
}

type TillCard = {
  pi: string;
  amount: number;
  at: string;
  reference: string;
  card: string | null;
};

/** The till's card takings in the window, one row per payment intent. */
function tillSales(db: Db, start: string, end: string): TillCard[] {
  return db
    .prepare<[string, string], TillCard>(
      // Dojo's total holds the tip too (recorded apart from the sale, docs/PAYMENTS.md "Tips").
      `SELECT a.payment_intent_id AS pi,
              sum(t.amount_minor + coalesce((SELECT tp.amount_minor FROM tips tp WHERE tp.tender_id = t.id), 0)) AS amount,
              max(t.created_at) AS at,
              o.reference AS reference, json_extract(a.card, '$.cardNumber') AS card
       FROM tenders t JOIN payment_attempts a ON a.id = t.attempt_id JOIN orders o ON o.id = t.order_id
       WHERE t.kind = 'card' AND a.payment_intent_id IS NOT NULL AND t.created_at > ? AND t.created_at <= ?
       GROUP BY a.payment_intent_id`,
    )
    .all(start, end);
}

/** Refunds the till made against a card payment (on the terminal or through Dojo's API). */
function tillRefunds(db: Db, start: string, end: string): TillCard[] {
  return db
    .prepare<[string, string], TillCard>(
      `SELECT oa.payment_intent_id AS pi, sum(r.amount_minor) AS amount, max(r.updated_at) AS at,
              coalesce(o.reference, r.id) AS reference, json_extract(oa.card, '$.cardNumber') AS card
       FROM refunds r JOIN payment_attempts oa ON oa.id = r.original_attempt_id
       LEFT JOIN orders o ON o.id = r.order_id
       WHERE r.status = 'completed' AND oa.payment_intent_id IS NOT NULL AND r.updated_at > ? AND r.updated_at <= ?
       GROUP BY oa.payment_intent_id`,
    )
    .all(start, end);
}

const dojoItem = (
  pi: DojoPaymentIntent,
  kind: 'sale' | 'refund',
  amount: number,
): DojoCheckItem => ({
  paymentIntentId: pi.id,
  reference: pi.reference ?? pi.id,
  kind,
  amountMinor: amount,
  at: pi.paymentDetails?.transactionDateTime ?? pi.createdAt ?? '',
  card: pi.paymentDetails?.card?.cardNumber ?? null,
});

const tillItem = (t: TillCard, kind: 'sale' | 'refund', amount = t.amount): DojoCheckItem => ({
  paymentIntentId: t.pi,
  reference: t.reference,
  kind,
  amountMinor: amount,
  at: t.at,
  card: t.card,
});

/**
 * The three-way card check: the till's card tenders and refunds against Dojo's own record of the
 * day. An intent the search did not return (created before the window, e.g. a parked order paid
 * today) is fetched on its own before the till's record is called unmatched.
 */
export async function compareWithDojo(
  db: Db,
  dojo: DojoClient,
  windowStart: string,
  windowEnd: string,
  /** Cards taken on another terminal in a window, matched or not (the tenders feature's). */
  cardsElsewhere: (start: string, end: string) => ToMatchTender[],
): Promise<DojoCheckResult> {
  const found = new Map((await dojoDay(dojo, windowStart, windowEnd)).map((pi) => [pi.id, pi]));
  const sales = tillSales(db, windowStart, windowEnd);
  const refunds = tillRefunds(db, windowStart, windowEnd);
  for (const t of [...sales, ...refunds]) {
    if (found.has(t.pi)) continue;
    const pi = await dojo.getPaymentIntent(t.pi).catch((error: unknown) => {
      if ((error as { code?: string }).code === 'NOT_FOUND') return null;
      throw error;
    });
    if (pi) found.set(pi.id, pi);
  }
  const captured = (pi: DojoPaymentIntent | undefined) =>
    pi !== undefined && (TAKEN as readonly string[]).includes(pi.status);
  const result: DojoCheckResult = {
    matched: { count: 0, amountMinor: 0 },
    dojoOnly: [],
    tillOnly: [],
    checkedAt: nowIso(),
  };
  const tillByPi = new Map(sales.map((t) => [t.pi, t]));
  // A sale the till reversed (docs/RETURNS.md) that Dojo also shows reversed: both agree.
  const reversed = new Set(
    db
      .prepare<[], { pi: string }>(
        "SELECT payment_intent_id AS pi FROM reversals WHERE status = 'completed'",
      )
      .all()
      .map((r) => r.pi),
  );
  // Cards taken on another terminal while Dojo was down: a matched one names its capture; one
  // still waiting is listed apart for the manager.
  const elsewhere = cardsElsewhere(windowStart, windowEnd);
  const linked = new Set(
    db
      .prepare<[], { pi: string }>(
        'SELECT payment_intent_id AS pi FROM tender_matches WHERE payment_intent_id IS NOT NULL',
      )
      .all()
      .map((r) => r.pi),
  );
  for (const t of elsewhere) {
    if (t.status !== 'matched') continue;
    result.matched.count += 1;
    result.matched.amountMinor += t.amountMinor;
  }
  result.toMatch = elsewhere
    .filter((t) => t.status === 'to_match')
    .map((t) => ({
      paymentIntentId: '',
      reference: t.reference,
      kind: 'sale',
      amountMinor: t.amountMinor,
      at: t.createdAt,
      card: `************${t.last4}`,
    }));
  for (const t of sales) {
    const pi = found.get(t.pi);
    const dojoAmount = pi?.totalAmount?.value ?? 0;
    const bothReversed = reversed.has(t.pi) && pi?.status === 'Reversed';
    if ((captured(pi) && dojoAmount === t.amount) || bothReversed) {
      result.matched.count += 1;
      result.matched.amountMinor += t.amount;
    } else {
      result.tillOnly.push(tillItem(t, 'sale'));
      if (pi && captured(pi)) result.dojoOnly.push(dojoItem(pi, 'sale', dojoAmount));
    }
  }
  for (const pi of found.values()) {
    const inWindow = (pi.createdAt ?? '') > windowStart && (pi.createdAt ?? '') <= windowEnd;
    if (captured(pi) && inWindow && !tillByPi.has(pi.id) && !linked.has(pi.id))
      result.dojoOnly.push(dojoItem(pi, 'sale', pi.totalAmount?.value ?? 0));
  }
  for (const t of refunds) {
    const dojoRefunded = found.get(t.pi)?.refundedAmount ?? 0;
    if (dojoRefunded >= t.amount) {
      result.matched.count += 1;
      result.matched.amountMinor += t.amount;
    } else result.tillOnly.push(tillItem(t, 'refund', t.amount - dojoRefunded));
  }
  return result;
}

type CheckRow = {
  closure_id: string;
  window_start: string;
  window_end: string;
  status: 'pending' | 'completed';
  result: string | null;
  last_error: string | null;
};

const toCheck = (r: CheckRow): DojoCheck => ({
  closureId: r.closure_id,
  windowStart: r.window_start,
  windowEnd: r.window_end,
  status: r.status,
  lastError: r.last_error,
  result: r.result ? (JSON.parse(r.result) as DojoCheckResult) : null,
});

export function insertCheck(db: Db, check: DojoCheck): void {
  db.prepare(
    `INSERT INTO dojo_checks (closure_id, window_start, window_end, status, result, tries, last_error, updated_at)
     VALUES (?, ?, ?, ?, ?, 1, ?, ?)`,
  ).run(
    check.closureId,
    check.windowStart,
    check.windowEnd,
    check.status,
    check.result ? JSON.stringify(check.result) : null,
    check.lastError,
    nowIso(),
  );
}

export function saveCheckOutcome(
  db: Db,
  closureId: string,
  outcome: { result: DojoCheckResult } | { error: string },
): void {
  if ('result' in outcome)
    db.prepare(
      `UPDATE dojo_checks SET status = 'completed', result = ?, last_error = NULL, tries = tries + 1, updated_at = ? WHERE closure_id = ?`,
    ).run(JSON.stringify(outcome.result), nowIso(), closureId);
  else
    db.prepare(
      'UPDATE dojo_checks SET last_error = ?, tries = tries + 1, updated_at = ? WHERE closure_id = ?',
    ).run(outcome.error, nowIso(), closureId);
}

export function getCheck(db: Db, closureId: string): DojoCheck | null {
  const row = db
    .prepare<[string], CheckRow>('SELECT * FROM dojo_checks WHERE closure_id = ?')
    .get(closureId);
  return row ? toCheck(row) : null;
}

export function listChecks(db: Db, limit = 30): DojoCheck[] {
  return db
    .prepare<[number], CheckRow>('SELECT * FROM dojo_checks ORDER BY window_end DESC LIMIT ?')
    .all(limit)
    .map(toCheck);
}

export const pendingChecks = (db: Db): DojoCheck[] =>
  db
    .prepare<[], CheckRow>("SELECT * FROM dojo_checks WHERE status = 'pending' ORDER BY window_end")
    .all()
    .map(toCheck);
