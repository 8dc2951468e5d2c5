import { z } from 'zod';
import { positiveMinorUnitsSchema, type CurrencyCode } from '../money';

/** Notes and coins a drawer is counted in, largest first (minor units). */
export const denominations: Record<CurrencyCode, { notes: number[]; coins: number[] }> = {
  GBP: { notes: [5000, 2000, 1000, 500], coins: [200, 100, 50, 20, 10, 5, 2, 1] },
  EUR: {
    notes: [50000, 20000, 10000, 5000, 2000, 1000, 500],
    coins: [200, 100, 50, 20, 10, 5, 2, 1],
  },
};

export const MAX_PIECES = 100_000;

/** How many of each note or coin; unknown values are refused by the core for the till's currency. */
export const cashCountSchema = z
  .array(
    z
      .object({
        valueMinor: positiveMinorUnitsSchema,
        quantity: z
          .number({ error: 'A count is a number' })
          .int('A count is a whole number of notes or coins')
          .min(0, 'A count cannot be negative')
          .max(MAX_PIECES, `A count is at most ${MAX_PIECES}`),
      })
      .strict(),
  )
  .max(40, 'Too many lines in the count');
export type CashCount = z.infer<typeof cashCountSchema>;

export const countTotal = (count: CashCount): number =>
  count.reduce((sum, c) => sum + c.valueMinor * c.quantity, 0);

/** Reasons offered for a pay-in or pay-out; `other` needs a note. */
export const cashReasons = [
  'float top-up',
  'change',
  'petty cash',
  'supplier',
  'bank deposit',
  'wages',
  'other',
] as const;
export type CashReason = (typeof cashReasons)[number];

const noteSchema = z.string().trim().max(200, 'A note is at most 200 characters').optional();

export const payInOutSchema = z
  .object({
    direction: z.enum(['in', 'out'], 'Choose pay in or pay out'),
    amountMinor: positiveMinorUnitsSchema,
    reason: z.enum(cashReasons, 'Choose a reason from the list'),
    note: noteSchema,
  })
  .strict()
  .refine((v) => v.reason !== 'other' || (v.note ?? '').length >= 3, {
    message: 'Say what the money is for (at least 3 characters)',
    path: ['note'],
  });

export type CashMovementKind = 'pay-in' | 'pay-out' | 'no-sale' | 'cash-refund';

export type CashMovement = {
  id: string;
  kind: CashMovementKind;
  amountMinor: number;
  reason: string | null;
  note: string | null;
  orderId: string | null;
  staffId: string | null;
  staffName: string | null;
  approvedBy: string | null;
  createdAt: string;
};

export type TillDay = {
  id: string;
  openedAt: string;
  openedBy: string | null;
  openedByName: string | null;
  floatMinor: number;
  currency: CurrencyCode;
};

export type StaffTotals = {
  staffId: string | null;
  name: string;
  orders: number;
  cashMinor: number;
  cardMinor: number;
  refundsMinor: number;
};

/** The drawer as the till expects it now (X report), or as it was at close (Z report). */
export type CashSummary = {
  day: TillDay | null;
  floatMinor: number;
  /** Cash handed over by customers (before change). */
  cashTakenMinor: number;
  changeMinor: number;
  /**
   * Cash rounding (docs/staff-and-cash.md "Cash rounding"): the sum over cash tenders of rounded
   * amount due − exact amount, and how many tenders were rounded. Cash takings + rounding is what
   * the sales put in the drawer; it is inside cash taken − change, so expected cash includes it.
   * Absent in Z reports stored before the till rounded cash.
   */
  cashRoundingMinor?: number;
  cashRoundedCount?: number;
  cashRefundedMinor: number;
  payInsMinor: number;
  payOutsMinor: number;
  noSales: number;
  /** float + cash taken − change − cash refunded + pay-ins − pay-outs. */
  expectedMinor: number;
  movements: CashMovement[];
  byStaff: StaffTotals[];
};

/** The drawer count at close. */
export type CashCountResult = {
  count: CashCount;
  countedMinor: number;
  expectedMinor: number;
  /** Counted − expected: negative when short. */
  overShortMinor: number;
};

export const openDaySchema = z
  .object({ float: cashCountSchema.min(1, 'Count the float: at least one note or coin line') })
  .strict();

export const cashRefundSchema = z
  .object({
    orderId: z.uuid('That is not an order id'),
    amountMinor: positiveMinorUnitsSchema,
    reason: z.string().trim().max(200, 'A reason is at most 200 characters').optional(),
  })
  .strict();
