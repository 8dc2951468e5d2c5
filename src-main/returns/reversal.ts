import { randomUUID } from 'node:crypto';
import { TillError } from '../../src-shared/errors';
import { formatMoney } from '../../src-shared/money';
import type { Reversal } from '../../src-shared/domain/returns';
import { nowIso, type Db } from '../db/connection';
import type { DojoClient } from '../dojo/dojo-client';
import { isDojoError } from '../dojo/dojo-errors';
import type { Logger } from '../logging/logger';
import type { EventBus } from '../platform/event-bus';
import type { OrdersPort } from '../orders/orders-port';
import type { PaymentAttempt } from '../../src-shared/domain/payments';
import { localDay } from '../orders/reference';
import { audit } from '../platform/audit';
import { currentActor } from '../staff/actor';
import { staffName } from '../staff/staff-names';
import { describeGivenBack, orderRefundable } from '../payments/refundable';
import { getReversal, liveReversalOf, orderHasLiveReturn } from './returns.repo';

export type ReversalDeps = {
  db: Db;
  logger: Logger;
  bus: EventBus;
  dojo: () => DojoClient;
  /** The orders feature: tells the screens an order changed. */
  orders: Pick<OrdersPort, 'announceChange' | 'recordRefunded'>;
  /** The payments feature: the card sale to reverse (NOT_FOUND when there is none). */
  payments: { attempt(attemptId: string): PaymentAttempt };
  now?: () => Date;
};

/**
 * Same-day reversal of a card sale taken by mistake (docs/RETURNS.md): the whole payment, no
 * card present, through Dojo's `POST /payment-intents/{id}/reversal`. Kept apart from refunds.
 * The till refuses what it knows Dojo would (another day, refunded, already reversed); when Dojo
 * refuses anyway (settled already, refunded elsewhere) the cashier reads why and is offered a refund.
 */
export function createReversals(deps: ReversalDeps) {
  const { db } = deps;
  const log = deps.logger.child('reversal');
  const clock = deps.now ?? (() => new Date());

  function check(attemptId: string) {
    const sale = deps.payments.attempt(attemptId);
    if (
      sale.kind !== 'sale' ||
      sale.state.kind !== 'succeeded' ||
      !sale.paymentIntentId ||
      !sale.orderId
    )
      throw new TillError('ORDER_STATE', 'Only a card payment that went through can be reversed.');
    const money = formatMoney(sale.amountMinor, sale.currency);
    if (liveReversalOf(db, sale.id))
      throw new TillError('ORDER_STATE', `This card payment of ${money} is already reversed.`);
    if (localDay(new Date(sale.createdAt)) !== localDay(clock()))
      throw new TillError(
        'ORDER_STATE',
        `This card payment of ${money} was taken on an earlier day: only a payment taken today can be reversed. Refund it instead.`,
      );
    const refunded =
      db
        .prepare<[string], { n: number }>(
          "SELECT count(*) AS n FROM refunds WHERE original_attempt_id = ? AND status IN ('pending', 'queued', 'completed')",
        )
        .get(sale.id)?.n ?? 0;
    if (refunded > 0)
      throw new TillError(
        'ORDER_STATE',
        `This card payment of ${money} has already been (partly) refunded, so it can no longer be reversed. Refund the rest instead.`,
      );
    if (orderHasLiveReturn(db, sale.orderId))
      throw new TillError(
        'ORDER_STATE',
        'Items of this order were already returned, so its card payment can no longer be reversed. Refund it instead.',
      );
    // The one refundable rule (docs/PAYMENTS.md rule 10): a reversal gives the whole sale back, so
    // nothing may have gone back on the order by any other way (a cash refund, for one).
    const order = orderRefundable(db, sale.orderId);
    const already = order ? describeGivenBack(order.givenBack, sale.currency) : null;
    if (already)
      throw new TillError(
        'ORDER_STATE',
        `${already} on this order, so its card payment of ${money} can no longer be reversed. Refund what is left instead.`,
      );
    return { sale, orderId: sale.orderId, paymentIntentId: sale.paymentIntentId };
  }

  const announce = (orderId: string) => deps.orders.announceChange(orderId);

  return {
    async reverse(input: { attemptId: string; reason?: string | undefined }): Promise<Reversal> {
      check(input.attemptId);
      const id = randomUUID();
      const actor = currentActor();
      const { sale, orderId, paymentIntentId } = db.transaction(() => {
        const c = check(input.attemptId); // again: two presses cannot both pass
        const now = nowIso();
        db.prepare(
          `INSERT INTO reversals (id, order_id, attempt_id, payment_intent_id, amount_minor, currency, status, reason,
                                  staff_id, approved_by, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?)`,
        ).run(
          id,
          c.orderId,
          c.sale.id,
          c.paymentIntentId,
          c.sale.amountMinor,
          c.sale.currency,
          input.reason ?? null,
          actor?.staffId ?? null,
          actor?.approvedBy ?? null,
          now,
          now,
        );
        return c;
      })();
      const finish = (
        status: 'completed' | 'failed',
        error: string | null,
        reversalId: string | null,
      ) =>
        db.transaction(() => {
          db.prepare(
            'UPDATE reversals SET status = ?, last_error = ?, dojo_reversal_id = ?, updated_at = ? WHERE id = ?',
          ).run(status, error, reversalId, nowIso(), id);
          if (status === 'completed') {
            deps.orders.recordRefunded(orderId, sale.amountMinor);
            audit(db, staffName(db, actor?.staffId ?? null) ?? 'till', 'payment.reversed', id, {
              attemptId: sale.id,
              orderId,
              amountMinor: sale.amountMinor,
            });
          }
        })();
      try {
        const r = await deps.dojo().reversePaymentIntent(paymentIntentId);
        finish('completed', null, r.reversalId);
        log.info('card payment reversed', { reversalId: id, attemptId: sale.id });
      } catch (error) {
        // A reply that was lost may have reversed it: Dojo's payment intent says.
        if (isDojoError(error) && error.info.ambiguous) {
          const status = await deps
            .dojo()
            .getPaymentIntent(paymentIntentId)
            .then((pi) => pi.status)
            .catch(() => null);
          if (status === 'Reversed') {
            finish('completed', null, null);
            announce(orderId);
            return getReversal(db, id);
          }
        }
        const words =
          isDojoError(error) && error.info.dojoMessage
            ? error.info.dojoMessage
            : error instanceof Error
              ? error.message
              : 'no reason given';
        finish('failed', words, null);
        log.warn('reversal refused', { reversalId: id, error: words });
        announce(orderId);
        throw new TillError(
          'DOJO_HTTP',
          `Dojo did not reverse this payment: ${words.replace(/[.\s]+$/, '')}. It may already be settled, or partly refunded. Nothing was reversed; refund it instead.`,
        );
      }
      announce(orderId);
      return getReversal(db, id);
    },
  };
}
