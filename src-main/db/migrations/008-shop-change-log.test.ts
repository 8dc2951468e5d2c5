import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../migrate';
import { migrations } from '.';
import { migration008 } from './008-shop-change-log';

const now = '2026-12-01T10:00:00.000Z';
const insertOrder = (db: Database.Database, id: string) =>
  db
    .prepare(
      `INSERT INTO orders (id, reference, status, currency, subtotal_minor, vat_minor, total_minor, till_id, created_at, updated_at)
       VALUES (?, ?, 'open', 'GBP', 100, 17, 100, 'T1', ?, ?)`,
    )
    .run(id, `R-${id}`, now, now);
const logged = (db: Database.Database) =>
  db.prepare('SELECT entity, entity_id FROM change_log ORDER BY seq').all();

describe('migration 008 shop-change-log', () => {
  it('is in the list and keeps existing rows', () => {
    expect(migrations.find((m) => m.version === migration008.version)).toBe(migration008);
    const db = new Database(':memory:');
    migrate(
      db,
      migrations.filter((m) => m.version < migration008.version),
    );
    insertOrder(db, 'old');
    migrate(db);
    expect(db.prepare('SELECT count(*) AS n FROM orders').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT enabled, acked_seq FROM replication_state').get()).toEqual({
      enabled: 0,
      acked_seq: 0,
    });
  });

  it('logs nothing while the till is not joined to a shop, and every change once it is', () => {
    const db = new Database(':memory:');
    migrate(db);
    insertOrder(db, 'a');
    expect(logged(db)).toEqual([]);
    db.exec('UPDATE replication_state SET enabled = 1');
    insertOrder(db, 'b');
    db.prepare("UPDATE orders SET status = 'paid' WHERE id = 'b'").run();
    db.prepare("DELETE FROM orders WHERE id = 'a'").run();
    expect(logged(db)).toEqual([
      { entity: 'order', entity_id: 'b' },
      { entity: 'order', entity_id: 'b' },
      { entity: 'order', entity_id: 'a' },
    ]);
  });

  it('logs a payment attempt when its outcome changes, not on every poll', () => {
    const db = new Database(':memory:');
    migrate(db);
    db.exec('UPDATE replication_state SET enabled = 1');
    db.prepare(
      `INSERT INTO payment_attempts (id, kind, amount_minor, currency, terminal_id, state, is_final, created_at, updated_at)
       VALUES ('p1', 'sale', 100, 'GBP', 'tm', 'polling', 0, ?, ?)`,
    ).run(now, now);
    db.prepare("UPDATE payment_attempts SET state_data = '{\"n\":1}' WHERE id = 'p1'").run();
    db.prepare("UPDATE payment_attempts SET state = 'polling' WHERE id = 'p1'").run();
    expect(logged(db)).toEqual([]);
    db.prepare(
      "UPDATE payment_attempts SET state = 'succeeded', is_final = 1 WHERE id = 'p1'",
    ).run();
    expect(logged(db)).toEqual([{ entity: 'attempt', entity_id: 'p1' }]);
  });
});
