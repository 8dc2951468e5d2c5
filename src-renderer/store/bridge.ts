import type { StoreApi } from 'zustand';
import type { TillApi } from '../../src-shared/contract';
import type { TillState } from './store';

/** The one place IPC events reach the store. Returns a function that unwires everything. */
export function bridgeEvents(till: TillApi, store: StoreApi<TillState>): () => void {
  const offs = [till.on('status:changed', (status) => store.getState().setStatus(status))];
  void store.getState().loadApp();
  return () => offs.forEach((off) => off());
}
