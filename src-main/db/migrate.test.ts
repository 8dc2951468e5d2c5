import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { migrate, latestVersion, schemaVersion } from './migrate';
import { migrations } from './migrations';
import { openDatabase } from './connection';
import { tempDir } from '../../tests/support/temp-dir';

const dirs: { remove(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

describe('migrations', () => {
  it('migration 001 creates every table of the initial schema on a fresh database', () => {
    const db = new Database(':memory:');
    migrate(db, migrations.slice(0, 1));
    const tables = db
      .prepare<[], { name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
      )
      .all()
      .map((r) => r.name);
    expect(tables).toEqual(
      expect.arrayContaining([
        'audit_log',
        'order_lines',
        'orders',
        'outbox',
        'payment_attempt_events',
        'payment_attempts',
        'print_jobs',
        'products',
        'refunds',
        'settings',
        'tenders',
      ]),
    );
    expect(schemaVersion(db)).toBe(1);
  });

  it('stores money as integers and refuses a negative price', () => {
    const db = new Database(':memory:');
    migrate(db);
    const insert = db.prepare(
      "INSERT INTO products (id, name, category, price_minor, vat_rate_bp, created_at, updated_at) VALUES (?, 'Tea', 'Hot', ?, 2000, 'now', 'now')",
    );
    expect(() => insert.run('p1', 2.5)).toThrow(
      /cannot store REAL value in INTEGER column|datatype mismatch/i,
    );
    expect(() => insert.run('p2', -1)).toThrow(/CHECK constraint/);
  });

  it('applies all migrations in order and is idempotent', () => {
    const db = new Database(':memory:');
    expect(migrate(db)).toBe(latestVersion());
    expect(migrate(db)).toBe(latestVersion());
  });

  it('rolls back a failing migration as a whole and keeps the earlier version', () => {
    const db = new Database(':memory:');
    const broken = [
      ...migrations,
      {
        version: migrations.length + 1,
        name: 'broken',
        sql: 'CREATE TABLE ok_table (x INTEGER); SELECT nope FROM missing;',
      },
    ];
    expect(() => migrate(db, broken)).toThrow();
    expect(schemaVersion(db)).toBe(latestVersion());
    expect(
      db.prepare("SELECT name FROM sqlite_master WHERE name = 'ok_table'").get(),
    ).toBeUndefined();
  });

  it('refuses to open a database written by a newer OpenTill, leaving it untouched', () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = join(dir.path, 'till.db');
    openDatabase(file).close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${latestVersion() + 5}`);
    raw.close();
    expect(() => openDatabase(file)).toThrow(/newer OpenTill/);
    const check = new Database(file);
    expect(schemaVersion(check)).toBe(latestVersion() + 5);
    check.close();
  });

  it('opens with WAL, foreign keys, a busy timeout and synchronous=FULL', () => {
    const dir = tempDir();
    dirs.push(dir);
    const db = openDatabase(join(dir.path, 'till.db'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    db.close();
  });
});
