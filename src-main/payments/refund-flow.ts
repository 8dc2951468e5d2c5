import { randomUUID } from 'node:crypto';
import { TillError } from '../../src-shared/errors';
import type { CurrencyCode } from '../../src-shared/money';
import type { PaymentAttempt, Refund } from '../../src-shared/domain/payments';
import { audit } from '../settings/settings.repo';
import { getAttempt, insertAttempt } from './attempts.repo';
import { requireManagerPin } from './manager-pin';
import type { PaymentsContext } from './payments-context';
import {
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
};
export type UnlinkedRefundInput = {
  terminalId: string;
  amountMinor: number;
  managerPin: string;
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
  if (amountMinor <= 0)
    throw new TillError(
      'REFUND_EXCEEDS_REMAINING',
      'This payment has already been refunded in full.',
    );
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
        state: { kind: 'creating_session' },
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
  })();
  const attempt = getAttempt(ctx.db, attemptId);
  const pi = sale.paymentIntentId ?? '';
  // Always send the amount: whether an absent amount means "full" is unconfirmed (API-NOTES).
  const money = { value: amountMinor, currencyCode: sale.currency };
  return runRefundSession(
    ctx,
    attempt,
    refundId,
    () => ctx.dojo().createMatchedRefundSession(input.terminalId, pi, money),
    pi,
  );
}

/** Refund with no original sale: custom amount, a manager's PIN, recorded against an order if given. */
export async function unlinkedRefund(
  ctx: PaymentsContext,
  input: UnlinkedRefundInput,
): Promise<{ refund: Refund; attempt: PaymentAttempt }> {
  requireManagerPin(ctx.db, input.managerPin);
  let currency: CurrencyCode = ctx.currency();
  if (input.orderId) {
    const order = ctx.db
      .prepare<[string], { currency: string }>('SELECT currency FROM orders WHERE id = ?')
      .get(input.orderId);
    if (!order) throw new TillError('NOT_FOUND', 'That order does not exist.');
    currency = order.currency as CurrencyCode;
  }
  const terminal = await ensureTerminalAvailable(ctx, input.terminalId);
  const attemptId = randomUUID();
  const refundId = randomUUID();
  ctx.db.transaction(() => {
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
        state: { kind: 'creating_session' },
      },
      {
        source: 'manager',
        type: 'attempt-created',
        detail: { amountMinor: input.amountMinor, approvedBy: 'manager-pin' },
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
      approvedBy: 'manager-pin',
    });
    audit(ctx.db, 'manager', 'refund.unlinked.approved', refundId, {
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
