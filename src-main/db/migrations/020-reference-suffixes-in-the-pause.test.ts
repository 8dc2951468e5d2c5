import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../migrate';
import { indexAllPendingReferences, indexPendingReferences } from '../reference-suffixes';
import { migrations } from '.';
import { migration020 } from './020-reference-suffixes-in-the-pause';

const before = migrations.filter((m) => m.version < migration020.version);

const insertOrder = (db: Database.Database, id: string, reference: string) => {
  const now = '2026-12-02T10:00:00.000Z';
  db.prepare(
    `INSERT INTO orders (id, reference, status, currency, subtotal_minor, vat_minor, total_minor, till_id, created_at, updated_at, completed_at)
     VALUES (?, ?, 'paid', 'GBP', 100, 17, 100, 'T1', ?, ?, ?)`,
  ).run(id, reference, now, now, now);
};

/** The references the suffix table alone holds for `fragment`. */
const indexed = (db: Database.Database, fragment: string) =>
  db
    .prepare<[string, string], { reference: string }>(
      `SELECT DISTINCT head || suffix AS reference FROM order_reference_suffixes
       WHERE suffix >= ? AND suffix < ? ORDER BY 1`,
    )
    .all(fragment, fragment + '\u{10FFFF}')
    .map((r) => r.reference);

const pending = (db: Database.Database) =>
  db.prepare<[], string>('SELECT reference FROM order_reference_pending ORDER BY 1').pluck().all();

const entries = (db: Database.Database) =>
  (db.prepare('SELECT count(*) AS n FROM order_reference_suffixes').get() as { n: number }).n;

describe('migration 020 reference-suffixes-in-the-pause', () => {
  it('keeps the orders already indexed and leaves nothing pending', () => {
    const db = new Database(':memory:');
    migrate(db, before);
    insertOrder(db, 'o1', 'T1-20261202-0001');
    insertOrder(db, 'o2', 'T1-20261202-0042');
    migrate(db);
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(migration020.version);
    expect(entries(db)).toBe(28);
    expect(indexed(db, '0042')).toEqual(['T1-20261202-0042']);
    expect(pending(db)).toEqual([]);
    db.close();
  });

  it("notes a new order's reference in its transaction and indexes it in the pause", () => {
    const db = new Database(':memory:');
    migrate(db);
    insertOrder(db, 'o1', 'T1-20261202-0001');
    insertOrder(db, 'o2', 'T1-20261202-0002');
    // The sale wrote one row, not one per suffix.
    expect(pending(db)).toEqual(['T1-20261202-0001', 'T1-20261202-0002']);
    expect(entries(db)).toBe(0);

    // A rolled-back order notes nothing.
    expect(() =>
      db.transaction(() => {
        insertOrder(db, 'o3', 'T1-20261202-0003');
        throw new Error('rolled back');
      })(),
    ).toThrow('rolled back');
    expect(pending(db)).toHaveLength(2);

    expect(indexPendingReferences(db, 1)).toBe(1);
    expect(indexed(db, '0001')).toEqual(['T1-20261202-0001']);
    expect(pending(db)).toEqual(['T1-20261202-0002']);
    expect(indexAllPendingReferences(db)).toBe(1);
    expect(pending(db)).toEqual([]);
    expect(entries(db)).toBe(28);
    expect(indexPendingReferences(db)).toBe(0);
    db.close();
  });

  it('follows a rename and a deletion whether the reference is pending or indexed', () => {
    const db = new Database(':memory:');
    migrate(db);
    insertOrder(db, 'o1', 'T1-20261202-0001');
    insertOrder(db, 'o2', 'T1-20261202-0002');
    indexAllPendingReferences(db);
    insertOrder(db, 'o3', 'T1-20261202-0003');
    insertOrder(db, 'o4', 'T1-20261202-0004');

    // Renamed once indexed: its old suffixes go, the new reference waits for the pause.
    db.prepare("UPDATE orders SET reference = 'T1-20261202-0009' WHERE id = 'o2'").run();
    expect(indexed(db, '0002')).toEqual([]);
    // Renamed while pending: the pending row follows it.
    db.prepare("UPDATE orders SET reference = 'T1-20261202-0008' WHERE id = 'o3'").run();
    expect(pending(db)).toEqual(['T1-20261202-0004', 'T1-20261202-0008', 'T1-20261202-0009']);
    // A change of something else notes nothing.
    db.prepare("UPDATE orders SET status = 'refunded' WHERE id = 'o1'").run();
    expect(pending(db)).toHaveLength(3);

    // Deleted while pending (a resumed parked basket) and once indexed.
    db.prepare("DELETE FROM orders WHERE id = 'o4'").run();
    db.prepare("DELETE FROM orders WHERE id = 'o1'").run();
    expect(pending(db)).toEqual(['T1-20261202-0008', 'T1-20261202-0009']);
    expect(indexed(db, '0001')).toEqual([]);

    indexAllPendingReferences(db);
    expect(indexed(db, 'T1-')).toEqual(['T1-20261202-0008', 'T1-20261202-0009']);
    expect(entries(db)).toBe(28);
    db.close();
  });

  it('drops the status index: the day index, which starts with the status, serves it', () => {
    const db = new Database(':memory:');
    migrate(db);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'orders_status'").all()).toEqual(
      [],
    );
    const plan = db
      .prepare<[], { detail: string }>(
        "EXPLAIN QUERY PLAN SELECT id FROM orders WHERE status = 'parked' ORDER BY created_at, rowid",
      )
      .all()
      .map((r) => r.detail)
      .join('\n');
    expect(plan).toMatch(/USING (COVERING )?INDEX orders_completed \(status=\?\)/);
    db.close();
  });
});
