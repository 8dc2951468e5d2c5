import type Database from 'better-sqlite3';

/**
 * Every split of a reference into head + suffix with a suffix of 3 characters or more, as SQL rows
 * `(suffix, head)` (`reference` is an SQL expression: a column or a parameter).
 */
export const referenceSplits = (reference: string): string => `
    WITH RECURSIVE n(i) AS (
      SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < length(${reference}) - 2
    )
    SELECT substr(${reference}, i), substr(${reference}, 1, i - 1) FROM n
    WHERE length(${reference}) >= 3`;

/** References moved into the suffix table per transaction: a few milliseconds of work. */
export const REFERENCE_BATCH = 200;

/**
 * Moves up to `limit` references noted by the orders' transactions (`order_reference_pending`,
 * migration 020) into `order_reference_suffixes`, in one transaction; returns how many. Run in the
 * pause after a sale and at start-up. A search finds a pending reference without it (history reads
 * both tables), so this changes how fast history is, never what it finds.
 */
export function indexPendingReferences(
  db: Database.Database,
  limit: number = REFERENCE_BATCH,
): number {
  const pending = db.prepare<[number], string>(
    'SELECT reference FROM order_reference_pending ORDER BY reference LIMIT ?',
  );
  const split = db.prepare<{ reference: string }>(
    `INSERT OR IGNORE INTO order_reference_suffixes (suffix, head) ${referenceSplits(':reference')}`,
  );
  const done = db.prepare<[string]>('DELETE FROM order_reference_pending WHERE reference = ?');
  return db.transaction(() => {
    const references = pending.pluck().all(limit);
    for (const reference of references) {
      split.run({ reference });
      done.run(reference);
    }
    return references.length;
  })();
}

/** Everything pending, batch by batch (start-up: a till stopped before its pause). */
export function indexAllPendingReferences(db: Database.Database): number {
  let total = 0;
  for (let n = indexPendingReferences(db); n > 0; n = indexPendingReferences(db)) total += n;
  return total;
}
