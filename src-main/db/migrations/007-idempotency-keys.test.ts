import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../migrate';
import { migrations } from '.';
import { migration007 } from './007-idempotency-keys';

describe('migration idempotency-keys', () => {
  it('is in the list under its version', () => {
    expect(migrations.find((m) => m.version === migration007.version)).toBe(migration007);
  });

  it('keeps one row per channel and key, and a result exactly when done', () => {
    const db = new Database(':memory:');
    migrate(
      db,
      migrations.filter((m) => m.version <= migration007.version),
    );
    expect(schemaVersion(db)).toBe(migration007.version);
    const insert = db.prepare(
      `INSERT INTO idempotency_keys (channel, key, request_hash, state, result_json, created_at)
       VALUES (?, ?, 'h', ?, ?, '2026-12-01T00:00:00Z')`,
    );
    insert.run('orders:pay-cash', 'k1', 'running', null);
    insert.run('refunds:server', 'k1', 'done', '{}');
    expect(() => insert.run('orders:pay-cash', 'k1', 'running', null)).toThrow(/UNIQUE/);
    expect(() => insert.run('orders:pay-cash', 'k2', 'done', null)).toThrow(/CHECK/);
    expect(() => insert.run('orders:pay-cash', 'k3', 'running', '{}')).toThrow(/CHECK/);
    expect(() => insert.run('orders:pay-cash', 'k4', 'maybe', null)).toThrow(/CHECK/);
    db.close();
  });
});
