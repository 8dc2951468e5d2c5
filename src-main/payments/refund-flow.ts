import { randomUUID } from 'node:crypto';
import { TillError } from '../../src-shared/errors';
import type { CurrencyCode } from '../../src-shared/money';
import { currentActor } from '../staff/actor';
import type { PaymentAttempt, Refund } from '../../src-shared/domain/payments';
import { audit } from '../platform/audit';
import { getAttempt, insertAttempt } from './attempts.repo';
import type { PaymentsContext } from './payments-context';
import {
  assertOrderRefundable,
  assertWithinRemainder,
  getRefund,
  insertRefund,
  refundForAttempt,
  setRefundStatus,
} from './refunds.repo';
import { afterSessionCreate } from './sale-flow';
import { createSessionCarefully } from './session-create';
import { ensureTerminalAvailable } from './terminals';

export type MatchedRefundInput = {
  originalAttemptId: string;
  terminalId: string;
  amountMinor?: number | undefined;
  reason?: string | undefined;
  /**
   * More to write in the same transaction as the refund (a return's lines and payouts): its own
   * checks run there too, so a refusal leaves neither the refund nor the rest.
   */
  alsoWrite?: ((refundId: string) => void) | undefined;
};
export type UnlinkedRefundInput = {
  terminalId: string;
  amountMinor: number;
  orderId?: string | undefined;
  reason?: string | undefined;
};

/** The captured sale a refund is taken against, with what remains refundable. */
export function refundableSale(
  ctx: PaymentsContext,
  originalAttemptId: string,
): { sale: PaymentAttempt; remaining: number } {
  const sale = getAttempt(ctx.db, originalAttemptId);
  // `refundableMinor` is `refundableMinorFor`: null unless a captured sale with a payment intent.
  if (sale.refundableMinor === null) {
    throw new TillError('ORDER_STATE', 'Only a card payment that went through can be refunded.');
  }
  return { sale, remaining: sale.refundableMinor };
}

/** Card-present refund against the original payment intent, full or partial. */
export async function matchedRefund(
  ctx: PaymentsContext,
  input: MatchedRefundInput,
): Promise<{ refund: Refund; attempt: PaymentAttempt }> {
  const { sale, remaining } = refundableSale(ctx, input.originalAttemptId);
  const amountMinor = input.amountMinor ?? remaining;
  // Nothing left: the refusal names what already went back (refunds, cash, exchange credit).
  if (amountMinor <= 0) assertWithinRemainder(ctx.db, sale.id, sale.amountMinor, 1, sale.currency);
  assertWithinRemainder(ctx.db, sale.id, sale.amountMinor, amountMinor, sale.currency);
  const terminal = await ensureTerminalAvailable(ctx, input.terminalId);
  const attemptId = randomUUID();
  const refundId = randomUUID();
  ctx.db.transaction(() => {
    // Checked again inside the transaction: two refunds started together cannot overspend the sale.
    assertWithinRemainder(ctx.db, sale.id, sale.amountMinor, amountMinor, sale.currency);
    insertAttempt(
      ctx.db,
      {
        id: attemptId,
        orderId: sale.orderId,
        kind: 'matched_refund',
        amountMinor,
        currency: sale.currency,
        terminalId: input.terminalId,
        terminalTid: terminal.properties.tid || null,
        paymentIntentId: sale.paymentIntentId,
      },
      {
        source: 'till',
        type: 'attempt-created',
        detail: { amountMinor, originalAttemptId: sale.id, full: amountMinor === sale.amountMinor },
      },
    );
    insertRefund(ctx.db, {
      id: refundId,
      orderId: sale.orderId,
      originalAttemptId: sale.id,
      kind: 'matched',
      amountMinor,
      currency: sale.currency,
      status: 'pending',
      paymentIntentId: sale.paymentIntentId,
      attemptId,
      reason: input.reason ?? null,
      approvedBy: null,
    });
    input.alsoWrite?.(refundId);
  })();
  const attempt = getAttempt(ctx.db, attemptId);
  const pi = sale.paymentIntentId ?? '';
  // Always send the amount: whether an absent amount means "full" is not stated
  // (docs/PAYMENTS.md, "Talking to Dojo").
  const money = { value: amountMinor, currencyCode: sale.currency };
  return runRefundSession(
    ctx,
    attempt,
    refundId,
    () => ctx.dojo().createMatchedRefundSession(input.terminalId, pi, money),
    pi,
  );
}

