import type { CurrencyCode } from '../../src-shared/money';
import type {
  PayoutMethod,
  ReturnableLine,
  ReturnLine,
  ReturnPayout,
  ReturnRecord,
  ReturnStatus,
  Reversal,
} from '../../src-shared/domain/returns';
import { nowIso, type Db } from '../db/connection';

/** A line of the original order with what returns that have not failed already took back. */
export type SoldLine = ReturnableLine & {
  vatMinor: number;
  returnedMinor: number;
  returnedVatMinor: number;
};

export function soldLines(db: Db, orderId: string): SoldLine[] {
  return db
    .prepare<
      [string],
      {
        position: number;
        name: string;
        quantity: number;
        line_total_minor: number;
        vat_rate_bp: number;
        vat_minor: number;
        returned: number;
        returned_minor: number;
        returned_vat: number;
      }
    >(
      `SELECT l.position, l.name, l.quantity, l.line_total_minor, l.vat_rate_bp, l.vat_minor,
              coalesce(sum(rl.quantity), 0) AS returned, coalesce(sum(rl.amount_minor), 0) AS returned_minor,
              coalesce(sum(rl.vat_minor), 0) AS returned_vat
       FROM order_lines l
       LEFT JOIN return_lines rl ON rl.order_id = l.order_id AND rl.position = l.position
            AND rl.return_id IN (SELECT r.id FROM returns r WHERE r.order_id = l.order_id AND r.status <> 'failed'
                                   -- a card-only return whose refund failed gave nothing back yet
                                   AND NOT (EXISTS (SELECT 1 FROM return_payouts p JOIN refunds f ON f.id = p.refund_id
                                                    WHERE p.return_id = r.id AND f.status = 'failed')
                                            AND NOT EXISTS (SELECT 1 FROM return_payouts q
                                                            WHERE q.return_id = r.id AND q.method IN ('cash', 'exchange'))))
       WHERE l.order_id = ? GROUP BY l.position ORDER BY l.position`,
    )
    .all(orderId)
    .map((r) => ({
      position: r.position,
      name: r.name,
      sold: r.quantity,
      returned: r.returned,
      returnable: r.quantity - r.returned,
      lineTotalMinor: r.line_total_minor,
      vatRateBp: r.vat_rate_bp,
      vatMinor: r.vat_minor,
      returnedMinor: r.returned_minor,
      returnedVatMinor: r.returned_vat,
    }));
}

/**
 * The money and VAT `quantity` more units of a line carry back: the line's share up to the units
 * returned after this one, less the share up to before it, so the shares of every return of a
 * line add up exactly to what the line cost (discounts included) and to its VAT.
 */
export function shareOf(
  line: SoldLine,
  quantity: number,
): { amountMinor: number; vatMinor: number } {
  const upTo = (units: number, of: number) => Math.round((of * units) / line.sold);
  const after = line.returned + quantity;
  const amountMinor =
    after === line.sold
      ? line.lineTotalMinor - line.returnedMinor
      : upTo(after, line.lineTotalMinor) - upTo(line.returned, line.lineTotalMinor);
  const vatMinor =
    after === line.sold
      ? line.vatMinor - line.returnedVatMinor
      : upTo(after, line.vatMinor) - upTo(line.returned, line.vatMinor);
  return { amountMinor, vatMinor };
}

export type NewReturn = {
  id: string;
  orderId: string;
  kind: 'return' | 'exchange';
  status: ReturnStatus;
  reason: string;
  currency: CurrencyCode;
  totalMinor: number;
  vatMinor: number;
  exchangeOrderId: string | null;
  staffId: string | null;
  approvedBy: string | null;
  lines: ReturnLine[];
};

export function insertReturn(db: Db, r: NewReturn): void {
  const now = nowIso();
  db.prepare(
    `INSERT INTO returns (id, order_id, kind, status, reason, currency, total_minor, vat_minor, exchange_order_id,
                          staff_id, approved_by, created_at, completed_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    r.id,
    r.orderId,
    r.kind,
    r.status,
    r.reason,
    r.currency,
    r.totalMinor,
    r.vatMinor,
    r.exchangeOrderId,
    r.staffId,
    r.approvedBy,
    now,
    r.status === 'completed' ? now : null,
  );
  const line = db.prepare(
    `INSERT INTO return_lines (return_id, order_id, position, name, quantity, amount_minor, vat_rate_bp, vat_minor)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const l of r.lines)
    line.run(
      r.id,
      r.orderId,
      l.position,
      l.name,
      l.quantity,
      l.amountMinor,
      l.vatRateBp,
      l.vatMinor,
    );
}

