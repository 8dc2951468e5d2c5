import type { StoreApi } from 'zustand';
import type { TillApi } from '../../src-shared/contract';
import type { TillState } from './store';

/** The one place IPC events reach the store. Returns a function that unwires everything. */
export function bridgeEvents(till: TillApi, store: StoreApi<TillState>): () => void {
  const s = () => store.getState();
  const offs = [
    till.on('status:changed', (status) => {
      const before = s().status?.dojo.state;
      s().setStatus(status);
      // Back from offline: the terminal list shown is stale.
      if (before === 'offline' && status.dojo.state === 'online') void s().loadTerminals();
    }),
    till.on('catalogue:changed', () => void s().loadCatalogue()),
    till.on('orders:changed', (change) => {
      if (change.status === 'parked' || change.status === 'deleted') void s().loadParked();
      if (
        change.status === 'awaiting_card' ||
        s().awaitingCard.some((o) => o.id === change.orderId)
      )
        void s().loadAwaitingCard();
      if (s().selectedOrder?.id === change.orderId) void s().refreshSelectedOrder();
      if (s().checkout?.order.id === change.orderId) void s().refreshOrder();
    }),
    till.on('payments:progress', (progress) => s().applyProgress(progress)),
    till.on('terminals:status', (status) => s().setTerminalsStatus(status)),
    till.on('printing:status', (status) => s().setPrinterStatus(status)),
    till.on('printing:job', (job) => s().jobChanged(job)),
    till.on('staff:changed', (session) => s().setSession(session)),
  ];
  void (async () => {
    await Promise.all([
      s().loadApp(),
      s().loadSettings(),
      s().loadCatalogue(),
      s().loadParked(),
      s().loadAwaitingCard(),
      s().loadPrinterStatus(),
      s().loadSession(),
    ]);
    await s().loadTerminals();
  })();
  return () => offs.forEach((off) => off());
}
