import Database from 'better-sqlite3';
import { scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { migrate, schemaVersion } from '../migrate';
import { migrations } from '.';
import { migration010 } from './010-staff-and-cash';
import { openDatabase } from '../connection';
import { setManagerPin, verifyManagerPin } from '../../staff/manager-pin';
import { createStaffService } from '../../staff/staff.service';
import { silentLogger } from '../../logging/logger';

const before = migrations.filter((m) => m.version < migration010.version);
const cols = (db: Database.Database, table: string) =>
  db
    .prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`)
    .all()
    .map((c) => c.name);

describe('migration staff-and-cash', () => {
  it('is in the list under its version', () => {
    expect(migrations.find((m) => m.version === 10)).toBe(migration010);
  });

  it('adds staff, names on the money, the drawer and the Dojo check', () => {
    const db = new Database(':memory:');
    migrate(db);
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(migration010.version);
    for (const t of ['orders', 'tenders', 'refunds', 'payment_attempts', 'audit_log'])
      expect([t, cols(db, t)]).toEqual([t, expect.arrayContaining(['staff_id'])]);
    expect(cols(db, 'staff')).toEqual(
      expect.arrayContaining(['id', 'name', 'role', 'pin_hash', 'active']),
    );
    expect(cols(db, 'cash_movements')).toEqual(
      expect.arrayContaining(['kind', 'amount_minor', 'reason', 'staff_id', 'approved_by']),
    );
    expect(cols(db, 'day_closures')).toEqual(
      expect.arrayContaining(['counted_minor', 'expected_minor', 'cash_count']),
    );
    expect(cols(db, 'dojo_checks')).toEqual(expect.arrayContaining(['status', 'result']));
    const now = new Date().toISOString();
    expect(() =>
      db
        .prepare(
          `INSERT INTO staff (id, name, role, pin_hash, created_at, updated_at) VALUES ('s', 'x', 'owner', '{}', ?, ?)`,
        )
        .run(now, now),
    ).toThrow(/CHECK/);
    // One open till day at a time.
    const day = db.prepare(
      `INSERT INTO till_days (id, opened_at, float_minor, float_count, currency) VALUES (?, ?, 0, '[]', 'GBP')`,
    );
    day.run('d1', now);
    expect(() => day.run('d2', now)).toThrow(/UNIQUE/);
    // A no-sale moves no money; every other movement does.
    expect(() =>
      db
        .prepare(
          `INSERT INTO cash_movements (id, kind, amount_minor, currency, created_at) VALUES ('m', 'no-sale', 5, 'GBP', ?)`,
        )
        .run(now),
    ).toThrow(/CHECK/);
    db.close();
  });

  it('carries the old manager PIN forward: it signs in the first manager account', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'opentill-mig6-'));
    const file = path.join(dir, 'till.db');
    try {
      // A till from before staff accounts: the single manager PIN in settings.
      const old = new Database(file);
      migrate(old, before);
      const stored = JSON.stringify({
        algo: 'scrypt',
        N: 16384,
        r: 8,
        p: 1,
        // scrypt('2468', salt), as the old manager-pin module stored it
        ...makeOldHash('2468'),
      });
      old
        .prepare(`INSERT INTO settings (key, value, updated_at) VALUES ('manager.pin', ?, ?)`)
        .run(stored, '2026-01-01T00:00:00.000Z');
      old.close();

      const db = openDatabase(file);
      expect(schemaVersion(db)).toBeGreaterThanOrEqual(migration010.version);
      const staff = db.prepare('SELECT name, role, active, pin_hash FROM staff').all();
      expect(staff).toEqual([{ name: 'Manager', role: 'manager', active: 1, pin_hash: stored }]);
      expect(
        db.prepare("SELECT count(*) AS n FROM settings WHERE key LIKE 'manager.pin%'").get(),
      ).toEqual({ n: 0 });
      const service = createStaffService({ db, logger: silentLogger, training: () => false });
      expect(service.session().needsFirstManager).toBe(false);
      expect(service.signIn('2468').staff).toMatchObject({ name: 'Manager', role: 'manager' });
      expect(verifyManagerPin(db, '2468')).toBe(true);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a till with no manager PIN gets no staff: the first start asks for a manager', () => {
    const db = openDatabase(':memory:');
    expect(db.prepare('SELECT count(*) AS n FROM staff').get()).toEqual({ n: 0 });
    const service = createStaffService({ db, logger: silentLogger, training: () => false });
    expect(service.session()).toMatchObject({ staff: null, needsFirstManager: true });
    setManagerPin(db, '2580');
    expect(service.session().needsFirstManager).toBe(false);
    db.close();
  });
});

function makeOldHash(pin: string): { salt: string; hash: string } {
  // The old module's exact derivation: scrypt(pin, 16-byte salt, 32, {N:16384, r:8, p:1}).
  const salt = Buffer.from('0123456789abcdef0123456789abcdef', 'hex');
  const hash = scryptSync(pin, salt, 32, { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  return { salt: salt.toString('base64'), hash: hash.toString('base64') };
}
