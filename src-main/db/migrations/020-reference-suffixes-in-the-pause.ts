import type { Migration } from '../migrate';
import { referenceSplits } from '../reference-suffixes';

/**
 * The reference suffixes of migration 017 written in the pause after a sale, not inside it.
 *
 * 017's insert trigger put ~14 rows per order into `order_reference_suffixes`, each at its own
 * place in a B-tree of ~14,000,000 entries at a million orders: about a third of the pages a sale
 * wrote to the WAL, inside the transaction the cashier waits on. Here the order's transaction only
 * notes its reference in `order_reference_pending` (one row, next to the previous sale's), and
 * `indexPendingReferences` (src-main/db/reference-suffixes.ts) moves the pending references into
 * the suffix table in batches, when the till pauses (the connection's idle timer) and at start-up.
 * A batch of consecutive references shares most of its B-tree leaves, so the same rows cost far
 * fewer pages than one order at a time.
 *
 * History stays exact: a search reads the suffix range and, beside it, the pending references
 * themselves (a handful at most, each checked with `instr`). The delete and rename triggers keep
 * both tables in step in the order's own transaction, as before.
 *
 * The orders already indexed are untouched; nothing is pending after this migration.
 *
 * `orders_status` (migration 001) goes: `orders_completed` (015) starts with the status too, so
 * it serves every lookup by status, and a sale paid wrote both (two pages each: the entry moves
 * from 'open' to 'paid').
 */
export const migration020: Migration = {
  version: 20,
  name: 'reference-suffixes-in-the-pause',
  sql: `
DROP INDEX orders_status;

CREATE TABLE order_reference_pending (
  reference TEXT PRIMARY KEY
) WITHOUT ROWID;

DROP TRIGGER orders_reference_suffixes_insert;
DROP TRIGGER orders_reference_suffixes_delete;
DROP TRIGGER orders_reference_suffixes_update;

CREATE TRIGGER orders_reference_pending_insert AFTER INSERT ON orders BEGIN
  INSERT INTO order_reference_pending (reference) VALUES (new.reference);
END;

CREATE TRIGGER orders_reference_suffixes_delete AFTER DELETE ON orders BEGIN
  DELETE FROM order_reference_pending WHERE reference = old.reference;
  DELETE FROM order_reference_suffixes WHERE (suffix, head) IN (${referenceSplits('old.reference')});
END;

CREATE TRIGGER orders_reference_suffixes_update AFTER UPDATE OF reference ON orders
WHEN old.reference IS NOT new.reference BEGIN
  DELETE FROM order_reference_pending WHERE reference = old.reference;
  DELETE FROM order_reference_suffixes WHERE (suffix, head) IN (${referenceSplits('old.reference')});
  INSERT OR IGNORE INTO order_reference_pending (reference) VALUES (new.reference);
END;
`,
};
