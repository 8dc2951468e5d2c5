import type { StateCreator } from 'zustand';
import type { TillApi } from '../../src-shared/contract';
import { formatMoney } from '../../src-shared/money';
import type { Basket } from '../../src-shared/domain/orders';
import type { PayoutInput, ReturnQuote, ReturnsOfOrder } from '../../src-shared/domain/returns';
import { requestKeysFor } from '../lib/request-key';
import type { TillState } from './store';

export type ReturnRequest = {
  orderId: string;
  lines: { position: number; quantity: number }[];
  reason: string;
  payouts: PayoutInput[];
  exchange?: Basket;
};

export type ReturnsSlice = {
  /** Returns and reversals of the order open in Orders. */
  orderReturns: ReturnsOfOrder | null;
  loadOrderReturns: () => Promise<void>;
  quoteReturn: (input: {
    orderId: string;
    lines: { position: number; quantity: number }[];
    exchange?: Basket;
  }) => Promise<{ ok: true; quote: ReturnQuote } | { ok: false; message: string }>;
  /**
   * Takes the items back. A card payout on the terminal opens the payment dialog to follow it; an
   * exchange that costs more opens the checkout on the new order for the difference. Null when
   * done, else the refusal in words.
   */
  createReturn: (input: ReturnRequest) => Promise<string | null>;
  /** Same-day reversal of a card sale; null when reversed, else Dojo's or the till's words. */
  reversePayment: (attemptId: string, reason?: string) => Promise<string | null>;
  /**
   * A return whose card part did not go through: the owed amount is given in cash from the
   * drawer, with a note. Null when done, else the refusal in words.
   */
  settleOwedInCash: (returnId: string, note?: string) => Promise<string | null>;
  showReturnReceipt: (returnId: string, title: string) => Promise<void>;
  reprintReturn: (returnId: string) => Promise<void>;
};

export const createReturnsSlice =
  (till: TillApi): StateCreator<TillState, [], [], ReturnsSlice> =>
  (set, get) => ({
    orderReturns: null,
    async loadOrderReturns() {
      const o = get().selectedOrder;
      if (!o) return set({ orderReturns: null });
      const r = await till['returns:for-order']({ orderId: o.id });
      if (get().selectedOrder?.id !== o.id) return;
      set({ orderReturns: r.ok ? r.value : null });
    },
    async quoteReturn(input) {
      const r = await till['returns:quote'](input);
      return r.ok ? { ok: true, quote: r.value } : { ok: false, message: r.error.message };
    },
    createReturn(input) {
      return requestKeysFor(till).press(`return:${input.orderId}`, async (idempotencyKey) => {
        const r = await get().withApproval((approval) =>
          till['returns:create']({ ...input, idempotencyKey, ...(approval ? { approval } : {}) }),
        );
        if (!r.ok) {
          void get().refreshSelectedOrder();
          return r.error.message;
        }
        const { ret, attemptId, exchangeOrder } = r.value;
        await get().refreshSelectedOrder();
        if (attemptId) await get().openAttempt(attemptId, 'check');
        else if (exchangeOrder) {
          const order = await till['orders:get']({ orderId: exchangeOrder.id });
          if (order.ok) {
            await get().adoptOrder(order.value);
            get().go('sell');
            get().say(
              'ok',
              `Exchange recorded: take the difference on order ${exchangeOrder.reference}`,
            );
          }
        } else
          get().say(
            'ok',
            ret.kind === 'exchange'
              ? 'Exchange done'
              : `Return done: ${formatMoney(ret.totalMinor, ret.currency)} back`,
          );
        return null;
      });
    },
    reversePayment(attemptId, reason) {
      return requestKeysFor(till).press(`reverse:${attemptId}`, async (idempotencyKey) => {
        const r = await get().withApproval((approval) =>
          till['payments:reverse']({
            attemptId,
            idempotencyKey,
            ...(reason ? { reason } : {}),
            ...(approval ? { approval } : {}),
          }),
        );
        await get().refreshSelectedOrder();
        if (!r.ok) return r.error.message;
        get().say('ok', 'Card payment reversed');
        return null;
      });
    },
    settleOwedInCash(returnId, note) {
      return requestKeysFor(till).press(`settle-owed:${returnId}`, async (idempotencyKey) => {
        const r = await get().withApproval((approval) =>
          till['returns:settle-owed']({
            returnId,
            way: 'cash',
            idempotencyKey,
            ...(note ? { note } : {}),
            ...(approval ? { approval } : {}),
          }),
        );
        await get().refreshSelectedOrder();
        if (!r.ok) return r.error.message;
        get().say('ok', 'Owed card part paid in cash from the drawer');
        return null;
      });
    },
    async showReturnReceipt(returnId, title) {
      const r = await till['returns:receipt']({ returnId });
      if (r.ok) set({ preview: { title, data: r.value }, printError: null });
      else set({ printError: r.error.message });
    },
    async reprintReturn(returnId) {
      const r = await till['returns:reprint']({ returnId });
      if (r.ok) get().say('ok', 'Return receipt sent to the printer');
      else set({ printError: r.error.message });
    },
  });
