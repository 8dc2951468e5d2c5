import { createHash } from 'node:crypto';
import type pg from 'pg';

/**
 * The order-reference prefix a till writes with once it is in a shop: read aloud at the counter
 * and searched for across the shop, so it must be short, readable and unique among the shop's
 * tills. It is derived from the till id the administrator registered ("front" → FRONT, "till_2"
 * → TILL-2), and checked against the shop's other tills and the references already in the shop
 * database; a clash (two long ids cut to the same 12 characters, or a reference another till
 * already wrote) takes a short suffix from the till id itself, so it never depends on which till
 * joined first. No shop schema change: the registered ids are the shop's source of truth.
 */
const MAX = 16;

export function prefixOfTillId(tillId: string): string {
  const clean = tillId
    .toUpperCase()
    .replace(/_/g, '-')
    .replace(/[^A-Z0-9-]/g, '')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, MAX)
    .replace(/-$/, '');
  return clean || 'TILL';
}

/** The readable prefix with four characters of the till id's hash: still unique, still short. */
export function suffixedPrefix(tillId: string): string {
  const tag = createHash('sha256').update(tillId).digest('hex').slice(0, 4).toUpperCase();
  return `${prefixOfTillId(tillId)
    .slice(0, MAX - 5)
    .replace(/-$/, '')}-${tag}`;
}

/**
 * Chooses this till's prefix on a connection acting as the till (`opentill_till`: row-level
 * security shows this shop's tills and orders only).
 */
export async function chooseShopReferencePrefix(
  client: pg.ClientBase,
  tillId: string,
): Promise<string> {
  const others = (
    await client.query<{ id: string }>(
      'SELECT id FROM opentill.tills WHERE shop_id = opentill.current_shop() AND id <> $1',
      [tillId],
    )
  ).rows.map((r) => r.id);
  const plain = prefixOfTillId(tillId);
  const clashes = others.some((id) => prefixOfTillId(id) === plain);
  if (!clashes) {
    // References another till already wrote with it (before joining, under its till name).
    const used = await client.query(
      'SELECT 1 FROM opentill.orders WHERE till_id <> $1 AND reference ~ $2 LIMIT 1',
      [tillId, `^${plain}-[0-9]{8}-[0-9]{4,}$`],
    );
    if (used.rowCount === 0) return plain;
  }
  return suffixedPrefix(tillId);
}

/** The name the administrator registered this till under ("Front counter"), for its reports. */
export async function readShopTillName(
  client: pg.ClientBase,
  tillId: string,
): Promise<string | null> {
  const row = (
    await client.query<{ name: string }>(
      'SELECT name FROM opentill.tills WHERE shop_id = opentill.current_shop() AND id = $1',
      [tillId],
    )
  ).rows[0];
  return row?.name ?? null;
}
