import type { StateCreator } from 'zustand';
import type { TillApi } from '../../src-shared/contract';
import type { Order, OrderDetail } from '../../src-shared/domain/orders';
import { previewBasket } from '../../src-shared/domain/pricing';
import { cashDue, cashRoundingStep } from '../../src-shared/domain/cash-rounding';
import { basketPreviewLines } from './basket.slice';
import { newRequestKey, requestKeysFor } from '../lib/request-key';
import type { TillState } from './store';

export type Checkout = {
  order: OrderDetail;
  /** Change owed from the last cash tender, shown big until the next sale. */
  lastChangeMinor: number;
  /** Sold for cash in one press from the basket: the change shows even when it is none. */
  soldForCash?: true;
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
  /**
   * What the basket on screen costs in cash: its total after cash rounding (what "Cash, exact"
   * hands over, and the smallest note key shown). The core prices it again and has the last word.
   */
  basketCashDue: () => number;
  /**
   * One press from the basket sells it for cash: order and tender in one commit, then the
   * sale-complete screen with the change. `'exact'` hands over the amount due. False (the reason
   * in the basket's message area, the basket kept) when it did not sell.
   */
  sellCash: (tendered: number | 'exact') => Promise<boolean>;
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

/** Per till connection: the request key of the basket's one-press cash sale until it is through. */
const heldSales = new WeakMap<object, { shape: string; key: string }>();

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
    basketCashDue() {
      const s = get();
      const total = previewBasket(
        basketPreviewLines(s.items, s.eatIn),
        s.basketDiscount,
      ).totalMinor;
      const step = cashRoundingStep(s.info?.currency ?? 'GBP', s.settings?.cashRounding ?? 'none');
      return cashDue(total, total, step).dueMinor;
    },
    async sellCash(tendered) {
      // A second tap while the first is on its way does nothing: the keys are off until it ends.
      if (get().checkout || get().checkoutBusy) return false;
      const b = get().basketForCore();
      if (!b.ok) {
        set({ basketMessage: { kind: 'error', text: b.message } });
        return false;
      }
      const orderId = get().basketOrderId;
      const tenderedMinor = tendered === 'exact' ? get().basketCashDue() : tendered;
      const request = { ...b.basket, ...(orderId ? { orderId } : {}), tenderedMinor };
      // The key belongs to this basket and this press: it is kept until the sale is through, so
      // pressing again after an answer that never came (the link dropped) sells nothing twice.
      const shape = JSON.stringify(request);
      let held = heldSales.get(till);
      if (held?.shape !== shape) {
        held = { shape, key: newRequestKey() };
        heldSales.set(till, held);
      }
      const idempotencyKey = held.key;
      set({ checkoutBusy: true, basketMessage: null });
      const r = await get().withApproval((approval) =>
        till['orders:sell-cash']({ ...request, idempotencyKey, ...(approval ? { approval } : {}) }),
      );
      if (!r.ok) {
        set({ checkoutBusy: false, basketMessage: { kind: 'error', text: r.error.message } });
        return false;
      }
      heldSales.delete(till);
      const { order, changeMinor } = r.value;
      set({
        basketOrderId: order.id,
        checkout: {
          order: { ...order, tenders: [], refunds: [], attempts: [] },
          lastChangeMinor: changeMinor,
          soldForCash: true,
        },
        checkoutError: null,
        checkoutBusy: false,
      });
      await get().refreshOrder();
      return true;
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
