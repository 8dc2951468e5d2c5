import type { Db } from '../db/connection';
import { nowIso } from '../db/connection';

/**
 * The local side of replication: the change log the triggers fill (migration 008), the sequence
 * the shop database acknowledged, and the rows a batch carries, read as they are now — so a
 * replayed batch only ever sends the latest state.
 */
export type Entity =
  | 'order'
  | 'tender'
  | 'attempt'
  | 'refund'
  | 'day_closure'
  | 'audit'
  | 'till_day'
  | 'cash_movement'
  | 'return'
  | 'reversal'
  | 'tip'
  | 'dojo_check'
  | 'tender_match'
  | 'receipt_choice';

export type ReplicationState = {
  enabled: boolean;
  ackedSeq: number;
  sharedCursor: number;
  shopId: string | null;
};

export function readReplicationState(db: Db): ReplicationState {
  const row = db
    .prepare<
      [],
      { enabled: number; acked_seq: number; shared_cursor: number; shop_id: string | null }
    >('SELECT enabled, acked_seq, shared_cursor, shop_id FROM replication_state WHERE only_row = 1')
    .get();
  return {
    enabled: row?.enabled === 1,
    ackedSeq: row?.acked_seq ?? 0,
    sharedCursor: row?.shared_cursor ?? 0,
    shopId: row?.shop_id ?? null,
  };
}

/**
 * Joins the till to a shop: turns the triggers on and, the first time (or for another shop),
 * logs every record the till already holds so the shop database receives its whole history.
 */
export function enableReplication(db: Db, shopId: string): void {
  db.transaction(() => {
    const state = readReplicationState(db);
    if (state.enabled && state.shopId === shopId) return;
    db.prepare(
      'UPDATE replication_state SET enabled = 1, shop_id = ?, acked_seq = 0, shared_cursor = 0, updated_at = ? WHERE only_row = 1',
    ).run(shopId, nowIso());
    db.exec('DELETE FROM change_log');
    db.exec(`
      INSERT INTO change_log (entity, entity_id) SELECT 'order', id FROM orders WHERE till_id NOT LIKE 'shop:%' ORDER BY created_at;
      INSERT INTO change_log (entity, entity_id) SELECT 'tender', id FROM tenders ORDER BY created_at;
      INSERT INTO change_log (entity, entity_id) SELECT 'attempt', id FROM payment_attempts WHERE is_final = 1 AND json_extract(state_data, '$.copyOfTill') IS NULL ORDER BY created_at;
      INSERT INTO change_log (entity, entity_id) SELECT 'refund', id FROM refunds ORDER BY created_at;
      INSERT INTO change_log (entity, entity_id) SELECT 'day_closure', id FROM day_closures ORDER BY closed_at;
      INSERT INTO change_log (entity, entity_id) SELECT 'audit', CAST(id AS TEXT) FROM audit_log ORDER BY id;
      INSERT INTO change_log (entity, entity_id) SELECT 'till_day', id FROM till_days ORDER BY opened_at;
      INSERT INTO change_log (entity, entity_id) SELECT 'cash_movement', id FROM cash_movements ORDER BY created_at;
      INSERT INTO change_log (entity, entity_id) SELECT 'return', id FROM returns ORDER BY created_at;
      INSERT INTO change_log (entity, entity_id) SELECT 'reversal', id FROM reversals ORDER BY created_at;
      INSERT INTO change_log (entity, entity_id) SELECT 'tip', tender_id FROM tips ORDER BY created_at;
      INSERT INTO change_log (entity, entity_id) SELECT 'dojo_check', closure_id FROM dojo_checks ORDER BY updated_at;
      INSERT INTO change_log (entity, entity_id) SELECT 'tender_match', tender_id FROM tender_matches ORDER BY created_at;
      INSERT INTO change_log (entity, entity_id) SELECT 'receipt_choice', order_id FROM receipt_choices ORDER BY decided_at;
    `);
  })();
}

export function disableReplication(db: Db): void {
  db.transaction(() => {
    db.prepare('UPDATE replication_state SET enabled = 0, updated_at = ? WHERE only_row = 1').run(
      nowIso(),
    );
    db.exec('DELETE FROM change_log');
  })();
}

export type ChangeBatch = { lastSeq: number; keys: Map<Entity, Set<string>>; changes: number };

export function readBatch(db: Db, afterSeq: number, limit: number): ChangeBatch | null {
  const rows = db
    .prepare<[number, number], { seq: number; entity: Entity; entity_id: string }>(
      'SELECT seq, entity, entity_id FROM change_log WHERE seq > ? ORDER BY seq LIMIT ?',
    )
    .all(afterSeq, limit);
  const last = rows[rows.length - 1];
  if (!last) return null;
  const keys = new Map<Entity, Set<string>>();
  for (const r of rows) {
    let set = keys.get(r.entity);
    if (!set) keys.set(r.entity, (set = new Set()));
    set.add(r.entity_id);
  }
  return { lastSeq: last.seq, keys, changes: rows.length };
}

