import { randomUUID } from 'node:crypto';
import { TillError } from '../../src-shared/errors';
import type { Refund } from '../../src-shared/domain/payments';
import { isDojoError } from '../dojo/dojo-errors';
import { nowIso } from '../db/connection';
import { errorText, runHook, type PaymentsContext } from './payments-context';
import { refundableSale } from './refund-flow';
import { assertWithinRemainder, completeRefund, getRefund, insertRefund, setRefundStatus } from './refunds.repo';

/** Outbox kind for `POST /payment-intents/{id}/refunds`; the refund's UUID is the idempotency key. */
export const SERVER_REFUND_KIND = 'dojo.refund';

type Payload = { refundId: string; paymentIntentId: string; amountMinor: number; reason: string | null };
type OutboxRow = { id: number; idempotency_key: string; payload: string; attempts: number };

export type ServerRefundInput = { originalAttemptId: string; amountMinor?: number | undefined; reason?: string | undefined };

const backoffMs = (attempts: number) => Math.min(5 * 60_000, 1000 * 2 ** Math.min(attempts, 12)) * (0.75 + Math.random() * 0.5);

export type ServerRefunds = {
  /** Records the refund and its outbox item in one transaction, then tries it once at once. */
  create(input: ServerRefundInput): Promise<Refund>;
  /** Sends every due item (in order); returns how many were tried. */
  drain(): Promise<number>;
  start(intervalMs?: number): void;
  stop(): void;
};

export function createServerRefunds(ctx: PaymentsContext): ServerRefunds {
  const inFlight = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  let controller: AbortController | null = null;

  async function send(row: OutboxRow): Promise<void> {
    const p = JSON.parse(row.payload) as Payload;
    if (inFlight.has(p.refundId)) return;
    inFlight.add(p.refundId);
    try {
      ctx.crash('server-refund:before-post');
      const body = { amount: p.amountMinor, ...(p.reason ? { refundReason: p.reason } : {}) };
      const result = await ctx.dojo().refundPaymentIntent(p.paymentIntentId, row.idempotency_key, body);
      ctx.crash('server-refund:after-post');
      let completed = false;
      ctx.db.transaction(() => {
        ctx.db.prepare(`UPDATE outbox SET status = 'done', done_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?`).run(nowIso(), row.id);
        completed = completeRefund(ctx.db, p.refundId, result.refundId);
      })();
      ctx.log.info('server refund done', { refundId: p.refundId, dojoRefundId: result.refundId });
      if (completed) void runHook(ctx, 'onRefundCompleted', () => ctx.onRefundCompleted(p.refundId));
    } catch (error) {
      const retry = !isDojoError(error) || error.retryable;
      const words = isDojoError(error) && error.info.dojoMessage ? error.info.dojoMessage : errorText(error);
      ctx.db.transaction(() => {
        if (retry) {
          const wait = Math.max(backoffMs(row.attempts + 1), isDojoError(error) ? (error.info.retryAfterMs ?? 0) : 0);
          ctx.db
            .prepare('UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?')
            .run(new Date(Date.now() + wait).toISOString(), words, row.id);
          setRefundStatus(ctx.db, p.refundId, 'queued', words);
        } else {
          ctx.db.prepare(`UPDATE outbox SET status = 'dead', attempts = attempts + 1, last_error = ? WHERE id = ?`).run(words, row.id);
          setRefundStatus(ctx.db, p.refundId, 'failed', words);
        }
      })();
      ctx.log.warn('server refund not done', { refundId: p.refundId, retry, error: words });
      if (!retry) {
        throw new TillError('DOJO_HTTP', `Dojo refused the refund: ${words}. A refund on the terminal (matched refund) may still work.`);
      }
    } finally {
      inFlight.delete(p.refundId);
    }
  }

  const due = () =>
    ctx.db
      .prepare<[string, string], OutboxRow>(
        `SELECT id, idempotency_key, payload, attempts FROM outbox
         WHERE kind = ? AND status = 'pending' AND next_attempt_at <= ? ORDER BY id`,
      )
      .all(SERVER_REFUND_KIND, nowIso());

  const api: ServerRefunds = {
    async create(input) {
      const { sale, remaining } = refundableSale(ctx, input.originalAttemptId);
      const amountMinor = input.amountMinor ?? remaining;
      if (amountMinor <= 0) throw new TillError('REFUND_EXCEEDS_REMAINING', 'This payment has already been refunded in full.');
      const refundId = randomUUID();
      const payload: Payload = { refundId, paymentIntentId: sale.paymentIntentId ?? '', amountMinor, reason: input.reason ?? null };
      ctx.db.transaction(() => {
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
        ctx.db
          .prepare(
            `INSERT INTO outbox (kind, idempotency_key, payload, status, attempts, next_attempt_at, created_at)
             VALUES (?, ?, ?, 'pending', 0, ?, ?)`,
          )
          .run(SERVER_REFUND_KIND, refundId, JSON.stringify(payload), nowIso(), nowIso());
      })();
      const row = ctx.db
        .prepare<[string], OutboxRow>('SELECT id, idempotency_key, payload, attempts FROM outbox WHERE idempotency_key = ?')
        .get(refundId);
      if (row) await send(row);
      return getRefund(ctx.db, refundId);
    },
    async drain() {
      const rows = due();
      for (const row of rows) {
        if (controller?.signal.aborted) break;
        await send(row).catch(() => undefined);
      }
      return rows.length;
    },
    start(intervalMs = 5000) {
      if (controller) return;
      controller = new AbortController();
      const loop = async () => {
        await api.drain().catch((e: unknown) => ctx.log.error('refund outbox drain failed', { error: errorText(e) }));
        if (controller && !controller.signal.aborted) timer = setTimeout(() => void loop(), intervalMs);
      };
      void loop();
    },
    stop() {
      controller?.abort();
      controller = null;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
  return api;
}
