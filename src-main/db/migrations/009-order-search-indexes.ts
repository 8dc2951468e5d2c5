import type { Migration } from '../migrate';

/**
 * Orders stay fast after years of trading (a million orders and more):
 *
 * - `order_references`: an FTS5 index with the trigram tokenizer over every order's reference, so
 *   "any part of the reference" (history search, 3 characters or more) is an index look-up instead
 *   of reading every order. It is case-sensitive like the plain search it replaces (references are
 *   upper case; the query is upper-cased), `detail=none` keeps it small (the match is checked
 *   against the stored reference). It keeps the order id, not the order's rowid, so nothing breaks
 *   if rowids are ever renumbered (orders has no INTEGER PRIMARY KEY; a VACUUM may do that).
 *   Triggers keep it in the same transaction as the order row: an insert, a (never expected)
 *   change of reference and the deletion of a resumed parked basket. Existing orders are
 *   backfilled here.
 * - End-of-day figures read the paid orders of one day window by `completed_at`, then their lines
 *   and tenders. `orders_completed` finds the window (without it every paid order ever taken is
 *   read) and carries what the figures sum, and the order id for the joins; the line and tender
 *   indexes carry what is summed too, so a day is read from these indexes alone, not from the
 *   order, line and tender rows spread over the file. `tenders_order_totals` replaces
 *   `tenders_order` (same leading column).
 */
export const migration009: Migration = {
  version: 9,
  name: 'order-search-indexes',
  sql: `
CREATE VIRTUAL TABLE order_references USING fts5(
  reference,
  order_id UNINDEXED,
  tokenize = 'trigram case_sensitive 1',
  detail = 'none'
);

INSERT INTO order_references (reference, order_id) SELECT reference, id FROM orders ORDER BY rowid;

CREATE TRIGGER orders_reference_insert AFTER INSERT ON orders BEGIN
  INSERT INTO order_references (reference, order_id) VALUES (new.reference, new.id);
END;

-- The stored reference finds the entry through the index (a GLOB with its own wildcards escaped);
-- the order id makes sure only this order's entry goes.
CREATE TRIGGER orders_reference_delete AFTER DELETE ON orders BEGIN
  DELETE FROM order_references WHERE rowid IN (
    SELECT rowid FROM order_references
    WHERE reference GLOB replace(replace(replace(old.reference, '[', '[[]'), '*', '[*]'), '?', '[?]')
      AND order_id = old.id
  );
END;

CREATE TRIGGER orders_reference_update AFTER UPDATE OF reference, id ON orders BEGIN
  DELETE FROM order_references WHERE rowid IN (
    SELECT rowid FROM order_references
    WHERE reference GLOB replace(replace(replace(old.reference, '[', '[[]'), '*', '[*]'), '?', '[?]')
      AND order_id = old.id
  );
  INSERT INTO order_references (reference, order_id) VALUES (new.reference, new.id);
END;

CREATE INDEX orders_completed
  ON orders(status, completed_at, id, subtotal_minor, discount_minor, total_minor);
CREATE INDEX order_lines_vat ON order_lines(order_id, vat_rate_bp, line_total_minor, vat_minor);
CREATE INDEX tenders_order_totals ON tenders(order_id, kind, amount_minor, terminal_id, attempt_id);
DROP INDEX tenders_order;
`,
};
