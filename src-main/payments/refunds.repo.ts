import { TillError } from '../../src-shared/errors';
import { formatMoney, type CurrencyCode } from '../../src-shared/money';
import type { Refund, RefundKind, RefundStatus } from '../../src-shared/domain/payments';
import type { Db } from '../db/connection';
import { paidFigures, type OrdersPort } from '../orders/orders-port';
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
 * Everything already given back on an order, by way (docs/PAYMENTS.md rule 10, "What is left to
 * refund"): card refunds that have not failed (matched, server, unlinked against the order, and
 * the card part of returns: in flight or queued counts, so two cannot overspend), cash handed back
 * from the drawer (amount-based cash refunds and cash returns), exchange credit, and reversals
 * that have not failed. Read from the rows themselves, inside the caller's transaction.
 */
export type GivenBack = {
  cardMinor: number;
  cashMinor: number;
  exchangeMinor: number;
  reversedMinor: number;
  totalMinor: number;
};

export function givenBackOnOrder(db: Db, orderId: string): GivenBack {
  const row = db
    .prepare<{ o: string }, { card: number; cash: number; exchange: number; reversed: number }>(
      `SELECT
         (SELECT coalesce(sum(amount_minor), 0) FROM refunds
           WHERE order_id = @o AND status IN ('pending', 'queued', 'completed')) AS card,
         (SELECT coalesce(sum(amount_minor), 0) FROM cash_movements
           WHERE order_id = @o AND kind = 'cash-refund') AS cash,
         (SELECT coalesce(sum(p.amount_minor), 0) FROM return_payouts p JOIN returns r ON r.id = p.return_id
           WHERE r.order_id = @o AND p.method = 'exchange' AND r.status <> 'failed') AS exchange,
         (SELECT coalesce(sum(amount_minor), 0) FROM reversals
           WHERE order_id = @o AND status <> 'failed') AS reversed`,
    )
    .get({ o: orderId }) ?? { card: 0, cash: 0, exchange: 0, reversed: 0 };
  return {
    cardMinor: row.card,
    cashMinor: row.cash,
    exchangeMinor: row.exchange,
    reversedMinor: row.reversed,
    totalMinor: row.card + row.cash + row.exchange + row.reversed,
  };
}

export type OrderRefundable = {
  reference: string;
  status: string;
  currency: CurrencyCode;
  paidMinor: number;
  givenBack: GivenBack;
  /** What may still go back on the order, by any way: paid less everything given back. */
  remainingMinor: number;
};

/** The order's side of the refundable rule; null when there is no such order. */
export function orderRefundable(db: Db, orderId: string): OrderRefundable | null {
  const o = paidFigures(db, orderId);
  if (!o) return null;
  const givenBack = givenBackOnOrder(db, orderId);
  return {
    reference: o.reference,
    status: o.status,
    currency: o.currency,
    paidMinor: o.paidMinor,
    givenBack,
    remainingMinor: Math.max(0, o.paidMinor - givenBack.totalMinor),
  };
}

/** "£10.00 already went back (£6.00 in cash, £4.00 as exchange credit)", or null when nothing did. */
export function describeGivenBack(g: GivenBack, currency: CurrencyCode): string | null {
  if (g.totalMinor <= 0) return null;
  const money = (m: number) => formatMoney(m, currency);
  const parts = [
    g.cardMinor > 0 ? `${money(g.cardMinor)} to a card` : null,
    g.cashMinor > 0 ? `${money(g.cashMinor)} in cash` : null,
    g.exchangeMinor > 0 ? `${money(g.exchangeMinor)} as exchange credit` : null,
    g.reversedMinor > 0 ? `${money(g.reversedMinor)} by a reversal` : null,
  ].filter((p): p is string => p !== null);
  return `${money(g.totalMinor)} already went back (${parts.join(', ')})`;
}

/** The card payment's own side: its amount less its refunds and reversals that have not failed. */
function cardRemainder(db: Db, originalAttemptId: string, saleAmountMinor: number): number {
  const row = db
    .prepare<[string, string], { total: number | null }>(
      `SELECT (SELECT coalesce(sum(amount_minor), 0) FROM refunds WHERE original_attempt_id = ? AND status IN ('pending', 'queued', 'completed'))
            + (SELECT coalesce(sum(amount_minor), 0) FROM reversals WHERE attempt_id = ? AND status <> 'failed') AS total`,
    )
    .get(originalAttemptId, originalAttemptId);
  return saleAmountMinor - (row?.total ?? 0);
}

