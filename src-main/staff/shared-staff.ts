import { staffNameSchema, type StaffRole } from '../../src-shared/domain/staff';
import { nowIso, type Db } from '../db/connection';
import { pinHashForShop, pinHashFromShop } from './manager-pin';
import { listStaff } from './staff.repo';

/**
 * Staff accounts are the shop's when the till is joined to one (docs/SHOP-DATABASE.md): this is
 * the staff feature's public side of that — the port the shop feature implements, and this till's
 * copy of the shop's list. PINs travel only as their salted scrypt hash (`scrypt$…`).
 */
export type SharedStaffRecord = {
  id: string;
  name: string;
  role: StaffRole;
  /** The till's stored form (JSON); the shop feature converts it with `pinHashForShop`. */
  pinHash: string;
  active: boolean;
};

export type SharedStaff = {
  /** True while this till is joined to a shop: its staff list is the shop's. */
  joined(): boolean;
  /**
   * Writes the person to the shop database with the manager right (for this one action) and then
   * to this till's copy. Refuses, writing nothing, when it would leave the shop without an active
   * manager (`firstManager`: when the shop already has one), or when the shop database cannot be
   * reached — in plain words.
   */
  publish(record: SharedStaffRecord, options?: { firstManager?: boolean }): Promise<void>;
};

/** A staff row as the shop database holds it. */
export type ShopStaffRow = {
  id: string;
  name: string;
  role: string;
  pin_hash: string;
  active: boolean;
};

const roles: readonly string[] = ['cashier', 'supervisor', 'manager'];

/**
 * Applies the shop's staff rows to this till's copy, each checked like a local account; a row
 * that fails (a name too long, an unknown role, a PIN hash of another shape) is refused by name
 * and never half-applied. Lockout counters are not touched: they stay this till's own.
 */
export function applyShopStaff(
  db: Db,
  rows: readonly ShopStaffRow[],
): { applied: number; refused: { id: string; reason: string }[] } {
  const refused: { id: string; reason: string }[] = [];
  let applied = 0;
  const put = db.prepare(
    `INSERT INTO staff (id, name, role, pin_hash, active, demo, created_at, updated_at)
     VALUES (@id, @name, @role, @pin_hash, @active, 0, @now, @now)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role,
       pin_hash = excluded.pin_hash, active = excluded.active, updated_at = excluded.updated_at
     WHERE staff.demo = 0`,
  );
  db.transaction(() => {
    for (const row of rows) {
      const name = staffNameSchema.safeParse(row.name);
      const pinHash = pinHashFromShop(row.pin_hash);
      const reason = !name.success
        ? `staff ${row.id}: ${name.error.issues[0]?.message ?? 'name not valid'}`
        : !roles.includes(row.role)
          ? `staff ${name.data}: role ${row.role} is not one this till knows`
          : !pinHash
            ? `staff ${name.data}: the PIN hash is not one this till can check`
            : null;
      if (reason || !name.success || !pinHash) {
        refused.push({ id: row.id, reason: reason ?? 'not valid' });
        continue;
      }
      put.run({
        id: row.id,
        name: name.data,
        role: row.role,
        pin_hash: pinHash,
        active: row.active ? 1 : 0,
        now: nowIso(),
      });
      applied += 1;
    }
  })();
  return { applied, refused };
}

/** This till's real (not demo) accounts in the shop's form: what a till brings when it joins. */
export function staffForShop(db: Db): (ShopStaffRow & { createdAt: string })[] {
  return listStaff(db).flatMap((s) => {
    const pinHash = s.demo ? null : pinHashForShop(s.pinHash);
    return pinHash
      ? [
          {
            id: s.id,
            name: s.name,
            role: s.role,
            pin_hash: pinHash,
            active: s.active,
            createdAt: s.createdAt,
          },
        ]
      : [];
  });
}

/** The shop's form of one record the staff service prepared. */
export function shopRowOf(record: SharedStaffRecord): ShopStaffRow {
  const pinHash = pinHashForShop(record.pinHash);
  if (!pinHash) throw new Error('a prepared staff record has no scrypt hash');
  return {
    id: record.id,
    name: record.name,
    role: record.role,
    pin_hash: pinHash,
    active: record.active,
  };
}
