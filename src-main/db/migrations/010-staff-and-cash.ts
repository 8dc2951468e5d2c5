import type { Migration } from '../migrate';

/**
 * Staff accounts, the cash drawer and the three-way close (docs/staff-and-cash.md).
 *
 * - `staff`: a PIN is stored as the same salted scrypt JSON the single manager PIN used, so the
 *   old manager PIN is carried over verbatim as the first manager account ("Manager") and keeps
 *   working; the setting is then removed.
 * - `staff_id` on orders, tenders, refunds, payment attempts and audit rows (filled by the
 *   connection from the person signed in, see src-main/staff/actor.ts); `approved_by` where an
 *   override can approve.
 * - `till_days` (float), `cash_movements` (pay-in/out, no-sale, cash refund) and the close's
 *   count on `day_closures`; `dojo_checks`: the close's comparison with Dojo's own record.
 */
export const migration010: Migration = {
  version: 10,
  name: 'staff-and-cash',
  sql: `
CREATE TABLE staff (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 40),
  role        TEXT NOT NULL CHECK (role IN ('cashier', 'supervisor', 'manager')),
  pin_hash    TEXT NOT NULL,
  active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  demo        INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
) STRICT;

INSERT INTO staff (id, name, role, pin_hash, active, demo, created_at, updated_at)
SELECT lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' ||
       substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) ||
       substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))),
       'Manager', 'manager', value, 1, 0, updated_at, updated_at
FROM settings WHERE key = 'manager.pin';
DELETE FROM settings WHERE key IN ('manager.pin', 'manager.pin.lockout');

ALTER TABLE orders ADD COLUMN staff_id TEXT REFERENCES staff(id);
ALTER TABLE tenders ADD COLUMN staff_id TEXT REFERENCES staff(id);
ALTER TABLE refunds ADD COLUMN staff_id TEXT REFERENCES staff(id);
ALTER TABLE payment_attempts ADD COLUMN staff_id TEXT REFERENCES staff(id);
ALTER TABLE payment_attempts ADD COLUMN approved_by TEXT REFERENCES staff(id);
ALTER TABLE audit_log ADD COLUMN staff_id TEXT REFERENCES staff(id);
ALTER TABLE audit_log ADD COLUMN approved_by TEXT REFERENCES staff(id);
CREATE INDEX orders_staff ON orders(staff_id);

CREATE TABLE till_days (
  id           TEXT PRIMARY KEY,
  opened_at    TEXT NOT NULL,
  opened_by    TEXT REFERENCES staff(id),
  float_minor  INTEGER NOT NULL CHECK (float_minor >= 0),
  float_count  TEXT NOT NULL,
  currency     TEXT NOT NULL CHECK (currency IN ('GBP', 'EUR')),
  closure_id   TEXT REFERENCES day_closures(id)
) STRICT;
CREATE UNIQUE INDEX till_days_one_open ON till_days(closure_id IS NULL) WHERE closure_id IS NULL;

CREATE TABLE cash_movements (
  id            TEXT PRIMARY KEY,
  day_id        TEXT REFERENCES till_days(id),
  kind          TEXT NOT NULL CHECK (kind IN ('pay-in', 'pay-out', 'no-sale', 'cash-refund')),
  amount_minor  INTEGER NOT NULL CHECK (amount_minor >= 0),
  currency      TEXT NOT NULL CHECK (currency IN ('GBP', 'EUR')),
  reason        TEXT,
  note          TEXT,
  order_id      TEXT REFERENCES orders(id),
  staff_id      TEXT REFERENCES staff(id),
  approved_by   TEXT REFERENCES staff(id),
  created_at    TEXT NOT NULL,
  CHECK ((kind = 'no-sale') = (amount_minor = 0))
) STRICT;
CREATE INDEX cash_movements_created ON cash_movements(created_at);

ALTER TABLE day_closures ADD COLUMN day_id TEXT REFERENCES till_days(id);
ALTER TABLE day_closures ADD COLUMN closed_by_staff TEXT REFERENCES staff(id);
ALTER TABLE day_closures ADD COLUMN counted_minor INTEGER;
ALTER TABLE day_closures ADD COLUMN expected_minor INTEGER;
ALTER TABLE day_closures ADD COLUMN cash_count TEXT;

CREATE TABLE dojo_checks (
  closure_id    TEXT PRIMARY KEY REFERENCES day_closures(id),
  window_start  TEXT NOT NULL,
  window_end    TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('pending', 'completed')),
  result        TEXT,
  tries         INTEGER NOT NULL DEFAULT 0,
  last_error    TEXT,
  updated_at    TEXT NOT NULL
) STRICT;
`,
};
