import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../migrate';
import { migrations } from '.';
import { migration015 } from './015-day-report-indexes';
import { tipsSummary } from '../../tips/tips.repo';

const withIt = migrations.filter((m) => m.version <= migration015.version);

describe('migration 015 day-report-indexes', () => {
  it('is in the list under its version', () => {
    expect(migrations.find((m) => m.version === 15)).toBe(migration015);
  });

  it('finds the day’s tips by order instead of reading every tip for each order', () => {
    const db = new Database(':memory:');
    migrate(db, withIt);
    const names = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index'")
      .all()
      .map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(['tips_order', 'payment_attempts_tid']));
    const seen: string[] = [];
    const prepare = db.prepare.bind(db);
    db.prepare = (sql: string) => {
      seen.push(sql);
      return prepare(sql);
    };
    expect(tipsSummary(db, '', 'z').count).toBe(0);
    db.prepare = prepare;
    const plans = seen.flatMap((sql) =>
      db
        .prepare<{ start: string; end: string }, { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
        .all({ start: '', end: 'z' })
        .map((r) => r.detail),
    );
    expect(plans.filter((d) => /^SCAN tp\b/.test(d))).toEqual([]);
    expect(plans.filter((d) => /SEARCH tp USING COVERING INDEX tips_order/.test(d))).toHaveLength(
      2,
    );
  });
});
