import { TillError } from '../../src-shared/errors';
import { formatMoney, type CurrencyCode } from '../../src-shared/money';
import type { Refund, RefundKind, RefundStatus } from '../../src-shared/domain/payments';
import type { Db } from '../db/connection';
import { nowIso } from '../db/connection';

type RefundRow = {
  id: string;
  order_id: string | null;
  original_attempt_id: string | null;
  kind: string;
  amount_minor: number;
  currency: string;
  status: string;
  payment_intent_id: string | null;
  dojo_refund_id: string | null;
  attempt_id: string | null;
  reason: string | null;
  approved_by: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
};

const toRefund = (r: RefundRow): Refund => ({
  id: r.id,
  orderId: r.order_id,
  originalAttemptId: r.original_attempt_id,
  kind: r.kind as RefundKind,
  amountMinor: r.amount_minor,
  currency: r.currency as CurrencyCode,
  status: r.status as RefundStatus,
  paymentIntentId: r.payment_intent_id,
  dojoRefundId: r.dojo_refund_id,
  attemptId: r.attempt_id,
  reason: r.reason,
  approvedBy: r.approved_by,
  lastError: r.last_error,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export type NewRefund = Omit<
  Refund,
  'status' | 'dojoRefundId' | 'lastError' | 'createdAt' | 'updatedAt'
> & { status: RefundStatus };

export function insertRefund(db: Db, r: NewRefund): void {
  const now = nowIso();
  db.prepare(
    `INSERT INTO refunds (id, order_id, original_attempt_id, kind, amount_minor, currency, status, payment_intent_id,
                          attempt_id, reason, approved_by, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    r.id,
    r.orderId,
    r.originalAttemptId,
    r.kind,
    r.amountMinor,
    r.currency,
    r.status,
    r.paymentIntentId,
    r.attemptId,
    r.reason,
    r.approvedBy,
    now,
    now,
  );
}

export function findRefund(db: Db, id: string): Refund | null {
  const row = db.prepare<[string], RefundRow>('SELECT * FROM refunds WHERE id = ?').get(id);
  return row ? toRefund(row) : null;
}

export function getRefund(db: Db, id: string): Refund {
  const r = findRefund(db, id);
  if (!r) throw new TillError('NOT_FOUND', 'That refund does not exist.');
  return r;
}

export function refundForAttempt(db: Db, attemptId: string): Refund | null {
  const row = db
    .prepare<[string], RefundRow>('SELECT * FROM refunds WHERE attempt_id = ?')
    .get(attemptId);
  return row ? toRefund(row) : null;
}

export function listRefundsForOrder(db: Db, orderId: string): Refund[] {
  return db
    .prepare<[string], RefundRow>(
      'SELECT * FROM refunds WHERE order_id = ? ORDER BY created_at, rowid',
    )
    .all(orderId)
    .map(toRefund);
}

/**
 * What is left to refund on a captured sale, across every refund of it (matched, server) that
 * has not failed: a refund still in flight or queued counts, so two cannot overspend the sale.
 */
export function refundableRemainder(
  db: Db,
  originalAttemptId: string,
  saleAmountMinor: number,
): number {
  // A reversal (docs/RETURNS.md) that has not failed gives the whole sale back: nothing is left.
  const row = db
    .prepare<[string, string], { total: number | null }>(
      `SELECT (SELECT coalesce(sum(amount_minor), 0) FROM refunds WHERE original_attempt_id = ? AND status IN ('pending', 'queued', 'completed'))
            + (SELECT coalesce(sum(amount_minor), 0) FROM reversals WHERE attempt_id = ? AND status <> 'failed') AS total`,
    )
    .get(originalAttemptId, originalAttemptId);
  return saleAmountMinor - (row?.total ?? 0);
}

/**
 * The refundable remainder of an attempt as the renderer sees it (`PaymentAttempt.refundableMinor`):
 * only a captured sale with a payment intent can be refunded against, so anything else is null.
 * `refundableSale` (the refund cap) uses the same rule and the same sum.
 */
export function refundableMinorFor(
  db: Db,
  attempt: {
    id: string;
    kind: string;
    state: string;
    amountMinor: number;
    paymentIntentId: string | null;
  },
): number | null {
  if (attempt.kind !== 'sale' || attempt.state !== 'succeeded' || !attempt.paymentIntentId)
    return null;
  return Math.max(0, refundableRemainder(db, attempt.id, attempt.amountMinor));
}

export function assertWithinRemainder(
  db: Db,
  originalAttemptId: string,
  saleAmountMinor: number,
  amountMinor: number,
  currency: CurrencyCode,
): void {
  const remaining = refundableRemainder(db, originalAttemptId, saleAmountMinor);
  if (amountMinor > remaining) {
    throw new TillError(
      'REFUND_EXCEEDS_REMAINING',
      remaining <= 0
        ? 'This payment has already been refunded in full.'
        : `At most ${formatMoney(remaining, currency)} of this payment can still be refunded.`,
    );
  }
}

/** Marks a refund done and keeps `orders.refunded_minor` right; call inside a transaction. */
export function completeRefund(db: Db, id: string, dojoRefundId: string | null): boolean {
  const refund = getRefund(db, id);
  if (refund.status === 'completed') return false;
  const now = nowIso();
  db.prepare(
    `UPDATE refunds SET status = 'completed', dojo_refund_id = COALESCE(?, dojo_refund_id), last_error = NULL, updated_at = ? WHERE id = ?`,
  ).run(dojoRefundId, now, id);
  if (refund.orderId) {
    db.prepare(
      'UPDATE orders SET refunded_minor = refunded_minor + ?, updated_at = ? WHERE id = ?',
    ).run(refund.amountMinor, now, refund.orderId);
  }
  return true;
}

export function setRefundStatus(
  db: Db,
  id: string,
  status: Exclude<RefundStatus, 'completed'>,
  lastError: string | null,
): void {
  db.prepare('UPDATE refunds SET status = ?, last_error = ?, updated_at = ? WHERE id = ?').run(
    status,
    lastError,
    nowIso(),
    id,
  );
}
