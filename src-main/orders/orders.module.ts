import type { Db } from '../db/connection';
import type { Logger } from '../logging/logger';
import type { CoreEventBus, EventBus } from '../platform/event-bus';
import type { FeatureModule } from '../platform/feature-module';
import type { SettingsService } from '../settings/settings.service';
import { seedCatalogueIfEmpty } from './catalogue-seed';
import { createOrdersHandlers } from './orders.ipc';
import { createOrdersService } from './orders.service';
import type { SharedCatalogue } from './shared-catalogue';

/**
 * Baskets, orders, tenders and the catalogue. Emits "order paid" once per order, after the commit,
 * whichever tender completed it (cash, card, a card taken elsewhere); `orders:changed` goes to the
 * screens on every change.
 */
export function createOrdersModule(deps: {
  db: Db;
  log: Logger;
  bus: EventBus;
  events: CoreEventBus;
  settings: SettingsService;
  tillId: string;
  /** The sample catalogue a fresh till starts with. */
  sampleCataloguePath?: string;
  /** A till joined to a shop edits the shop's catalogue. */
  sharedCatalogue: SharedCatalogue;
}) {
  const { db, log, settings } = deps;
  seedCatalogueIfEmpty(db, {
    logger: log.child('catalogue'),
    ...(deps.sampleCataloguePath ? { csvPath: deps.sampleCataloguePath } : {}),
  });
  const orders = createOrdersService({
    db,
    logger: log,
    bus: deps.bus,
    tillId: () => settings.get().tillName || deps.tillId,
    currency: () => settings.get().currency,
    scaleRules: () => settings.get().scaleBarcodes,
    cashRounding: () => settings.get().cashRounding,
    onOrderPaid: (orderId, { cash }) => deps.events.emit('order:paid', { orderId, cash }),
  });
  return {
    name: 'orders',
    service: orders,
    handlers: createOrdersHandlers({ orders, shared: deps.sharedCatalogue }),
    emits: ['order:paid'],
  } satisfies FeatureModule & Record<string, unknown>;
}
