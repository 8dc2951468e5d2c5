import type { StateCreator } from 'zustand';
import type { TillApi } from '../../src-shared/contract';
import type { OrderDetail, OrderListQuery, OrderPage } from '../../src-shared/domain/orders';
import type { PaymentAttemptWithJournal, Refund } from '../../src-shared/domain/payments';
import { requestKeysFor } from '../lib/request-key';
import type { TillState } from './store';

export type OrdersSlice = {
  orderPage: OrderPage | null;
  orderQuery: OrderListQuery;
  ordersError: string | null;
  selectedOrder: OrderDetail | null;
  selectedRefunds: Refund[];
  selectedAttempts: PaymentAttemptWithJournal[];
  searchOrders: (query?: OrderListQuery) => Promise<void>;
  openOrder: (orderId: string) => Promise<void>;
  closeOrder: () => void;
  refreshSelectedOrder: () => Promise<void>;
  serverRefund: (input: {
    originalAttemptId: string;
    amountMinor?: number;
    reason?: string;
  }) => Promise<string | null>;
};

export const createOrdersSlice =
  (till: TillApi): StateCreator<TillState, [], [], OrdersSlice> =>
  (set, get) => ({
    orderPage: null,
    orderQuery: {},
    ordersError: null,
    selectedOrder: null,
    selectedRefunds: [],
    selectedAttempts: [],
    async searchOrders(query) {
      const q = query ?? get().orderQuery;
      const r = await till['orders:list']({ pageSize: 50, ...q });
      if (r.ok) set({ orderPage: r.value, orderQuery: q, ordersError: null });
      else set({ ordersError: r.error.message });
    },
    async openOrder(orderId) {
      const r = await till['orders:get']({ orderId });
      if (!r.ok) {
        set({ ordersError: r.error.message });
        return;
      }
      set({ selectedOrder: r.value, selectedRefunds: [], selectedAttempts: [] });
      await get().refreshSelectedOrder();
    },
    closeOrder: () =>
      set({ selectedOrder: null, selectedRefunds: [], selectedAttempts: [], orderReturns: null }),
    async refreshSelectedOrder() {
      const o = get().selectedOrder;
      if (!o) return;
      const [order, refunds, attempts] = await Promise.all([
        till['orders:get']({ orderId: o.id }),
        till['refunds:list-for-order']({ orderId: o.id }),
        till['payments:list-for-order']({ orderId: o.id }),
      ]);
      const journals = attempts.ok
        ? await Promise.all(attempts.value.map((a) => till['payments:get']({ attemptId: a.id })))
        : [];
      if (get().selectedOrder?.id !== o.id) return;
      set({
        selectedOrder: order.ok ? order.value : o,
        selectedRefunds: refunds.ok ? refunds.value : [],
        selectedAttempts: journals.flatMap((j) => (j.ok ? [j.value] : [])),
        ordersError: !order.ok
          ? order.error.message
          : !refunds.ok
            ? refunds.error.message
            : !attempts.ok
              ? attempts.error.message
              : null,
      });
      void get().loadOrderReturns();
      if (get().orderPage) void get().searchOrders();
    },
    serverRefund(input) {
      return requestKeysFor(till).press(
        `refund-server:${input.originalAttemptId}`,
        async (idempotencyKey) => {
          const r = await get().withApproval((approval) =>
            till['refunds:server']({ ...input, idempotencyKey, ...(approval ? { approval } : {}) }),
          );
          if (!r.ok) {
            // Refused (often: refunded meanwhile from another till or tab): show today's figures.
            void get().refreshSelectedOrder();
            return r.error.message;
          }
          get().say(
            'ok',
            r.value.status === 'queued'
              ? 'Refund queued: it goes to Dojo when the link is back'
              : 'Refund sent to Dojo',
          );
          await get().refreshSelectedOrder();
          return null;
        },
      );
    },
  });
