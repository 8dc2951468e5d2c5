import { z } from 'zod';
import { maskCardNumbers } from '../logging/redact';

/**
 * Response schemas written from Dojo's OpenAPI spec (2026-02-27). Strict on the fields the till
 * relies on, tolerant of everything else: zod objects strip unknown keys, and open enums
 * (statuses, notification types, receipt line types) accept any string so a new value is
 * journalled instead of crashing the till (docs/PAYMENTS.md rule 9).
 */

/** A string enum that keeps its known values for autocompletion but accepts any other string. */
const openEnum = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.union([z.enum(values), z.string()]) as z.ZodType<T[number] | (string & {})>;

const optionalString = z.string().nullish();

export const moneyWire = z.object({ value: z.number().int(), currencyCode: z.string() });
export type MoneyWire = z.infer<typeof moneyWire>;

// ---- Terminals ---------------------------------------------------------------------------------

export const terminalStatuses = ['Available', 'InUse', 'Offline'] as const;
export const terminalSchema = z.object({
  id: z.string().min(1),
  properties: z.object({ tid: z.string() }),
  status: openEnum(terminalStatuses),
  updatedAt: z.string().nullish(),
});
export type DojoTerminal = z.infer<typeof terminalSchema>;
export const terminalListSchema = z.array(terminalSchema);

// ---- Terminal sessions -------------------------------------------------------------------------

export const sessionStatuses = [
  'InitiateRequested',
  'Initiated',
  'Authorized',
  'Captured',
  'CancelRequested',
  'Canceled',
  'SignatureVerificationRequired',
  'SignatureVerificationAccepted',
  'SignatureVerificationRejected',
  'Expired',
  'Declined',
] as const;
export type KnownSessionStatus = (typeof sessionStatuses)[number];
export type SessionStatus = KnownSessionStatus | (string & {});

export const notificationTypes = [
  'Approved',
  'Declined',
  'InsertCard',
  'EnterPin',
  'PleaseWait',
  'PresentCard',
  'PresentOnlyOneCard',
  'RemoveCard',
  'CardUnsupported',
  'CardError',
  'ReEnterCard',
] as const;

export const receiptLineSchema = z.object({
  lineType: openEnum([
    'Text',
    'LogoImage',
    'NewLine',
    'SingleLineSeperator',
    'DoubleLineSeperator',
    'SingleLineSeparator',
    'DoubleLineSeparator',
  ]),
  text: z
    .object({
      // A full card number in Dojo's slip must never be stored, shown or printed.
      value: z.string().transform(maskCardNumbers),
      size: openEnum(['SizeHeader1', 'SizeHeader2', 'SizeBody']).optional(),
      align: openEnum(['AlignLeft', 'AlignCenter', 'AlignRight']).optional(),
      emphasisBold: z.boolean().optional(),
    })
    .nullish(),
  imageLogo: z.object({ value: z.string(), align: z.string().optional() }).nullish(),
});
export const receiptSchema = z.object({ lines: z.array(receiptLineSchema) });
export type DojoReceipt = z.infer<typeof receiptSchema>;

export const cardSchema = z.object({
  cardNumber: optionalString,
  cardName: optionalString,
  expiryDate: optionalString,
  cardType: optionalString,
  cardFundingType: optionalString,
  last4PAN: optionalString,
  entryMode: optionalString,
  verificationMethod: optionalString,
});

export const paymentDetailsSchema = z.object({
  transactionId: optionalString,
  transactionDateTime: optionalString,
  message: optionalString,
  authCode: optionalString,
  card: cardSchema.nullish(),
});
export type DojoPaymentDetails = z.infer<typeof paymentDetailsSchema>;

const sessionDetailsSchema = z.object({
  sessionType: openEnum(['Sale', 'MatchedRefund', 'UnlinkedRefund']),
  sale: z.object({ paymentIntentId: z.string() }).nullish(),
  matchedRefund: z.object({ paymentIntentId: z.string(), amount: moneyWire.nullish() }).nullish(),
  unlinkedRefund: z
    .object({ amount: moneyWire, cardholderNotPresent: z.boolean().nullish() })
    .nullish(),
});

