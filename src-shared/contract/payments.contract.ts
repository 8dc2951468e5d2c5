// Owned by the payments feature. Channels are named '<domain>:<verb>'.
import { z } from 'zod';
import { channel, event } from './define';
import { positiveMinorUnitsSchema } from '../money';
import { printableText } from '../domain/printable-text';
import { idempotencyKeySchema } from '../idempotency';
import { approvalSchema } from '../domain/staff';
import type {
  AttemptToCheck,
  PaymentAttempt,
  PaymentAttemptWithJournal,
  PaymentProgress,
  Refund,
  TerminalInfo,
} from '../domain/payments';

const idSchema = (what: string) =>
  printableText(
    z.string().trim().min(1, `Choose a ${what}`).max(100, `That is not a ${what} id`),
    `The ${what} id`,
  );
const attemptIdSchema = z.uuid('That is not a payment attempt id');
const orderIdSchema = z.uuid('That is not an order id');
const reasonSchema = printableText(
  z.string().trim().max(200, 'A reason is at most 200 characters'),
  'The reason',
).optional();

export const startSaleInputSchema = z
  .object({
    orderId: orderIdSchema,
    terminalId: idSchema('terminal'),
    /** For split tenders; the order's remaining balance when absent. */
    amountMinor: positiveMinorUnitsSchema.optional(),
    /** A tip the customer chose at the till, sent as the intent's `tipsAmount` (not part of the sale). */
    tipMinor: z
      .number({ error: 'A tip is an amount of money' })
      .int('A tip is a whole number of pence/cents')
      .min(0, 'A tip cannot be below zero')
      .optional(),
    idempotencyKey: idempotencyKeySchema,
  })
  .strict();

export const matchedRefundInputSchema = z
  .object({
    /** The captured sale attempt being refunded. */
    originalAttemptId: attemptIdSchema,
    terminalId: idSchema('terminal'),
    /** Partial refund; the whole refundable remainder when absent. */
    amountMinor: positiveMinorUnitsSchema.optional(),
    reason: reasonSchema,
    idempotencyKey: idempotencyKeySchema,
    approval: approvalSchema.optional(),
  })
  .strict();

export const unlinkedRefundInputSchema = z
  .object({
    terminalId: idSchema('terminal'),
    amountMinor: positiveMinorUnitsSchema,
    /** A supervisor's or manager's PIN when the person signed in may not refund without a sale. */
    approval: approvalSchema.optional(),
    /** The order the money is being returned for, when there is one. */
    orderId: orderIdSchema.optional(),
    reason: reasonSchema,
    idempotencyKey: idempotencyKeySchema,
  })
  .strict();

export const serverRefundInputSchema = z
  .object({
    originalAttemptId: attemptIdSchema,
    amountMinor: positiveMinorUnitsSchema.optional(),
    reason: reasonSchema,
    idempotencyKey: idempotencyKeySchema,
    approval: approvalSchema.optional(),
  })
  .strict();

export const recordManuallyInputSchema = z
  .object({
    /** An attempt whose result cannot be confirmed (state `unconfirmed`). */
    attemptId: attemptIdSchema,
    outcome: z.enum(['paid', 'not-paid'], 'Choose paid or not paid'),
    approval: approvalSchema.optional(),
    /** Why the manager is sure, e.g. "terminal printed APPROVED, auth 123456". */
    note: printableText(
      z
        .string()
        .trim()
        .min(3, 'Write a short note (at least 3 characters)')
        .max(200, 'A note is at most 200 characters'),
      'The note',
    ),
  })
  .strict();

export type TerminalsStatus = {
  terminals: TerminalInfo[];
  checkedAt: string;
  error: string | null;
};

export const paymentsChannels = {
  'terminals:list': channel<TerminalInfo[]>()(z.undefined()),
  'terminals:set-default': channel<{ defaultTerminalId: string }>()(
    z.object({ terminalId: idSchema('terminal') }).strict(),
  ),
  'payments:start-sale': channel<PaymentAttempt>()(startSaleInputSchema),
  'refunds:matched': channel<{ refund: Refund; attempt: PaymentAttempt }>()(
    matchedRefundInputSchema,
  ),
  'refunds:unlinked': channel<{ refund: Refund; attempt: PaymentAttempt }>()(
    unlinkedRefundInputSchema,
  ),
  'refunds:server': channel<Refund>()(serverRefundInputSchema),
  'refunds:list-for-order': channel<Refund[]>()(z.object({ orderId: orderIdSchema }).strict()),
  'payments:cancel': channel<PaymentAttempt>()(z.object({ attemptId: attemptIdSchema }).strict()),
  'payments:signature': channel<PaymentAttempt>()(
    z.object({ attemptId: attemptIdSchema, accepted: z.boolean() }).strict(),
  ),
  'payments:check-again': channel<PaymentAttempt>()(
    z.object({ attemptId: attemptIdSchema }).strict(),
  ),
  'payments:record-manually': channel<PaymentAttempt>()(recordManuallyInputSchema),
  /**
   * The sale screen starts the next sale (the New sale button, and the test harness): refused in
   * plain words while a card payment or refund is still running on this till.
   */
  'payments:new-sale': channel<null>()(z.undefined()),
  'payments:get': channel<PaymentAttemptWithJournal>()(
    z.object({ attemptId: attemptIdSchema }).strict(),
  ),
  'payments:list-for-order': channel<PaymentAttempt[]>()(
    z.object({ orderId: orderIdSchema }).strict(),
  ),
  /** Every attempt whose result cannot be confirmed (the "payments to check" list). */
  'payments:list-to-check': channel<AttemptToCheck[]>()(z.undefined()),
} as const;

export const paymentsEvents = {
  'payments:progress': event<PaymentProgress>(),
  'terminals:status': event<TerminalsStatus>(),
} as const;
