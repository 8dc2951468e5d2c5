import { createContext, useContext } from 'react';
import { createStore, useStore, type StoreApi } from 'zustand';
import type { TillApi } from '../../src-shared/contract';
import { createAppSlice, type AppSlice } from './app.slice';

export type TillState = AppSlice;

/** One store built from slices; created by the caller (no import-time side effects). */
export function createTillStore(till: TillApi): StoreApi<TillState> {
  return createStore<TillState>()((...a) => ({
    ...createAppSlice(till)(...a),
  }));
}

export const StoreContext = createContext<StoreApi<TillState> | null>(null);

export function useTillStore<T>(selector: (state: TillState) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useTillStore outside <StoreContext.Provider>');
  return useStore(store, selector);
}
