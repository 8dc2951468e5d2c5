import type pg from 'pg';
import type { Db } from '../db/connection';
import type { Logger } from '../logging/logger';
import { backoffDelay, createBackgroundLoop, type Nap } from '../platform/backoff';
import { createEmitter } from '../platform/emitter';
import {
  acknowledge,
  pendingChanges,
  readBatch,
  readBatchRows,
  readReplicationState,
} from './change-log.repo';
import { connectTill, describeShopError, type ShopIdentity, type ShopLinkState } from './shop-link';

export type ReplicatorStatus = {
  state: ShopLinkState;
  /** Changes committed on this till that the shop database has not acknowledged yet. */
  behind: number;
  reason: string | null;
  lastPushAt: string | null;
};

/** `acked`: the shop database committed every change up to `seq` (lag measurements). */
export type ReplicatorEvents = { status: ReplicatorStatus; acked: { seq: number; at: number } };

export type ReplicatorOptions = {
  db: Db;
  log: Logger;
  url: () => string | null;
  batchSize?: number;
  /** How often an idle replicator looks for new changes (ms). */
  idleMs?: number;
  backoff?: { baseMs: number; maxMs: number };
};

export type Replicator = {
  start(): void;
  stop(): Promise<void>;
  status(): ReplicatorStatus;
  /** Look for new changes now (after a commit) instead of at the next idle tick. */
  wake(): void;
  /** Resolves once every change logged so far is acknowledged (tests, day close). */
  drained(timeoutMs: number): Promise<boolean>;
  on: ReturnType<typeof createEmitter<ReplicatorEvents>>['on'];
};

const ORDER_FINAL = `('paid', 'voided')`;

/**
 * Pushes the till's change log to the shop database: a batch at a time, each batch in one
 * PostgreSQL transaction of upserts by id plus the till's acknowledged sequence, then the same
 * acknowledgement locally. A batch replayed after a crash between the two commits changes
 * nothing: rows carry their current state and a row only moves forward (a final order is never
 * reopened, an older `updated_at` never overwrites a newer one).
 */
