// The end-of-day figures read one day's orders and then their lines, modifiers and tenders. They
// must come out the same whatever the query shape, and read only the day (a café selling a
// modifier with every coffee must not have every modifier ever sold read at each X report).
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../../src-main/db/connection';
import { daySummary } from '../../../src-main/reports/reports.queries';
import { tempDir } from '../../support/temp-dir';
import { seedPaidOrder } from '../printing/seed';

describe('end-of-day figures', () => {
  const cleanup: (() => void)[] = [];
  afterEach(() => {
    for (const c of cleanup.splice(0).reverse()) c();
  });
  const open = (): Db => {
    const dir = tempDir('opentill-day-');
    cleanup.push(() => dir.remove());
    const db = openDatabase(join(dir.path, 'till.db'));
    cleanup.push(() => void db.close());
    return db;
  };
  const modifier = (
    db: Db,
    orderId: string,
    position: number,
    seq: number,
    m: [number, number, number],
  ) =>
    db
      .prepare(
        `INSERT INTO order_line_modifiers (order_id, position, seq, group_name, name, price_minor, vat_rate_bp, total_minor, vat_minor)
         VALUES (?, ?, ?, 'Milk', 'Oat', ?, ?, ?, ?)`,
      )
      .run(orderId, position, seq, m[1], m[0], m[1], m[2]);

  it('counts modifiers under their own rate and off their line, tenders by kind and card by terminal', () => {
    const db = open();
    const at = '2026-12-01T10:00:00.000Z';
    const yesterday = '2026-11-30T10:00:00.000Z';
    // Cash: a 20 % latte (300, VAT 50) whose 5 % oat milk (60, VAT 3) is part of its line total.
    const latte = seedPaidOrder(db, {
      reference: 'T1-1',
      pay: 'cash',
      completedAt: at,
      lines: [{ name: 'Latte', qty: 1, unit: 300, vatBp: 2000 }],
    });
    modifier(db, latte, 1, 1, [500, 60, 3]);
    // Card on two terminals, one of them from before the till recorded TIDs.
    seedPaidOrder(db, {
      reference: 'T1-2',
      pay: 'card',
      completedAt: at,
      terminalId: 'tm-a',
      terminalTid: '111',
      lines: [{ name: 'Cake', qty: 2, unit: 250, vatBp: 2000 }],
    });
    seedPaidOrder(db, {
      reference: 'T1-3',
      pay: 'card',
      completedAt: at,
      terminalId: 'tm-b',
      terminalTid: null,
      lines: [{ name: 'Bread', qty: 1, unit: 120, vatBp: 0 }],
    });
    seedPaidOrder(db, {
      reference: 'T1-4',
      pay: 'card',
      completedAt: at,
      terminalId: 'tm-a',
      terminalTid: '111',
      lines: [{ name: 'Gum', qty: 1, unit: 105, vatBp: 500 }],
    });
    // Yesterday's order, and its modifier, belong to a closed day: not counted.
    const old = seedPaidOrder(db, {
      reference: 'T1-0',
      pay: 'cash',
      completedAt: yesterday,
      lines: [{ name: 'Latte', qty: 1, unit: 300, vatBp: 2000 }],
    });
    modifier(db, old, 1, 1, [500, 60, 3]);
    db.prepare(
      `INSERT INTO day_closures (id, period_start, period_end, orders_count, sales_minor, refunds_minor, currency, summary, closed_by, closed_at)
       VALUES ('c1', NULL, '2026-11-30T20:00:00.000Z', 1, 300, 0, 'GBP', '{}', 'operator', '2026-11-30T20:00:00.000Z')`,
    ).run();

    const s = daySummary(db, '2026-12-01T20:00:00.000Z', 'GBP');
    expect(s.ordersCount).toBe(4);
    expect(s.vatByRate).toEqual([
      { rateBp: 2000, grossMinor: 300 - 60 + 500, vatMinor: 50 - 3 + 83 },
      { rateBp: 500, grossMinor: 60 + 105, vatMinor: 3 + 5 },
      { rateBp: 0, grossMinor: 120, vatMinor: 0 },
    ]);
    expect(s.tenders).toEqual([
      { kind: 'cash', count: 1, amountMinor: 300 },
      { kind: 'card', count: 3, amountMinor: 500 + 120 + 105 },
    ]);
    expect(s.cardByTerminal).toEqual([
      { terminalId: 'tm-a', terminalTid: '111', count: 2, amountMinor: 605 },
      { terminalId: 'tm-b', terminalTid: null, count: 1, amountMinor: 120 },
    ]);
  });

  it('reads lines from their covering index and only the day’s modifiers', () => {
    const db = open();
    const seen: string[] = [];
    const prepare = db.prepare.bind(db);
    db.prepare = (sql: string) => {
      seen.push(sql);
      return prepare(sql);
    };
    // The reads themselves (the running totals of migration 018 would answer an empty day).
    daySummary(db, new Date().toISOString(), 'GBP', 'recompute');
    db.prepare = prepare;
    const plans = seen
      .filter((sql) => /order_lines|order_line_modifiers|FROM tenders t/.test(sql))
      .flatMap((sql) =>
        db
          .prepare<{ start: string; end: string }, { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
          .all({ start: '', end: 'z' })
          .map((r) => r.detail),
      );
    expect(plans.length).toBeGreaterThan(0);
    // Nothing reads a whole table of lines, modifiers or tenders.
    expect(
      plans.filter((d) => /^SCAN (l|lm|t|order_line_modifiers|order_lines|tenders)\b/.test(d)),
    ).toEqual([]);
    expect(plans.some((d) => /SEARCH l USING COVERING INDEX order_lines_vat/.test(d))).toBe(true);
  });
});
