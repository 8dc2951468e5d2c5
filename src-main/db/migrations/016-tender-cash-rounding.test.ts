import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../migrate';
import { migrations } from '.';
import { migration016 } from './016-tender-cash-rounding';

const before = migrations.filter((m) => m.version < migration016.version);
const now = '2026-12-02T10:00:00.000Z';

describe('migration tender-cash-rounding', () => {
  it('keeps every tender at no rounding and takes only small cash roundings', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, before);
    db.prepare(
      `INSERT INTO orders (id, reference, status, currency, subtotal_minor, vat_minor, total_minor, till_id, created_at, updated_at)
       VALUES ('o1', 'T1-1', 'paid', 'EUR', 1003, 0, 1003, 'T1', ?, ?)`,
    ).run(now, now);
    db.prepare(
      `INSERT INTO tenders (id, order_id, kind, amount_minor, tendered_minor, change_minor, created_at)
       VALUES ('t1', 'o1', 'cash', 1003, 2000, 997, ?)`,
    ).run(now);
    db.exec('UPDATE replication_state SET enabled = 1');
    migrate(db);
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(migration016.version);
    expect(
      db.prepare('SELECT id, amount_minor, change_minor, rounding_minor FROM tenders').all(),
    ).toEqual([{ id: 't1', amount_minor: 1003, change_minor: 997, rounding_minor: 0 }]);
    const insert = db.prepare(
      `INSERT INTO tenders (id, order_id, kind, amount_minor, tendered_minor, change_minor, card_last4, created_at, rounding_minor)
       VALUES (?, 'o1', ?, 1003, 2000, 995, ?, ?, ?)`,
    );
    insert.run('t2', 'cash', null, now, 2);
    insert.run('t3', 'cash', null, now, -2);
    // A 5-cent step never rounds by more than 2 cents, and a card is never rounded.
    expect(() => insert.run('t4', 'cash', null, now, 3)).toThrow(/CHECK/);
    expect(() => insert.run('t5', 'card_other', '4242', now, 1)).toThrow(/CHECK/);
    // The shop database's change log still sees new tenders.
    expect(
      db.prepare("SELECT entity_id FROM change_log WHERE entity = 'tender' ORDER BY seq").all(),
    ).toEqual([{ entity_id: 't2' }, { entity_id: 't3' }]);
  });
});
