import type pg from 'pg';
import { TillError } from '../../src-shared/errors';
import type { Db } from '../db/connection';
import { readSetting, writeSetting } from '../platform/key-value';
import {
  applyShopStaff,
  shopRowOf,
  staffForShop,
  type SharedStaffRecord,
  type ShopStaffRow,
} from '../staff/shared-staff';
import { asShopManager } from './shop-edits';

/**
 * Staff down and the manager path for staff: the shop's accounts (name, role, PIN hash, active)
 * are pulled by their own version cursor, like the catalogue, and kept in this till's `staff`
 * table so people sign in with the shop database down. Only the scrypt hash of a PIN is sent.
 */
const CURSOR_KEY = 'shop.staff-cursor';

/** The cursor belongs to one shop: joining another starts again from nothing. */
export function readStaffCursor(db: Db, shopId: string): number {
  const v = readSetting(db, CURSOR_KEY) as { shopId?: unknown; cursor?: unknown } | undefined;
  return v?.shopId === shopId && typeof v.cursor === 'number' ? v.cursor : 0;
}

/** Joining (again): the whole list comes down, so this till's copy is the shop's. */
export function forgetStaffCursor(db: Db): void {
  writeSetting(db, CURSOR_KEY, null);
}

function saveStaffCursor(db: Db, shopId: string, cursor: number): void {
  writeSetting(db, CURSOR_KEY, { shopId, cursor: Math.max(cursor, readStaffCursor(db, shopId)) });
}

type PulledStaffRow = ShopStaffRow & { version: string };

/** Pulls every staff change after the cursor; answers what was applied and what was refused. */
export async function pullShopStaff(
  client: pg.Client,
  db: Db,
  shopId: string,
): Promise<{ applied: number; refused: { id: string; reason: string }[]; seen: string[] }> {
  let applied = 0;
  const refused: { id: string; reason: string }[] = [];
  const seen: string[] = [];
  for (;;) {
    const result = await client.query<PulledStaffRow>(
      `SELECT id, name, role, pin_hash, active, version FROM opentill.staff
        WHERE shop_id = opentill.current_shop() AND version > $1 ORDER BY version LIMIT 500`,
      [readStaffCursor(db, shopId)],
    );
    const last = result.rows[result.rows.length - 1];
    if (!last) break;
    const done = applyShopStaff(db, result.rows);
    applied += done.applied;
    refused.push(...done.refused);
    seen.push(...result.rows.map((r) => r.id));
    saveStaffCursor(db, shopId, Number(last.version));
    if (result.rows.length < 500) break;
  }
  return { applied, refused, seen };
}

const LOCK =
  "SELECT pg_advisory_xact_lock(hashtext('opentill.staff:' || opentill.current_shop()::text))";

const activeManagers = async (client: pg.Client): Promise<number> =>
  Number(
    (
      await client.query<{ n: string }>(
        "SELECT count(*) AS n FROM opentill.staff WHERE shop_id = opentill.current_shop() AND role = 'manager' AND active",
      )
    ).rows[0]?.n ?? 0,
  );

/**
 * A manager's staff edit on a joined till, as `opentill_manager` for this one transaction. The
 * shop's staff are locked for it (one writer at a time across the shop's tills), so the last
 * active manager of the shop cannot be switched off or demoted from two tills at once.
 */
export async function publishShopStaff(
  url: string | null,
  record: SharedStaffRecord,
  options: { firstManager?: boolean } = {},
): Promise<ShopStaffRow> {
  const row = shopRowOf(record);
  return asShopManager(url, `${record.name}’s account`, async (client) => {
    await client.query(LOCK);
    const before = await activeManagers(client);
    if (options.firstManager && before > 0)
      throw new TillError(
        'CONFLICT',
        'The shop already has a manager: sign in with a manager’s PIN to add staff.',
      );
    const result = await client.query<ShopStaffRow>(
      `INSERT INTO opentill.staff (shop_id, id, name, role, pin_hash, active)
       VALUES (opentill.current_shop(), $1, $2, $3, $4, $5)
       ON CONFLICT (shop_id, id) DO UPDATE SET name = EXCLUDED.name, role = EXCLUDED.role,
         pin_hash = EXCLUDED.pin_hash, active = EXCLUDED.active
       RETURNING id, name, role, pin_hash, active`,
      [row.id, row.name, row.role, row.pin_hash, row.active],
    );
    if (before > 0 && (await activeManagers(client)) === 0)
      throw new TillError(
        'CONFLICT',
        `${record.name} is the shop’s last active manager: add or promote another manager first.`,
      );
    const stored = result.rows[0];
    if (!stored) throw new Error('the shop stored no staff row');
    return stored;
  });
}

/**
 * Joining: this till's accounts the shop does not have yet go up once, with the manager right of
 * the manager who joins the till; accounts the shop already has (the same ids: a till joining
 * again) are left as the shop holds them and come down with the next pull.
 */
export async function seedShopStaff(url: string, db: Db): Promise<number> {
  const mine = staffForShop(db);
  if (mine.length === 0) return 0;
  return asShopManager(url, 'this till’s staff list', async (client) => {
    await client.query(LOCK);
    const known = new Set(
      (
        await client.query<{ id: string }>(
          'SELECT id FROM opentill.staff WHERE shop_id = opentill.current_shop() AND id = ANY($1)',
          [mine.map((s) => s.id)],
        )
      ).rows.map((r) => r.id),
    );
    const fresh = mine.filter((s) => !known.has(s.id));
    for (const s of fresh)
      await client.query(
        `INSERT INTO opentill.staff (shop_id, id, name, role, pin_hash, active)
         VALUES (opentill.current_shop(), $1, $2, $3, $4, $5)`,
        [s.id, s.name, s.role, s.pin_hash, s.active],
      );
    return fresh.length;
  });
}
