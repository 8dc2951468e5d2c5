import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../migrate';
import { migrations } from '.';
import { migration006 } from './006-outbox-discarded';

describe('migration outbox-discarded', () => {
  it('is in the list under its version', () => {
    expect(migrations.find((m) => m.version === migration006.version)).toBe(migration006);
  });

  it('keeps every item and lets a dead one be discarded with who and why', () => {
    const db = new Database(':memory:');
    migrate(
      db,
      migrations.filter((m) => m.version < migration006.version),
    );
    const at = '2026-12-01T10:00:00.000Z';
    db.prepare(
      `INSERT INTO outbox (kind, idempotency_key, payload, status, attempts, next_attempt_at, last_error, created_at)
       VALUES ('dojo.refund', 'k1', '{}', 'dead', 8, ?, 'HTTP 503', ?)`,
    ).run(at, at);
    expect(() => db.prepare("UPDATE outbox SET status = 'discarded' WHERE id = 1").run()).toThrow(
      /CHECK/,
    );
    migrate(
      db,
      migrations.filter((m) => m.version <= migration006.version),
    );
    expect(schemaVersion(db)).toBe(migration006.version);
    expect(
      db.prepare('SELECT idempotency_key, status, attempts, last_error FROM outbox').get(),
    ).toEqual({ idempotency_key: 'k1', status: 'dead', attempts: 8, last_error: 'HTTP 503' });
    db.prepare(
      "UPDATE outbox SET status = 'discarded', discarded_reason = 'refunded in cash', discarded_by = 'manager' WHERE id = 1",
    ).run();
    expect(() => db.prepare("UPDATE outbox SET status = 'lost' WHERE id = 1").run()).toThrow(
      /CHECK/,
    );
    expect(
      db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'outbox_due'")
        .get(),
    ).toEqual({ name: 'outbox_due' });
  });
});