/** How many logged changes the shop database has not acknowledged yet. */
export function pendingChanges(db: Db, ackedSeq: number): number {
  return (
    db
      .prepare<[number], { n: number }>('SELECT count(*) AS n FROM change_log WHERE seq > ?')
      .get(ackedSeq)?.n ?? 0
  );
}

/** Records the acknowledgement and forgets what the shop database now holds. */
export function acknowledge(db: Db, seq: number): void {
  db.transaction(() => {
    db.prepare(
      'UPDATE replication_state SET acked_seq = max(acked_seq, ?), updated_at = ? WHERE only_row = 1',
    ).run(seq, nowIso());
    db.prepare('DELETE FROM change_log WHERE seq <= ?').run(seq);
  })();
}

export function saveSharedCursor(db: Db, cursor: number): void {
  db.prepare(
    'UPDATE replication_state SET shared_cursor = max(shared_cursor, ?), updated_at = ? WHERE only_row = 1',
  ).run(cursor, nowIso());
}

const inList = (ids: readonly string[]) => ids.map(() => '?').join(',');

function rowsOf<T>(db: Db, sql: string, ids: readonly string[]): T[] {
  const out: T[] = [];
  // SQLite's parameter limit: read in slices.
  for (let i = 0; i < ids.length; i += 500) {
    const slice = ids.slice(i, i + 500);
    out.push(...(db.prepare(sql.replace('(?)', `(${inList(slice)})`)).all(...slice) as T[]));
  }
  return out;
}

