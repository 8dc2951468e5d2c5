import type { StateCreator } from 'zustand';
import type { TillApi } from '../../src-shared/contract';
import type {
  MatchRun,
  ReceiptChoice,
  ReceiptOptions,
  ToMatchTender,
} from '../../src-shared/domain/tenders';
import { requestKeysFor } from '../lib/request-key';
import type { TillState } from './store';

export type TendersSlice = {
  /** Voucher / other tender on the order in checkout; an error message, or null when taken. */
  payVoucher: (amountMinor: number, reference: string) => Promise<string | null>;
  /** Card on another terminal (Dojo down); `pin` approves it when the cashier may not. */
  payCardOther: (input: {
    amountMinor: number;
    last4: string;
    authCode: string;
    pin: string;
  }) => Promise<string | null>;
  receipt: { options: ReceiptOptions; message: string | null; error: string | null } | null;
  receiptBusy: boolean;
  loadReceiptOptions: (orderId: string) => Promise<void>;
  /** True when the choice was taken. */
  chooseReceipt: (orderId: string, choice: ReceiptChoice, email?: string) => Promise<boolean>;
  /** The tip offer is open for this card amount (Settings: tip offer on). */
  tipPrompt: number | null;
  setTipPrompt: (amountMinor: number | null) => void;
  toMatch: ToMatchTender[];
  toMatchRun: MatchRun | null;
  loadToMatch: () => Promise<void>;
  matchNow: () => Promise<void>;
};

export const createTendersSlice =
  (till: TillApi): StateCreator<TillState, [], [], TendersSlice> =>
  (set, get) => ({
    async payVoucher(amountMinor, reference) {
      const c = get().checkout;
      if (!c) return 'No order is being paid';
      return requestKeysFor(till).press(`voucher:${c.order.id}`, async (idempotencyKey) => {
        const r = await till['tenders:voucher']({
          orderId: c.order.id,
          amountMinor,
          reference,
          idempotencyKey,
        });
        if (!r.ok) return r.error.message;
        await get().refreshOrder();
        return null;
      });
    },
    async payCardOther({ amountMinor, last4, authCode, pin }) {
      const c = get().checkout;
      if (!c) return 'No order is being paid';
      return requestKeysFor(till).press(`card-other:${c.order.id}`, async (idempotencyKey) => {
        const r = await till['tenders:card-other']({
          orderId: c.order.id,
          amountMinor,
          last4,
          ...(authCode.trim() ? { authCode: authCode.trim() } : {}),
          ...(pin ? { approval: { pin } } : {}),
          idempotencyKey,
        });
        if (!r.ok) return r.error.message;
        await get().refreshOrder();
        return null;
      });
    },
    receipt: null,
    receiptBusy: false,
    async loadReceiptOptions(orderId) {
      const r = await till['receipts:options']({ orderId });
      if (r.ok)
        set({
          receipt: {
            options: r.value,
            message:
              get().receipt?.options.orderId === orderId ? (get().receipt?.message ?? null) : null,
            error: null,
          },
        });
    },
    async chooseReceipt(orderId, choice, email) {
      set({ receiptBusy: true });
      const r = await till['receipts:choose']({
        orderId,
        choice,
        ...(email !== undefined ? { email } : {}),
      });
      const now = get().receipt;
      if (r.ok)
        set({ receipt: { options: r.value.options, message: r.value.message, error: null } });
      else if (now) set({ receipt: { ...now, message: null, error: r.error.message } });
      set({ receiptBusy: false });
      return r.ok;
    },
    tipPrompt: null,
    setTipPrompt: (amountMinor) => set({ tipPrompt: amountMinor }),
    toMatch: [],
    toMatchRun: null,
    async loadToMatch() {
      const r = await till['tenders:to-match']();
      if (r.ok) set({ toMatch: r.value });
    },
    async matchNow() {
      const r = await till['tenders:match-now']();
      if (r.ok) set({ toMatch: r.value.open, toMatchRun: r.value });
    },
  });
