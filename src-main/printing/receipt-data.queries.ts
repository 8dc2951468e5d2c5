import type { TenderKind } from '../../src-shared/domain/order-status';
import type { Db } from '../db/connection';
import { TillError } from '../../src-shared/errors';
import type { CurrencyCode } from '../../src-shared/money';
import { parseDojoReceipt } from './dojo-receipt';
import type {
  OrderReceiptInput,
  ReceiptCardPayment,
  ReceiptOrderLine,
  ReceiptTender,
  RefundReceiptInput,
  ShopInfo,
} from './receipt-model';

/** Reads what a receipt needs straight from the order database (schema of migrations 001-004). */

type OrderRow = {
  id: string;
  reference: string;
  currency: string;
  subtotal_minor: number;
  discount_minor: number;
  total_minor: number;
  till_id: string;
  created_at: string;
  completed_at: string | null;
  eat_in: number;
};
type LineRow = {
  name: string;
  quantity: number;
  unit_price_minor: number;
  line_discount_minor: number;
  vat_rate_bp: number;
  line_total_minor: number;
  vat_minor: number;
  position: number;
  weight_grams: number | null;
  price_per_kg_minor: number | null;
};
type ModRow = {
  position: number;
  name: string;
  price_minor: number;
  vat_rate_bp: number;
  total_minor: number;
  vat_minor: number;
};
type TenderRow = {
  kind: TenderKind;
  amount_minor: number;
  tendered_minor: number | null;
  change_minor: number;
  terminal_id: string | null;
  card_type: string | null;
  card_last4: string | null;
  auth_code: string | null;
  reference: string | null;
  tip_minor: number | null;
  rounding_minor: number;
};
type AttemptRow = {
  id: string;
  terminal_id: string;
  terminal_tid: string | null;
  amount_minor: number;
  customer_receipt: string | null;
  merchant_receipt: string | null;
  signature_taken: number;
};
type RefundRow = {
  id: string;
  order_id: string | null;
  kind: string;
  amount_minor: number;
  currency: string;
  reason: string | null;
  attempt_id: string | null;
  updated_at: string;
  reference: string | null;
  till_id: string | null;
};

const currency = (c: string): CurrencyCode => (c === 'EUR' ? 'EUR' : 'GBP');

function toCardPayment(a: AttemptRow): ReceiptCardPayment {
  return {
    attemptId: a.id,
    terminalId: a.terminal_id,
    terminalTid: a.terminal_tid,
    amountMinor: a.amount_minor,
    customerReceipt: parseDojoReceipt(a.customer_receipt),
    merchantReceipt: parseDojoReceipt(a.merchant_receipt),
    signatureTaken: a.signature_taken === 1,
  };
}

