import type { Migration } from '../migrate';

/**
 * Returns by item, exchanges and same-day reversals (docs/RETURNS.md).
 *
 * - `returns`: one row per return or exchange of a paid order, with who did it; its lines in
 *   `return_lines` (position on the original order, quantity, the money and VAT they carry back)
 *   and how the money went back in `return_payouts` (cash from the drawer, a card refund, or the
 *   credit an exchange's new order was paid with).
 * - `reversals`: a card sale reversed at Dojo the same day, kept apart from refunds. At most one
 *   reversal that has not failed per sale (a unique partial index).
 */
export const migration011: Migration = {
  version: 11,
  name: 'returns',
  sql: `
CREATE TABLE returns (
  id                 TEXT PRIMARY KEY,
  order_id           TEXT NOT NULL REFERENCES orders(id),
  kind               TEXT NOT NULL CHECK (kind IN ('return', 'exchange')),
  status             TEXT NOT NULL CHECK (status IN ('pending', 'completed', 'failed')),
  reason             TEXT NOT NULL,
  currency           TEXT NOT NULL CHECK (currency IN ('GBP', 'EUR')),
  total_minor        INTEGER NOT NULL CHECK (total_minor >= 0),
  vat_minor          INTEGER NOT NULL CHECK (vat_minor >= 0),
  exchange_order_id  TEXT REFERENCES orders(id),
  staff_id           TEXT REFERENCES staff(id),
  approved_by        TEXT REFERENCES staff(id),
  receipt_job_id     TEXT REFERENCES print_jobs(id),
  last_error         TEXT,
  created_at         TEXT NOT NULL,
  completed_at       TEXT
) STRICT;
CREATE INDEX returns_order ON returns(order_id);
CREATE INDEX returns_exchange_order ON returns(exchange_order_id) WHERE exchange_order_id IS NOT NULL;
CREATE INDEX returns_completed ON returns(status, completed_at);

CREATE TABLE return_lines (
  return_id     TEXT NOT NULL REFERENCES returns(id),
  order_id      TEXT NOT NULL REFERENCES orders(id),
  position      INTEGER NOT NULL,
  name          TEXT NOT NULL,
  quantity      INTEGER NOT NULL CHECK (quantity > 0),
  amount_minor  INTEGER NOT NULL CHECK (amount_minor >= 0),
  vat_rate_bp   INTEGER NOT NULL,
  vat_minor     INTEGER NOT NULL CHECK (vat_minor >= 0),
  PRIMARY KEY (return_id, position)
) STRICT;
CREATE INDEX return_lines_order ON return_lines(order_id, position);

CREATE TABLE return_payouts (
  id                TEXT PRIMARY KEY,
  return_id         TEXT NOT NULL REFERENCES returns(id),
  method            TEXT NOT NULL CHECK (method IN ('cash', 'card-terminal', 'card-server', 'exchange')),
  amount_minor      INTEGER NOT NULL CHECK (amount_minor > 0),
  refund_id         TEXT REFERENCES refunds(id),
  sale_attempt_id   TEXT REFERENCES payment_attempts(id),
  cash_movement_id  TEXT REFERENCES cash_movements(id),
  created_at        TEXT NOT NULL,
  CHECK ((method IN ('card-terminal', 'card-server')) = (sale_attempt_id IS NOT NULL))
) STRICT;
CREATE INDEX return_payouts_return ON return_payouts(return_id);
CREATE INDEX return_payouts_refund ON return_payouts(refund_id) WHERE refund_id IS NOT NULL;

CREATE TABLE reversals (
  id                 TEXT PRIMARY KEY,
  order_id           TEXT NOT NULL REFERENCES orders(id),
  attempt_id         TEXT NOT NULL REFERENCES payment_attempts(id),
  payment_intent_id  TEXT NOT NULL,
  amount_minor       INTEGER NOT NULL CHECK (amount_minor > 0),
  currency           TEXT NOT NULL CHECK (currency IN ('GBP', 'EUR')),
  status             TEXT NOT NULL CHECK (status IN ('pending', 'completed', 'failed')),
  reason             TEXT,
  dojo_reversal_id   TEXT,
  last_error         TEXT,
  staff_id           TEXT REFERENCES staff(id),
  approved_by        TEXT REFERENCES staff(id),
  created_at         TEXT NOT NULL,
  updated_at         TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX reversals_one_per_sale ON reversals(attempt_id) WHERE status <> 'failed';
CREATE INDEX reversals_order ON reversals(order_id);
CREATE INDEX reversals_updated ON reversals(status, updated_at);
`,
};
