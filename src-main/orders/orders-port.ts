import type { Order, OrderSummary } from '../../src-shared/domain/orders';
import type { NewTender, TenderApplied } from './tenders.repo';

export type { NewTender, TenderApplied };

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
};
