import type { Handlers } from '../../src-shared/contract';
import type { ordersChannels } from '../../src-shared/contract/orders.contract';
import type { OrdersService } from './orders.service';

export type OrdersChannel = keyof typeof ordersChannels;

/** Thin handlers: inputs arrive parsed by the dispatcher; the services do the work. */
export function createOrdersHandlers(deps: {
  orders: OrdersService;
}): Pick<Handlers, OrdersChannel> {
  const { orders } = deps;
  const { catalogue } = orders;
  return {
    'catalogue:list': (query) => catalogue.list(query),
    'catalogue:upsert': (input) => catalogue.upsert(input),
    'catalogue:delete': ({ id }) => catalogue.delete(id),
    'catalogue:import-csv': ({ csv }) => catalogue.importCsv(csv),
    'catalogue:lookup-barcode': ({ barcode }) => catalogue.lookupBarcode(barcode),
    'catalogue:scan': ({ barcode }) => catalogue.scan(barcode),
    'catalogue:vat-rates': () => catalogue.vatRates(),
    'catalogue:set-vat-rates': ({ rates }) => catalogue.setVatRates(rates),
    'catalogue:modifier-groups': () => catalogue.modifierGroups(),
    'catalogue:upsert-modifier-group': ({ approval: _approval, ...group }) =>
      catalogue.upsertModifierGroup(group),
    'catalogue:export-csv': () => ({ csv: catalogue.exportCsv() }),
    'orders:create': (basket) => orders.createOrder(basket),
    'orders:park': (input) => orders.park(input),
    'orders:list-parked': () => orders.listParked(),
    'orders:resume': ({ orderId }) => orders.resume(orderId),
    'orders:void': ({ orderId, reason }) => orders.void(orderId, reason),
    'orders:pay-cash': (input) => orders.payCash(input),
    'orders:list': (query) => orders.list(query),
    'orders:get': ({ orderId }) => orders.getDetail(orderId),
    'orders:awaiting-card': () => orders.listAwaitingCard(),
  };
}
