import type { BasketLine, Discount, Order, OrderSummary } from '../../src-shared/domain/orders';
import type { LineToPrice, PricedBasket } from '../../src-shared/domain/pricing';
import type { CurrencyCode } from '../../src-shared/money';
import type { NewTender, TenderApplied } from './tenders.repo';

export type { NewTender, TenderApplied };
/**
 * The small read the refund caps make (payments/refundable.ts): an order's reference, status,
 * currency and paid figure, read inside the caller's transaction with the write it guards.
 */
export { paidFigures, type PaidFigures } from './orders.queries';

/** A new order opened inside another feature's transaction, with a credit already paid on it. */
export type CreditedOrder = {
  id: string;
  currency: CurrencyCode;
  note: string | null;
  basketDiscount: Discount | null;
  priced: PricedBasket;
  at: Date;
  /** Paid on the order at once (0 for none); the order is paid when it covers the total. */
  creditMinor: number;
};

/**
 * What other features (payments, tenders) may do with orders: read one, apply a tender, say that
 * an order changed. They never write or query the orders tables themselves. The orders service is
 * the one implementation; tests hand the real service over too.
 */
export type OrdersPort = {
  /** The order with its lines and modifiers; NOT_FOUND when there is none. */
  getOrder(orderId: string): Order;
  /** The order's reference, status and money, or null when there is none. */
  findSummary(orderId: string): OrderSummary | null;
  /**
   * Applies a tender in one transaction and, after the commit, emits `orders:changed` and runs the
   * order-paid hook (once: a repeated card tender changes nothing). `inTransaction` runs inside
   * that transaction after the tender (also for a repeat, with `alreadyRecorded` set): a feature
   * writes what must commit with the tender there (the attempt's final state, the tip, a match).
   */
  applyTender(tender: NewTender, inTransaction?: (applied: TenderApplied) => void): TenderApplied;
  /** Tells every screen showing the order that it changed through another feature (a refund). */
  announceChange(orderId: string): void;
  /**
   * Money went back on the order (a completed refund, a cash return, a reversal): adds it to the
   * order's refunded figure, inside the caller's transaction, so it commits with what gave it back.
   */
  recordRefunded(orderId: string, amountMinor: number): void;
  /**
   * A basket line as a sale prices it from the catalogue (sizes, choices, weight, eat-in VAT), or a
   * plain refusal (unknown or switched-off product, a size not chosen): the one rule for any basket.
   */
  lineForSale(line: BasketLine, eatIn: boolean): LineToPrice;
  /**
   * Opens an order (this till's next reference) inside the caller's transaction with `creditMinor`
   * already paid on it (an exchange's new basket); no event: the caller announces after its commit.
   */
  openCreditedOrder(order: CreditedOrder): { reference: string; paid: boolean };
};
