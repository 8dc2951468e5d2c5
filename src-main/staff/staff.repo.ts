import type { StaffMember, StaffRole } from '../../src-shared/domain/staff';
import { nowIso, type Db } from '../db/connection';

type StaffRow = {
  id: string;
  name: string;
  role: StaffRole;
  pin_hash: string;
  active: number;
  demo: number;
  created_at: string;
};

export type StaffWithPin = StaffMember & { pinHash: string };

const toMember = (r: StaffRow): StaffWithPin => ({
  id: r.id,
  name: r.name,
  role: r.role,
  active: r.active === 1,
  demo: r.demo === 1,
  createdAt: r.created_at,
  pinHash: r.pin_hash,
});

/** Without the PIN hash: what may leave the staff module. */
export const publicMember = ({ pinHash: _pin, ...m }: StaffWithPin): StaffMember => m;

export function listStaff(db: Db): StaffWithPin[] {
  return db
    .prepare<[], StaffRow>('SELECT * FROM staff ORDER BY active DESC, demo, name COLLATE NOCASE')
    .all()
    .map(toMember);
}

export function getStaff(db: Db, id: string): StaffWithPin | null {
  const row = db.prepare<[string], StaffRow>('SELECT * FROM staff WHERE id = ?').get(id);
  return row ? toMember(row) : null;
}

export function insertStaff(
  db: Db,
  s: { id: string; name: string; role: StaffRole; pinHash: string; demo?: boolean },
): void {
  const now = nowIso();
  db.prepare(
    `INSERT INTO staff (id, name, role, pin_hash, active, demo, created_at, updated_at)
     VALUES (?, ?, ?, ?, 1, ?, ?, ?)`,
  ).run(s.id, s.name, s.role, s.pinHash, s.demo ? 1 : 0, now, now);
}

export function updateStaffRow(
  db: Db,
  id: string,
  patch: { name?: string; role?: StaffRole; active?: boolean; pinHash?: string },
): void {
  const current = getStaff(db, id);
  if (!current) return;
  db.prepare(
    'UPDATE staff SET name = ?, role = ?, active = ?, pin_hash = ?, updated_at = ? WHERE id = ?',
  ).run(
    patch.name ?? current.name,
    patch.role ?? current.role,
    (patch.active ?? current.active) ? 1 : 0,
    patch.pinHash ?? current.pinHash,
    nowIso(),
    id,
  );
}

/** Real (not demo) active managers. */
export const activeManagers = (db: Db): number =>
  db
    .prepare<[], { n: number }>(
      "SELECT count(*) AS n FROM staff WHERE role = 'manager' AND active = 1 AND demo = 0",
    )
    .get()?.n ?? 0;

export const staffName = (db: Db, id: string | null): string | null =>
  id === null
    ? null
    : (db.prepare<[string], { name: string }>('SELECT name FROM staff WHERE id = ?').get(id)
        ?.name ?? null);
