import type { StoreApi } from 'zustand';
import type { TillApi } from '../../src-shared/contract';
import type { TillState } from './store';
import { hasLink } from '../transport/ws-till';

/** A basket with lines or a checkout is open on this page (an update must not install under it). */
const basketOpen = (state: TillState): boolean => state.items.length > 0 || state.checkout !== null;

/** The one place IPC events reach the store. Returns a function that unwires everything. */
export function bridgeEvents(till: TillApi, store: StoreApi<TillState>): () => void {
  const s = () => store.getState();
  const offs = [
    till.on('status:changed', (status) => {
      const before = s().status?.dojo.state;
      s().setStatus(status);
      // Back from offline: the terminal list shown is stale.
      if (before === 'offline' && status.dojo.state === 'online') void s().loadTerminals();
      // The queue screen follows the counts (an item done, stopped or revived elsewhere).
      if (s().queueOpen) void s().loadQueue();
    }),
    till.on('catalogue:changed', () => void s().loadCatalogue()),
    till.on('orders:changed', (change) => {
      if (
        change.status === 'parked' ||
        change.status === 'deleted' ||
        s().parked.some((o) => o.id === change.orderId)
      )
        void s().loadParked();
      if (
        change.status === 'awaiting_card' ||
        s().awaitingCard.some((o) => o.id === change.orderId)
      )
        void s().loadAwaitingCard();
      if (s().selectedOrder?.id === change.orderId) void s().refreshSelectedOrder();
      if (s().checkout?.order.id === change.orderId) void s().refreshOrder();
    }),
    till.on('payments:progress', (progress) => {
      s().applyProgress(progress);
      // A refund or sale finished for the order on screen (maybe in another tab): what is still
      // refundable has changed.
      if (progress.isFinal && progress.orderId && s().selectedOrder?.id === progress.orderId)
        void s().refreshSelectedOrder();
    }),
    till.on('terminals:status', (status) => s().setTerminalsStatus(status)),
    till.on('printing:status', (status) => s().setPrinterStatus(status)),
    till.on('printing:job', (job) => s().jobChanged(job)),
    till.on('updates:changed', (status) => s().setUpdate(status)),
    // The core cannot see a basket before it is committed: say when one opens or empties (only
    // with someone signed in: the core refuses every request from nobody, and says so in its log).
    store.subscribe((state, previous) => {
      const open = basketOpen(state);
      if (open !== basketOpen(previous) && state.session?.staff) void state.reportBasket(open);
    }),
    till.on('staff:changed', (session) => {
      const before = s().session?.staff?.id ?? null;
      s().setSession(session);
      // Whoever signs in after nobody was (a restarted core, the PIN pad at start) sees the
      // till as it is now: what was refused while nobody was signed in is read again.
      if (before === null && session.staff) {
        void loadAll();
        void s().resyncPayment();
        if (s().checkout) void s().refreshOrder();
      }
    }),
  ];
  const loadAll = async () => {
    // Who is signed in first: the till's own data (catalogue, parked orders, terminals) is read
    // only for someone, as the core refuses every such request from nobody and logs each refusal;
    // whoever signs in after nobody has it all read then (staff:changed above).
    // The basket as this page has it now is stated then too: after a reload the core would
    // otherwise keep what the page before it last said (an open basket holding an update back),
    // and a restarted core would know none.
    const forSomeone = s()
      .loadSession()
      .then(async () => {
        if (!s().session?.staff) return;
        void s().reportBasket(basketOpen(s()));
        await Promise.all([s().loadCatalogue(), s().loadParked(), s().loadAwaitingCard()]);
        await s().loadTerminals();
      });
    await Promise.all([
      s().loadApp(),
      s().loadSettings(),
      s().loadPrinterStatus(),
      s().loadUpdate(),
      forSomeone,
    ]);
  };
  if (hasLink(till)) {
    s().setCoreLink(till.link());
    let wasDown = false;
    offs.push(
      till.onLink((link) => {
        s().setCoreLink(link);
        if (link !== 'connected') {
          wasDown = true;
          return;
        }
        if (!wasDown) return;
        wasDown = false;
        // Events sent while the link was down (or by a core that restarted) are gone: read
        // everything shown again, the payment in progress and the open order included.
        void loadAll();
        void s().resyncPayment();
        if (s().checkout) void s().refreshOrder();
        if (s().selectedOrder) void s().refreshSelectedOrder();
      }),
    );
  }
  void loadAll();
  return () => offs.forEach((off) => off());
}