/**
 * An unlinked refund recorded against an order counts towards that order's refunds, so it needs a
 * paid order and must fit in what is left to refund on it by every way (card, cash, returns,
 * exchange credit, reversals: `assertOrderRefundable`). Without an order it stands alone.
 */
const orderCurrency = (ctx: PaymentsContext, orderId: string, amountMinor: number): CurrencyCode =>
  assertOrderRefundable(ctx.db, orderId, amountMinor).currency;

/** Refund with no original sale: custom amount, recorded against a paid order if given. */
export async function unlinkedRefund(
  ctx: PaymentsContext,
  input: UnlinkedRefundInput,
): Promise<{ refund: Refund; attempt: PaymentAttempt }> {
  const currency: CurrencyCode = input.orderId
    ? orderCurrency(ctx, input.orderId, input.amountMinor)
    : ctx.currency();
  const terminal = await ensureTerminalAvailable(ctx, input.terminalId);
  const attemptId = randomUUID();
  const refundId = randomUUID();
  ctx.db.transaction(() => {
    // Again inside the transaction: two refunds started together cannot overspend the order.
    if (input.orderId) assertOrderRefundable(ctx.db, input.orderId, input.amountMinor);
    insertAttempt(
      ctx.db,
      {
        id: attemptId,
        orderId: input.orderId ?? null,
        kind: 'unlinked_refund',
        amountMinor: input.amountMinor,
        currency,
        terminalId: input.terminalId,
        terminalTid: terminal.properties.tid || null,
        paymentIntentId: null,
      },
      {
        source: 'till',
        type: 'attempt-created',
        detail: {
          amountMinor: input.amountMinor,
          staffId: currentActor()?.staffId ?? null,
          approvedBy: currentActor()?.approvedBy ?? null,
        },
      },
    );
    insertRefund(ctx.db, {
      id: refundId,
      orderId: input.orderId ?? null,
      originalAttemptId: null,
      kind: 'unlinked',
      amountMinor: input.amountMinor,
      currency,
      status: 'pending',
      paymentIntentId: null,
      attemptId,
      reason: input.reason ?? null,
      approvedBy: currentActor()?.approvedBy ?? null,
    });
    audit(ctx.db, 'staff', 'refund.unlinked.approved', refundId, {
      amountMinor: input.amountMinor,
      orderId: input.orderId ?? null,
    });
  })();
  const attempt = getAttempt(ctx.db, attemptId);
  const money = { value: input.amountMinor, currencyCode: currency };
  return runRefundSession(
    ctx,
    attempt,
    refundId,
    () => ctx.dojo().createUnlinkedRefundSession(input.terminalId, money),
    null,
  );
}

async function runRefundSession(
  ctx: PaymentsContext,
  attempt: PaymentAttempt,
  refundId: string,
  create: Parameters<typeof createSessionCarefully>[2],
  paymentIntentId: string | null,
): Promise<{ refund: Refund; attempt: PaymentAttempt }> {
  ctx.crash('refund:before-session-create');
  const result = await createSessionCarefully(ctx, attempt, create, { paymentIntentId });
  try {
    const started = afterSessionCreate(ctx, attempt.id, result, 'refund');
    return { refund: getRefund(ctx.db, refundId), attempt: started };
  } catch (error) {
    const after = getAttempt(ctx.db, attempt.id);
    if (after.state.kind === 'failed')
      setRefundStatus(ctx.db, refundId, 'failed', after.state.reason);
    throw error;
  }
}

/** Marks the refund of a terminal attempt failed when the attempt ended without one. */
export function failRefundOfAttempt(ctx: PaymentsContext, attemptId: string, reason: string): void {
  const refund = refundForAttempt(ctx.db, attemptId);
  if (refund && refund.status === 'pending') setRefundStatus(ctx.db, refund.id, 'failed', reason);
}