/** The rows a batch carries, shaped as the shop database's columns (minus shop and till). */
export function readBatchRows(db: Db, keys: Map<Entity, Set<string>>) {
  const ids = (e: Entity) => [...(keys.get(e) ?? [])];
  // Another till's order copied here for a return of it (shop-returns.ts) is that till's to send.
  const copies = new Set(
    rowsOf<{ id: string }>(
      db,
      "SELECT id FROM orders WHERE id IN (?) AND till_id LIKE 'shop:%'",
      ids('order'),
    ).map((r) => r.id),
  );
  const orderIds = ids('order').filter((id) => !copies.has(id));
  const returnIds = ids('return');
  return {
    orders: rowsOf<Record<string, unknown>>(
      db,
      `SELECT id, reference, status, currency, subtotal_minor, discount_minor, vat_minor, total_minor,
              paid_minor, change_minor, refunded_minor, note, created_at, updated_at, completed_at, staff_id,
              eat_in = 1 AS eat_in
         FROM orders WHERE id IN (?)`,
      orderIds,
    ).map((r): Record<string, unknown> => ({ ...r, eat_in: r.eat_in === 1 })),
    order_lines: rowsOf<Record<string, unknown>>(
      db,
      `SELECT order_id, position, product_id, name, quantity, unit_price_minor, discount_minor,
              vat_rate_bp, line_total_minor, vat_minor, variant_id, variant_name, weight_grams,
              price_per_kg_minor
         FROM order_lines WHERE order_id IN (?)`,
      orderIds,
    ),
    // Written with the lines in the same transaction, so the order's change-log entry covers them.
    order_line_modifiers: rowsOf<Record<string, unknown>>(
      db,
      `SELECT order_id, position, seq, modifier_id, group_name, name, price_minor, vat_rate_bp,
              total_minor, vat_minor
         FROM order_line_modifiers WHERE order_id IN (?)`,
      orderIds,
    ),
    orderIds,
    tenders: rowsOf<Record<string, unknown>>(
      db,
      `SELECT id, order_id, kind, amount_minor, tendered_minor, change_minor, attempt_id, terminal_id,
              card_type, card_last4, auth_code, created_at, staff_id, reference, rounding_minor
         FROM tenders WHERE id IN (?)`,
      ids('tender'),
    ),
    payment_attempts: rowsOf<Record<string, unknown>>(
      db,
      `SELECT id, order_id, kind, amount_minor, currency, terminal_id, terminal_tid, payment_intent_id,
              state, is_final = 1 AS is_final, created_at, updated_at, staff_id, approved_by
         FROM payment_attempts WHERE id IN (?) AND json_extract(state_data, '$.copyOfTill') IS NULL`,
      ids('attempt'),
    ).map((r) => ({ ...r, is_final: r.is_final === 1 })),
    refunds: rowsOf<Record<string, unknown>>(
      db,
      `SELECT id, order_id, original_attempt_id, kind, amount_minor, currency, status, reason,
              created_at, updated_at, staff_id
         FROM refunds WHERE id IN (?)`,
      ids('refund'),
    ),
    day_closures: rowsOf<Record<string, unknown>>(
      db,
      `SELECT id, period_start, period_end, orders_count, sales_minor, refunds_minor, currency,
              json(summary) AS summary, closed_by, closed_at
         FROM day_closures WHERE id IN (?)`,
      ids('day_closure'),
    ).map((r) => ({ ...r, summary: JSON.parse(String(r.summary)) as unknown })),
    audit_log: rowsOf<Record<string, unknown>>(
      db,
      'SELECT id, at, actor, action, subject, details FROM audit_log WHERE id IN (?)',
      ids('audit'),
    ),
    // The float's total, not its count of notes; never the staff list (PINs stay on the till).
    till_days: rowsOf<Record<string, unknown>>(
      db,
      `SELECT id, opened_at, opened_by, float_minor, currency, closure_id
         FROM till_days WHERE id IN (?)`,
      ids('till_day'),
    ),
    cash_movements: rowsOf<Record<string, unknown>>(
      db,
      `SELECT id, day_id, kind, amount_minor, currency, reason, note, order_id, staff_id, approved_by,
              created_at
         FROM cash_movements WHERE id IN (?)`,
      ids('cash_movement'),
    ),
    returns: rowsOf<Record<string, unknown>>(
      db,
      `SELECT id, order_id, kind, status, reason, currency, total_minor, vat_minor, exchange_order_id,
              staff_id, approved_by, created_at, completed_at
         FROM returns WHERE id IN (?)`,
      returnIds,
    ),
    return_lines: rowsOf<Record<string, unknown>>(
      db,
      `SELECT return_id, order_id, position, name, quantity, amount_minor, vat_rate_bp, vat_minor
         FROM return_lines WHERE return_id IN (?)`,
      returnIds,
    ),
    return_payouts: rowsOf<Record<string, unknown>>(
      db,
      `SELECT id, return_id, method, amount_minor, refund_id, sale_attempt_id, cash_movement_id, created_at
         FROM return_payouts WHERE return_id IN (?)`,
      returnIds,
    ),
    reversals: rowsOf<Record<string, unknown>>(
      db,
      `SELECT id, order_id, attempt_id, payment_intent_id, amount_minor, currency, status, reason,
              dojo_reversal_id, staff_id, approved_by, created_at, updated_at
         FROM reversals WHERE id IN (?)`,
      ids('reversal'),
    ),
    tips: rowsOf<Record<string, unknown>>(
      db,
      `SELECT tender_id, order_id, attempt_id, amount_minor, currency, terminal_id, staff_id, created_at
         FROM tips WHERE tender_id IN (?)`,
      ids('tip'),
    ),
    // Why a pending check failed and how often it was tried stay on the till; the result's
    // cards go up as their last four digits only (dojoCheckForShop).
    dojo_checks: rowsOf<{
      closure_id: string;
      window_start: string;
      window_end: string;
      status: string;
      result: string | null;
      updated_at: string;
    }>(
      db,
      `SELECT closure_id, window_start, window_end, status, result, updated_at
         FROM dojo_checks WHERE closure_id IN (?)`,
      ids('dojo_check'),
    ).map((r) => ({ ...r, result: r.result === null ? null : dojoCheckForShop(r.result) })),
    tender_matches: rowsOf<Record<string, unknown>>(
      db,
      `SELECT tender_id, status, payment_intent_id, approved_by, checks, last_checked_at, matched_at,
              created_at
         FROM tender_matches WHERE tender_id IN (?)`,
      ids('tender_match'),
    ),
    // The choice, never the (masked) e-mail address; not for another till's order copied here.
    receipt_choices: rowsOf<Record<string, unknown>>(
      db,
      `SELECT c.order_id, c.choice, c.staff_id, c.decided_at
         FROM receipt_choices c JOIN orders o ON o.id = c.order_id
        WHERE c.order_id IN (?) AND o.till_id NOT LIKE 'shop:%'`,
      ids('receipt_choice'),
    ),
  };
}

/** A card as it may leave the till: its last four digits, or nothing. */
const lastFour = (card: unknown): string | null => {
  const digits = typeof card === 'string' ? card.replace(/\D/g, '') : '';
  return digits.length >= 4 ? digits.slice(-4) : null;
};

/**
 * A stored Dojo check result as the shop database receives it: every item's card (masked by
 * Dojo, e.g. `************1096`) cut to `last4`, so no card number beyond the last four digits
 * ever leaves the till, whatever Dojo's masking was.
 */
export function dojoCheckForShop(stored: string): unknown {
  const result = JSON.parse(stored) as Record<string, unknown>;
  const items = (list: unknown) =>
    Array.isArray(list)
      ? list.map((item: Record<string, unknown>) => {
          const { card, ...rest } = item;
          return { ...rest, last4: lastFour(card) };
        })
      : list;
  return {
    ...result,
    dojoOnly: items(result.dojoOnly),
    tillOnly: items(result.tillOnly),
    ...(result.toMatch === undefined ? {} : { toMatch: items(result.toMatch) }),
  };
}
