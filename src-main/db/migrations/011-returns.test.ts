import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../migrate';
import { migrations } from '.';
import { migration011 } from './011-returns';

const now = new Date().toISOString();

function seeded() {
  const db = new Database(':memory:');
  migrate(db);
  db.prepare(
    `INSERT INTO orders (id, reference, status, currency, subtotal_minor, vat_minor, total_minor, till_id, created_at, updated_at)
     VALUES ('o1', 'R-1', 'paid', 'GBP', 1000, 167, 1000, 't', ?, ?)`,
  ).run(now, now);
  db.prepare(
    `INSERT INTO payment_attempts (id, order_id, kind, amount_minor, currency, terminal_id, state, is_final, created_at, updated_at)
     VALUES ('a1', 'o1', 'sale', 1000, 'GBP', 'tm', 'succeeded', 1, ?, ?)`,
  ).run(now, now);
  return db;
}

describe('migration returns', () => {
  it('is registered in order', () => {
    expect(migrations.indexOf(migration011)).toBe(migration011.version - 1);
  });

  it('adds returns, their lines and payouts, and reversals (one live per sale)', () => {
    const db = seeded();
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(migration011.version);
    db.prepare(
      `INSERT INTO returns (id, order_id, kind, status, reason, currency, total_minor, vat_minor, created_at)
       VALUES ('r1', 'o1', 'return', 'pending', 'faulty', 'GBP', 500, 83, ?)`,
    ).run(now);
    expect(() =>
      db
        .prepare(
          `INSERT INTO returns (id, order_id, kind, status, reason, currency, total_minor, vat_minor, created_at)
           VALUES ('r2', 'o1', 'refund', 'pending', 'x', 'GBP', 1, 0, ?)`,
        )
        .run(now),
    ).toThrow(/CHECK/);
    const line = db.prepare(
      `INSERT INTO return_lines (return_id, order_id, position, name, quantity, amount_minor, vat_rate_bp, vat_minor)
       VALUES ('r1', 'o1', 0, 'Tea', ?, 500, 2000, 83)`,
    );
    expect(() => line.run(0)).toThrow(/CHECK/);
    line.run(1);
    // A card payout names the sale it goes back to; cash does not.
    const payout = db.prepare(
      `INSERT INTO return_payouts (id, return_id, method, amount_minor, sale_attempt_id, created_at) VALUES (?, 'r1', ?, 500, ?, ?)`,
    );
    expect(() => payout.run('p1', 'card-server', null, now)).toThrow(/CHECK/);
    expect(() => payout.run('p2', 'cash', 'a1', now)).toThrow(/CHECK/);
    payout.run('p3', 'cash', null, now);
    const reversal = db.prepare(
      `INSERT INTO reversals (id, order_id, attempt_id, payment_intent_id, amount_minor, currency, status, created_at, updated_at)
       VALUES (?, 'o1', 'a1', 'pi', 1000, 'GBP', ?, ?, ?)`,
    );
    reversal.run('v1', 'failed', now, now);
    reversal.run('v2', 'pending', now, now);
    expect(() => reversal.run('v3', 'completed', now, now)).toThrow(/UNIQUE/);
  });
});
