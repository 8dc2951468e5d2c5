import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../migrate';
import { migrations } from './index';
import { migration003 } from './003-payment-attempts-live';

const insertOrder = (db: Database.Database, id: string) => {
  const now = new Date().toISOString();
  db.prepare(
    `INSERT INTO orders (id, reference, status, currency, subtotal_minor, vat_minor, total_minor, till_id, created_at, updated_at)
     VALUES (?, ?, 'open', 'GBP', 100, 17, 100, 'T1', ?, ?)`,
  ).run(id, `R-${id}`, now, now);
};
const insertAttempt = (db: Database.Database, id: string, orderId: string, isFinal: 0 | 1) => {
  const now = new Date().toISOString();
  db.prepare(
    `INSERT INTO payment_attempts (id, order_id, kind, amount_minor, currency, terminal_id, state, is_final, created_at, updated_at)
     VALUES (?, ?, 'sale', 100, 'GBP', 'tm_1', 'creating_intent', ?, ?, ?)`,
  ).run(id, orderId, isFinal, now, now);
};

describe('migration 003 payment-attempts-live', () => {
  it('applies on a fresh database', () => {
    const db = new Database(':memory:');
    migrate(
      db,
      migrations.filter((m) => m.version <= migration003.version),
    );
    expect(schemaVersion(db)).toBe(3);
    const names = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index'")
      .all()
      .map((r) => r.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'payment_attempts_one_live_per_order',
        'refunds_original_attempt',
        'refunds_one_per_attempt',
      ]),
    );
    db.close();
  });

  it('refuses a second live attempt on one order, allows one after the first is final', () => {
    const db = new Database(':memory:');
    migrate(
      db,
      migrations.filter((m) => m.version < migration003.version),
    );
    insertOrder(db, 'o1');
    insertAttempt(db, 'a0', 'o1', 1);
    insertAttempt(db, 'a1', 'o1', 0);
    migrate(
      db,
      migrations.filter((m) => m.version <= migration003.version),
    );
    expect(() => insertAttempt(db, 'a2', 'o1', 0)).toThrow(/UNIQUE/);
    db.prepare("UPDATE payment_attempts SET is_final = 1 WHERE id = 'a1'").run();
    insertAttempt(db, 'a2', 'o1', 0);
    expect(
      db.prepare('SELECT count(*) AS n FROM payment_attempts WHERE is_final = 0').get(),
    ).toEqual({ n: 1 });
    db.close();
  });
});
