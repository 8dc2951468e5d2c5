import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../migrate';
import { migrations } from '.';
import { migration017 } from './017-order-reference-suffixes';

const before = migrations.filter((m) => m.version < migration017.version);
/** 017 as it shipped: migration 020 later moved the insert into the pause after a sale. */
const upTo017 = migrations.filter((m) => m.version <= migration017.version);

const insertOrder = (db: Database.Database, id: string, reference: string) => {
  const now = '2026-11-23T10:00:00.000Z';
  db.prepare(
    `INSERT INTO orders (id, reference, status, currency, subtotal_minor, vat_minor, total_minor, till_id, created_at, updated_at, completed_at)
     VALUES (?, ?, 'paid', 'GBP', 100, 17, 100, 'T1', ?, ?, ?)`,
  ).run(id, reference, now, now, now);
};

/** The references holding `fragment`, read from the suffix index alone (as history does). */
const found = (db: Database.Database, fragment: string) =>
  db
    .prepare<[string, string], { reference: string }>(
      `SELECT DISTINCT head || suffix AS reference FROM order_reference_suffixes
       WHERE suffix >= ? AND suffix < ? ORDER BY 1`,
    )
    .all(fragment, fragment + '\u{10FFFF}')
    .map((r) => r.reference);

const entries = (db: Database.Database) =>
  (db.prepare('SELECT count(*) AS n FROM order_reference_suffixes').get() as { n: number }).n;

describe('migration 017 order-reference-suffixes', () => {
  it('replaces the trigram index and backfills the orders already in the database', () => {
    const db = new Database(':memory:');
    migrate(db, before);
    insertOrder(db, 'o1', 'T1-20261123-0001');
    insertOrder(db, 'o2', 'T1-20261123-0042');
    insertOrder(db, 'o3', 'XT1-20261124-0042');
    insertOrder(db, 'o4', 'AB'); // too short for any suffix of 3
    migrate(db);
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(migration017.version);
    expect(
      db.prepare("SELECT name FROM sqlite_master WHERE name LIKE 'order_references%'").all(),
    ).toEqual([]);
    // One entry per suffix of 3 characters or more: 14 + 14 + 15.
    expect(entries(db)).toBe(43);
    expect(found(db, '0042')).toEqual(['T1-20261123-0042', 'XT1-20261124-0042']);
    expect(found(db, 'T1-20261123-0001')).toEqual(['T1-20261123-0001']);
    expect(found(db, 'T1-2026112')).toEqual([
      'T1-20261123-0001',
      'T1-20261123-0042',
      'XT1-20261124-0042',
    ]);
    expect(found(db, '042')).toEqual(['T1-20261123-0042', 'XT1-20261124-0042']);
    // Case-sensitive, like the plain search (history upper-cases the fragment).
    expect(found(db, 'xt1')).toEqual([]);
    db.close();
  });

  it('keeps the index in step with orders inserted, renamed and deleted, in their transaction', () => {
    const db = new Database(':memory:');
    migrate(db, upTo017);
    insertOrder(db, 'o1', 'T1-20261123-0001');
    insertOrder(db, 'o2', 'T1-20261123-0002');
    expect(found(db, '0001')).toEqual(['T1-20261123-0001']);

    // A rolled-back order leaves nothing behind in the index.
    expect(() =>
      db.transaction(() => {
        insertOrder(db, 'o3', 'T1-20261123-0003');
        throw new Error('rolled back');
      })(),
    ).toThrow('rolled back');
    expect(found(db, '0003')).toEqual([]);

    db.prepare("UPDATE orders SET reference = 'T1-20261123-0009' WHERE id = 'o2'").run();
    expect(found(db, '0002')).toEqual([]);
    expect(found(db, '0009')).toEqual(['T1-20261123-0009']);
    // A change of something else leaves the entries alone.
    db.prepare("UPDATE orders SET status = 'refunded' WHERE id = 'o2'").run();
    expect(entries(db)).toBe(28);

    db.prepare("DELETE FROM orders WHERE id = 'o1'").run();
    expect(found(db, 'T1-')).toEqual(['T1-20261123-0009']);
    expect(entries(db)).toBe(14);

    // A reference repeating itself (the same suffix twice) and odd characters.
    insertOrder(db, 'o4', 'AAAA*[?]É');
    expect(found(db, 'AA')).toEqual(['AAAA*[?]É']);
    expect(found(db, '[?]É')).toEqual(['AAAA*[?]É']);
    db.prepare("DELETE FROM orders WHERE id = 'o4'").run();
    expect(entries(db)).toBe(14);
    db.close();
  });

  it('finds an exact reference and a fragment through the index, not by reading every entry', () => {
    const db = new Database(':memory:');
    migrate(db);
    const plan = (sql: string) =>
      db
        .prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
        .all()
        .map((r) => r.detail)
        .join('\n');
    const inRange = `reference IN (SELECT head || suffix FROM order_reference_suffixes WHERE suffix >= 'T1-2' AND suffix < 'T1-3')`;
    const page = plan(
      `SELECT id FROM orders WHERE ${inRange} ORDER BY created_at DESC, rowid DESC LIMIT 50`,
    );
    expect(page).toMatch(
      /SEARCH order_reference_suffixes USING PRIMARY KEY \(suffix>\? AND suffix<\?\)/,
    );
    expect(page).toMatch(/SEARCH orders USING INDEX sqlite_autoindex_orders_\d \(reference=\?\)/);
    expect(plan(`SELECT count(*) FROM orders WHERE ${inRange}`)).toMatch(
      /SEARCH orders USING COVERING INDEX sqlite_autoindex_orders_\d \(reference=\?\)/,
    );
    db.close();
  });
});
