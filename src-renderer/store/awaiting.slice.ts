import type { StateCreator } from 'zustand';
import type { TillApi } from '../../src-shared/contract';
import type { OrderSummary } from '../../src-shared/domain/orders';
import type { TillState } from './store';
import { emptySaleScreen } from './checkout.slice';

/** What the cashier is told while Dojo cannot be reached (docs/ARCHITECTURE.md, Offline). */
export const cardUnavailableWords =
  'Card payments are unavailable: Dojo cannot be reached — take cash, or park the order for card payment later';

/** Orders parked as "awaiting card payment" while Dojo was unreachable, charged when it is back. */
export type AwaitingSlice = {
  awaitingCard: OrderSummary[];
  /** A Dojo check the cashier asked for is running. */
  dojoChecking: boolean;
  loadAwaitingCard: () => Promise<void>;
  /** The basket, or the order being paid, goes aside as awaiting card; the till is free for the next customer. */
  parkForCard: () => Promise<void>;
  /** Opens the awaiting order and sends what is left to pay to this till's terminal. */
  chargeAwaiting: (orderId: string) => Promise<void>;
  /** Asks the core to try Dojo now (a call that gets an answer brings the status back at once). */
  checkDojoAgain: () => Promise<void>;
};

export const createAwaitingSlice =
  (till: TillApi): StateCreator<TillState, [], [], AwaitingSlice> =>
  (set, get) => ({
    awaitingCard: [],
    dojoChecking: false,
    async loadAwaitingCard() {
      const r = await till['orders:awaiting-card']();
      if (r.ok) set({ awaitingCard: r.value });
    },
    async parkForCard() {
      const c = get().checkout;
      if (c) {
        const r = await till['orders:park']({ orderId: c.order.id, awaitingCard: true });
        if (!r.ok) {
          set({ checkoutError: r.error.message });
          return;
        }
        // Parked: the order is the list's now, and no payment runs on it.
        set({
          ...emptySaleScreen,
          basketMessage: { kind: 'ok', text: `Order ${r.value.reference} parked for card payment` },
        });
      } else {
        const b = get().basketForCore();
        if (!b.ok) {
          set({ basketMessage: { kind: 'error', text: b.message } });
          return;
        }
        const orderId = get().basketOrderId;
        const r = await till['orders:park']({
          basket: b.basket,
          awaitingCard: true,
          ...(orderId ? { orderId } : {}),
        });
        if (!r.ok) {
          set({ basketMessage: { kind: 'error', text: r.error.message } });
          return;
        }
        set({
          items: [],
          eatIn: false,
          basketDiscount: null,
          basketOrderId: null,
          basketMessage: { kind: 'ok', text: `Order ${r.value.reference} parked for card payment` },
        });
      }
      await get().loadAwaitingCard();
    },
    async chargeAwaiting(orderId) {
      if (get().checkout) {
        set({
          basketMessage: { kind: 'error', text: 'Finish or cancel the payment on screen first' },
        });
        return;
      }
      if (get().items.length > 0) {
        set({
          basketMessage: {
            kind: 'error',
            text: 'Park or clear the current basket before charging a waiting order',
          },
        });
        return;
      }
      const r = await till['orders:get']({ orderId });
      if (!r.ok || r.value.status !== 'awaiting_card') {
        set({
          basketMessage: {
            kind: 'error',
            text: r.ok
              ? `Order ${r.value.reference} is no longer waiting for card payment`
              : r.error.message,
          },
        });
        await get().loadAwaitingCard();
        return;
      }
      await get().adoptOrder(r.value);
      const remaining = get().checkout?.order.remainingMinor ?? 0;
      if (remaining > 0) await get().startCardSale(remaining);
    },
    async checkDojoAgain() {
      set({ dojoChecking: true });
      await till['credentials:test']();
      set({ dojoChecking: false });
    },
  });
