import type { ToMatchTender } from '../../src-shared/domain/tenders';
import type { Db } from '../db/connection';

/** A `card_other` tender waits here until Dojo's record of the capture is found (docs/PAYMENTS.md). */
export function insertToMatch(db: Db, tenderId: string, approvedBy: string | null): void {
  db.prepare(
    `INSERT INTO tender_matches (tender_id, status, approved_by, created_at) VALUES (?, 'to_match', ?, ?)`,
  ).run(tenderId, approvedBy, new Date().toISOString());
}

type OpenRow = {
  tenderId: string;
  orderId: string;
  reference: string;
  amountMinor: number;
  currency: string;
  last4: string;
  authCode: string | null;
  createdAt: string;
  staffName: string | null;
  status: 'to_match' | 'matched';
  paymentIntentId: string | null;
  checks: number;
  lastCheckedAt: string | null;
};

const SELECT = `SELECT t.id AS tenderId, t.order_id AS orderId, o.reference AS reference, t.amount_minor AS amountMinor,
         o.currency AS currency, t.card_last4 AS last4, t.auth_code AS authCode, t.created_at AS createdAt,
         s.name AS staffName, m.status AS status, m.payment_intent_id AS paymentIntentId, m.checks AS checks,
         m.last_checked_at AS lastCheckedAt
  FROM tender_matches m JOIN tenders t ON t.id = m.tender_id JOIN orders o ON o.id = t.order_id
  LEFT JOIN staff s ON s.id = t.staff_id`;

const toView = (r: OpenRow): ToMatchTender => ({
  ...r,
  currency: r.currency === 'EUR' ? 'EUR' : 'GBP',
});

/** Cards taken on another terminal still waiting for Dojo's record, oldest first. */
export const openMatches = (db: Db): ToMatchTender[] =>
  db
    .prepare<[], OpenRow>(`${SELECT} WHERE m.status = 'to_match' ORDER BY t.created_at`)
    .all()
    .map(toView);

/** Every tender of the kind, matched or not, taken in the window (the close's check). */
export const matchesIn = (db: Db, start: string, end: string): ToMatchTender[] =>
  db
    .prepare<[string, string], OpenRow>(
      `${SELECT} WHERE t.created_at > ? AND t.created_at <= ? ORDER BY t.created_at`,
    )
    .all(start, end)
    .map(toView);

export const getMatch = (db: Db, tenderId: string): ToMatchTender | null => {
  const row = db.prepare<[string], OpenRow>(`${SELECT} WHERE m.tender_id = ?`).get(tenderId);
  return row ? toView(row) : null;
};

/** Payment intents some tender already stands for: a sale's own, or an earlier match. */
export function claimedIntents(db: Db): Set<string> {
  const rows = db
    .prepare<[], { pi: string }>(
      `SELECT payment_intent_id AS pi FROM payment_attempts WHERE payment_intent_id IS NOT NULL
       UNION SELECT payment_intent_id FROM tender_matches WHERE payment_intent_id IS NOT NULL`,
    )
    .all();
  return new Set(rows.map((r) => r.pi));
}

/** Links a waiting tender to Dojo's capture; false when it was already matched meanwhile. */
export function markMatched(db: Db, tenderId: string, paymentIntentId: string): boolean {
  return (
    db
      .prepare(
        `UPDATE tender_matches SET status = 'matched', payment_intent_id = ?, matched_at = ?, checks = checks + 1,
                last_checked_at = ? WHERE tender_id = ? AND status = 'to_match'`,
      )
      .run(paymentIntentId, new Date().toISOString(), new Date().toISOString(), tenderId)
      .changes === 1
  );
}

export function markChecked(db: Db, tenderId: string, at: string): void {
  db.prepare(
    `UPDATE tender_matches SET checks = checks + 1, last_checked_at = ? WHERE tender_id = ? AND status = 'to_match'`,
  ).run(at, tenderId);
}

/** Cards on another terminal still to match, on the orders paid in the period (X and Z reports). */
export function toMatchTotals(
  db: Db,
  start: string,
  end: string,
): { count: number; amountMinor: number } {
  const row = db
    .prepare<[string, string], { n: number; total: number | null }>(
      `SELECT count(*) AS n, sum(t.amount_minor) AS total
       FROM tender_matches m JOIN tenders t ON t.id = m.tender_id JOIN orders o ON o.id = t.order_id
       WHERE m.status = 'to_match' AND o.status = 'paid' AND o.completed_at > ? AND o.completed_at <= ?`,
    )
    .get(start, end);
  return { count: row?.n ?? 0, amountMinor: row?.total ?? 0 };
}
