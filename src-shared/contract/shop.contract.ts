import { z } from 'zod';
import { channel } from './define';

/** The link to the shop database (several tills, one PostgreSQL), as the status bar shows it. */
export type ShopLinkStatus = {
  /** `off`: this till works alone (no shop database configured). */
  state: 'off' | 'connecting' | 'connected' | 'unreachable' | 'refused';
  /** Changes committed here that the shop database has not acknowledged yet. */
  behind: number;
  reason: string | null;
  /** Where the address comes from; the address itself (it holds a password) never leaves main. */
  source: 'none' | 'settings' | 'environment';
  /** Catalogue and staff rows from the shop that this till refused, with the reason. */
  refusedRows: { id: string; reason: string }[];
  /** What this till's new order references start with in the shop (null: not given yet). */
  referencePrefix: string | null;
};

export const shopUrlSchema = z
  .string()
  .trim()
  .min(1, 'Paste the address the shop administrator gave you')
  .max(2000, 'That address is too long')
  .refine((v) => /^postgres(ql)?:\/\//.test(v), 'The address starts with postgresql://');

/** One order found in the whole shop's records (any till of the shop). */
export type ShopOrderHit = {
  orderId: string;
  tillId: string;
  tillName: string;
  reference: string;
  status: string;
  currency: string;
  totalMinor: number;
  refundedMinor: number;
  createdAt: string;
  completedAt: string | null;
};

export type ShopOrderPage = { orders: ShopOrderHit[]; hasMore: boolean };

/** Another till's order as the shop database holds it: for reading only. */
export type ShopOrderDetail = ShopOrderHit & {
  subtotalMinor: number;
  discountMinor: number;
  vatMinor: number;
  paidMinor: number;
  changeMinor: number;
  lines: {
    position: number;
    name: string;
    quantity: number;
    unitPriceMinor: number;
    discountMinor: number;
    vatRateBp: number;
    lineTotalMinor: number;
  }[];
  tenders: {
    id: string;
    kind: string;
    amountMinor: number;
    terminalId: string | null;
    cardType: string | null;
    cardLast4: string | null;
    createdAt: string;
  }[];
  refunds: { id: string; kind: string; amountMinor: number; status: string; createdAt: string }[];
};

/**
 * One person's day, counted as the till's own X report counts it: the paid orders they completed,
 * the cash and card they took (tenders), and what they gave back (completed card refunds and cash
 * handed back from the drawer: cash refunds and the cash part of returns). Net = sales − refunds.
 * `name` is from the shop's staff list; a till's own account the list does not hold (the training
 * demo manager, say) by the name that till signed them in with, followed by " · " and the till's
 * name when only one till knew them; an id no till ever signed in shows as "Unknown staff" with
 * its first 8 characters, and sales with nobody signed in as "Nobody signed in".
 */
export type ShopStaffFigures = {
  staffId: string | null;
  name: string;
  ordersCount: number;
  cashMinor: number;
  cardMinor: number;
  salesMinor: number;
  refundsMinor: number;
  netMinor: number;
};

/** The day's figures of one till, or of the whole shop, as read from the shop database. */
export type ShopDayFigures = {
  ordersCount: number;
  salesMinor: number;
  refundsCount: number;
  refundsMinor: number;
  /** Card sales reversed at Dojo the same day (apart from refunds). */
  reversalsCount: number;
  reversalsMinor: number;
  /** Items taken back (returns and exchanges): the value returned, however it went back. */
  returnsCount: number;
  returnsMinor: number;
  /** Tips on card sales, apart from the sales (a tip counts on the day its sale was paid). */
  tipsCount: number;
  tipsMinor: number;
  /** Exchange credit: the part of an exchange's new order paid by the items returned. */
  exchangeCreditCount: number;
  exchangeCreditMinor: number;
  /**
   * Net takings by the till's own rule: sales less card refunds, reversals, cash refunds and
   * exchange credit (every way money went back).
   */
  netMinor: number;
  tenders: { kind: string; count: number; amountMinor: number }[];
  cardByTerminal: { terminalId: string; count: number; amountMinor: number }[];
  /** Tips by the terminal that took them and by the person who started the sale. */
  tipsByTerminal: { terminalId: string; count: number; amountMinor: number }[];
  tipsByStaff: { staffId: string | null; name: string; count: number; amountMinor: number }[];
  /** Per staff member, by the till's own X report rule ("Per staff member"). */
  byStaff: ShopStaffFigures[];
  /** The drawer: what should be in it (for the whole shop, the sum of every till's drawer). */
  cash: {
    floatMinor: number;
    cashTakenMinor: number;
    changeMinor: number;
    cashRefundedMinor: number;
    payInsMinor: number;
    payOutsMinor: number;
    noSales: number;
    expectedMinor: number;
  };
};

/**
 * A till's close checked against Dojo: `matched`, `differs` (by `differenceMinor`: the till's card
 * takings less Dojo's, with `items` payments on one side only), `pending` (Dojo not reached yet).
 */
export type ShopDojoCheck = {
  status: 'matched' | 'differs' | 'pending';
  differenceMinor: number;
  items: number;
};

export type ShopEndOfDay = {
  /** null: each till's open day (since its own last closure), or its latest closed day. */
  from: string | null;
  to: string;
  /** Each till read over its latest closed day (the window its Z report counted). */
  closedDay: boolean;
  currency: string;
  tills: (ShopDayFigures & {
    tillId: string;
    tillName: string;
    /** This till's day is closed for the period (a closure reaches its end; for the closed day: it has closed one). */
    dayClosed: boolean;
    lastClosedAt: string | null;
    /**
     * The closed day only: the trading day (YYYY-MM-DD, the shop's local date) of the till's
     * latest closure — the day its till day was opened, or the day it closed when it had no float.
     */
    tradingDay: string | null;
    /** The closed day only: the till's check of its card takings against Dojo's own record. */
    dojoCheck: ShopDojoCheck | null;
  })[];
  shop: ShopDayFigures;
  /**
   * Plain-words warnings about the report itself, e.g. tills whose latest closed days are not
   * the same trading day (their figures are added together all the same).
   */
  alerts: string[];
  /** The shop's totals, counted on their own, equal the sum of the tills' totals. */
  sumCheck: { ok: boolean; differenceMinor: number };
};

const isoSchema = z.iso.datetime({ offset: true, error: 'A date and time is expected' });

export const shopOrderSearchSchema = z
  .object({
    reference: z.string().trim().max(40, 'That reference is too long').optional(),
    from: isoSchema.optional(),
    to: isoSchema.optional(),
    /** The order total, exactly, in minor units (pence/cents). */
    amountMinor: z.number().int().min(0).max(100_000_000).optional(),
    minTotalMinor: z.number().int().min(0).max(100_000_000).optional(),
    maxTotalMinor: z.number().int().min(0).max(100_000_000).optional(),
    offset: z.number().int().min(0).max(100_000).optional(),
  })
  .strict();

export const shopChannels = {
  'shop:status': channel<ShopLinkStatus>()(z.undefined()),
  /** Checks the address (login, schema, registered till), then stores it (main only) and joins. */
  'shop:connect': channel<ShopLinkStatus>()(z.object({ url: shopUrlSchema }).strict()),
  /** Leaves the shop: the till keeps its own records and works alone. */
  'shop:disconnect': channel<ShopLinkStatus>()(z.undefined()),
  /** Searches every till's orders in the shop database: at most 50 a page, newest first. */
  'shop:search-orders': channel<ShopOrderPage>()(shopOrderSearchSchema),
  /** Another till's order (lines, tenders, refunds), read-only. */
  'shop:get-order': channel<ShopOrderDetail>()(
    z.object({ orderId: z.string().trim().min(1).max(100) }).strict(),
  ),
  /**
   * The shop's end of day on demand: a period, each till's open day when none is given, or with
   * `closed` each till's latest closed day (what its Z report counted).
   */
  'shop:end-of-day': channel<ShopEndOfDay>()(
    z
      .object({
        from: isoSchema.optional(),
        to: isoSchema.optional(),
        closed: z.literal(true, { error: 'closed is true or left out' }).optional(),
      })
      .strict()
      .refine(
        (v) => !v.from || !v.to || Date.parse(v.from) < Date.parse(v.to),
        'The period must end after it starts',
      )
      .refine(
        (v) => !v.closed || (!v.from && !v.to),
        'The closed day is each till’s own latest closed day: give no period with it',
      )
      .optional(),
  ),
} as const;
