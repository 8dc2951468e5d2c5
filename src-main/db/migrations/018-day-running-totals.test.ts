import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../migrate';
import { migrations } from '.';
import { migration018 } from './018-day-running-totals';

const before = migrations.filter((m) => m.version < migration018.version);

/** A paid order straight in SQL: its lines (rate, total, VAT) and tenders (kind, amount). */
function paidOrder(
  db: Database.Database,
  id: string,
  completedAt: string,
  lines: [number, number, number][],
  tenders: [string, number][],
  status = 'paid',
) {
  const total = lines.reduce((a, l) => a + l[1], 0);
  db.prepare(
    `INSERT INTO orders (id, reference, status, currency, subtotal_minor, vat_minor, total_minor, till_id, created_at, updated_at, completed_at)
     VALUES (?, ?, ?, 'GBP', ?, 0, ?, 'T1', ?, ?, ?)`,
  ).run(id, `T1-${id}`, status, total, total, completedAt, completedAt, completedAt);
  lines.forEach(([rate, gross, vat], i) =>
    db
      .prepare(
        `INSERT INTO order_lines (order_id, position, name, quantity, unit_price_minor, vat_rate_bp, line_total_minor, vat_minor)
         VALUES (?, ?, 'Item', 1, ?, ?, ?, ?)`,
      )
      .run(id, i + 1, gross, rate, gross, vat),
  );
  tenders.forEach(([kind, amount], i) =>
    db
      .prepare(
        `INSERT INTO tenders (id, order_id, kind, amount_minor, terminal_id, card_last4, reference, created_at)
         VALUES (?, ?, ?, ?, ?, '4242', ?, ?)`,
      )
      .run(
        `${id}-t${i}`,
        id,
        kind,
        amount,
        kind === 'card' ? 'tm-a' : null,
        kind === 'voucher' ? 'V1' : null,
        completedAt,
      ),
  );
}

const totals = (db: Database.Database) =>
  db
    .prepare(
      'SELECT period_start, figure, kind, terminal_id, rate_bp, count, amount_minor, vat_minor FROM day_running_totals ORDER BY 1, 2, 3, 4, 5',
    )
    .all();

const closeDay = (db: Database.Database, end: string) =>
  db
    .prepare(
      `INSERT INTO day_closures (id, period_start, period_end, orders_count, sales_minor, refunds_minor, currency, summary, closed_by, closed_at)
       VALUES (?, NULL, ?, 0, 0, 0, 'GBP', '{}', 'operator', ?)`,
    )
    .run(`c-${end}`, end, end);

describe('migration 018 day-running-totals', () => {
  it('backfills the open day only, from the orders already paid', () => {
    const db = new Database(':memory:');
    migrate(db, before);
    paidOrder(db, 'old', '2026-11-30T10:00:00.000Z', [[2000, 600, 100]], [['cash', 600]]);
    closeDay(db, '2026-11-30T20:00:00.000Z');
    paidOrder(
      db,
      'a',
      '2026-12-01T10:00:00.000Z',
      [
        [2000, 600, 100],
        [0, 150, 0],
      ],
      [['cash', 750]],
    );
    paidOrder(db, 'b', '2026-12-01T11:00:00.000Z', [[2000, 1200, 200]], [['card', 1200]]);
    paidOrder(db, 'open', '2026-12-01T11:30:00.000Z', [[2000, 900, 150]], [], 'open');
    migrate(db);
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(migration018.version);
    const day = '2026-11-30T20:00:00.000Z';
    expect(totals(db)).toEqual([
      row(day, 'orders', '', '', 0, 2, 1950, 0),
      row(day, 'tender', 'card', 'tm-a', 0, 1, 1200, 0),
      row(day, 'tender', 'cash', '', 0, 1, 750, 0),
      row(day, 'vat', '', '', 0, 1, 150, 0),
      row(day, 'vat', '', '', 2000, 2, 1800, 300),
    ]);
    db.close();
  });

  it('adds a sale in its own transaction, takes off what is removed, and starts again at a close', () => {
    const db = new Database(':memory:');
    migrate(db);
    const day = '';
    // Paid in one statement after its lines and tenders (as the till does), and a rollback.
    paidOrder(db, 'a', '2026-12-01T10:00:00.000Z', [[2000, 600, 100]], [['cash', 600]], 'open');
    expect(totals(db)).toEqual([]);
    db.prepare("UPDATE orders SET status = 'paid' WHERE id = 'a'").run();
    expect(() =>
      db.transaction(() => {
        paidOrder(db, 'x', '2026-12-01T10:05:00.000Z', [[500, 105, 5]], [['cash', 105]]);
        throw new Error('rolled back');
      })(),
    ).toThrow('rolled back');
    // Inserted paid, its lines and tenders after it (split: card and voucher).
    paidOrder(
      db,
      'b',
      '2026-12-01T11:00:00.000Z',
      [[500, 210, 10]],
      [
        ['card', 200],
        ['voucher', 10],
      ],
    );
    expect(totals(db)).toEqual([
      row(day, 'orders', '', '', 0, 2, 810, 0),
      row(day, 'tender', 'card', 'tm-a', 0, 1, 200, 0),
      row(day, 'tender', 'cash', '', 0, 1, 600, 0),
      row(day, 'tender', 'voucher', '', 0, 1, 10, 0),
      row(day, 'vat', '', '', 500, 1, 210, 10),
      row(day, 'vat', '', '', 2000, 1, 600, 100),
    ]);
    // Removing a paid order (lines and tenders first) takes its figures off again.
    db.exec(`DELETE FROM tenders WHERE order_id = 'b'; DELETE FROM order_lines WHERE order_id = 'b';
             DELETE FROM orders WHERE id = 'b'`);
    expect(totals(db)).toEqual([
      row(day, 'orders', '', '', 0, 1, 600, 0),
      row(day, 'tender', 'card', 'tm-a', 0, 0, 0, 0),
      row(day, 'tender', 'cash', '', 0, 1, 600, 0),
      row(day, 'tender', 'voucher', '', 0, 0, 0, 0),
      row(day, 'vat', '', '', 500, 0, 0, 0),
      row(day, 'vat', '', '', 2000, 1, 600, 100),
    ]);
    // A closure drops the closed day; the next sale opens the new one.
    closeDay(db, '2026-12-01T20:00:00.000Z');
    expect(totals(db)).toEqual([]);
    paidOrder(db, 'c', '2026-12-02T09:00:00.000Z', [[0, 275, 0]], [['cash', 275]]);
    const next = '2026-12-01T20:00:00.000Z';
    expect(totals(db)).toEqual([
      row(next, 'orders', '', '', 0, 1, 275, 0),
      row(next, 'tender', 'cash', '', 0, 1, 275, 0),
      row(next, 'vat', '', '', 0, 1, 275, 0),
    ]);
    db.close();
  });
});

function row(
  period_start: string,
  figure: string,
  kind: string,
  terminal_id: string,
  rate_bp: number,
  count: number,
  amount_minor: number,
  vat_minor: number,
) {
  return { period_start, figure, kind, terminal_id, rate_bp, count, amount_minor, vat_minor };
}
