// Owned by the returns feature (returns by item, exchanges, same-day reversal).
import { z } from 'zod';
import { channel } from './define';
import {
  createReturnInputSchema,
  returnQuoteInputSchema,
  reversalInputSchema,
  settleOwedInputSchema,
  type ReturnRecord,
  type CreateReturnResult,
  type ReturnQuote,
  type ReturnsOfOrder,
  type Reversal,
} from '../domain/returns';
import type { PrintJob, ReceiptPreviewData } from './printing.contract';

const orderIdSchema = z.uuid('That is not an order id');
const returnIdSchema = z.uuid('That is not a return id');

export const returnsChannels = {
  /** The order's lines with what can still be returned, its returns and reversals. */
  'returns:for-order': channel<ReturnsOfOrder>()(z.object({ orderId: orderIdSchema }).strict()),
  /** What a return (or exchange) would give back or cost, before anything is written. */
  'returns:quote': channel<ReturnQuote>()(returnQuoteInputSchema),
  /** Takes lines back, pays back (cash / card), and for an exchange sells the new basket. */
  'returns:create': channel<CreateReturnResult>()(createReturnInputSchema),
  /** The return (or exchange) receipt as it prints. */
  'returns:receipt': channel<ReceiptPreviewData>()(z.object({ returnId: returnIdSchema }).strict()),
  'returns:reprint': channel<PrintJob>()(z.object({ returnId: returnIdSchema }).strict()),
  /** A return whose card part did not go through: give what is owed in cash from the drawer. */
  'returns:settle-owed': channel<ReturnRecord>()(settleOwedInputSchema),
  /** Same-day reversal of a card sale taken by mistake (Dojo `POST /payment-intents/{id}/reversal`). */
  'payments:reverse': channel<Reversal>()(reversalInputSchema),
} as const;
