import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db/connection';
import { JOB_COUNTS_SQL, jobCounts } from './print-jobs.repo';

describe('print journal counts', () => {
  it('counts waiting and failed jobs from the status index, not by reading every job', () => {
    const db = openDatabase(':memory:');
    const insert = db.prepare(
      `INSERT INTO print_jobs (id, kind, printer, document, status, created_at) VALUES (?, 'customer', 'none', '{}', ?, '2026-12-01T10:00:00.000Z')`,
    );
    const statuses = ['printed', 'pending', 'printing', 'failed', 'printed', 'failed', 'pending'];
    statuses.forEach((s, i) => insert.run(`j${i}`, s));
    expect(jobCounts(db)).toEqual({ pending: 3, failed: 2 });
    const plan = db
      .prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN ${JOB_COUNTS_SQL}`)
      .all()
      .map((r) => r.detail);
    // A journal of a million receipts is read at every start and status change: index only.
    expect(plan.some((d) => /SCAN print_jobs\b(?! USING)/.test(d))).toBe(false);
    expect(plan.filter((d) => /USING COVERING INDEX print_jobs_pending/.test(d))).toHaveLength(2);
    db.prepare('DELETE FROM print_jobs').run();
    expect(jobCounts(db)).toEqual({ pending: 0, failed: 0 });
    db.close();
  });
});
