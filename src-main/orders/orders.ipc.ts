import type { Handlers } from '../../src-shared/contract';
import type { OrdersService } from './orders.service';

export type OrdersChannel =
  | 'catalogue:list'
  | 'catalogue:upsert'
  | 'catalogue:delete'
  | 'catalogue:import-csv'
  | 'catalogue:lookup-barcode'
  | 'catalogue:scan'
  | 'catalogue:vat-rates'
  | 'catalogue:set-vat-rates'
  | 'catalogue:modifier-groups'
  | 'catalogue:upsert-modifier-group'
  | 'catalogue:export-csv'
  | 'orders:create'
  | 'orders:park'
  | 'orders:list-parked'
  | 'orders:resume'
  | 'orders:void'
  | 'orders:pay-cash'
  | 'orders:list'
  | 'orders:get'
  | 'orders:awaiting-card';

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
