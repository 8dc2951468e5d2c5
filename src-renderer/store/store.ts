import { createContext, useContext } from 'react';
import { createStore, useStore, type StoreApi } from 'zustand';
import type { TillApi } from '../../src-shared/contract';
import { createAppSlice, type AppSlice } from './app.slice';
import { createAwaitingSlice, type AwaitingSlice } from './awaiting.slice';
import { createBackupsSlice, type BackupsSlice } from './backups.slice';
import { createQueueSlice, type QueueSlice } from './queue.slice';
import { createBasketSlice, type BasketSlice } from './basket.slice';
import { createCatalogueSlice, type CatalogueSlice } from './catalogue.slice';
import { createCheckoutSlice, type CheckoutSlice } from './checkout.slice';
import { createOrdersSlice, type OrdersSlice } from './orders.slice';
import { createPaymentSlice, type PaymentSlice } from './payment.slice';
import { createPrinterSlice, type PrinterSlice } from './printer.slice';
import { createReportsSlice, type ReportsSlice } from './reports.slice';
import { createSettingsSlice, type SettingsSlice } from './settings.slice';
import { createShopSlice, type ShopSlice } from './shop.slice';
import { createTerminalsSlice, type TerminalsSlice } from './terminals.slice';
import { createUpdatesSlice, type UpdatesSlice } from './updates.slice';
import { createStaffSlice, type StaffSlice } from './staff.slice';
import { createReturnsSlice, type ReturnsSlice } from './returns.slice';
import { createTendersSlice, type TendersSlice } from './tenders.slice';

export type TillState = AppSlice &
  CatalogueSlice &
  BasketSlice &
  AwaitingSlice &
  CheckoutSlice &
  TerminalsSlice &
  PaymentSlice &
  OrdersSlice &
  SettingsSlice &
  PrinterSlice &
  ReportsSlice &
  UpdatesSlice &
  BackupsSlice &
  QueueSlice &
  ShopSlice &
  StaffSlice &
  ReturnsSlice &
  TendersSlice;

/** One store built from slices; created by the caller (no import-time side effects). */
export function createTillStore(till: TillApi): StoreApi<TillState> {
  return createStore<TillState>()((...a) => ({
    ...createAppSlice(till)(...a),
    ...createCatalogueSlice(till)(...a),
    ...createBasketSlice(till)(...a),
    ...createAwaitingSlice(till)(...a),
    ...createCheckoutSlice(till)(...a),
    ...createTerminalsSlice(till)(...a),
    ...createPaymentSlice(till)(...a),
    ...createOrdersSlice(till)(...a),
    ...createSettingsSlice(till)(...a),
    ...createPrinterSlice(till)(...a),
    ...createReportsSlice(till)(...a),
    ...createUpdatesSlice(till)(...a),
    ...createBackupsSlice(till)(...a),
    ...createQueueSlice(till)(...a),
    ...createShopSlice(till)(...a),
    ...createStaffSlice(till)(...a),
    ...createReturnsSlice(till)(...a),
    ...createTendersSlice(till)(...a),
  }));
}

export const StoreContext = createContext<StoreApi<TillState> | null>(null);

export function useTillStore<T>(selector: (state: TillState) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useTillStore outside <StoreContext.Provider>');
  return useStore(store, selector);
}