export function createReplicator(options: ReplicatorOptions): Replicator {
  const { db, log } = options;
  const batchSize = options.batchSize ?? 500;
  const idleMs = options.idleMs ?? 250;
  const backoff = options.backoff ?? { baseMs: 1_000, maxMs: 30_000 };
  const events = createEmitter<ReplicatorEvents>();
  const runner = createBackgroundLoop(run, () => setStatus({ state: 'off' }));
  let status: ReplicatorStatus = { state: 'off', behind: 0, reason: null, lastPushAt: null };

  const setStatus = (next: Partial<ReplicatorStatus>) => {
    const merged = { ...status, ...next };
    if (
      merged.state !== status.state ||
      merged.behind !== status.behind ||
      merged.reason !== status.reason
    ) {
      status = merged;
      events.emit('status', status);
    } else {
      status = merged;
    }
  };
  const behindNow = () => pendingChanges(db, readReplicationState(db).ackedSeq);

  async function pushOnce(client: pg.Client, who: ShopIdentity): Promise<number> {
    const state = readReplicationState(db);
    const batch = readBatch(db, state.ackedSeq, batchSize);
    if (!batch) return 0;
    const rows = readBatchRows(db, batch.keys);
    const tag = <T extends Record<string, unknown>>(list: T[]) =>
      JSON.stringify(list.map((r) => ({ ...r, shop_id: who.shopId, till_id: who.tillId })));
    const tenders = rows.tenders.map((t) => ({
      ...t,
      // Only the last four digits ever leave the till.
      card_last4:
        typeof t.card_last4 === 'string' && /^\d{4}$/.test(t.card_last4) ? t.card_last4 : null,
    }));
    await client.query('BEGIN');
    try {
      if (rows.orders.length) {
        await client.query(
          `INSERT INTO opentill.orders SELECT * FROM json_populate_recordset(NULL::opentill.orders, $1::json)
           ON CONFLICT (id) DO UPDATE SET
             reference = EXCLUDED.reference, status = EXCLUDED.status, currency = EXCLUDED.currency,
             subtotal_minor = EXCLUDED.subtotal_minor, discount_minor = EXCLUDED.discount_minor,
             vat_minor = EXCLUDED.vat_minor, total_minor = EXCLUDED.total_minor,
             paid_minor = EXCLUDED.paid_minor, change_minor = EXCLUDED.change_minor,
             refunded_minor = EXCLUDED.refunded_minor, note = EXCLUDED.note,
             staff_id = EXCLUDED.staff_id, eat_in = EXCLUDED.eat_in,
             updated_at = EXCLUDED.updated_at, completed_at = EXCLUDED.completed_at
           WHERE opentill.orders.updated_at <= EXCLUDED.updated_at
             AND NOT (opentill.orders.status IN ${ORDER_FINAL} AND EXCLUDED.status NOT IN ${ORDER_FINAL})`,
          [tag(rows.orders)],
        );
        // Lines mirror the order as it is now: drop positions it no longer has, upsert the rest.
        await client.query(
          `DELETE FROM opentill.order_lines l WHERE l.order_id = ANY($1::text[])
             AND NOT EXISTS (SELECT 1 FROM json_populate_recordset(NULL::opentill.order_lines, $2::json) n
                             WHERE n.order_id = l.order_id AND n.position = l.position)`,
          [rows.orderIds, tag(rows.order_lines)],
        );
        await client.query(
          `INSERT INTO opentill.order_lines SELECT * FROM json_populate_recordset(NULL::opentill.order_lines, $1::json)
           ON CONFLICT (order_id, position) DO UPDATE SET
             product_id = EXCLUDED.product_id, name = EXCLUDED.name, quantity = EXCLUDED.quantity,
             unit_price_minor = EXCLUDED.unit_price_minor, discount_minor = EXCLUDED.discount_minor,
             vat_rate_bp = EXCLUDED.vat_rate_bp, line_total_minor = EXCLUDED.line_total_minor,
             vat_minor = EXCLUDED.vat_minor, variant_id = EXCLUDED.variant_id,
             variant_name = EXCLUDED.variant_name, weight_grams = EXCLUDED.weight_grams,
             price_per_kg_minor = EXCLUDED.price_per_kg_minor`,
          [tag(rows.order_lines)],
        );
        // The modifiers chosen on those lines, mirrored the same way (shop schema 3).
        await client.query(
          `DELETE FROM opentill.order_line_modifiers m WHERE m.order_id = ANY($1::text[])
             AND NOT EXISTS (SELECT 1 FROM json_populate_recordset(NULL::opentill.order_line_modifiers, $2::json) n
                             WHERE n.order_id = m.order_id AND n.position = m.position AND n.seq = m.seq)`,
          [rows.orderIds, tag(rows.order_line_modifiers)],
        );
        if (rows.order_line_modifiers.length)
          await client.query(
            `INSERT INTO opentill.order_line_modifiers SELECT * FROM json_populate_recordset(NULL::opentill.order_line_modifiers, $1::json)
             ON CONFLICT (order_id, position, seq) DO UPDATE SET
               modifier_id = EXCLUDED.modifier_id, group_name = EXCLUDED.group_name, name = EXCLUDED.name,
               price_minor = EXCLUDED.price_minor, vat_rate_bp = EXCLUDED.vat_rate_bp,
               total_minor = EXCLUDED.total_minor, vat_minor = EXCLUDED.vat_minor`,
            [tag(rows.order_line_modifiers)],
          );
      }
      const present = new Set(rows.orders.map((o) => String(o.id)));
      const gone = rows.orderIds.filter((id) => !present.has(id));
      if (gone.length) {
        await client.query(
          'DELETE FROM opentill.order_line_modifiers WHERE order_id = ANY($1::text[])',
          [gone],
        );
        await client.query('DELETE FROM opentill.order_lines WHERE order_id = ANY($1::text[])', [
          gone,
        ]);
        await client.query('DELETE FROM opentill.orders WHERE id = ANY($1::text[])', [gone]);
      }
      if (tenders.length) {
        await client.query(
          `INSERT INTO opentill.tenders SELECT * FROM json_populate_recordset(NULL::opentill.tenders, $1::json)
           ON CONFLICT (id) DO NOTHING`,
          [tag(tenders)],
        );
      }
      if (rows.payment_attempts.length) {
        await client.query(
          `INSERT INTO opentill.payment_attempts SELECT * FROM json_populate_recordset(NULL::opentill.payment_attempts, $1::json)
           ON CONFLICT (id) DO UPDATE SET state = EXCLUDED.state, is_final = EXCLUDED.is_final,
             payment_intent_id = EXCLUDED.payment_intent_id, terminal_tid = EXCLUDED.terminal_tid,
             updated_at = EXCLUDED.updated_at
           WHERE opentill.payment_attempts.updated_at <= EXCLUDED.updated_at`,
          [tag(rows.payment_attempts)],
        );
      }
      if (rows.refunds.length) {
        await client.query(
          `INSERT INTO opentill.refunds SELECT * FROM json_populate_recordset(NULL::opentill.refunds, $1::json)
           ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, amount_minor = EXCLUDED.amount_minor,
             updated_at = EXCLUDED.updated_at
           WHERE opentill.refunds.updated_at <= EXCLUDED.updated_at`,
          [tag(rows.refunds)],
        );
      }
      if (rows.day_closures.length) {
        await client.query(
          `INSERT INTO opentill.day_closures SELECT * FROM json_populate_recordset(NULL::opentill.day_closures, $1::json)
           ON CONFLICT (id) DO NOTHING`,
          [tag(rows.day_closures)],
        );
      }
      if (rows.audit_log.length) {
        await client.query(
          `INSERT INTO opentill.audit_log SELECT * FROM json_populate_recordset(NULL::opentill.audit_log, $1::json)
           ON CONFLICT (till_id, id) DO NOTHING`,
          [tag(rows.audit_log)],
        );
      }
      // The drawer, returns, reversals and tips (shop schema 2): immutable rows are inserted once;
      // a day gains its closure, a return and a reversal only move on from pending.
      const upsert = async (table: string, list: Record<string, unknown>[], conflict: string) => {
        if (!list.length) return;
        await client.query(
          `INSERT INTO opentill.${table} SELECT * FROM json_populate_recordset(NULL::opentill.${table}, $1::json)
           ON CONFLICT ${conflict}`,
          [tag(list)],
        );
      };
      await upsert(
        'till_days',
        rows.till_days,
        `(id) DO UPDATE SET closure_id = coalesce(EXCLUDED.closure_id, opentill.till_days.closure_id)
         WHERE opentill.till_days.closure_id IS NULL`,
      );
      await upsert('cash_movements', rows.cash_movements, '(id) DO NOTHING');
      await upsert(
        'returns',
        rows.returns,
        `(id) DO UPDATE SET status = EXCLUDED.status, completed_at = EXCLUDED.completed_at
         WHERE opentill.returns.status = 'pending'`,
      );
      await upsert('return_lines', rows.return_lines, '(return_id, position) DO NOTHING');
      await upsert('return_payouts', rows.return_payouts, '(id) DO NOTHING');
      await upsert(
        'reversals',
        rows.reversals,
        `(id) DO UPDATE SET status = EXCLUDED.status, amount_minor = EXCLUDED.amount_minor,
           dojo_reversal_id = EXCLUDED.dojo_reversal_id, updated_at = EXCLUDED.updated_at
         WHERE opentill.reversals.status = 'pending' AND opentill.reversals.updated_at <= EXCLUDED.updated_at`,
      );
      await upsert('tips', rows.tips, '(tender_id) DO NOTHING');
      // The close's Dojo check, cards to match and receipt choices (shop schema 4): a check only
      // moves from pending to completed, a match from to-match to matched, a later choice wins.
      await upsert(
        'dojo_checks',
        rows.dojo_checks,
        `(closure_id) DO UPDATE SET status = EXCLUDED.status, result = EXCLUDED.result,
           window_start = EXCLUDED.window_start, window_end = EXCLUDED.window_end,
           updated_at = EXCLUDED.updated_at
         WHERE opentill.dojo_checks.updated_at <= EXCLUDED.updated_at
           AND NOT (opentill.dojo_checks.status = 'completed' AND EXCLUDED.status = 'pending')`,
      );
      await upsert(
        'tender_matches',
        rows.tender_matches,
        `(tender_id) DO UPDATE SET status = EXCLUDED.status,
           payment_intent_id = EXCLUDED.payment_intent_id, matched_at = EXCLUDED.matched_at,
           checks = GREATEST(opentill.tender_matches.checks, EXCLUDED.checks),
           last_checked_at = GREATEST(opentill.tender_matches.last_checked_at, EXCLUDED.last_checked_at)
         WHERE opentill.tender_matches.status = 'to_match'`,
      );
      await upsert(
        'receipt_choices',
        rows.receipt_choices,
        `(order_id) DO UPDATE SET choice = EXCLUDED.choice, staff_id = EXCLUDED.staff_id,
           decided_at = EXCLUDED.decided_at
         WHERE opentill.receipt_choices.decided_at <= EXCLUDED.decided_at`,
      );
      await client.query(
        `INSERT INTO opentill.replication_acks (shop_id, till_id, last_seq, updated_at)
         VALUES ($1, $2, $3, now())
         ON CONFLICT (till_id) DO UPDATE SET last_seq = GREATEST(opentill.replication_acks.last_seq, EXCLUDED.last_seq),
           updated_at = now()`,
        [who.shopId, who.tillId, batch.lastSeq],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    acknowledge(db, batch.lastSeq);
    events.emit('acked', { seq: batch.lastSeq, at: performance.now() });
    return batch.changes;
  }

  async function run(signal: AbortSignal, nap: Nap): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      const url = options.url();
      if (!url || !readReplicationState(db).enabled) {
        setStatus({ state: 'off', behind: 0, reason: null });
        await nap(1_000);
        continue;
      }
      let client: pg.Client | null = null;
      try {
        setStatus({ state: 'connecting', behind: behindNow() });
        const link = await connectTill(url);
        client = link.client;
        // Stopping must not wait on the network: ending the connection breaks any query in flight.
        const open = client;
        signal.addEventListener('abort', () => void open.end().catch(() => undefined), {
          once: true,
        });
        failures = 0;
        setStatus({ state: 'connected', reason: null, behind: behindNow() });
        while (!signal.aborted) {
          const pushed = await pushOnce(client, link.identity);
          setStatus({
            behind: behindNow(),
            ...(pushed ? { lastPushAt: new Date().toISOString() } : {}),
          });
          if (pushed === 0) {
            await nap(idleMs);
            if (options.url() !== url) break;
          }
        }
      } catch (error) {
        if (signal.aborted) break;
        const described = describeShopError(error);
        failures += 1;
        log.warn('shop database link failed', { code: described.detailCode, failures });
        setStatus({ state: described.state, reason: described.message, behind: behindNow() });
        await nap(backoffDelay(failures, backoff));
      } finally {
        await client?.end().catch(() => undefined);
      }
    }
  }

  return {
    start: () => runner.start(),
    stop: () => runner.stop(),
    status: () => status,
    wake: () => runner.wake(),
    async drained(timeoutMs) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        if (behindNow() === 0 && status.state === 'connected') return true;
        runner.wake();
        await new Promise((r) => setTimeout(r, 25));
      }
      return false;
    },
    on: events.on,
  };
}
