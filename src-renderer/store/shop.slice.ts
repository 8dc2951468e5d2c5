import type { StateCreator } from 'zustand';
import type {
  InputOf,
  ShopEndOfDay,
  ShopLinkStatus,
  ShopOrderDetail,
  ShopOrderPage,
  TillApi,
} from '../../src-shared/contract';
import type { ReturnsOfOrder } from '../../src-shared/domain/returns';
import type { TillState } from './store';

/** The shop database link as Settings shows it; the address itself never comes back from main. */
export type ShopSlice = {
  shopLink: ShopLinkStatus | null;
  shopBusy: boolean;
  loadShopLink: () => Promise<void>;
  connectShop: (url: string) => Promise<string | null>;
  disconnectShop: () => Promise<string | null>;
  /** The whole shop's day, read from the shop database (Reports → Whole shop). */
  shopDay: ShopEndOfDay | null;
  shopDayError: string | null;
  shopDayBusy: boolean;
  /** Which day Whole shop shows: every till's open day, or every till's latest closed day. */
  shopDayClosed: boolean;
  /** Reads the shop's day again; `closed` switches between the open and the closed day. */
  loadShopDay: (closed?: boolean) => Promise<void>;
  /** Orders → Whole shop: every till's orders, and one opened read-only. */
  shopOrders: ShopOrderPage | null;
  shopOrdersError: string | null;
  shopOrder: ShopOrderDetail | null;
  /** The open shop order's lines with what every till returned (null: not readable now). */
  shopOrderReturns: ReturnsOfOrder | null;
  searchShopOrders: (q: InputOf<'shop:search-orders'>) => Promise<void>;
  openShopOrder: (orderId: string) => Promise<void>;
  closeShopOrder: () => void;
};

export const createShopSlice =
  (till: TillApi): StateCreator<TillState, [], [], ShopSlice> =>
  (set, get) => ({
    shopLink: null,
    shopBusy: false,
    shopDay: null,
    shopDayError: null,
    shopDayBusy: false,
    shopDayClosed: false,
    shopOrders: null,
    shopOrdersError: null,
    shopOrder: null,
    shopOrderReturns: null,
    async searchShopOrders(q) {
      const r = await till['shop:search-orders'](q);
      if (r.ok) set({ shopOrders: r.value, shopOrdersError: null });
      else set({ shopOrders: null, shopOrdersError: r.error.message });
    },
    async openShopOrder(orderId) {
      const r = await till['shop:get-order']({ orderId });
      if (!r.ok) return set({ shopOrdersError: r.error.message });
      set({ shopOrder: r.value, shopOrdersError: null, shopOrderReturns: null });
      // Another till's paid order can be returned here: its lines with what every till returned.
      if (r.value.status !== 'paid') return;
      const lines = await till['returns:for-order']({ orderId });
      if (get().shopOrder?.orderId === orderId)
        set({ shopOrderReturns: lines.ok ? lines.value : null });
    },
    closeShopOrder: () => set({ shopOrder: null, shopOrderReturns: null }),
    async loadShopDay(closed) {
      const wantClosed = closed ?? get().shopDayClosed;
      // Switching days: the other day's figures must not stay on screen meanwhile.
      if (wantClosed !== get().shopDayClosed) set({ shopDay: null, shopDayClosed: wantClosed });
      set({ shopDayBusy: true });
      try {
        const r = await till['shop:end-of-day'](wantClosed ? { closed: true } : undefined);
        // A switch made while this read was on its way wins.
        if (get().shopDayClosed !== wantClosed) return;
        if (r.ok) set({ shopDay: r.value, shopDayError: null });
        else set({ shopDayError: r.error.message });
      } finally {
        set({ shopDayBusy: false });
      }
    },
    async loadShopLink() {
      const r = await till['shop:status']();
      if (r.ok) set({ shopLink: r.value });
    },
    async connectShop(url) {
      set({ shopBusy: true });
      try {
        const r = await till['shop:connect']({ url });
        if (!r.ok) return r.error.message;
        set({ shopLink: r.value });
        get().say('ok', 'Joined the shop database');
        return null;
      } finally {
        set({ shopBusy: false });
      }
    },
    async disconnectShop() {
      set({ shopBusy: true });
      try {
        const r = await till['shop:disconnect']();
        if (!r.ok) return r.error.message;
        set({ shopLink: r.value });
        get().say('ok', 'This till now works alone');
        return null;
      } finally {
        set({ shopBusy: false });
      }
    },
  });