export const terminalSessionSchema = z.object({
  id: z.string().min(1),
  terminalId: z.string(),
  status: openEnum(sessionStatuses),
  createdAt: z.string().nullish(),
  updatedAt: z.string().nullish(),
  expireAt: z.string().nullish(),
  details: sessionDetailsSchema.nullish(),
  notificationEvents: z
    .array(z.object({ notificationType: openEnum(notificationTypes), createdAt: z.string() }))
    .nullish()
    .transform((v) => v ?? []),
  statusEvents: z
    .array(
      z.object({
        status: openEnum(sessionStatuses),
        createdAt: z.string(),
        debugMessage: z.string().nullish(),
      }),
    )
    .nullish()
    .transform((v) => v ?? []),
  paymentDetails: paymentDetailsSchema.nullish(),
  // The schema names one `receipt`; Dojo's examples show customer and merchant copies.
  receipt: receiptSchema.nullish(),
  customerReceipt: receiptSchema.nullish(),
  merchantReceipt: receiptSchema.nullish(),
});
export type DojoTerminalSession = z.infer<typeof terminalSessionSchema>;

// ---- Payment intents ---------------------------------------------------------------------------

export const paymentIntentStatuses = [
  'Created',
  'Authorized',
  'Captured',
  'Reversed',
  'Refunded',
  'Canceled',
] as const;

const sessionHistorySchema = z.object({
  terminalSession: z
    .object({
      id: z.string().nullish(),
      terminalId: z.string().nullish(),
      status: openEnum(sessionStatuses).nullish(),
      createdAt: z.string().nullish(),
    })
    .nullish(),
  payment: z.object({ cardNumber: optionalString, cardType: optionalString }).nullish(),
});

export const paymentIntentSchema = z.object({
  id: z.string().min(1),
  status: openEnum(paymentIntentStatuses),
  captureMode: optionalString,
  amount: moneyWire.nullish(),
  tipsAmount: moneyWire.nullish(),
  totalAmount: moneyWire.nullish(),
  refundedAmount: z.number().int().nullish(),
  reference: optionalString,
  createdAt: z.string().nullish(),
  updatedAt: z.string().nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  paymentDetails: paymentDetailsSchema.nullish(),
  terminalSessionHistory: z
    .array(sessionHistorySchema)
    .nullish()
    .transform((v) => v ?? []),
});
export type DojoPaymentIntent = z.infer<typeof paymentIntentSchema>;

export const pagedPaymentIntentsSchema = z.object({
  data: z
    .array(paymentIntentSchema)
    .nullish()
    .transform((v) => v ?? []),
  before: optionalString,
  after: optionalString,
});
export type DojoPagedPaymentIntents = z.infer<typeof pagedPaymentIntentsSchema>;

export const captureSchema = z.object({ captureId: optionalString, message: optionalString });
// The reversal example says `id` where the schema says `reversalId`: accept both.
export const reversalSchema = z.object({
  reversalId: optionalString,
  id: optionalString,
  message: optionalString,
});
// The refund schema and the docs disagree on everything but `refundId`.
export const refundResponseSchema = z.object({
  refundId: z.string().min(1),
  message: optionalString,
  paymentIntentId: optionalString,
});
export type DojoRefundResponse = z.infer<typeof refundResponseSchema>;

// ---- Requests (typed from the spec; validated against it in tests) ------------------------------

export type ItemLineWire = {
  id?: string;
  quantity?: number;
  name?: string;
  category?: string;
  amountTotal: MoneyWire;
  plu?: string;
  /** Per item, not included in `amountTotal` (Dojo's spec). */
  modifiers?: { id: string; name: string; quantity: number; amountPerModifier: MoneyWire }[];
};
export type TaxLineWire = {
  id?: string;
  caption?: string;
  subCaption?: string;
  amountTotal: MoneyWire;
  affectedPlu?: string;
};

export type CreatePaymentIntentRequest = {
  amount: MoneyWire;
  reference: string;
  captureMode?: 'Auto' | 'Manual';
  /** A tip the customer chose at the till before paying (docs/PAYMENTS.md "Tips"). */
  tipsAmount?: MoneyWire;
  description?: string;
  itemLines?: ItemLineWire[];
  taxLines?: TaxLineWire[];
  metadata?: Record<string, string>;
};

export type SessionDetailsRequest =
  | { sessionType: 'Sale'; sale: { paymentIntentId: string } }
  | { sessionType: 'MatchedRefund'; matchedRefund: { paymentIntentId: string; amount?: MoneyWire } }
  | {
      sessionType: 'UnlinkedRefund';
      unlinkedRefund: { amount: MoneyWire; cardholderNotPresent?: boolean };
    };

export type CreateRefundRequest = { amount: number; refundReason?: string; notes?: string };

export type SearchPaymentIntentsRequest = {
  statuses?: string[];
  startDate?: string;
  endDate?: string;
  cursor?: { limit?: number; before?: string; after?: string };
};
