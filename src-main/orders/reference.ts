import type { Db } from '../db/connection';
import { writeSetting } from '../platform/key-value';
import { preparedFor } from '../platform/prepared';

const stmts = preparedFor((db) => ({
  next: db.prepare<[string, string], { last_seq: number }>(
    `INSERT INTO order_sequences (till_id, day, last_seq) VALUES (?, ?, 1)
     ON CONFLICT (till_id, day) DO UPDATE SET last_seq = last_seq + 1
     RETURNING last_seq`,
  ),
  shopPrefix: db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?'),
}));

/**
 * The prefix a till joined to a shop writes its references with: given by the shop when the till
 * joins (src-main/shop/shop-reference.ts), unique among the shop's tills. Absent: not joined.
 */
const SHOP_PREFIX_KEY = 'shop.reference-prefix';
/** The name the shop's administrator registered this till under ("Front counter"). */
const SHOP_TILL_NAME_KEY = 'shop.till-name';

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

/** Joining a shop adopts its prefix for new orders; leaving (null) goes back to the till's own. */
export function adoptShopReferencePrefix(db: Db, prefix: string | null): void {
  writeSetting(db, SHOP_PREFIX_KEY, prefix === null ? null : referencePrefix(prefix));
}

/** The shop's prefix for this till, or null when the till works alone. */
export function shopReferencePrefix(db: Db): string | null {
  return readText(db, SHOP_PREFIX_KEY);
}

/** Joining a shop keeps the name the shop knows this till by; leaving (null) forgets it. */
export function adoptShopTillName(db: Db, name: string | null): void {
  writeSetting(db, SHOP_TILL_NAME_KEY, name === null || name.trim() === '' ? null : name.trim());
}

/** The shop's name for this till, or null when it works alone (or joined before names were kept). */
export function shopTillName(db: Db): string | null {
  return readText(db, SHOP_TILL_NAME_KEY);
}

/**
 * This till as the shop knows it, for its reports: "Front counter (TILL-A)" — the name the
 * administrator registered and the prefix its references carry. Null when not joined; the name
 * alone until the prefix is known, and the prefix alone until the name is.
 */
export function shopTillLabel(db: Db): string | null {
  const prefix = shopReferencePrefix(db);
  const name = shopTillName(db);
  if (name && prefix) return `${name} (${prefix})`;
  return name ?? prefix;
}

function readText(db: Db, key: string): string | null {
  const row = stmts(db).shopPrefix.get(key);
  if (!row) return null;
  try {
    const value = JSON.parse(row.value) as unknown;
    return typeof value === 'string' && value ? value : null;
  } catch {
    return null;
  }
}

/**
 * `T1-20261123-0042`: till, local day, daily sequence. Must run inside the order's transaction
 * so a rolled-back order does not burn a number and two orders never share one. A till joined to
 * a shop writes the shop's prefix for it (references never collide across the shop's tills);
 * orders written before keep theirs.
 */
export function nextReference(db: Db, tillId: string, at: Date): string {
  const prefix = shopReferencePrefix(db) ?? referencePrefix(tillId);
  const day = localDay(at);
  const seq = stmts(db).next.get(prefix, day)?.last_seq ?? 1;
  return `${prefix}-${day}-${String(seq).padStart(4, '0')}`;
}
