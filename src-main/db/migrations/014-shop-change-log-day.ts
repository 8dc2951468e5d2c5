import type { Migration } from '../migrate';

/** Every change-log trigger, as migration 008 (and 012 for tenders) made them, plus the new ones. */
const trigger = (
  name: string,
  table: string,
  when: string,
  entity: string,
  id: string,
  extra = '',
) => `
CREATE TRIGGER change_log_${name} AFTER ${when} ON ${table}
  WHEN ${extra}(SELECT enabled FROM replication_state WHERE only_row = 1) = 1
BEGIN
  INSERT INTO change_log (entity, entity_id) VALUES ('${entity}', ${id});
END;`;

const EXISTING = [
  'orders_insert',
  'orders_update',
  'orders_delete',
  'order_lines_insert',
  'order_lines_delete',
  'tenders_insert',
  'attempts_outcome',
  'refunds_insert',
  'refunds_update',
  'day_closures_insert',
  'audit_insert',
];

/**
 * The shop database's change log learns the records a shop-wide end of day needs (issue 14,
 * docs/SHOP-DATABASE.md): till days (the float), cash movements (pay-ins/outs, no-sales, cash
 * refunds), returns (with their lines and payouts), reversals and tips. Nothing secret: staff
 * PINs (`staff`), receipt e-mail choices and Dojo's checks stay on the till.
 *
 * SQLite cannot widen the `entity` CHECK in place, so `change_log` is rebuilt with its rows kept
 * (a till that is behind still sends what it had logged), and a till already joined logs the
 * records of the new kinds it holds, so they reach the shop too. The triggers that write to it are
 * dropped first and made again afterwards, so none points at a table that is not there mid-way.
 */
export const migration014: Migration = {
  version: 14,
  name: 'shop-change-log-day',
  sql: `
${EXISTING.map((n) => `DROP TRIGGER IF EXISTS change_log_${n};`).join('\n')}

-- The sequence must keep counting from where it was, even with an empty log: the till compares
-- new sequences with the one the shop database acknowledged.
CREATE TEMP TABLE change_log_last AS
  SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'change_log'), 0),
             (SELECT acked_seq FROM replication_state WHERE only_row = 1)) AS seq;
CREATE TABLE change_log_rebuilt (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  entity     TEXT NOT NULL CHECK (entity IN ('order', 'tender', 'attempt', 'refund', 'day_closure', 'audit',
                                             'till_day', 'cash_movement', 'return', 'reversal', 'tip')),
  entity_id  TEXT NOT NULL
) STRICT;
INSERT INTO change_log_rebuilt (seq, entity, entity_id) SELECT seq, entity, entity_id FROM change_log;
DROP TABLE change_log;
ALTER TABLE change_log_rebuilt RENAME TO change_log;
DELETE FROM sqlite_sequence WHERE name IN ('change_log', 'change_log_rebuilt');
INSERT INTO sqlite_sequence (name, seq)
  SELECT 'change_log', max(seq, (SELECT coalesce(max(seq), 0) FROM change_log)) FROM temp.change_log_last;
DROP TABLE temp.change_log_last;

-- A till already joined to a shop sends what it recorded of these before it knew to.
${[
  ['till_day', 'id', 'till_days', 'opened_at'],
  ['cash_movement', 'id', 'cash_movements', 'created_at'],
  ['return', 'id', 'returns', 'created_at'],
  ['reversal', 'id', 'reversals', 'created_at'],
  ['tip', 'tender_id', 'tips', 'created_at'],
]
  .map(
    ([entity, id, table, at]) =>
      `INSERT INTO change_log (entity, entity_id) SELECT '${entity}', ${id} FROM ${table}
  WHERE (SELECT enabled FROM replication_state WHERE only_row = 1) = 1 ORDER BY ${at};`,
  )
  .join('\n')}

${trigger('orders_insert', 'orders', 'INSERT', 'order', 'NEW.id')}
${trigger('orders_update', 'orders', 'UPDATE', 'order', 'NEW.id')}
${trigger('orders_delete', 'orders', 'DELETE', 'order', 'OLD.id')}
${trigger('order_lines_insert', 'order_lines', 'INSERT', 'order', 'NEW.order_id')}
${trigger('order_lines_delete', 'order_lines', 'DELETE', 'order', 'OLD.order_id')}
${trigger('tenders_insert', 'tenders', 'INSERT', 'tender', 'NEW.id')}
${trigger(
  'attempts_outcome',
  'payment_attempts',
  'UPDATE OF state, is_final',
  'attempt',
  'NEW.id',
  'NEW.is_final = 1 AND (OLD.is_final = 0 OR OLD.state IS NOT NEW.state) AND ',
)}
${trigger('refunds_insert', 'refunds', 'INSERT', 'refund', 'NEW.id')}
${trigger('refunds_update', 'refunds', 'UPDATE OF status, amount_minor', 'refund', 'NEW.id')}
${trigger('day_closures_insert', 'day_closures', 'INSERT', 'day_closure', 'NEW.id')}
${trigger('audit_insert', 'audit_log', 'INSERT', 'audit', 'CAST(NEW.id AS TEXT)')}

${trigger('till_days_insert', 'till_days', 'INSERT', 'till_day', 'NEW.id')}
${trigger('till_days_update', 'till_days', 'UPDATE OF closure_id', 'till_day', 'NEW.id')}
${trigger('cash_movements_insert', 'cash_movements', 'INSERT', 'cash_movement', 'NEW.id')}
${trigger('returns_insert', 'returns', 'INSERT', 'return', 'NEW.id')}
${trigger('returns_update', 'returns', 'UPDATE OF status, completed_at', 'return', 'NEW.id')}
${trigger('return_lines_insert', 'return_lines', 'INSERT', 'return', 'NEW.return_id')}
${trigger('return_payouts_insert', 'return_payouts', 'INSERT', 'return', 'NEW.return_id')}
${trigger('reversals_insert', 'reversals', 'INSERT', 'reversal', 'NEW.id')}
${trigger('reversals_update', 'reversals', 'UPDATE OF status, amount_minor', 'reversal', 'NEW.id')}
${trigger('tips_insert', 'tips', 'INSERT', 'tip', 'NEW.tender_id')}
`,
};
