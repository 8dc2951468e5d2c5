import { randomUUID } from 'node:crypto';
import { TillError } from '../../src-shared/errors';
import type { Refund } from '../../src-shared/domain/payments';
import { isDojoError } from '../dojo/dojo-errors';
import type { Db } from '../db/connection';
import type { OrdersPort } from '../orders/orders-port';
import { formatMoney } from '../../src-shared/money';
import { enqueue, type Outbox, type OutboxHandler } from '../queue/outbox';
import { runHook, type PaymentsContext } from './payments-context';
import { errorText } from '../platform/error-text';
import { refundableSale } from './refund-flow';
import {
  assertWithinRemainder,
  completeRefund,
  findRefund,
  getRefund,
  insertRefund,
  setRefundStatus,
} from './refunds.repo';

/** Outbox kind for `POST /payment-intents/{id}/refunds`; the refund's UUID is the idempotency key. */
export const SERVER_REFUND_KIND = 'dojo.refund';

type Payload = {
  refundId: string;
  paymentIntentId: string;
  amountMinor: number;
  reason: string | null;
};

export type ServerRefundInput = {
  originalAttemptId: string;
  amountMinor?: number | undefined;
  reason?: string | undefined;
  /** More to write in the refund's own transaction (a return's lines and payouts). */
  alsoWrite?: ((refundId: string) => void) | undefined;
};

export type ServerRefundOptions = {
  /** How long `create` waits for the first try before answering "queued" (the work stays queued). */
  firstTryWaitMs: number;
  /** False while Dojo is known to be unreachable: `create` answers "queued" at once. */
  online: () => boolean;
};

export type ServerRefunds = {
  /** Records the refund and its outbox item in one transaction, then waits for the first try. */
  create(input: ServerRefundInput): Promise<Refund>;
};

function parsePayload(value: unknown): Payload | null {
  if (!value || typeof value !== 'object') return null;
  const p = value as Partial<Payload>;
  if (
    typeof p.refundId !== 'string' ||
    typeof p.paymentIntentId !== 'string' ||
    typeof p.amountMinor !== 'number'
  )
    return null;
  return {
    refundId: p.refundId,
    paymentIntentId: p.paymentIntentId,
    amountMinor: p.amountMinor,
    reason: typeof p.reason === 'string' ? p.reason : null,
  };
}

const dojoWords = (error: unknown): string =>
  isDojoError(error) && error.info.dojoMessage ? error.info.dojoMessage : errorText(error);

/**
 * Server-side refunds (docs/PAYMENTS.md rule 10) are durable work in the one generic outbox: the refund row
 * and its item are committed together, the outbox sends it (backoff, exactly once by the refund's
 * UUID as Dojo's `idempotencyKey`), and Dojo's refusal ends it as dead with the refund failed.
 */
