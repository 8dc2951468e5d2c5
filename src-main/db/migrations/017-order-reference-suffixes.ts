import type { Migration } from '../migrate';
import { referenceSplits as splits } from '../reference-suffixes';

/**
 * History search by any part of the reference, at a million orders and more: an order by its
 * exact reference in well under a millisecond, a fragment such as the daily number in a few.
 *
 * `order_reference_suffixes` holds, for every order, each suffix of its reference of 3 characters
 * or more, beside the head that comes before it (`T1-20261123-0042` gives `T1-20261123-0042` +
 * ``, `1-20261123-0042` + `T`, …, `042` + `T1-20261123-0`). A reference contains a fragment
 * exactly when one of its suffixes starts with it, so "contains" becomes a range of this
 * B-tree (`suffix >= fragment AND suffix < fragment + U+10FFFF`) and reads only the entries that
 * match, each giving its reference back as head || suffix. Nothing is approximate: no re-check.
 *
 * It replaces the FTS5 trigram index of migration 009 (`order_references`), which had to walk the
 * posting lists of trigrams every reference holds ("T1-", "202"): about 12 ms for one exact
 * reference at a million orders, against a 1 ms target. A fragment of 1 or 2 characters is still
 * looked for in every reference (it matches a large share of all orders anyway).
 *
 * The rows are keyed by the reference itself (unique, like the order; orders has no stable integer
 * key a VACUUM would keep), about 14 rows of ~16 bytes of text per order. Triggers keep the table
 * in the same transaction as the order row: an insert, a (never expected) change of reference and
 * the deletion of a resumed parked basket. Existing orders are backfilled here, in key order.
 */
export const migration017: Migration = {
  version: 17,
  name: 'order-reference-suffixes',
  sql: `
DROP TRIGGER orders_reference_insert;
DROP TRIGGER orders_reference_delete;
DROP TRIGGER orders_reference_update;
DROP TABLE order_references;

CREATE TABLE order_reference_suffixes (
  suffix TEXT NOT NULL,
  head   TEXT NOT NULL,
  PRIMARY KEY (suffix, head)
) WITHOUT ROWID;

INSERT INTO order_reference_suffixes (suffix, head)
  WITH RECURSIVE n(i) AS (
    SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < (SELECT max(length(reference)) FROM orders) - 2
  )
  SELECT substr(o.reference, n.i), substr(o.reference, 1, n.i - 1)
  FROM orders o JOIN n ON n.i <= length(o.reference) - 2
  ORDER BY 1, 2;

CREATE TRIGGER orders_reference_suffixes_insert AFTER INSERT ON orders BEGIN
  INSERT INTO order_reference_suffixes (suffix, head) ${splits('new.reference')};
END;

CREATE TRIGGER orders_reference_suffixes_delete AFTER DELETE ON orders BEGIN
  DELETE FROM order_reference_suffixes WHERE (suffix, head) IN (${splits('old.reference')});
END;

CREATE TRIGGER orders_reference_suffixes_update AFTER UPDATE OF reference ON orders
WHEN old.reference IS NOT new.reference BEGIN
  DELETE FROM order_reference_suffixes WHERE (suffix, head) IN (${splits('old.reference')});
  INSERT INTO order_reference_suffixes (suffix, head) ${splits('new.reference')};
END;
`,
};
