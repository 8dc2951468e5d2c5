import { z } from 'zod';
import { minorUnitsSchema, positiveMinorUnitsSchema, type CurrencyCode } from '../money';
import { idempotencyKeySchema } from '../idempotency';
import { productNameSchema, vatRateSchema } from './catalogue';
import { printableText } from './printable-text';
import type { OrderStatus, TenderKind } from './order-status';

export const MAX_QUANTITY = 999;
export const MAX_BASKET_LINES = 200;

export const quantitySchema = z
  .number({ error: 'Quantity must be a number' })
  .int('Quantity must be a whole number')
  .min(1, 'Quantity must be at least 1')
  .max(MAX_QUANTITY, `Quantity cannot be more than ${MAX_QUANTITY}`);

/** A discount: an amount off (minor units) or a percentage in basis points (1250 = 12.5 %). */
export const discountSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('amount'), amountMinor: positiveMinorUnitsSchema }).strict(),
  z
    .object({
      kind: z.literal('percent'),
      percentBp: z
        .number({ error: 'Percentage must be a number' })
        .int('Percentage is in basis points (1250 = 12.5 %)')
        .min(1, 'Percentage must be more than zero')
        .max(10_000, 'A discount cannot be more than 100 %'),
    })
    .strict(),
]);
export type Discount = z.infer<typeof discountSchema>;

const orderIdSchema = z.uuid('That is not an order id');

export const basketLineSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('product'),
      productId: z.uuid('That is not a product id'),
      /** Which variant (Small / Large): required when the product has variants. */
      variantId: z.uuid('That is not a variant id').optional(),
      /** The chosen modifiers; the core checks each group's minimum and maximum. */
      modifierIds: z
        .array(z.uuid('That is not a modifier id'))
        .max(30, 'A line has at most 30 modifiers')
        .optional(),
      /** A scale label (weight or price in the code): the core decodes it, the price is never sent. */
      scaleBarcode: z
        .string()
        .regex(/^\d{13}$/, 'A scale label is a 13-digit barcode')
        .optional(),
      quantity: quantitySchema,
      discount: discountSchema.optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('custom'),
      name: productNameSchema,
      unitPriceMinor: positiveMinorUnitsSchema,
      vatRateBp: vatRateSchema,
      quantity: quantitySchema,
      discount: discountSchema.optional(),
    })
    .strict(),
]);
export type BasketLine = z.infer<typeof basketLineSchema>;

export const basketSchema = z
  .object({
    lines: z
      .array(basketLineSchema)
      .min(1, 'The basket is empty: add something before taking payment')
      .max(MAX_BASKET_LINES, `A basket has at most ${MAX_BASKET_LINES} lines`),
    discount: discountSchema.optional(),
    /** Eaten in: products with an eat-in VAT rate use it (UK hot food and drink). */
    eatIn: z.boolean().optional(),
    note: printableText(
      z.string().trim().max(200, 'A note has at most 200 characters'),
      'The note',
    ).optional(),
  })
  .strict();
export type Basket = z.infer<typeof basketSchema>;

export const orderRefSchema = z.object({ orderId: orderIdSchema }).strict();

/**
 * The basket to commit. `orderId`: the order this basket already is (it went to checkout and came
 * back, or it was parked and resumed): that order is brought up to date and keeps its reference,
 * so moving in and out of checkout or through park and resume leaves no voided orders or gaps.
 */
export const createOrderInputSchema = basketSchema.extend({ orderId: orderIdSchema.optional() });
export type CreateOrderInput = z.infer<typeof createOrderInputSchema>;

/** Park a new basket, or put an existing unpaid order aside (optionally as awaiting card). */
export const parkInputSchema = z.union([
  z
    .object({
      basket: basketSchema,
      /** The order this basket already is, when it has one (see createOrderInputSchema). */
      orderId: orderIdSchema.optional(),
      awaitingCard: z.boolean().optional(),
    })
    .strict(),
  z.object({ orderId: orderIdSchema, awaitingCard: z.boolean().optional() }).strict(),
]);
export type ParkInput = z.infer<typeof parkInputSchema>;

export const voidInputSchema = z
  .object({
    orderId: orderIdSchema,
    reason: printableText(z.string().trim().max(200), 'The reason').optional(),
  })
  .strict();

export const payCashInputSchema = z
  .object({
    orderId: orderIdSchema,
    /** The part of what remains that this cash pays (the whole remainder for a cash-only sale). */
    amountMinor: positiveMinorUnitsSchema,
    /**
     * What the customer handed over; change = tendered − amount due. The core checks it covers the
     * amount due after cash rounding (which can be below `amountMinor`, or zero for a remainder of
     * 1 or 2 cents), so it is only required to be a whole number here.
     */
    tenderedMinor: minorUnitsSchema,
    idempotencyKey: idempotencyKeySchema,
  })
  .strict();

/**
 * A cash sale in one step ("Cash, exact" or a note key on the basket): the basket to commit, as
 * for `orders:create`, with the cash the customer handed over. The core takes the whole amount
 * due (after cash rounding) and refuses cash short of it.
 */
export const sellCashInputSchema = createOrderInputSchema.extend({
  /** What the customer handed over; change = tendered − amount due. */
  tenderedMinor: minorUnitsSchema,
  idempotencyKey: idempotencyKeySchema,
});
export type SellCashInput = z.infer<typeof sellCashInputSchema>;

