import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../migrate';
import { migrations } from '.';
import { migration019 } from './019-shop-change-log-close';

const before = migrations.filter((m) => m.version < migration019.version);
const now = '2026-12-01T10:00:00.000Z';

const logged = (db: Database.Database) =>
  db.prepare('SELECT seq, entity, entity_id FROM change_log ORDER BY seq').all() as {
    seq: number;
    entity: string;
    entity_id: string;
  }[];

/** A joined till at the schema before 019: a paid card order, its closure and Dojo check. */
function joinedTill(): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, before);
  db.exec('UPDATE replication_state SET enabled = 1');
  db.prepare(
    `INSERT INTO orders (id, reference, status, currency, subtotal_minor, vat_minor, total_minor, till_id, created_at, updated_at)
     VALUES ('o1', 'T1-1', 'paid', 'GBP', 1000, 0, 1000, 'T1', ?, ?)`,
  ).run(now, now);
  db.prepare(
    `INSERT INTO tenders (id, order_id, kind, amount_minor, card_last4, created_at) VALUES ('t1', 'o1', 'card_other', 1000, '4242', ?)`,
  ).run(now);
  db.prepare(
    `INSERT INTO day_closures (id, period_end, orders_count, sales_minor, refunds_minor, currency, summary, closed_by, closed_at)
     VALUES ('c1', ?, 1, 1000, 0, 'GBP', '{}', 'Ann', ?)`,
  ).run(now, now);
  return db;
}

const entities = (db: Database.Database) => logged(db).map((r) => [r.entity, r.entity_id]);

describe('migration 019 shop-change-log-close', () => {
  it('is registered, keeps the changes not yet sent and keeps counting', () => {
    expect(migrations.find((m) => m.version === migration019.version)).toBe(migration019);
    const db = joinedTill();
    const waiting = logged(db);
    migrate(db);
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(migration019.version);
    expect(logged(db)).toEqual(waiting);
    db.prepare("UPDATE orders SET note = 'x' WHERE id = 'o1'").run();
    expect(logged(db).at(-1)?.seq).toBeGreaterThan(waiting.at(-1)?.seq ?? Infinity);
    // The triggers made before it still log what they logged.
    expect(logged(db).at(-1)?.entity).toBe('order');
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('a till already joined sends the checks, matches and choices it held', () => {
    const db = joinedTill();
    db.prepare(
      `INSERT INTO dojo_checks (closure_id, window_start, window_end, status, updated_at) VALUES ('c1', ?, ?, 'pending', ?)`,
    ).run(now, now, now);
    db.prepare(
      `INSERT INTO tender_matches (tender_id, status, created_at) VALUES ('t1', 'to_match', ?)`,
    ).run(now);
    db.prepare(
      `INSERT INTO receipt_choices (order_id, choice, email_masked, decided_at) VALUES ('o1', 'email', 'g***@dojo.com', ?)`,
    ).run(now);
    db.exec('DELETE FROM change_log');
    migrate(db);
    expect(entities(db)).toEqual([
      ['dojo_check', 'c1'],
      ['tender_match', 't1'],
      ['receipt_choice', 'o1'],
    ]);
  });

  it('logs a check, a match and a choice when they change, not on every retry or poll', () => {
    const db = joinedTill();
    migrate(db);
    db.exec('DELETE FROM change_log');
    db.prepare(
      `INSERT INTO dojo_checks (closure_id, window_start, window_end, status, updated_at) VALUES ('c1', ?, ?, 'pending', ?)`,
    ).run(now, now, now);
    // Dojo could not be reached again: the till's own retry count, not a change for the shop.
    db.prepare(
      "UPDATE dojo_checks SET last_error = 'offline', tries = tries + 1 WHERE closure_id = 'c1'",
    ).run();
    db.prepare(
      `UPDATE dojo_checks SET status = 'completed', result = '{}', tries = tries + 1 WHERE closure_id = 'c1'`,
    ).run();
    db.prepare(
      `INSERT INTO tender_matches (tender_id, status, created_at) VALUES ('t1', 'to_match', ?)`,
    ).run(now);
    db.prepare(
      "UPDATE tender_matches SET checks = checks + 1, last_checked_at = ? WHERE tender_id = 't1'",
    ).run(now);
    db.prepare(
      "UPDATE tender_matches SET status = 'matched', payment_intent_id = 'pi_1', matched_at = ? WHERE tender_id = 't1'",
    ).run(now);
    const choose = db.prepare(
      `INSERT INTO receipt_choices (order_id, choice, decided_at) VALUES ('o1', ?, ?)
       ON CONFLICT (order_id) DO UPDATE SET choice = excluded.choice, decided_at = excluded.decided_at`,
    );
    choose.run('none', now);
    choose.run('print', now);
    expect(entities(db)).toEqual([
      ['dojo_check', 'c1'],
      ['dojo_check', 'c1'],
      ['tender_match', 't1'],
      ['tender_match', 't1'],
      ['receipt_choice', 'o1'],
      ['receipt_choice', 'o1'],
    ]);
  });

  it('logs nothing while the till is not joined', () => {
    const db = joinedTill();
    db.exec('UPDATE replication_state SET enabled = 0; DELETE FROM change_log');
    migrate(db);
    db.prepare(
      `INSERT INTO tender_matches (tender_id, status, created_at) VALUES ('t1', 'to_match', ?)`,
    ).run(now);
    expect(logged(db)).toEqual([]);
  });
});
