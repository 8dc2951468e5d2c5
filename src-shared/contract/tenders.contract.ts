// Owned by the tenders feature (vouchers, card on another terminal) and the receipt choice.
import { z } from 'zod';
import { channel } from './define';
import { positiveMinorUnitsSchema } from '../money';
import { printableText } from '../domain/printable-text';
import { idempotencyKeySchema } from '../idempotency';
import { approvalSchema } from '../domain/staff';
import {
  receiptChoices,
  type MatchRun,
  type OtherTenderResult,
  type ReceiptChoiceResult,
  type ReceiptOptions,
  type ToMatchTender,
} from '../domain/tenders';

const orderIdSchema = z.uuid('That is not an order id');

export const cardOtherInputSchema = z
  .object({
    orderId: orderIdSchema,
    amountMinor: positiveMinorUnitsSchema,
    last4: z
      .string({ error: 'Type the last four digits of the card' })
      .trim()
      .regex(/^\d{4}$/, 'The last four digits of the card are four digits, like 4242'),
    authCode: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9]{1,12}$/, 'An auth code is letters and digits only, at most 12')
      .optional()
      .or(z.literal('').transform(() => undefined)),
    idempotencyKey: idempotencyKeySchema,
    approval: approvalSchema.optional(),
  })
  .strict();

export const voucherInputSchema = z
  .object({
    orderId: orderIdSchema,
    amountMinor: positiveMinorUnitsSchema,
    reference: printableText(
      z
        .string({ error: 'Type the voucher number or a reference' })
        .trim()
        .min(2, 'Type the voucher number or a reference (at least 2 characters)')
        .max(40, 'A reference is at most 40 characters'),
      'The reference',
    ),
    idempotencyKey: idempotencyKeySchema,
  })
  .strict();

/** An e-mail address as a person types it: one address, something@somewhere.tld. */
export const emailSchema = z
  .string({ error: 'Type the customer’s e-mail address' })
  .trim()
  .max(254, 'That e-mail address is too long')
  .regex(
    /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[A-Za-z]{2,}$/,
    'That is not an e-mail address: it looks like name@example.com',
  );

export const receiptChooseInputSchema = z
  .object({
    orderId: orderIdSchema,
    choice: z.enum(receiptChoices, 'Choose Print, Email or No receipt'),
    email: emailSchema.optional(),
  })
  .strict()
  .refine((v) => v.choice !== 'email' || v.email !== undefined, {
    message: 'Type the customer’s e-mail address',
    path: ['email'],
  });

export const tendersChannels = {
  /** While Dojo is unreachable: a card taken on a terminal the till does not drive (supervisor). */
  'tenders:card-other': channel<OtherTenderResult>()(cardOtherInputSchema),
  /** A gift voucher or other tender, with its reference. */
  'tenders:voucher': channel<OtherTenderResult>()(voucherInputSchema),
  /** Cards taken on another terminal still waiting for Dojo's record (for the manager). */
  'tenders:to-match': channel<ToMatchTender[]>()(z.undefined()),
  /** Searches Dojo's record for them now. */
  'tenders:match-now': channel<MatchRun>()(z.undefined()),
  'receipts:options': channel<ReceiptOptions>()(z.object({ orderId: orderIdSchema }).strict()),
  'receipts:choose': channel<ReceiptChoiceResult>()(receiptChooseInputSchema),
} as const;