export function createServerRefunds(
  ctx: PaymentsContext,
  outbox: Outbox,
  options: ServerRefundOptions,
): ServerRefunds {
  /** A refund that failed and is revived from the queue must still fit in what is left. */
  function requeueIfFailed(refund: Refund): void {
    if (refund.status !== 'failed' || !refund.originalAttemptId) return;
    const { sale } = refundableSale(ctx, refund.originalAttemptId);
    ctx.db.transaction(() => {
      assertWithinRemainder(ctx.db, sale.id, sale.amountMinor, refund.amountMinor, sale.currency);
      setRefundStatus(ctx.db, refund.id, 'queued', refund.lastError);
    })();
  }

  const handler: OutboxHandler = async (item) => {
    const p = parsePayload(item.payload);
    const refund = p && p.refundId === item.idempotencyKey ? findRefund(ctx.db, p.refundId) : null;
    if (!p || !refund)
      throw new TillError(
        'INTERNAL',
        'This queued refund cannot be read; nothing was sent to Dojo.',
      );
    if (refund.status === 'completed') return; // done before a restart; the item only needs closing
    requeueIfFailed(refund);
    ctx.crash('server-refund:before-post');
    let dojoRefundId: string;
    try {
      const body = { amount: p.amountMinor, ...(p.reason ? { refundReason: p.reason } : {}) };
      dojoRefundId = (
        await ctx.dojo().refundPaymentIntent(p.paymentIntentId, item.idempotencyKey, body)
      ).refundId;
    } catch (error) {
      const retry = !isDojoError(error) || error.retryable;
      const words = dojoWords(error);
      setRefundStatus(ctx.db, p.refundId, retry ? 'queued' : 'failed', words);
      ctx.log.warn('server refund not done', {
        refundId: p.refundId,
        retry,
        attempt: item.attempt,
        error: words,
      });
      if (retry) throw error;
      throw new TillError('DOJO_HTTP', words, { retryable: false });
    }
    ctx.crash('server-refund:after-post');
    const completed = ctx.db.transaction(() =>
      completeRefund(ctx.db, ctx.orders, p.refundId, dojoRefundId),
    )();
    ctx.log.info('server refund done', { refundId: p.refundId, dojoRefundId });
    if (completed) void runHook(ctx, 'onRefundCompleted', () => ctx.onRefundCompleted(p.refundId));
    const orderId = getRefund(ctx.db, p.refundId).orderId;
    if (orderId) announce(orderId);
  };
  outbox.registerHandler(SERVER_REFUND_KIND, handler, (item) =>
    describeServerRefund(ctx.db, ctx.orders, item.idempotencyKey),
  );

  /** Every screen showing the order (another tab's refund dialog) refreshes what is refundable. */
  function announce(orderId: string): void {
    ctx.orders.announceChange(orderId);
  }

  // Out of tries on errors that might pass: the amount stays reserved (Dojo may have refunded),
  // and the refund says why; reviving the item from the queue sends it again with the same key.
  outbox.on('dead', (e) => {
    if (e.kind !== SERVER_REFUND_KIND) return;
    const refundId = ctx.db
      .prepare<[number], { key: string }>('SELECT idempotency_key AS key FROM outbox WHERE id = ?')
      .get(e.id)?.key;
    const refund = refundId ? findRefund(ctx.db, refundId) : null;
    if (refund?.status === 'queued')
      setRefundStatus(
        ctx.db,
        refund.id,
        'queued',
        `Stopped retrying after ${e.attempts} tries: ${e.error}`,
      );
  });

  // A manager gave the refund up (for instance, refunded in cash instead): it is failed, with
  // their reason, and its amount is free again. A later retry of the item revives it.
  outbox.on('discarded', (e) => {
    if (e.kind !== SERVER_REFUND_KIND) return;
    const refund = findRefund(ctx.db, e.idempotencyKey);
    if (refund && refund.status === 'queued')
      setRefundStatus(ctx.db, refund.id, 'failed', `Discarded by a ${e.by}: ${e.reason}`);
  });

  /** Resolves once each item has been tried (done, retry or dead), or after the wait. */
  function tried(ids: readonly number[]): Promise<void> {
    const left = new Set(ids);
    if (left.size === 0 || !options.online()) return Promise.resolve();
    return new Promise((resolve) => {
      const offs: (() => void)[] = [];
      const finish = () => {
        clearTimeout(timer);
        for (const off of offs) off();
        resolve();
      };
      const seen = ({ id }: { id: number }) => {
        left.delete(id);
        if (left.size === 0) finish();
      };
      const timer = setTimeout(finish, options.firstTryWaitMs);
      offs.push(outbox.on('done', seen), outbox.on('retry', seen), outbox.on('dead', seen));
      outbox.kick();
    });
  }

  return {
    async create(input) {
      const { sale, remaining } = refundableSale(ctx, input.originalAttemptId);
      const amountMinor = input.amountMinor ?? remaining;
      // Nothing left: the refusal names what already went back (refunds, cash, exchange credit).
      if (amountMinor <= 0)
        assertWithinRemainder(ctx.db, sale.id, sale.amountMinor, 1, sale.currency);
      const refundId = randomUUID();
      const payload: Payload = {
        refundId,
        paymentIntentId: sale.paymentIntentId ?? '',
        amountMinor,
        reason: input.reason ?? null,
      };
      const item = ctx.db.transaction(() => {
        assertWithinRemainder(ctx.db, sale.id, sale.amountMinor, amountMinor, sale.currency);
        insertRefund(ctx.db, {
          id: refundId,
          orderId: sale.orderId,
          originalAttemptId: sale.id,
          kind: 'server',
          amountMinor,
          currency: sale.currency,
          status: 'queued',
          paymentIntentId: sale.paymentIntentId,
          attemptId: null,
          reason: input.reason ?? null,
          approvedBy: null,
        });
        input.alsoWrite?.(refundId);
        return enqueue(ctx.db, { kind: SERVER_REFUND_KIND, idempotencyKey: refundId, payload })
          .item;
      })();
      outbox.enqueuedElsewhere();
      if (sale.orderId) announce(sale.orderId);
      await tried([item.id]);
      const refund = getRefund(ctx.db, refundId);
      if (refund.status === 'failed') {
        throw new TillError(
          'DOJO_HTTP',
          `Dojo refused the refund: ${refund.lastError ?? 'no reason given'}. A refund on the terminal (matched refund) may still work.`,
        );
      }
      return refund;
    },
  };
}

/** Plain words for a queued server refund: amount, order and reason, for the queue screen. */
export function describeServerRefund(
  db: Db,
  orders: Pick<OrdersPort, 'findSummary'>,
  idempotencyKey: string,
): string {
  const refund = findRefund(db, idempotencyKey);
  if (!refund) return 'A refund to a card (its record cannot be found)';
  const reference = refund.orderId ? orders.findSummary(refund.orderId)?.reference : undefined;
  return [
    `Refund of ${formatMoney(refund.amountMinor, refund.currency)} to the card`,
    reference ? `, order ${reference}` : '',
    refund.reason ? ` (${refund.reason})` : '',
  ].join('');
}
