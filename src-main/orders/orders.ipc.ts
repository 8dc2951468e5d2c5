import type { Handlers } from '../../src-shared/contract';
import type { ordersChannels } from '../../src-shared/contract/orders.contract';
import { TillError } from '../../src-shared/errors';
import type { OrdersService } from './orders.service';
import type { SharedCatalogue } from './shared-catalogue';

export type OrdersChannel = keyof typeof ordersChannels;

/** Thin handlers: inputs arrive parsed by the dispatcher; the services do the work. */
export function createOrdersHandlers(deps: {
  orders: OrdersService;
  /** A till joined to a shop edits the shop's catalogue (docs/SHOP-DATABASE.md). */
  shared?: SharedCatalogue;
}): Pick<Handlers, OrdersChannel> {
  const { orders, shared } = deps;
  const { catalogue } = orders;

  return {
    'catalogue:list': (query) => catalogue.list(query),
    'catalogue:upsert': (input) => {
      const shop = shared?.joined() ? shared : null;
      return shop ? catalogue.upsertInShop(input, shop) : catalogue.upsert(input);
    },
    'catalogue:delete': ({ id }) => {
      const shop = shared?.joined() ? shared : null;
      return shop ? catalogue.deactivateInShop(id, shop) : catalogue.delete(id);
    },
    'catalogue:import-csv': ({ csv }) => {
      // A file imported on one till would fork the shop's catalogue from the other tills'.
      if (shared?.joined())
        throw new TillError(
          'VALIDATION',
          'This till is joined to a shop: its catalogue is the shop’s. Add or change products one at a time here (they reach every till), or leave the shop to import a file.',
        );
      return catalogue.importCsv(csv);
    },
    'catalogue:lookup-barcode': ({ barcode }) => catalogue.lookupBarcode(barcode),
    'catalogue:scan': ({ barcode }) => catalogue.scan(barcode),
    'catalogue:vat-rates': () => catalogue.vatRates(),
    'catalogue:set-vat-rates': ({ rates }) => {
      const shop = shared?.joined() ? shared : null;
      return shop ? catalogue.setVatRatesInShop(rates, shop) : catalogue.setVatRates(rates);
    },
    'catalogue:modifier-groups': () => catalogue.modifierGroups(),
    'catalogue:upsert-modifier-group': ({ approval: _approval, ...group }) => {
      const shop = shared?.joined() ? shared : null;
      return shop
        ? catalogue.upsertModifierGroupInShop(group, shop)
        : catalogue.upsertModifierGroup(group);
    },
    'catalogue:export-csv': () => ({ csv: catalogue.exportCsv() }),
    'orders:create': (basket) => orders.createOrder(basket),
    'orders:park': (input) => orders.park(input),
    'orders:list-parked': () => orders.listParked(),
    'orders:resume': ({ orderId }) => orders.resume(orderId),
    'orders:void': ({ orderId, reason }) => orders.void(orderId, reason),
    'orders:pay-cash': (input) => orders.payCash(input),
    'orders:sell-cash': ({ tenderedMinor, orderId, idempotencyKey: _key, ...basket }) =>
      orders.sellCash({ basket, tenderedMinor, ...(orderId ? { orderId } : {}) }),
    'orders:list': (query) => orders.list(query),
    'orders:get': ({ orderId }) => orders.getDetail(orderId),
    'orders:awaiting-card': () => orders.listAwaitingCard(),
  };
}