const orderOfAttempt = (db: Db, attemptId: string): string | null =>
  db
    .prepare<[string], { order_id: string | null }>(
      'SELECT order_id FROM payment_attempts WHERE id = ?',
    )
    .get(attemptId)?.order_id ?? null;

/**
 * What is left to refund on a captured sale: what is left on the card payment itself (its refunds
 * that have not failed, and a reversal, count), and never more than what is left on its order by
 * every way (a cash return or exchange of items the card paid for uses the order's remainder up).
 */
export function refundableRemainder(
  db: Db,
  originalAttemptId: string,
  saleAmountMinor: number,
): number {
  const card = cardRemainder(db, originalAttemptId, saleAmountMinor);
  const orderId = orderOfAttempt(db, originalAttemptId);
  const order = orderId ? orderRefundable(db, orderId) : null;
  return order ? Math.min(card, order.remainingMinor) : card;
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

/** Refuses a card refund beyond the rule above; call it again inside the writing transaction. */
export function assertWithinRemainder(
  db: Db,
  originalAttemptId: string,
  saleAmountMinor: number,
  amountMinor: number,
  currency: CurrencyCode,
): void {
  const card = cardRemainder(db, originalAttemptId, saleAmountMinor);
  const orderId = orderOfAttempt(db, originalAttemptId);
  const order = orderId ? orderRefundable(db, orderId) : null;
  const remaining = Math.max(0, order ? Math.min(card, order.remainingMinor) : card);
  if (amountMinor <= remaining) return;
  // The order's remainder is the tighter one: something else (cash, exchange) already went back.
  const other = order && order.remainingMinor < card ? order : null;
  const why = other ? describeGivenBack(other.givenBack, currency) : null;
  if (why)
    throw new TillError(
      'REFUND_EXCEEDS_REMAINING',
      remaining <= 0
        ? `Order ${other?.reference ?? ''} has nothing left to refund: ${why}. Nothing was written.`
        : `At most ${formatMoney(remaining, currency)} of this payment can still be refunded: ${why} on order ${other?.reference ?? ''}. Nothing was written.`,
    );
  throw new TillError(
    'REFUND_EXCEEDS_REMAINING',
    remaining <= 0
      ? 'This payment has already been refunded in full.'
      : `At most ${formatMoney(remaining, currency)} of this payment can still be refunded.`,
  );
}

/**
 * Refuses money going back on an order (by any way: cash, an unlinked card refund, a return)
 * beyond what is left of what was paid for it; only a paid order can have money go back. Call it
 * before writing and again inside the transaction that writes. Returns the order's figures.
 */
export function assertOrderRefundable(
  db: Db,
  orderId: string,
  amountMinor: number,
): OrderRefundable {
  const o = orderRefundable(db, orderId);
  if (!o) throw new TillError('NOT_FOUND', 'That order does not exist.');
  if (o.status !== 'paid')
    throw new TillError('ORDER_STATE', 'Only a paid order can have money refunded against it.');
  if (amountMinor > o.remainingMinor) {
    const why = describeGivenBack(o.givenBack, o.currency);
    const head =
      o.remainingMinor === 0
        ? 'This order has nothing left to refund'
        : `At most ${formatMoney(o.remainingMinor, o.currency)} of this order is left to refund`;
    throw new TillError(
      'REFUND_EXCEEDS_REMAINING',
      why ? `${head}: ${why}. Nothing was written.` : `${head}.`,
    );
  }
  return o;
}

/** Marks a refund done and keeps `orders.refunded_minor` right; call inside a transaction. */
export function completeRefund(
  db: Db,
  orders: Pick<OrdersPort, 'recordRefunded'>,
  id: string,
  dojoRefundId: string | null,
): boolean {
  const refund = getRefund(db, id);
  if (refund.status === 'completed') return false;
  const now = nowIso();
  db.prepare(
    `UPDATE refunds SET status = 'completed', dojo_refund_id = COALESCE(?, dojo_refund_id), last_error = NULL, updated_at = ? WHERE id = ?`,
  ).run(dojoRefundId, now, id);
  if (refund.orderId) orders.recordRefunded(refund.orderId, refund.amountMinor);
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
