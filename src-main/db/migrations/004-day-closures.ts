import type { Migration } from '../migrate';

/**
 * End of day: a closure row per Z report. The open "day" is everything after the latest closure's
 * `period_end`, so counters reset only when the operator confirms a close. Print jobs also learn
 * which refund they belong to, and are indexed by order for "Reprint".
 */
export const migration004: Migration = {
  version: 4,
  name: 'day-closures',
  sql: `
CREATE TABLE day_closures (
  id             TEXT PRIMARY KEY,
  period_start   TEXT,
  period_end     TEXT NOT NULL,
  orders_count   INTEGER NOT NULL CHECK (orders_count >= 0),
  sales_minor    INTEGER NOT NULL,
  refunds_minor  INTEGER NOT NULL CHECK (refunds_minor >= 0),
  currency       TEXT NOT NULL CHECK (currency IN ('GBP', 'EUR')),
  summary        TEXT NOT NULL,
  closed_by      TEXT NOT NULL,
  closed_at      TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX day_closures_period_end ON day_closures(period_end);

ALTER TABLE print_jobs ADD COLUMN refund_id TEXT REFERENCES refunds(id);
CREATE INDEX print_jobs_order ON print_jobs(order_id, created_at);
CREATE INDEX print_jobs_refund ON print_jobs(refund_id) WHERE refund_id IS NOT NULL;
CREATE INDEX tenders_created ON tenders(created_at);
CREATE INDEX refunds_updated ON refunds(status, updated_at);
`,
};
