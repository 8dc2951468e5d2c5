import { z } from 'zod';

/**
 * Request bodies as the simulator accepts them (OpenAPI 2026-02-27). Unknown fields are dropped,
 * as Dojo's API ignores them; what is kept is echoed back, so it must fit the response schemas.
 */

export const moneyInput = z.object({
  value: z.number().int().min(1, 'The amount must be greater than zero.'),
  currencyCode: z.enum(['GBP', 'EUR'], { error: 'Only GBP and EUR are supported.' }),
});

/** Dojo's Money on item lines: any integer (a modifier may be a negative discount). */
const lineMoney = z.object({ value: z.number().int(), currencyCode: z.string().min(1).max(10) });

const itemLineInput = z.object({
  id: z.string().max(60).optional(),
  quantity: z.number().int().optional(),
  name: z.string().max(100).optional(),
  category: z.string().optional(),
  modifiers: z
    .array(
      z.object({
        id: z.string(),
        name: z.string(),
        quantity: z.number().int(),
        amountPerModifier: lineMoney,
      }),
    )
    .optional(),
  amountTotal: lineMoney.nullable(),
  plu: z.string().max(200).optional(),
});

const taxLineInput = z.object({
  id: z.string().max(60).optional(),
  caption: z.string().max(100).optional(),
  subCaption: z.string().max(100).nullish(),
  amountTotal: lineMoney,
  affectedPlu: z.string().max(200).optional(),
});

export const createIntentInput = z.object({
  amount: moneyInput,
  reference: z.string().min(1, 'The Reference field is required.').max(60),
  captureMode: z.enum(['Auto', 'Manual']).optional(),
  tipsAmount: moneyInput.nullish(),
  description: z.string().max(4096).nullish(),
  cardHolderNotPresent: z.boolean().nullish(),
  itemLines: z.array(itemLineInput).nullish(),
  taxLines: z.array(taxLineInput).nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
});

export const captureInput = z.object({
  amount: z.number().int().min(1),
  tipsAmount: z.number().int().min(0).nullish(),
});
export const refundInput = z.object({
  amount: z.number().int().min(1, 'The refund amount must be greater than zero.'),
  refundReason: z.string().max(1024).nullish(),
  notes: z.string().max(4096).nullish(),
  previousTransactionId: z.string().max(100).nullish(),
});
export const receiptInput = z.object({ emails: z.array(z.email()).min(1) });
export const searchInput = z.object({
  statuses: z
    .array(z.enum(['Created', 'Authorized', 'Captured', 'Reversed', 'Refunded', 'Canceled']))
    .nullish(),
  startDate: z.iso.datetime({ offset: true }).nullish(),
  endDate: z.iso.datetime({ offset: true }).nullish(),
  cursor: z
    .object({
      limit: z.number().int().min(1).max(100).optional(),
      before: z.string().nullish(),
      after: z.string().nullish(),
    })
    .nullish(),
});

export const createSessionInput = z.object({
  terminalId: z.string().min(1, 'The TerminalId field is required.'),
  details: z.object({
    sessionType: z.enum(['Sale', 'MatchedRefund', 'UnlinkedRefund']),
    sale: z.object({ paymentIntentId: z.string().min(1) }).optional(),
    matchedRefund: z
      .object({ paymentIntentId: z.string().min(1), amount: moneyInput.optional() })
      .optional(),
    unlinkedRefund: z
      .object({ amount: moneyInput, cardholderNotPresent: z.boolean().optional() })
      .optional(),
  }),
});

export const signatureInput = z.object({ accepted: z.boolean() });
