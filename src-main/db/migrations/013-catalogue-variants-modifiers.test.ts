import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../migrate';
import { migrations } from '.';
import { migration013 } from './013-catalogue-variants-modifiers';

const before = migrations.filter((m) => m.version < migration013.version);
const upTo = migrations.filter((m) => m.version <= migration013.version);

describe('migration 013 catalogue-variants-modifiers', () => {
  it('is in the list under its version', () => {
    expect(upTo.at(-1)).toBe(migration013);
  });

  it('keeps every existing product at its VAT rate, naming rates the UK set does not have', () => {
    const db = new Database(':memory:');
    migrate(db, before);
    const now = '2026-11-23T10:00:00.000Z';
    const add = db.prepare(
      `INSERT INTO products (id, name, category, price_minor, vat_rate_bp, created_at, updated_at)
       VALUES (?, ?, 'Food', 100, ?, ?, ?)`,
    );
    add.run('p1', 'Latte', 2000, now, now);
    add.run('p2', 'Gum', 500, now, now);
    add.run('p3', 'Bread', 0, now, now);
    add.run('p4', 'Old rate pie', 1750, now, now);
    add.run('p5', 'Odd rate', 1325, now, now);
    db.prepare(
      `INSERT INTO orders (id, reference, status, currency, subtotal_minor, vat_minor, total_minor, till_id, created_at, updated_at)
       VALUES ('o1', 'T1-1', 'paid', 'GBP', 100, 17, 100, 'T1', ?, ?)`,
    ).run(now, now);
    db.prepare(
      `INSERT INTO order_lines (order_id, position, product_id, name, quantity, unit_price_minor, vat_rate_bp, line_total_minor, vat_minor)
       VALUES ('o1', 1, 'p1', 'Latte', 1, 100, 2000, 100, 17)`,
    ).run();
    migrate(db, upTo);
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(13);
    expect(db.prepare('SELECT rate_bp, name FROM vat_rates ORDER BY position').all()).toEqual([
      { rate_bp: 2000, name: 'Standard' },
      { rate_bp: 500, name: 'Reduced' },
      { rate_bp: 0, name: 'Zero' },
      { rate_bp: 1325, name: 'VAT 13.25 %' },
      { rate_bp: 1750, name: 'VAT 17.50 %' },
    ]);
    expect(
      db
        .prepare('SELECT id, vat_rate_bp, sold_by, eat_in_vat_rate_bp FROM products ORDER BY id')
        .all(),
    ).toEqual([
      { id: 'p1', vat_rate_bp: 2000, sold_by: 'unit', eat_in_vat_rate_bp: null },
      { id: 'p2', vat_rate_bp: 500, sold_by: 'unit', eat_in_vat_rate_bp: null },
      { id: 'p3', vat_rate_bp: 0, sold_by: 'unit', eat_in_vat_rate_bp: null },
      { id: 'p4', vat_rate_bp: 1750, sold_by: 'unit', eat_in_vat_rate_bp: null },
      { id: 'p5', vat_rate_bp: 1325, sold_by: 'unit', eat_in_vat_rate_bp: null },
    ]);
    // Old order lines read as before: no variant, no weight, no modifiers; orders are take-away.
    expect(
      db
        .prepare(
          'SELECT l.variant_id, l.weight_grams, o.eat_in FROM order_lines l JOIN orders o ON o.id = l.order_id',
        )
        .get(),
    ).toEqual({ variant_id: null, weight_grams: null, eat_in: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM order_line_modifiers').get()).toEqual({ n: 0 });
    db.close();
  });

  it('refuses a modifier group whose minimum is above its maximum, and a weight of zero', () => {
    const db = new Database(':memory:');
    migrate(db, upTo);
    const now = '2026-11-23T10:00:00.000Z';
    expect(() =>
      db
        .prepare(
          `INSERT INTO modifier_groups (id, name, min_choices, max_choices, created_at, updated_at) VALUES ('g', 'Milk', 2, 1, ?, ?)`,
        )
        .run(now, now),
    ).toThrow(/CHECK/);
    db.prepare(
      `INSERT INTO orders (id, reference, status, currency, subtotal_minor, vat_minor, total_minor, till_id, created_at, updated_at)
       VALUES ('o1', 'T1-1', 'open', 'GBP', 100, 0, 100, 'T1', ?, ?)`,
    ).run(now, now);
    expect(() =>
      db
        .prepare(
          `INSERT INTO order_lines (order_id, position, name, quantity, unit_price_minor, vat_rate_bp, line_total_minor, vat_minor, weight_grams)
           VALUES ('o1', 1, 'Cheese', 1, 100, 0, 100, 0, 0)`,
        )
        .run(),
    ).toThrow(/CHECK/);
    db.close();
  });
});
