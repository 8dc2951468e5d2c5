import type { Db } from '../db/connection';
import type { DojoModule } from '../dojo/dojo.module';
import type { Logger } from '../logging/logger';
import type { CashService } from '../cash/cash.service';
import type { OrdersPort } from '../orders/orders-port';
import type { PaymentsService } from '../payments/payments.service';
import type { EventBus } from '../platform/event-bus';
import type { FeatureModule } from '../platform/feature-module';
import type { PrintService } from '../printing/print-service';
import type { ReceiptChoiceService } from '../receipts/receipt-choice.service';
import type { SettingsService } from '../settings/settings.service';
import type { ShopFeature } from '../shop/shop.feature';
import { createShopReturns } from '../shop/shop-returns';
import { createReturnsHandlers } from './returns.ipc';
import { createReturnsService } from './returns.service';
import { createReversals } from './reversal';

/**
 * Returns by item, exchanges and same-day reversals (docs/RETURNS.md), and, on a till joined to a
 * shop, returns of another till's order. Listens to "order paid" (an exchange's new order prints
 * the exchange receipt) and "refund completed" (the return a refund pays follows it).
 */
export function createReturnsModule(deps: {
  db: Db;
  log: Logger;
  bus: EventBus;
  settings: SettingsService;
  tillId: string;
  dojo: DojoModule;
  orders: OrdersPort;
  payments: PaymentsService;
  cash: CashService;
  printing: PrintService;
  receipts: ReceiptChoiceService;
  shop: ShopFeature;
}) {
  const { db, log, settings, shop } = deps;
  const currency = () => settings.get().currency;
  let acrossTillsLate: ReturnType<typeof createShopReturns> | null = null;
  const returns = createReturnsService({
    db,
    logger: log,
    bus: deps.bus,
    currency,
    tillId: () => settings.get().tillName || deps.tillId,
    orders: deps.orders,
    payments: deps.payments,
    cash: deps.cash,
    printing: deps.printing,
    // An exchange receipt follows the new order's receipt choice, like a sale receipt.
    receiptWanted: (orderId) => deps.receipts.wantsPrinted(orderId),
    // Joined to a shop: other tills' returns of this till's order count too (shop-returns.ts).
    elsewhere: (orderId) => acrossTillsLate?.elsewhere(orderId) ?? null,
  });
  const reversals = createReversals({
    db,
    logger: log,
    bus: deps.bus,
    dojo: deps.dojo.client,
    orders: deps.orders,
    payments: deps.payments,
  });
  // Another till's order is returned here against what every till already took back of it.
  const acrossTills = createShopReturns({
    db,
    log,
    url: () => shop.url(),
    currency,
    returns: { get: (id) => returns.get(id), written: (id) => returns.written(id) },
    serverRefund: (input) => deps.payments.serverRefund(input),
    openDrawer: (reference) => deps.printing.openDrawer(reference),
    cash: deps.cash,
    announce: (orderId) => deps.orders.announceChange(orderId),
    linkUp: () => shop.status().state === 'connected',
  });
  acrossTillsLate = acrossTills;

  return {
    name: 'returns',
    service: returns,
    handlers: createReturnsHandlers(returns, reversals, acrossTills),
    listens: ['order:paid', 'refund:completed'],
    onOrderPaid: ({ orderId }: { orderId: string }) => returns.onOrderPaid(orderId),
    onRefundCompleted: ({ refundId }: { refundId: string }) => returns.onRefundSettled(refundId),
    /** A card attempt ended (approved or not): the pending returns it pays settle. */
    onAttemptFinal: () => returns.onAttemptFinal(),
  } satisfies FeatureModule & Record<string, unknown>;
}
