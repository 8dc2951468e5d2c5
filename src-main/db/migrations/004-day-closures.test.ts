import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../migrate';
import { migrations } from '.';
import { migration004 } from './004-day-closures';

describe('migration 004 day-closures', () => {
  it('applies on a fresh database: closures table, print_jobs.refund_id and indexes', () => {
    const db = new Database(':memory:');
    const upTo4 = migrations.filter((m) => m.version <= 4);
    expect(upTo4.at(-1)).toBe(migration004);
    migrate(db, upTo4);
    expect(schemaVersion(db)).toBe(4);
    const cols = db
      .prepare<[], { name: string }>("SELECT name FROM pragma_table_info('day_closures')")
      .all()
      .map((c) => c.name);
    expect(cols).toEqual(
      expect.arrayContaining([
        'period_start',
        'period_end',
        'orders_count',
        'summary',
        'closed_by',
      ]),
    );
    const jobCols = db
      .prepare<[], { name: string }>("SELECT name FROM pragma_table_info('print_jobs')")
      .all()
      .map((c) => c.name);
    expect(jobCols).toContain('refund_id');
    const insert = db.prepare(
      `INSERT INTO day_closures (id, period_start, period_end, orders_count, sales_minor, refunds_minor, currency, summary, closed_by, closed_at)
       VALUES (?, NULL, ?, 1, 100, 0, 'GBP', '{}', 'operator', ?)`,
    );
    insert.run('c1', '2025-11-23T22:00:00.000Z', '2025-11-23T22:00:00.000Z');
    expect(() => insert.run('c2', '2025-11-23T22:00:00.000Z', '2025-11-23T22:00:00.000Z')).toThrow(
      /UNIQUE/,
    );
    expect(() =>
      db
        .prepare(
          `INSERT INTO day_closures (id, period_end, orders_count, sales_minor, refunds_minor, currency, summary, closed_by, closed_at)
                  VALUES ('c3', 'x', -1, 0, 0, 'GBP', '{}', 'op', 'x')`,
        )
        .run(),
    ).toThrow(/CHECK/);
    db.close();
  });
});
