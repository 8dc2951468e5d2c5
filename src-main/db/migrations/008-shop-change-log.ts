import type { Migration } from '../migrate';

const logged = (name: string, table: string, when: string, entity: string, id: string) => `
CREATE TRIGGER change_log_${name} AFTER ${when} ON ${table}
  WHEN (SELECT enabled FROM replication_state WHERE only_row = 1) = 1
BEGIN
  INSERT INTO change_log (entity, entity_id) VALUES ('${entity}', ${id});
END;`;

/**
 * The shop database's change log. While the till is joined to a shop (`replication_state.enabled`),
 * triggers write one row per changed record in the same transaction as the change itself, so
 * nothing committed can be missed by the replicator; a till that is not joined pays nothing.
 * Payment attempts are logged when their outcome changes, not on every poll.
 */
export const migration008: Migration = {
  version: 8,
  name: 'shop-change-log',
  sql: `
CREATE TABLE change_log (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  entity     TEXT NOT NULL CHECK (entity IN ('order', 'tender', 'attempt', 'refund', 'day_closure', 'audit')),
  entity_id  TEXT NOT NULL
) STRICT;

CREATE TABLE replication_state (
  only_row       INTEGER PRIMARY KEY CHECK (only_row = 1),
  enabled        INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0, 1)),
  acked_seq      INTEGER NOT NULL DEFAULT 0,
  shared_cursor  INTEGER NOT NULL DEFAULT 0,
  shop_id        TEXT,
  updated_at     TEXT
) STRICT;
INSERT INTO replication_state (only_row) VALUES (1);
${logged('orders_insert', 'orders', 'INSERT', 'order', 'NEW.id')}
${logged('orders_update', 'orders', 'UPDATE', 'order', 'NEW.id')}
${logged('orders_delete', 'orders', 'DELETE', 'order', 'OLD.id')}
${logged('order_lines_insert', 'order_lines', 'INSERT', 'order', 'NEW.order_id')}
${logged('order_lines_delete', 'order_lines', 'DELETE', 'order', 'OLD.order_id')}
${logged('tenders_insert', 'tenders', 'INSERT', 'tender', 'NEW.id')}
${logged(
  'attempts_outcome',
  'payment_attempts',
  'UPDATE OF state, is_final',
  'attempt',
  'NEW.id',
).replace(
  'WHEN (',
  'WHEN NEW.is_final = 1 AND (OLD.is_final = 0 OR OLD.state IS NOT NEW.state) AND (',
)}
${logged('refunds_insert', 'refunds', 'INSERT', 'refund', 'NEW.id')}
${logged('refunds_update', 'refunds', 'UPDATE OF status, amount_minor', 'refund', 'NEW.id')}
${logged('day_closures_insert', 'day_closures', 'INSERT', 'day_closure', 'NEW.id')}
${logged('audit_insert', 'audit_log', 'INSERT', 'audit', 'CAST(NEW.id AS TEXT)')}
`,
};
