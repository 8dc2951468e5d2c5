import { z } from 'zod';
import { positiveMinorUnitsSchema, type CurrencyCode } from '../money';
import { idempotencyKeySchema } from '../idempotency';
import { basketSchema, quantitySchema, type OrderSummary } from './orders';
import { printableText } from './printable-text';
import { approvalSchema } from './staff';

/**
 * Returns by item and exchanges (docs/RETURNS.md). A return takes lines (and quantities) of a
 * paid order back and gives the money back through one or more payouts; an exchange also sells
 * a new basket in the same step and nets the two.
 */
const orderIdSchema = z.uuid('That is not an order id');
const attemptIdSchema = z.uuid('That is not a payment attempt id');

export const returnLineInputSchema = z
  .object({
    /** The line's position on the original order. */
    position: z
      .number({ error: 'Choose a line of the order' })
      .int('Choose a line of the order')
      .min(0, 'Choose a line of the order')
      .max(10_000, 'Choose a line of the order'),
    quantity: quantitySchema,
  })
  .strict();

export const returnReasonSchema = printableText(
  z
    .string({ error: 'Give a reason for the return' })
    .trim()
    .min(2, 'Give a reason for the return')
    .max(200, 'A reason is at most 200 characters'),
  'The reason',
);

/**
 * How (part of) the money goes back: cash from the drawer, or to the card of one card payment of
 * the order — on the terminal (`terminalId`, the customer presents the card) or through Dojo
 * with no card present (no terminal).
 */
export const payoutInputSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('cash'), amountMinor: positiveMinorUnitsSchema }).strict(),
  z
    .object({
      method: z.literal('card'),
      amountMinor: positiveMinorUnitsSchema,
      /** The captured card sale of the order the money goes back to. */
      attemptId: attemptIdSchema,
      /** On this terminal (matched refund); absent: a server refund, no card present. */
      terminalId: z.string().trim().min(1).max(100).optional(),
    })
    .strict(),
]);
export type PayoutInput = z.infer<typeof payoutInputSchema>;

const linesSchema = z
  .array(returnLineInputSchema)
  .min(1, 'Choose at least one item to return')
  .max(200, 'At most 200 lines can be returned at once');

export const returnQuoteInputSchema = z
  .object({
    orderId: orderIdSchema,
    lines: linesSchema,
    /** The new basket of an exchange. */
    exchange: basketSchema.optional(),
  })
  .strict();
export type ReturnQuoteInput = z.infer<typeof returnQuoteInputSchema>;

export const createReturnInputSchema = z
  .object({
    orderId: orderIdSchema,
    lines: linesSchema,
    reason: returnReasonSchema,
    /**
     * How the money goes back; together they are exactly what the till owes (the value returned,
     * less the new basket for an exchange). Empty when nothing is owed back.
     */
    payouts: z.array(payoutInputSchema).max(4, 'At most four ways to pay back'),
    /** Sell this basket in the same step: the returned value pays for it first. */
    exchange: basketSchema.optional(),
    idempotencyKey: idempotencyKeySchema,
    approval: approvalSchema.optional(),
  })
  .strict();
export type CreateReturnInput = z.infer<typeof createReturnInputSchema>;

export const reversalInputSchema = z
  .object({
    /** The captured card sale taken by mistake. */
    attemptId: attemptIdSchema,
    reason: printableText(
      z.string().trim().max(200, 'A reason is at most 200 characters'),
      'The reason',
    ).optional(),
    idempotencyKey: idempotencyKeySchema,
    approval: approvalSchema.optional(),
  })
  .strict();

/**
 * A return still owing its card part (the card refund did not go through) settled by a manager:
 * the amount owed is given in cash from the drawer instead, with a note why.
 */
export const settleOwedInputSchema = z
  .object({
    returnId: z.uuid('That is not a return id'),
    way: z.literal('cash', { error: 'The owed card part can be settled in cash from the drawer' }),
    note: printableText(
      z.string().trim().max(200, 'A note is at most 200 characters'),
      'The note',
    ).optional(),
    idempotencyKey: idempotencyKeySchema,
    approval: approvalSchema.optional(),
  })
  .strict();

export type ReturnStatus = 'pending' | 'completed' | 'failed';
export type PayoutMethod = 'cash' | 'card-terminal' | 'card-server' | 'exchange';

export type ReturnLine = {
  position: number;
  name: string;
  quantity: number;
  /** What the customer gets back for these units (their share of the line, discounts included). */
  amountMinor: number;
  vatRateBp: number;
  vatMinor: number;
};

export type ReturnPayout = {
  method: PayoutMethod;
  amountMinor: number;
  /** The refund behind a card payout, with its status. */
  refundId: string | null;
  status: 'pending' | 'queued' | 'completed' | 'failed';
  lastError: string | null;
  cardLast4: string | null;
};

export type ReturnRecord = {
  id: string;
  orderId: string;
  orderReference: string;
  kind: 'return' | 'exchange';
  status: ReturnStatus;
  reason: string;
  currency: CurrencyCode;
  totalMinor: number;
  vatMinor: number;
  lines: ReturnLine[];
  payouts: ReturnPayout[];
  /** The new order of an exchange. */
  exchangeOrderId: string | null;
  exchangeReference: string | null;
  staffId: string | null;
  staffName: string | null;
  approvedBy: string | null;
  createdAt: string;
  completedAt: string | null;
  lastError: string | null;
};

/** A line of the order as a return screen needs it. */
export type ReturnableLine = {
  position: number;
  name: string;
  sold: number;
  returned: number;
  returnable: number;
  lineTotalMinor: number;
  vatRateBp: number;
};

export type ReturnQuote = {
  orderId: string;
  currency: CurrencyCode;
  lines: ReturnLine[];
  returnMinor: number;
  vatMinor: number;
  /** The new basket's total (0 without an exchange). */
  newTotalMinor: number;
  /** What the till owes back (> 0) or the customer still pays (< 0). */
  owedBackMinor: number;
  /** Card payments of the order the money can go back to, with what is left on each. */
  cards: {
    attemptId: string;
    refundableMinor: number;
    last4: string | null;
    reversible: boolean;
  }[];
  /** Cash paid on the order (net of change): a split sale offers cash and card. */
  cashPaidMinor: number;
};

export type ReturnsOfOrder = {
  lines: ReturnableLine[];
  returns: ReturnRecord[];
  reversals: Reversal[];
};

export type Reversal = {
  id: string;
  orderId: string;
  attemptId: string;
  amountMinor: number;
  currency: CurrencyCode;
  status: 'pending' | 'completed' | 'failed';
  reason: string | null;
  lastError: string | null;
  staffId: string | null;
  staffName: string | null;
  createdAt: string;
};

export type CreateReturnResult = {
  ret: ReturnRecord;
  /** The terminal refund to follow on the payment screen, when a payout is on the terminal. */
  attemptId: string | null;
  /** An exchange whose new basket costs more: the order to take the difference on. */
  exchangeOrder: OrderSummary | null;
};