export function loadOrderReceiptInput(db: Db, orderId: string, shop: ShopInfo): OrderReceiptInput {
  const o = db
    .prepare<[string], OrderRow>(
      `SELECT id, reference, currency, subtotal_minor, discount_minor, total_minor, till_id, created_at, completed_at, eat_in FROM orders WHERE id = ?`,
    )
    .get(orderId);
  if (!o)
    throw new TillError('NOT_FOUND', 'That order does not exist, so there is no receipt to print.');
  const lines = db
    .prepare<[string], LineRow>(
      `SELECT name, quantity, unit_price_minor, line_discount_minor, vat_rate_bp, line_total_minor, vat_minor,
              position, weight_grams, price_per_kg_minor
       FROM order_lines WHERE order_id = ? ORDER BY position`,
    )
    .all(orderId);
  const mods = db
    .prepare<[string], ModRow>(
      `SELECT position, name, price_minor, vat_rate_bp, total_minor, vat_minor
       FROM order_line_modifiers WHERE order_id = ? ORDER BY position, seq`,
    )
    .all(orderId);
  const tenders = db
    .prepare<[string], TenderRow>(
      `SELECT kind, amount_minor, tendered_minor, change_minor, terminal_id, card_type, card_last4, auth_code, reference, rounding_minor,
              (SELECT tp.amount_minor FROM tips tp WHERE tp.tender_id = tenders.id) AS tip_minor
       FROM tenders WHERE order_id = ? ORDER BY created_at, rowid`,
    )
    .all(orderId);
  // Only attempts that became a tender are payments; a declined try has nothing to print.
  const attempts = db
    .prepare<[string], AttemptRow>(
      `SELECT pa.id, pa.terminal_id, pa.terminal_tid, pa.amount_minor, pa.customer_receipt, pa.merchant_receipt, pa.signature_taken
       FROM payment_attempts pa JOIN tenders t ON t.attempt_id = pa.id
       WHERE t.order_id = ? AND pa.kind = 'sale' ORDER BY t.created_at, t.rowid`,
    )
    .all(orderId);
  return {
    shop,
    order: {
      id: o.id,
      reference: o.reference,
      currency: currency(o.currency),
      subtotalMinor: o.subtotal_minor,
      discountMinor: o.discount_minor,
      totalMinor: o.total_minor,
      tillId: o.till_id,
      at: o.completed_at ?? o.created_at,
      ...(o.eat_in === 1 ? { eatIn: true } : {}),
    },
    lines: lines.map((l): ReceiptOrderLine => ({
      name: l.name,
      quantity: l.quantity,
      unitPriceMinor: l.unit_price_minor,
      lineDiscountMinor: l.line_discount_minor,
      vatRateBp: l.vat_rate_bp,
      lineTotalMinor: l.line_total_minor,
      vatMinor: l.vat_minor,
      weightGrams: l.weight_grams,
      pricePerKgMinor: l.price_per_kg_minor,
      modifiers: mods
        .filter((m) => m.position === l.position)
        .map((m) => ({
          name: m.name,
          priceMinor: m.price_minor,
          vatRateBp: m.vat_rate_bp,
          totalMinor: m.total_minor,
          vatMinor: m.vat_minor,
        })),
    })),
    tenders: tenders.map((t): ReceiptTender => ({
      kind: t.kind,
      amountMinor: t.amount_minor,
      tenderedMinor: t.tendered_minor,
      changeMinor: t.change_minor,
      ...(t.rounding_minor ? { roundingMinor: t.rounding_minor } : {}),
      terminalId: t.terminal_id,
      cardType: t.card_type,
      cardLast4: t.card_last4,
      authCode: t.auth_code,
      reference: t.reference,
      tipMinor: t.tip_minor ?? 0,
    })),
    cardPayments: attempts.map(toCardPayment),
  };
}

export function loadRefundReceiptInput(
  db: Db,
  refundId: string,
  shop: ShopInfo,
): RefundReceiptInput & { orderId: string | null } {
  const r = db
    .prepare<[string], RefundRow>(
      `SELECT r.id, r.order_id, r.kind, r.amount_minor, r.currency, r.reason, r.attempt_id, r.updated_at, o.reference, o.till_id
       FROM refunds r LEFT JOIN orders o ON o.id = r.order_id WHERE r.id = ?`,
    )
    .get(refundId);
  if (!r)
    throw new TillError(
      'NOT_FOUND',
      'That refund does not exist, so there is no refund receipt to print.',
    );
  const attempt = r.attempt_id
    ? db
        .prepare<[string], AttemptRow>(
          `SELECT id, terminal_id, terminal_tid, amount_minor, customer_receipt, merchant_receipt, signature_taken FROM payment_attempts WHERE id = ?`,
        )
        .get(r.attempt_id)
    : undefined;
  return {
    shop,
    orderId: r.order_id,
    refund: {
      id: r.id,
      kind: r.kind === 'unlinked' ? 'unlinked' : r.kind === 'server' ? 'server' : 'matched',
      amountMinor: r.amount_minor,
      currency: currency(r.currency),
      reason: r.reason,
      at: r.updated_at,
    },
    orderReference: r.reference,
    tillId: r.till_id ?? shop.tillName,
    cardPayment: attempt ? toCardPayment(attempt) : null,
  };
}
