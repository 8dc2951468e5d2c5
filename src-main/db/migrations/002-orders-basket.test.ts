import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../migrate';
import { migration001 } from './001-initial';
import { migration002 } from './002-orders-basket';

describe('migration 002 orders-basket', () => {
  it('applies on a fresh database and adds discount columns, the sequence table and indexes', () => {
    const db = new Database(':memory:');
    migrate(db, [migration001, migration002]);
    expect(schemaVersion(db)).toBe(2);
    const orderCols = db
      .prepare<[], { name: string }>("SELECT name FROM pragma_table_info('orders')")
      .all()
      .map((c) => c.name);
    expect(orderCols).toEqual(expect.arrayContaining(['basket_discount', 'basket_discount_minor']));
    const lineCols = db
      .prepare<[], { name: string }>("SELECT name FROM pragma_table_info('order_lines')")
      .all()
      .map((c) => c.name);
    expect(lineCols).toEqual(expect.arrayContaining(['line_discount', 'line_discount_minor']));
    db.prepare(
      "INSERT INTO order_sequences (till_id, day, last_seq) VALUES ('T1', '20261123', 1)",
    ).run();
    expect(() =>
      db
        .prepare(
          "INSERT INTO order_sequences (till_id, day, last_seq) VALUES ('T1', '20261123', 2)",
        )
        .run(),
    ).toThrow(/UNIQUE/);
    db.close();
  });

  it('keeps existing orders valid (defaults) and refuses a duplicate product name within a category', () => {
    const db = new Database(':memory:');
    migrate(db, [migration001]);
    const now = new Date().toISOString();
    db.prepare(
      `INSERT INTO orders (id, reference, status, currency, subtotal_minor, vat_minor, total_minor, till_id, created_at, updated_at)
       VALUES ('o1', 'R1', 'open', 'GBP', 100, 17, 100, 'T1', ?, ?)`,
    ).run(now, now);
    migrate(db, [migration001, migration002]);
    expect(
      db.prepare('SELECT basket_discount_minor AS d, basket_discount AS s FROM orders').get(),
    ).toEqual({ d: 0, s: null });
    const insert = db.prepare(
      `INSERT INTO products (id, name, category, price_minor, vat_rate_bp, created_at, updated_at) VALUES (?, ?, ?, 100, 2000, ?, ?)`,
    );
    insert.run('p1', 'Latte', 'Coffee', now, now);
    insert.run('p2', 'Latte', 'Retail', now, now);
    expect(() => insert.run('p3', 'LATTE', 'coffee', now, now)).toThrow(/UNIQUE/);
    db.close();
  });
});
