import type { Migration } from '../migrate';

/** A change-log trigger, written as migration 014 wrote them. */
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

/** Every change-log trigger on the tree before this migration (008, 012 and 014). */
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
  'till_days_insert',
  'till_days_update',
  'cash_movements_insert',
  'returns_insert',
  'returns_update',
  'return_lines_insert',
  'return_payouts_insert',
  'reversals_insert',
  'reversals_update',
  'tips_insert',
];

/**
 * The change log learns the last three kinds of record a till commits (issue 14 item 3, shop
 * schema 4): the close's check against Dojo's record (`dojo_checks`), cards taken on another
 * terminal waiting to be matched (`tender_matches`) and the customer's receipt choice
 * (`receipt_choices`). Logged when their outcome changes, not on every retry or poll: a check
 * when it is made and when it completes, a match when made and when matched, a choice when made
 * or changed.
 *
 * As in migration 014, `change_log` is rebuilt to widen its `entity` CHECK with its rows and its
 * sequence kept, the triggers that write to it dropped first and made again afterwards, and a
 * till already joined logs the records of the new kinds it holds so they reach the shop too.
 */
export const migration019: Migration = {
  version: 19,
  name: 'shop-change-log-close',
  sql: `
${EXISTING.map((n) => `DROP TRIGGER IF EXISTS change_log_${n};`).join('\n')}

CREATE TEMP TABLE change_log_last AS
  SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'change_log'), 0),
             (SELECT acked_seq FROM replication_state WHERE only_row = 1)) AS seq;
CREATE TABLE change_log_rebuilt (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  entity     TEXT NOT NULL CHECK (entity IN ('order', 'tender', 'attempt', 'refund', 'day_closure', 'audit',
                                             'till_day', 'cash_movement', 'return', 'reversal', 'tip',
                                             'dojo_check', 'tender_match', 'receipt_choice')),
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
  ['dojo_check', 'closure_id', 'dojo_checks', 'updated_at'],
  ['tender_match', 'tender_id', 'tender_matches', 'created_at'],
  ['receipt_choice', 'order_id', 'receipt_choices', 'decided_at'],
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

${trigger('dojo_checks_insert', 'dojo_checks', 'INSERT', 'dojo_check', 'NEW.closure_id')}
${trigger('dojo_checks_update', 'dojo_checks', 'UPDATE OF status, result', 'dojo_check', 'NEW.closure_id')}
${trigger('tender_matches_insert', 'tender_matches', 'INSERT', 'tender_match', 'NEW.tender_id')}
${trigger(
  'tender_matches_update',
  'tender_matches',
  'UPDATE OF status, payment_intent_id',
  'tender_match',
  'NEW.tender_id',
)}
${trigger('receipt_choices_insert', 'receipt_choices', 'INSERT', 'receipt_choice', 'NEW.order_id')}
${trigger(
  'receipt_choices_update',
  'receipt_choices',
  'UPDATE OF choice',
  'receipt_choice',
  'NEW.order_id',
)}
`,
};
