import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../migrate';
import { migrations } from '.';
import { migration012 } from './012-tips-and-tenders';

const before = migrations.filter((m) => m.version < migration012.version);
const now = '2026-12-01T10:00:00.000Z';

function seeded(): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, before);
  db.prepare(
    `INSERT INTO orders (id, reference, status, currency, subtotal_minor, vat_minor, total_minor, till_id, created_at, updated_at)
     VALUES ('o1', 'T1-1', 'paid', 'GBP', 1000, 0, 1000, 'T1', ?, ?)`,
  ).run(now, now);
  db.prepare(
    `INSERT INTO tenders (id, order_id, kind, amount_minor, tendered_minor, change_minor, created_at)
     VALUES ('t1', 'o1', 'cash', 1000, 2000, 1000, ?)`,
  ).run(now);
  return db;
}

describe('migration tips-and-tenders', () => {
  it('keeps every tender, widens the kinds, and adds tips, matches and receipt choices', () => {
    const db = seeded();
    db.exec('UPDATE replication_state SET enabled = 1');
    migrate(db);
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(migration012.version);
    expect(
      db.prepare('SELECT id, kind, amount_minor, tendered_minor, change_minor FROM tenders').all(),
    ).toEqual([
      { id: 't1', kind: 'cash', amount_minor: 1000, tendered_minor: 2000, change_minor: 1000 },
    ]);
    const insert = db.prepare(
      `INSERT INTO tenders (id, order_id, kind, amount_minor, card_last4, reference, created_at) VALUES (?, 'o1', ?, 100, ?, ?, ?)`,
    );
    insert.run('t2', 'voucher', null, 'GV-1', now);
    insert.run('t3', 'card_other', '4242', null, now);
    // A voucher needs its reference; a card taken elsewhere needs its last four digits.
    expect(() => insert.run('t4', 'voucher', null, null, now)).toThrow(/CHECK/);
    expect(() => insert.run('t5', 'card_other', null, null, now)).toThrow(/CHECK/);
    expect(() => insert.run('t6', 'cheque', null, 'x', now)).toThrow(/CHECK/);
    // The shop database's change log still sees new tenders.
    expect(
      db.prepare("SELECT entity_id FROM change_log WHERE entity = 'tender' ORDER BY seq").all(),
    ).toEqual([{ entity_id: 't2' }, { entity_id: 't3' }]);
    // Indexes came back.
    const indexes = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'tenders'")
      .all()
      .map((r) => (r as { name: string }).name);
    expect(indexes).toEqual(expect.arrayContaining(['tenders_created', 'tenders_order_totals']));
    // A tip is its own positive figure, one per tender.
    const tip = db.prepare(
      `INSERT INTO tips (tender_id, order_id, amount_minor, currency, created_at) VALUES (?, 'o1', ?, 'GBP', ?)`,
    );
    expect(() => tip.run('t3', 0, now)).toThrow(/CHECK/);
    tip.run('t3', 150, now);
    expect(() => tip.run('t3', 150, now)).toThrow(/UNIQUE|PRIMARY/);
    // A match is matched exactly when it names Dojo's payment intent.
    const match = db.prepare(
      `INSERT INTO tender_matches (tender_id, status, payment_intent_id, created_at) VALUES (?, ?, ?, ?)`,
    );
    expect(() => match.run('t3', 'matched', null, now)).toThrow(/CHECK/);
    match.run('t3', 'to_match', null, now);
    expect(() =>
      db
        .prepare(
          `INSERT INTO receipt_choices (order_id, choice, decided_at) VALUES ('o1', 'sms', ?)`,
        )
        .run(now),
    ).toThrow(/CHECK/);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});
