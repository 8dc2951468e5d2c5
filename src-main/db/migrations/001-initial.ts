import type { Migration } from '../migrate';

/** Baseline schema. Shipped migrations are never edited: add a new numbered file instead. */
export const migration001: Migration = {
  version: 1,
  name: 'initial',
  sql: `
CREATE TABLE settings (
  key         TEXT PRIMARY KEY,
  value       TEXT NOT NULL,
  updated_at  TEXT NOT NULL
) STRICT;

CREATE TABLE audit_log (
  id       INTEGER PRIMARY KEY,
  at       TEXT NOT NULL,
  actor    TEXT NOT NULL,
  action   TEXT NOT NULL,
  subject  TEXT,
  details  TEXT
) STRICT;
CREATE INDEX audit_log_action ON audit_log(action, at);

CREATE TABLE products (
  id             TEXT PRIMARY KEY,
  name           TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  category       TEXT NOT NULL,
  price_minor    INTEGER NOT NULL CHECK (price_minor >= 0),
  vat_rate_bp    INTEGER NOT NULL CHECK (vat_rate_bp BETWEEN 0 AND 10000),
  barcode        TEXT UNIQUE,
  shortcut       TEXT,
  sort_order     INTEGER NOT NULL DEFAULT 0,
  active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL
) STRICT;

CREATE TABLE orders (
  id              TEXT PRIMARY KEY,
  reference       TEXT NOT NULL UNIQUE,
  status          TEXT NOT NULL,
  currency        TEXT NOT NULL CHECK (currency IN ('GBP', 'EUR')),
  subtotal_minor  INTEGER NOT NULL CHECK (subtotal_minor >= 0),
  discount_minor  INTEGER NOT NULL DEFAULT 0 CHECK (discount_minor >= 0),
  vat_minor       INTEGER NOT NULL CHECK (vat_minor >= 0),
  total_minor     INTEGER NOT NULL CHECK (total_minor >= 0),
  paid_minor      INTEGER NOT NULL DEFAULT 0,
  change_minor    INTEGER NOT NULL DEFAULT 0,
  refunded_minor  INTEGER NOT NULL DEFAULT 0,
  till_id         TEXT NOT NULL,
  note            TEXT,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  completed_at    TEXT
) STRICT;
CREATE INDEX orders_created ON orders(created_at);
CREATE INDEX orders_status ON orders(status);

CREATE TABLE order_lines (
  id                INTEGER PRIMARY KEY,
  order_id          TEXT NOT NULL REFERENCES orders(id),
  position          INTEGER NOT NULL,
  product_id        TEXT REFERENCES products(id),
  name              TEXT NOT NULL,
  quantity          INTEGER NOT NULL CHECK (quantity > 0),
  unit_price_minor  INTEGER NOT NULL CHECK (unit_price_minor >= 0),
  discount_minor    INTEGER NOT NULL DEFAULT 0 CHECK (discount_minor >= 0),
  vat_rate_bp       INTEGER NOT NULL,
  line_total_minor  INTEGER NOT NULL CHECK (line_total_minor >= 0),
  vat_minor         INTEGER NOT NULL CHECK (vat_minor >= 0),
  UNIQUE (order_id, position)
) STRICT;

CREATE TABLE payment_attempts (
  id                 TEXT PRIMARY KEY,
  order_id           TEXT REFERENCES orders(id),
  kind               TEXT NOT NULL CHECK (kind IN ('sale', 'matched_refund', 'unlinked_refund')),
  amount_minor       INTEGER NOT NULL CHECK (amount_minor > 0),
  currency           TEXT NOT NULL,
  terminal_id        TEXT NOT NULL,
  payment_intent_id  TEXT,
  session_id         TEXT,
  state              TEXT NOT NULL,
  state_data         TEXT NOT NULL DEFAULT '{}',
  is_final           INTEGER NOT NULL DEFAULT 0 CHECK (is_final IN (0, 1)),
  card               TEXT,
  customer_receipt   TEXT,
  merchant_receipt   TEXT,
  signature_taken    INTEGER NOT NULL DEFAULT 0 CHECK (signature_taken IN (0, 1)),
  created_at         TEXT NOT NULL,
  updated_at         TEXT NOT NULL
) STRICT;
CREATE INDEX payment_attempts_order ON payment_attempts(order_id);
CREATE INDEX payment_attempts_live ON payment_attempts(is_final) WHERE is_final = 0;

CREATE TABLE payment_attempt_events (
  id          INTEGER PRIMARY KEY,
  attempt_id  TEXT NOT NULL REFERENCES payment_attempts(id),
  at          TEXT NOT NULL,
  source      TEXT NOT NULL,
  type        TEXT NOT NULL,
  detail      TEXT
) STRICT;
CREATE INDEX payment_attempt_events_attempt ON payment_attempt_events(attempt_id, id);

CREATE TABLE tenders (
  id              TEXT PRIMARY KEY,
  order_id        TEXT NOT NULL REFERENCES orders(id),
  kind            TEXT NOT NULL CHECK (kind IN ('cash', 'card')),
  amount_minor    INTEGER NOT NULL CHECK (amount_minor > 0),
  tendered_minor  INTEGER,
  change_minor    INTEGER NOT NULL DEFAULT 0 CHECK (change_minor >= 0),
  attempt_id      TEXT REFERENCES payment_attempts(id),
  terminal_id     TEXT,
  card_type       TEXT,
  card_last4      TEXT,
  auth_code       TEXT,
  created_at      TEXT NOT NULL
) STRICT;
CREATE INDEX tenders_order ON tenders(order_id);

CREATE TABLE refunds (
  id                   TEXT PRIMARY KEY,
  order_id             TEXT REFERENCES orders(id),
  original_attempt_id  TEXT REFERENCES payment_attempts(id),
  kind                 TEXT NOT NULL CHECK (kind IN ('matched', 'unlinked', 'server')),
  amount_minor         INTEGER NOT NULL CHECK (amount_minor > 0),
  currency             TEXT NOT NULL,
  status               TEXT NOT NULL,
  payment_intent_id    TEXT,
  dojo_refund_id       TEXT,
  attempt_id           TEXT REFERENCES payment_attempts(id),
  reason               TEXT,
  approved_by          TEXT,
  last_error           TEXT,
  created_at           TEXT NOT NULL,
  updated_at           TEXT NOT NULL
) STRICT;
CREATE INDEX refunds_order ON refunds(order_id);

CREATE TABLE print_jobs (
  id               TEXT PRIMARY KEY,
  order_id         TEXT REFERENCES orders(id),
  kind             TEXT NOT NULL,
  printer          TEXT NOT NULL,
  copies           INTEGER NOT NULL DEFAULT 1 CHECK (copies BETWEEN 1 AND 5),
  document         TEXT NOT NULL,
  status           TEXT NOT NULL CHECK (status IN ('pending', 'printing', 'printed', 'failed')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  last_error       TEXT,
  next_attempt_at  TEXT,
  reprint_of       TEXT REFERENCES print_jobs(id),
  created_at       TEXT NOT NULL,
  printed_at       TEXT
) STRICT;
CREATE INDEX print_jobs_pending ON print_jobs(status, next_attempt_at);

CREATE TABLE outbox (
  id               INTEGER PRIMARY KEY,
  kind             TEXT NOT NULL,
  idempotency_key  TEXT NOT NULL UNIQUE,
  payload          TEXT NOT NULL,
  status           TEXT NOT NULL CHECK (status IN ('pending', 'done', 'dead')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  TEXT NOT NULL,
  last_error       TEXT,
  created_at       TEXT NOT NULL,
  done_at          TEXT
) STRICT;
CREATE INDEX outbox_due ON outbox(status, next_attempt_at, id);
`,
};
