import { TillError } from '../../src-shared/errors';
import type { Db } from '../db/connection';
import type { DojoModule } from '../dojo/dojo.module';
import type { Logger } from '../logging/logger';
import type { OrdersPort } from '../orders/orders-port';
import { dojoUnreachableNow } from '../payments/terminal-guard';
import type { EventBus } from '../platform/event-bus';
import type { FeatureModule } from '../platform/feature-module';
import type { ReceiptChoiceService } from '../receipts/receipt-choice.service';
import { createOtherTendersService } from './other-tenders.service';
import { createTendersHandlers } from './tenders.ipc';

/**
 * Vouchers and cards taken on another terminal during an outage; those cards are matched with
 * Dojo's record as soon as Dojo is back (`linkChanged`).
 */
export function createTendersModule(deps: {
  db: Db;
  log: Logger;
  bus: EventBus;
  dojo: DojoModule;
  orders: OrdersPort;
  receipts: ReceiptChoiceService;
}) {
  const { dojo, orders, log } = deps;
  const tenders = createOtherTendersService({
    db: deps.db,
    logger: log,
    dojo: dojo.client,
    applyTender: (tender, withTender) => orders.applyTender(tender, withTender),
    getOrderSummary: (orderId) => {
      const order = orders.findSummary(orderId);
      if (!order) throw new TillError('NOT_FOUND', 'That order does not exist.');
      return order;
    },
    // The same rule as card work (payments/terminal-guard.ts).
    dojoUnreachable: () => dojoUnreachableNow(dojo.link),
    onMatched: (run) => {
      for (const t of run.matched)
        deps.bus.emit('orders:changed', {
          orderId: t.orderId,
          reference: t.reference,
          status: 'paid',
        });
    },
  });
  return {
    name: 'tenders',
    service: tenders,
    handlers: createTendersHandlers(tenders, deps.receipts),
    /** Dojo's link changed: once online, cards taken elsewhere are looked for. */
    linkChanged() {
      if (dojo.link.state === 'online' && tenders.hasWaiting())
        void tenders
          .matchNow()
          .catch((error: unknown) =>
            log.warn('matching cards taken elsewhere failed', { error: String(error) }),
          );
    },
  } satisfies FeatureModule & Record<string, unknown>;
}
