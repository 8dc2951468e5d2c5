import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../migrate';
import { migrations } from '.';
import { migration014 } from './014-shop-change-log-day';

const before = migrations.filter((m) => m.version < migration014.version);
const now = '2026-12-01T10:00:00.000Z';

const logged = (db: Database.Database) =>
  db.prepare('SELECT seq, entity, entity_id FROM change_log ORDER BY seq').all() as {
    seq: number;
    entity: string;
    entity_id: string;
  }[];

function joinedTill(): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, before);
  db.exec('UPDATE replication_state SET enabled = 1');
  db.prepare(
    `INSERT INTO orders (id, reference, status, currency, subtotal_minor, vat_minor, total_minor, till_id, created_at, updated_at)
     VALUES (?, ?, 'paid', 'GBP', 1000, 0, 1000, 'T1', ?, ?)`,
  ).run('o1', 'T1-1', now, now);
  return db;
}

describe('migration 014 shop-change-log-day', () => {
  it('keeps the changes not yet sent and keeps counting after the last one acknowledged', () => {
    expect(migrations.find((m) => m.version === migration014.version)).toBe(migration014);
    const db = joinedTill();
    // Two orders were logged; the shop database acknowledged the first, the second is waiting.
    db.prepare(
      `INSERT INTO orders (id, reference, status, currency, subtotal_minor, vat_minor, total_minor, till_id, created_at, updated_at)
       VALUES ('o2', 'T1-2', 'open', 'GBP', 500, 0, 500, 'T1', ?, ?)`,
    ).run(now, now);
    const [first, second] = logged(db);
    db.prepare('UPDATE replication_state SET acked_seq = ?').run(first?.seq);
    db.prepare('DELETE FROM change_log WHERE seq <= ?').run(first?.seq);
    migrate(db);
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(migration014.version);
    expect(logged(db)).toEqual([second]);
    // New changes take sequences after everything logged before, never a number already acked.
    db.prepare("UPDATE orders SET status = 'paid' WHERE id = 'o2'").run();
    const next = logged(db)[1];
    expect(next?.entity).toBe('order');
    expect(next?.seq).toBeGreaterThan(second?.seq ?? Infinity);
  });

  it('a till whose log was empty keeps counting past the acknowledged sequence', () => {
    const db = joinedTill();
    const last = logged(db).at(-1)?.seq ?? 0;
    db.prepare('UPDATE replication_state SET acked_seq = ?').run(last);
    db.exec('DELETE FROM change_log');
    migrate(db);
    db.prepare("UPDATE orders SET note = 'x' WHERE id = 'o1'").run();
    expect(logged(db).map((r) => r.seq > last)).toEqual([true]);
  });

  it('logs till days, cash movements, returns with their lines and payouts, reversals and tips', () => {
    const db = joinedTill();
    migrate(db);
    db.exec('DELETE FROM change_log');
    db.prepare(
      `INSERT INTO till_days (id, opened_at, float_minor, float_count, currency) VALUES ('d1', ?, 10000, '[]', 'GBP')`,
    ).run(now);
    db.prepare(
      `INSERT INTO cash_movements (id, day_id, kind, amount_minor, currency, reason, created_at)
       VALUES ('m1', 'd1', 'pay-out', 250, 'GBP', 'supplier', ?)`,
    ).run(now);
    db.prepare(
      `INSERT INTO tenders (id, order_id, kind, amount_minor, card_last4, created_at) VALUES ('t1', 'o1', 'card', 1000, '4242', ?)`,
    ).run(now);
    db.prepare(
      `INSERT INTO payment_attempts (id, order_id, kind, amount_minor, currency, terminal_id, state, is_final, created_at, updated_at)
       VALUES ('a1', 'o1', 'sale', 1000, 'GBP', 'tm', 'succeeded', 1, ?, ?)`,
    ).run(now, now);
    db.prepare(
      `INSERT INTO tips (tender_id, order_id, attempt_id, amount_minor, currency, created_at) VALUES ('t1', 'o1', 'a1', 150, 'GBP', ?)`,
    ).run(now);
    db.prepare(
      `INSERT INTO returns (id, order_id, kind, status, reason, currency, total_minor, vat_minor, created_at)
       VALUES ('r1', 'o1', 'return', 'pending', 'Broken', 'GBP', 400, 0, ?)`,
    ).run(now);
    db.prepare(
      `INSERT INTO return_lines (return_id, order_id, position, name, quantity, amount_minor, vat_rate_bp, vat_minor)
       VALUES ('r1', 'o1', 1, 'Cake', 1, 400, 0, 0)`,
    ).run();
    db.prepare(
      `INSERT INTO return_payouts (id, return_id, method, amount_minor, created_at) VALUES ('p1', 'r1', 'cash', 400, ?)`,
    ).run(now);
    db.prepare("UPDATE returns SET status = 'completed', completed_at = ? WHERE id = 'r1'").run(
      now,
    );
    db.prepare(
      `INSERT INTO reversals (id, order_id, attempt_id, payment_intent_id, amount_minor, currency, status, created_at, updated_at)
       VALUES ('v1', 'o1', 'a1', 'pi_1', 1000, 'GBP', 'pending', ?, ?)`,
    ).run(now, now);
    db.prepare("UPDATE reversals SET status = 'completed' WHERE id = 'v1'").run();
    // Closing the day ties it to its closure.
    db.prepare(
      `INSERT INTO day_closures (id, period_end, orders_count, sales_minor, refunds_minor, currency, summary, closed_by, closed_at)
       VALUES ('c1', ?, 1, 1000, 0, 'GBP', '{}', 'Ann', ?)`,
    ).run(now, now);
    db.prepare("UPDATE till_days SET closure_id = 'c1' WHERE id = 'd1'").run();
    expect(logged(db).map((r) => [r.entity, r.entity_id])).toEqual([
      ['till_day', 'd1'],
      ['cash_movement', 'm1'],
      ['tender', 't1'],
      // An attempt inserted already final is not an outcome change; the tip is.
      ['tip', 't1'],
      ['return', 'r1'],
      ['return', 'r1'],
      ['return', 'r1'],
      ['return', 'r1'],
      ['reversal', 'v1'],
      ['reversal', 'v1'],
      ['day_closure', 'c1'],
      ['till_day', 'd1'],
    ]);
  });

  it('a till already joined sends the till days, movements, returns, reversals and tips it held', () => {
    const db = joinedTill();
    db.prepare(
      `INSERT INTO till_days (id, opened_at, float_minor, float_count, currency) VALUES ('d1', ?, 100, '[]', 'GBP')`,
    ).run(now);
    db.prepare(
      `INSERT INTO cash_movements (id, day_id, kind, amount_minor, currency, created_at)
       VALUES ('m1', 'd1', 'no-sale', 0, 'GBP', ?)`,
    ).run(now);
    db.exec('DELETE FROM change_log');
    migrate(db);
    expect(logged(db).map((r) => [r.entity, r.entity_id])).toEqual([
      ['till_day', 'd1'],
      ['cash_movement', 'm1'],
    ]);
  });

  it('logs nothing while the till is not joined', () => {
    const db = new Database(':memory:');
    migrate(db);
    db.prepare(
      `INSERT INTO till_days (id, opened_at, float_minor, float_count, currency) VALUES ('d1', ?, 100, '[]', 'GBP')`,
    ).run(now);
    expect(logged(db)).toEqual([]);
  });
});