const isoDateTime = z.iso.datetime({
  offset: true,
  error: 'Dates must be ISO date-times, like 2026-11-23T00:00:00Z',
});

export const orderListQuerySchema = z
  .object({
    /** Any part of the reference, e.g. "0042" or "20261123". */
    reference: z.string().trim().max(60).optional(),
    /** Inclusive lower bound on creation time. */
    from: isoDateTime.optional(),
    /** Exclusive upper bound on creation time. */
    to: isoDateTime.optional(),
    minTotalMinor: minorUnitsSchema.optional(),
    maxTotalMinor: minorUnitsSchema.optional(),
    status: z.enum(['open', 'parked', 'awaiting_card', 'paid', 'voided']).optional(),
    page: z.number().int().min(1).max(100_000).optional(),
    pageSize: z.number().int().min(1).max(200).optional(),
  })
  .strict()
  .optional();
export type OrderListQuery = z.infer<typeof orderListQuerySchema>;

/** A modifier on an order line, with its share of the line total and VAT. */
export type OrderLineModifier = {
  modifierId: string | null;
  groupName: string;
  name: string;
  /** Price per item (the line's quantity applies). */
  priceMinor: number;
  vatRateBp: number;
  totalMinor: number;
  vatMinor: number;
};

export type OrderLine = {
  position: number;
  productId: string | null;
  name: string;
  quantity: number;
  unitPriceMinor: number;
  /** Discount given on this line itself. */
  lineDiscountMinor: number;
  /** Everything off this line: its own discount plus its share of the basket discount. */
  discountMinor: number;
  lineDiscount: Discount | null;
  vatRateBp: number;
  /** VAT-inclusive amount the customer pays for this line (modifiers included). */
  lineTotalMinor: number;
  /** All the line's VAT, modifiers included (see `modifiers` for their part). */
  vatMinor: number;
  variantId?: string | null;
  variantName?: string | null;
  /** Weighed line: the weight in grams and the price per kg it was priced at. */
  weightGrams?: number | null;
  pricePerKgMinor?: number | null;
  /** The scale label the line came from (weight or price in the code). */
  scaleBarcode?: string | null;
  modifiers?: OrderLineModifier[];
};

export type VatBreakdownRow = {
  rateBp: number;
  grossMinor: number;
  vatMinor: number;
  netMinor: number;
};

export type OrderSummary = {
  id: string;
  reference: string;
  status: OrderStatus;
  currency: CurrencyCode;
  subtotalMinor: number;
  discountMinor: number;
  vatMinor: number;
  totalMinor: number;
  paidMinor: number;
  remainingMinor: number;
  changeMinor: number;
  refundedMinor: number;
  tillId: string;
  note: string | null;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  /** Who committed the order; null when nobody was signed in (orders from before staff accounts). */
  staffName?: string | null;
};

export type Order = OrderSummary & {
  eatIn?: boolean;
  basketDiscount: Discount | null;
  basketDiscountMinor: number;
  lines: OrderLine[];
  vatBreakdown: VatBreakdownRow[];
};

export type TenderView = {
  id: string;
  kind: TenderKind;
  amountMinor: number;
  tenderedMinor: number | null;
  changeMinor: number;
  attemptId: string | null;
  terminalId: string | null;
  cardType: string | null;
  cardLast4: string | null;
  authCode: string | null;
  /** Voucher / other: what identifies it (the voucher number). */
  reference: string | null;
  /** A tip taken with this card payment, apart from the sale (0 when none). */
  tipMinor: number;
  /** Cash rounding on this cash tender (docs/staff-and-cash.md "Cash rounding"; 0 when none). */
  roundingMinor: number;
  /** Card on another terminal: still to be matched with Dojo's record, or matched. */
  match: 'to_match' | 'matched' | null;
  createdAt: string;
};

export type RefundView = {
  id: string;
  kind: string;
  amountMinor: number;
  currency: string;
  status: string;
  reason: string | null;
  createdAt: string;
};

export type AttemptSummary = {
  id: string;
  kind: string;
  state: string;
  amountMinor: number;
  terminalId: string;
  isFinal: boolean;
  createdAt: string;
};

export type OrderDetail = Order & {
  tenders: TenderView[];
  refunds: RefundView[];
  attempts: AttemptSummary[];
};

export type OrderPage = { items: OrderSummary[]; total: number; page: number; pageSize: number };

/** A resumed parked basket comes back as lines for the UI; an awaiting-card order comes back as is. */
export type ResumeResult =
  /** The parked basket is back on screen; it stays order `orderId` (open again), same reference. */
  | { kind: 'basket'; basket: Basket; lines: OrderLine[]; fromReference: string; orderId: string }
  | { kind: 'order'; order: Order };

export type CashPaymentResult = {
  tenderId: string;
  changeMinor: number;
  /** Cash rounding on this payment (rounded amount due − exact amount; 0 when none). */
  roundingMinor: number;
  remainingMinor: number;
  orderCompleted: boolean;
  order: OrderSummary;
};

/**
 * The answer to a one-step cash sale: as `orders:pay-cash` answers, with the whole order (lines
 * and totals) for the sale-complete screen. `tenderId` is null for a zero total (paid at once,
 * nothing taken).
 */
export type CashSaleResult = Omit<CashPaymentResult, 'tenderId' | 'order'> & {
  tenderId: string | null;
  order: Order;
};

export type OrderChanged = { orderId: string; reference: string; status: OrderStatus | 'deleted' };