export function insertPayout(
  db: Db,
  p: {
    id: string;
    returnId: string;
    method: PayoutMethod;
    amountMinor: number;
    refundId?: string | null;
    saleAttemptId?: string | null;
    cashMovementId?: string | null;
  },
): void {
  db.prepare(
    `INSERT INTO return_payouts (id, return_id, method, amount_minor, refund_id, sale_attempt_id, cash_movement_id, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    p.id,
    p.returnId,
    p.method,
    p.amountMinor,
    p.refundId ?? null,
    p.saleAttemptId ?? null,
    p.cashMovementId ?? null,
    nowIso(),
  );
}

export function setReturnStatus(
  db: Db,
  id: string,
  status: ReturnStatus,
  lastError: string | null,
): void {
  db.prepare(
    `UPDATE returns SET status = ?, last_error = ?, completed_at = CASE WHEN ? = 'completed' THEN ? ELSE completed_at END WHERE id = ?`,
  ).run(status, lastError, status, nowIso(), id);
}

export const setReceiptJob = (db: Db, id: string, jobId: string): void => {
  db.prepare('UPDATE returns SET receipt_job_id = ? WHERE id = ?').run(jobId, id);
};

type ReturnRow = {
  id: string;
  order_id: string;
  order_reference: string;
  kind: 'return' | 'exchange';
  status: ReturnStatus;
  reason: string;
  currency: CurrencyCode;
  total_minor: number;
  vat_minor: number;
  exchange_order_id: string | null;
  exchange_reference: string | null;
  staff_id: string | null;
  staff_name: string | null;
  approved_by: string | null;
  receipt_job_id: string | null;
  created_at: string;
  completed_at: string | null;
  last_error: string | null;
};

const SELECT_RETURN = `SELECT r.*, o.reference AS order_reference, x.reference AS exchange_reference, s.name AS staff_name
  FROM returns r JOIN orders o ON o.id = r.order_id LEFT JOIN orders x ON x.id = r.exchange_order_id
  LEFT JOIN staff s ON s.id = r.staff_id`;

function toRecord(db: Db, r: ReturnRow): ReturnRecord & { receiptJobId: string | null } {
  const lines = db
    .prepare<[string], ReturnLine>(
      `SELECT position, name, quantity, amount_minor AS amountMinor, vat_rate_bp AS vatRateBp, vat_minor AS vatMinor
       FROM return_lines WHERE return_id = ? ORDER BY position`,
    )
    .all(r.id);
  const payouts = db
    .prepare<
      [string],
      {
        method: PayoutMethod;
        amount_minor: number;
        refund_id: string | null;
        refund_status: string | null;
        last_error: string | null;
        card: string | null;
      }
    >(
      `SELECT p.method, p.amount_minor, p.refund_id, f.status AS refund_status, f.last_error, a.card
       FROM return_payouts p LEFT JOIN refunds f ON f.id = p.refund_id
       LEFT JOIN payment_attempts a ON a.id = p.sale_attempt_id
       WHERE p.return_id = ? ORDER BY p.created_at, p.rowid`,
    )
    .all(r.id)
    .map((p): ReturnPayout => ({
      method: p.method,
      amountMinor: p.amount_minor,
      refundId: p.refund_id,
      status: (p.refund_status ?? 'completed') as ReturnPayout['status'],
      lastError: p.last_error,
      cardLast4: last4Of(p.card),
    }));
  return {
    id: r.id,
    orderId: r.order_id,
    orderReference: r.order_reference,
    kind: r.kind,
    status: r.status,
    reason: r.reason,
    currency: r.currency,
    totalMinor: r.total_minor,
    vatMinor: r.vat_minor,
    lines,
    payouts,
    exchangeOrderId: r.exchange_order_id,
    exchangeReference: r.exchange_reference,
    staffId: r.staff_id,
    staffName: r.staff_name,
    approvedBy: r.approved_by,
    createdAt: r.created_at,
    completedAt: r.completed_at,
    lastError: r.last_error,
    receiptJobId: r.receipt_job_id,
  };
}

export function last4Of(card: string | null): string | null {
  if (!card) return null;
  try {
    const c = JSON.parse(card) as { last4?: unknown };
    return typeof c.last4 === 'string' ? c.last4 : null;
  } catch {
    return null;
  }
}

export function findReturn(
  db: Db,
  id: string,
): (ReturnRecord & { receiptJobId: string | null }) | null {
  const row = db.prepare<[string], ReturnRow>(`${SELECT_RETURN} WHERE r.id = ?`).get(id);
  return row ? toRecord(db, row) : null;
}

export function returnsOfOrder(db: Db, orderId: string): ReturnRecord[] {
  return db
    .prepare<[string], ReturnRow>(
      `${SELECT_RETURN} WHERE r.order_id = ? ORDER BY r.created_at, r.rowid`,
    )
    .all(orderId)
    .map((r) => {
      const { receiptJobId: _job, ...rest } = toRecord(db, r);
      return rest;
    });
}

/** Returns still waiting for their card refund. */
export const pendingReturnIds = (db: Db, orderId?: string): string[] =>
  db
    .prepare<[string | null, string | null], { id: string }>(
      "SELECT id FROM returns WHERE status = 'pending' AND (? IS NULL OR order_id = ?)",
    )
    .all(orderId ?? null, orderId ?? null)
    .map((r) => r.id);

export const returnIdsOfRefund = (db: Db, refundId: string): string[] =>
  db
    .prepare<[string], { return_id: string }>(
      'SELECT return_id FROM return_payouts WHERE refund_id = ?',
    )
    .all(refundId)
    .map((r) => r.return_id);

export const returnOfExchangeOrder = (db: Db, orderId: string): string | null =>
  db
    .prepare<[string], { id: string }>('SELECT id FROM returns WHERE exchange_order_id = ?')
    .get(orderId)?.id ?? null;

type ReversalRow = {
  id: string;
  order_id: string;
  attempt_id: string;
  amount_minor: number;
  currency: CurrencyCode;
  status: Reversal['status'];
  reason: string | null;
  last_error: string | null;
  staff_id: string | null;
  staff_name: string | null;
  created_at: string;
};

const toReversal = (r: ReversalRow): Reversal => ({
  id: r.id,
  orderId: r.order_id,
  attemptId: r.attempt_id,
  amountMinor: r.amount_minor,
  currency: r.currency,
  status: r.status,
  reason: r.reason,
  lastError: r.last_error,
  staffId: r.staff_id,
  staffName: r.staff_name,
  createdAt: r.created_at,
});

const SELECT_REVERSAL = `SELECT v.*, s.name AS staff_name FROM reversals v LEFT JOIN staff s ON s.id = v.staff_id`;

export function reversalsOfOrder(db: Db, orderId: string): Reversal[] {
  return db
    .prepare<[string], ReversalRow>(
      `${SELECT_REVERSAL} WHERE v.order_id = ? ORDER BY v.created_at, v.rowid`,
    )
    .all(orderId)
    .map(toReversal);
}

export function getReversal(db: Db, id: string): Reversal {
  const row = db.prepare<[string], ReversalRow>(`${SELECT_REVERSAL} WHERE v.id = ?`).get(id);
  if (!row) throw new Error(`reversal ${id} not stored`);
  return toReversal(row);
}

/** A reversal of this sale that has not failed (pending or done), or null. */
export const liveReversalOf = (db: Db, attemptId: string): string | null =>
  db
    .prepare<[string], { id: string }>(
      "SELECT id FROM reversals WHERE attempt_id = ? AND status <> 'failed'",
    )
    .get(attemptId)?.id ?? null;

export const orderHasLiveReversal = (db: Db, orderId: string): boolean =>
  (db
    .prepare<[string], { n: number }>(
      "SELECT count(*) AS n FROM reversals WHERE order_id = ? AND status <> 'failed'",
    )
    .get(orderId)?.n ?? 0) > 0;

export const orderHasLiveReturn = (db: Db, orderId: string): boolean =>
  (db
    .prepare<[string], { n: number }>(
      "SELECT count(*) AS n FROM returns WHERE order_id = ? AND status <> 'failed'",
    )
    .get(orderId)?.n ?? 0) > 0;
