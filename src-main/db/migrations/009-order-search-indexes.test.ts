import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../migrate';
import { migrations } from '.';
import { migration009 } from './009-order-search-indexes';

const before = migrations.filter((m) => m.version < migration009.version);
const upTo = migrations.filter((m) => m.version <= migration009.version);

const insertOrder = (db: Database.Database, id: string, reference: string) => {
  const now = '2026-11-23T10:00:00.000Z';
  db.prepare(
    `INSERT INTO orders (id, reference, status, currency, subtotal_minor, vat_minor, total_minor, till_id, created_at, updated_at, completed_at)
     VALUES (?, ?, 'paid', 'GBP', 100, 17, 100, 'T1', ?, ?, ?)`,
  ).run(id, reference, now, now, now);
};

const found = (db: Database.Database, glob: string) =>
  db
    .prepare<[string], { order_id: string }>(
      'SELECT order_id FROM order_references WHERE reference GLOB ? ORDER BY order_id',
    )
    .all(glob)
    .map((r) => r.order_id);

describe('migration 009 order-search-indexes', () => {
  it('is in the list under its version', () => {
    expect(upTo.at(-1)).toBe(migration009);
  });

  it('backfills the orders already in the database into the reference index', () => {
    const db = new Database(':memory:');
    migrate(db, before);
    insertOrder(db, 'o1', 'T1-20261123-0001');
    insertOrder(db, 'o2', 'T1-20261123-0042');
    insertOrder(db, 'o3', 'SHOP-20261124-0042');
    migrate(db, upTo);
    expect(schemaVersion(db)).toBe(migration009.version);
    expect(found(db, '*0042*')).toEqual(['o2', 'o3']);
    expect(found(db, '*T1-20261123-0001*')).toEqual(['o1']);
    // Case-sensitive, like the plain search it replaces.
    expect(found(db, '*shop*')).toEqual([]);
    db.close();
  });

  it('keeps the index in step with orders inserted, renamed and deleted, in their transaction', () => {
    const db = new Database(':memory:');
    migrate(db, upTo);
    insertOrder(db, 'o1', 'T1-20261123-0001');
    insertOrder(db, 'o2', 'T1-20261123-0002');
    expect(found(db, '*0001*')).toEqual(['o1']);

    // A rolled-back order leaves nothing behind in the index.
    expect(() =>
      db.transaction(() => {
        insertOrder(db, 'o3', 'T1-20261123-0003');
        throw new Error('rolled back');
      })(),
    ).toThrow('rolled back');
    expect(found(db, '*0003*')).toEqual([]);

    db.prepare("UPDATE orders SET reference = 'T1-20261123-0009' WHERE id = 'o2'").run();
    expect(found(db, '*0002*')).toEqual([]);
    expect(found(db, '*0009*')).toEqual(['o2']);

    db.prepare("DELETE FROM orders WHERE id = 'o1'").run();
    expect(found(db, '*T1-*')).toEqual(['o2']);
    expect(db.prepare('SELECT count(*) AS n FROM order_references').get()).toEqual({ n: 1 });
    db.close();
  });

  it('deletes the entry of an order whose reference holds GLOB wildcards or is short', () => {
    const db = new Database(':memory:');
    migrate(db, upTo);
    insertOrder(db, 'o1', 'A*[?]');
    insertOrder(db, 'o2', 'AB');
    insertOrder(db, 'o3', 'AXXXX');
    db.prepare("DELETE FROM orders WHERE id IN ('o1', 'o2')").run();
    expect(
      db
        .prepare<[], { order_id: string }>('SELECT order_id FROM order_references')
        .all()
        .map((r) => r.order_id),
    ).toEqual(['o3']);
    db.close();
  });

  it('reads the end-of-day figures of a day window from indexes alone', () => {
    const db = new Database(':memory:');
    migrate(db, upTo);
    const plan = (sql: string) =>
      db
        .prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
        .all()
        .map((r) => r.detail)
        .join('\n');
    const window = `o.status = 'paid' AND o.completed_at > '2026-11-23' AND o.completed_at <= '2026-11-24'`;
    expect(
      plan(
        `SELECT count(*), sum(subtotal_minor), sum(discount_minor), sum(total_minor) FROM orders o WHERE ${window}`,
      ),
    ).toMatch(/USING COVERING INDEX orders_completed/);
    const vat = plan(
      `SELECT l.vat_rate_bp, sum(l.line_total_minor), sum(l.vat_minor) FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE ${window} GROUP BY l.vat_rate_bp`,
    );
    expect(vat).toMatch(/o USING COVERING INDEX orders_completed/);
    expect(vat).toMatch(/l USING COVERING INDEX order_lines_vat/);
    const tenders = plan(
      `SELECT t.kind, count(*), sum(t.amount_minor) FROM tenders t JOIN orders o ON o.id = t.order_id WHERE ${window} GROUP BY t.kind`,
    );
    expect(tenders).toMatch(/t USING COVERING INDEX tenders_order_totals/);
    db.close();
  });
});
