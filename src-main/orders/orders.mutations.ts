import type { Db } from '../db/connection';
import type { OrderStatus } from '../../src-shared/domain/order-status';
import type { Discount } from '../../src-shared/domain/orders';
import type { CurrencyCode } from '../../src-shared/money';
import type { PricedBasket } from '../../src-shared/domain/pricing';
import { audit as writeAudit } from '../platform/audit';
import { preparedFor } from '../platform/prepared';

export type NewOrder = {
  id: string;
  reference: string;
  status: OrderStatus;
  currency: CurrencyCode;
  tillId: string;
  note: string | null;
  basketDiscount: Discount | null;
  eatIn?: boolean;
  priced: PricedBasket;
  now: string;
};

const stmts = preparedFor((db) => ({
  insertOrder: db.prepare(
    `INSERT INTO orders (id, reference, status, currency, subtotal_minor, discount_minor, vat_minor, total_minor, till_id, note,
                         basket_discount, basket_discount_minor, created_at, updated_at, completed_at, eat_in)
     VALUES (@id, @reference, @status, @currency, @subtotal, @discount, @vat, @total, @tillId, @note,
             @basketDiscount, @basketDiscountMinor, @now, @now, @completedAt, @eatIn)`,
  ),
  insertLine: db.prepare(
    `INSERT INTO order_lines (order_id, position, product_id, name, quantity, unit_price_minor, discount_minor, vat_rate_bp,
                              line_total_minor, vat_minor, line_discount, line_discount_minor,
                              variant_id, variant_name, weight_grams, price_per_kg_minor, scale_barcode)
     VALUES (@orderId, @position, @productId, @name, @quantity, @unitPrice, @discount, @vatRate, @lineTotal, @vat,
             @lineDiscount, @lineDiscountMinor, @variantId, @variantName, @weightGrams, @pricePerKg, @scaleBarcode)`,
  ),
  insertModifier: db.prepare(
    `INSERT INTO order_line_modifiers (order_id, position, seq, modifier_id, group_name, name, price_minor, vat_rate_bp,
                                       total_minor, vat_minor)
     VALUES (@orderId, @position, @seq, @modifierId, @groupName, @name, @price, @vatRate, @total, @vat)`,
  ),
  deleteModifiers: db.prepare<[string]>('DELETE FROM order_line_modifiers WHERE order_id = ?'),
  replaceOrder: db.prepare(
    `UPDATE orders SET status = @status, subtotal_minor = @subtotal, discount_minor = @discount, vat_minor = @vat,
            total_minor = @total, note = @note, basket_discount = @basketDiscount,
            basket_discount_minor = @basketDiscountMinor, updated_at = @now, completed_at = @completedAt,
            eat_in = @eatIn
     WHERE id = @id`,
  ),
  countAttempts: db.prepare<{ id: string }, { n: number }>(
    'SELECT (SELECT count(*) FROM payment_attempts WHERE order_id = :id) + (SELECT count(*) FROM tenders WHERE order_id = :id) AS n',
  ),
  setStatus: db.prepare<[string, string, string]>(
    'UPDATE orders SET status = ?, updated_at = ? WHERE id = ?',
  ),
  addRefunded: db.prepare<[number, string, string]>(
    'UPDATE orders SET refunded_minor = refunded_minor + ?, updated_at = ? WHERE id = ?',
  ),
  deleteLines: db.prepare<[string]>('DELETE FROM order_lines WHERE order_id = ?'),
  deleteOrder: db.prepare<[string]>('DELETE FROM orders WHERE id = ?'),
  liveAttempts: db.prepare<[string], { n: number }>(
    'SELECT count(*) AS n FROM payment_attempts WHERE order_id = ? AND is_final = 0',
  ),
  references: db.prepare<{ id: string }, { n: number }>(
    `SELECT (SELECT count(*) FROM payment_attempts WHERE order_id = :id) + (SELECT count(*) FROM print_jobs WHERE order_id = :id)
          + (SELECT count(*) FROM tenders WHERE order_id = :id) + (SELECT count(*) FROM refunds WHERE order_id = :id) AS n`,
  ),
}));

/** Order and lines in the caller's transaction. A zero total (100 % off) is complete at once. */
export function insertOrder(db: Db, o: NewOrder): void {
  const s = stmts(db);
  s.insertOrder.run({
    id: o.id,
    reference: o.reference,
    status: o.status,
    currency: o.currency,
    subtotal: o.priced.subtotalMinor,
    discount: o.priced.discountMinor,
    vat: o.priced.vatMinor,
    total: o.priced.totalMinor,
    tillId: o.tillId,
    note: o.note,
    basketDiscount: o.basketDiscount ? JSON.stringify(o.basketDiscount) : null,
    basketDiscountMinor: o.priced.basketDiscountMinor,
    now: o.now,
    completedAt: o.status === 'paid' ? o.now : null,
    eatIn: o.eatIn ? 1 : 0,
  });
  insertLines(db, o.id, o.priced);
}

