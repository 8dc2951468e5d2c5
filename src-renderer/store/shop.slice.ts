import type { StateCreator } from 'zustand';
import type { ShopEndOfDay, ShopLinkStatus, TillApi } from '../../src-shared/contract';
import type { TillState } from './store';

/** The shop database link as Settings shows it; the address itself never comes back from main. */
export type ShopSlice = {
  shopLink: ShopLinkStatus | null;
  shopBusy: boolean;
  loadShopLink: () => Promise<void>;
  connectShop: (url: string) => Promise<string | null>;
  disconnectShop: () => Promise<string | null>;
  /** The whole shop's open day, read from the shop database (Reports → Whole shop). */
  shopDay: ShopEndOfDay | null;
  shopDayError: string | null;
  shopDayBusy: boolean;
  loadShopDay: () => Promise<void>;
};

export const createShopSlice =
  (till: TillApi): StateCreator<TillState, [], [], ShopSlice> =>
  (set, get) => ({
    shopLink: null,
    shopBusy: false,
    shopDay: null,
    shopDayError: null,
    shopDayBusy: false,
    async loadShopDay() {
      set({ shopDayBusy: true });
      try {
        const r = await till['shop:end-of-day']();
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
