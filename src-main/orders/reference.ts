import type { Db } from '../db/connection';
import { preparedFor } from '../platform/prepared';

const stmts = preparedFor((db) => ({
  next: db.prepare<[string, string], { last_seq: number }>(
    `INSERT INTO order_sequences (till_id, day, last_seq) VALUES (?, ?, 1)
     ON CONFLICT (till_id, day) DO UPDATE SET last_seq = last_seq + 1
     RETURNING last_seq`,
  ),
}));

/** The till's local calendar day, YYYYMMDD: a reference reads as the day the customer was served. */
export function localDay(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}${pad(at.getMonth() + 1)}${pad(at.getDate())}`;
}

/** Till ids may be anything; references keep letters, digits and dashes, upper-cased, ≤ 16. */
export function referencePrefix(tillId: string): string {
  const clean = tillId
    .toUpperCase()
    .replace(/[^A-Z0-9-]/g, '')
    .slice(0, 16);
  return clean || 'TILL';
}

/**
 * `T1-20261123-0042`: till, local day, daily sequence. Must run inside the order's transaction
 * so a rolled-back order does not burn a number and two orders never share one.
 */
export function nextReference(db: Db, tillId: string, at: Date): string {
  const prefix = referencePrefix(tillId);
  const day = localDay(at);
  const seq = stmts(db).next.get(prefix, day)?.last_seq ?? 1;
  return `${prefix}-${day}-${String(seq).padStart(4, '0')}`;
}