function insertLines(db: Db, orderId: string, priced: PricedBasket): void {
  const s = stmts(db);
  for (const l of priced.lines) {
    s.insertLine.run({
      orderId,
      position: l.position,
      productId: l.productId,
      name: l.name,
      quantity: l.quantity,
      unitPrice: l.unitPriceMinor,
      discount: l.discountMinor,
      vatRate: l.vatRateBp,
      lineTotal: l.lineTotalMinor,
      vat: l.vatMinor,
      lineDiscount: l.lineDiscount ? JSON.stringify(l.lineDiscount) : null,
      lineDiscountMinor: l.lineDiscountMinor,
      variantId: l.variantId ?? null,
      variantName: l.variantName ?? null,
      weightGrams: l.weightGrams ?? null,
      pricePerKg: l.pricePerKgMinor ?? null,
      scaleBarcode: l.scaleBarcode ?? null,
    });
    (l.modifiers ?? []).forEach((m, i) =>
      s.insertModifier.run({
        orderId,
        position: l.position,
        seq: i + 1,
        modifierId: m.modifierId,
        groupName: m.groupName,
        name: m.name,
        price: m.priceMinor,
        vatRate: m.vatRateBp,
        total: m.totalMinor,
        vat: m.vatMinor,
      }),
    );
  }
}

/** Payment attempts and tenders on an order: an order with none can still change its lines. */
export function countPaymentsTried(db: Db, orderId: string): number {
  return stmts(db).countAttempts.get({ id: orderId })?.n ?? 0;
}

/** Replaces an unpaid order's lines and totals in the caller's transaction; reference and creation time stay. */
export function replaceOrderBasket(
  db: Db,
  o: Omit<NewOrder, 'reference' | 'tillId' | 'currency'>,
): void {
  const s = stmts(db);
  s.replaceOrder.run({
    id: o.id,
    status: o.status,
    subtotal: o.priced.subtotalMinor,
    discount: o.priced.discountMinor,
    vat: o.priced.vatMinor,
    total: o.priced.totalMinor,
    note: o.note,
    basketDiscount: o.basketDiscount ? JSON.stringify(o.basketDiscount) : null,
    basketDiscountMinor: o.priced.basketDiscountMinor,
    now: o.now,
    completedAt: o.status === 'paid' ? o.now : null,
    eatIn: o.eatIn ? 1 : 0,
  });
  s.deleteModifiers.run(o.id);
  s.deleteLines.run(o.id);
  insertLines(db, o.id, o.priced);
}

export function setOrderStatus(db: Db, id: string, status: OrderStatus, now: string): void {
  stmts(db).setStatus.run(status, now, id);
}

/**
 * Credit from another feature's transaction goes on an order as paid (an exchange's new basket
 * takes what the returned items were worth); `paid` completes the order.
 */
export function creditOrder(db: Db, id: string, creditMinor: number, paid: boolean, now: string) {
  const status = paid ? 'paid' : 'open';
  db.prepare(
    `UPDATE orders SET paid_minor = paid_minor + ?, status = ?, updated_at = ?,
            completed_at = CASE WHEN ? = 'paid' THEN ? ELSE completed_at END WHERE id = ?`,
  ).run(creditMinor, status, now, status, now, id);
}

/** Money that went back on an order (any way): the figure the refund caps read. */
export function addRefunded(db: Db, id: string, amountMinor: number, now: string): void {
  stmts(db).addRefunded.run(amountMinor, now, id);
}

export function countLiveAttempts(db: Db, orderId: string): number {
  return stmts(db).liveAttempts.get(orderId)?.n ?? 0;
}

/** Removes a parked basket that was taken back into the UI, unless anything else points at it. */
export function deleteOrderIfUnreferenced(db: Db, id: string): boolean {
  const s = stmts(db);
  if ((s.references.get({ id })?.n ?? 0) > 0) return false;
  s.deleteModifiers.run(id);
  s.deleteLines.run(id);
  s.deleteOrder.run(id);
  return true;
}

/** The orders feature's audit rows: written by the till itself, at the time of the change. */
export const audit = (
  db: Db,
  action: string,
  subject: string | null,
  details: unknown,
  now: string,
): void => writeAudit(db, 'till', action, subject, details, now);
