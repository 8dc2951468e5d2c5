import type { StateCreator } from 'zustand';
import type { TillApi } from '../../src-shared/contract';
import type { Order, OrderDetail } from '../../src-shared/domain/orders';
import { requestKeysFor } from '../lib/request-key';
import type { TillState } from './store';

export type Checkout = {
  order: OrderDetail;
  /** Change owed from the last cash tender, shown big until the next sale. */
  lastChangeMinor: number;
};

export type CheckoutSlice = {
  checkout: Checkout | null;
  checkoutError: string | null;
  checkoutBusy: boolean;
  /** Commits the basket as an order and opens the tender panel. */
  beginCheckout: () => Promise<boolean>;
  adoptOrder: (order: Order) => Promise<void>;
  refreshOrder: () => Promise<void>;
  payCash: (amountMinor: number, tenderedMinor: number) => Promise<boolean>;
  /** Back to the basket: the order stays the basket's own (same reference) until paid, parked or cleared. */
  abandonCheckout: () => Promise<void>;
  /**
   * The next sale: the core agrees first (it refuses while a card payment is still running), then
   * the screen empties. False, with the reason shown, when refused.
   */
  newSale: () => Promise<boolean>;
  setCheckoutError: (message: string | null) => void;
};

/** The sale screen with nothing on it: no basket, no order, no payment dialog. */
export const emptySaleScreen = {
  checkout: null,
  checkoutError: null,
  items: [],
  eatIn: false,
  basketDiscount: null,
  basketMessage: null,
  basketOrderId: null,
  payment: null,
  tipPrompt: null,
} satisfies Partial<TillState>;

export const createCheckoutSlice =
  (till: TillApi): StateCreator<TillState, [], [], CheckoutSlice> =>
  (set, get) => ({
    checkout: null,
    checkoutError: null,
    checkoutBusy: false,
    async beginCheckout() {
      if (get().checkout) return true;
      const b = get().basketForCore();
      if (!b.ok) {
        set({ basketMessage: { kind: 'error', text: b.message } });
        return false;
      }
      set({ checkoutBusy: true });
      const orderId = get().basketOrderId;
      const r = await till['orders:create']({ ...b.basket, ...(orderId ? { orderId } : {}) });
      set({ checkoutBusy: false });
      if (!r.ok) {
        set({ basketMessage: { kind: 'error', text: r.error.message } });
        return false;
      }
      set({ basketOrderId: r.value.id });
      await get().adoptOrder(r.value);
      return true;
    },
    async adoptOrder(order) {
      set({
        checkout: {
          order: { ...order, tenders: [], refunds: [], attempts: [] },
          lastChangeMinor: 0,
        },
        checkoutError: null,
      });
      await get().refreshOrder();
    },
    async refreshOrder() {
      const c = get().checkout;
      if (!c) return;
      const r = await till['orders:get']({ orderId: c.order.id });
      const now = get().checkout;
      if (r.ok && now && now.order.id === r.value.id) set({ checkout: { ...now, order: r.value } });
    },
    payCash(amountMinor, tenderedMinor) {
      const c = get().checkout;
      if (!c) return Promise.resolve(false);
      // The key is held until the order on screen shows this payment, so a repeated press in
      // between is answered with this result rather than paying again.
      return requestKeysFor(till).press(`pay-cash:${c.order.id}`, async (idempotencyKey) => {
        set({ checkoutBusy: true, checkoutError: null });
        const r = await till['orders:pay-cash']({
          orderId: c.order.id,
          amountMinor,
          tenderedMinor,
          idempotencyKey,
        });
        if (!r.ok) {
          set({ checkoutBusy: false, checkoutError: r.error.message });
          return false;
        }
        const now = get().checkout;
        if (now?.order.id === c.order.id)
          set({ checkout: { ...now, lastChangeMinor: r.value.changeMinor } });
        await get().refreshOrder();
        set({ checkoutBusy: false });
        return true;
      });
    },
    async abandonCheckout() {
      const c = get().checkout;
      if (!c) return;
      if (c.order.status === 'awaiting_card') {
        // Still waiting for card payment: it goes back to its list, never voided.
        set({ checkout: null, checkoutError: null });
        await get().loadAwaitingCard();
        return;
      }
      if (c.order.paidMinor > 0) {
        set({ checkoutError: 'Part of this order is paid: take the rest before going back' });
        return;
      }
      set({ checkout: null, checkoutError: null, basketOrderId: c.order.id });
    },
    async newSale() {
      const r = await till['payments:new-sale']();
      if (!r.ok) {
        get().say('error', r.error.message);
        return false;
      }
      set(emptySaleScreen);
      return true;
    },
    setCheckoutError: (message) => set({ checkoutError: message }),
  });
