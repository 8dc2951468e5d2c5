import type { Migration } from '../migrate';

const TENDER_COLUMNS = `id, order_id, kind, amount_minor, tendered_minor, change_minor, attempt_id, terminal_id,
  card_type, card_last4, auth_code, created_at, staff_id`;

/**
 * Tips, receipt choice and the tenders for when Dojo is down (docs/PAYMENTS.md "Tips", "Receipt
 * choice", "Card on another terminal").
 *
 * - `tenders.kind` gains `card_other` (a card taken on a terminal the till does not drive, while
 *   Dojo was unreachable) and `voucher` (a gift voucher or other tender, with its `reference`).
 *   SQLite cannot widen a CHECK in place, so the table is rebuilt with the same columns, its
 *   indexes and its change-log trigger.
 * - `tips`: a tip Dojo reports on a captured intent, apart from the card tender (the sale).
 * - `tender_matches`: a `card_other` tender waiting to be linked to Dojo's record of the capture.
 * - `receipt_choices`: what the customer chose after payment (print, e-mail, none).
 */
export const migration012: Migration = {
  version: 12,
  name: 'tips-and-tenders',
  sql: `
CREATE TABLE tenders_rebuilt (
  id              TEXT PRIMARY KEY,
  order_id        TEXT NOT NULL REFERENCES orders(id),
  kind            TEXT NOT NULL CHECK (kind IN ('cash', 'card', 'card_other', 'voucher')),
  amount_minor    INTEGER NOT NULL CHECK (amount_minor > 0),
  tendered_minor  INTEGER,
  change_minor    INTEGER NOT NULL DEFAULT 0 CHECK (change_minor >= 0),
  attempt_id      TEXT REFERENCES payment_attempts(id),
  terminal_id     TEXT,
  card_type       TEXT,
  card_last4      TEXT,
  auth_code       TEXT,
  created_at      TEXT NOT NULL,
  staff_id        TEXT REFERENCES staff(id),
  reference       TEXT,
  CHECK (kind <> 'voucher' OR reference IS NOT NULL),
  CHECK (kind <> 'card_other' OR card_last4 IS NOT NULL)
) STRICT;
INSERT INTO tenders_rebuilt (${TENDER_COLUMNS}) SELECT ${TENDER_COLUMNS} FROM tenders;
DROP TABLE tenders;
ALTER TABLE tenders_rebuilt RENAME TO tenders;
CREATE INDEX tenders_created ON tenders(created_at);
CREATE INDEX tenders_order_totals ON tenders(order_id, kind, amount_minor, terminal_id, attempt_id);
CREATE TRIGGER change_log_tenders_insert AFTER INSERT ON tenders
  WHEN (SELECT enabled FROM replication_state WHERE only_row = 1) = 1
BEGIN
  INSERT INTO change_log (entity, entity_id) VALUES ('tender', NEW.id);
END;

CREATE TABLE tips (
  tender_id     TEXT PRIMARY KEY REFERENCES tenders(id),
  order_id      TEXT NOT NULL REFERENCES orders(id),
  attempt_id    TEXT REFERENCES payment_attempts(id),
  amount_minor  INTEGER NOT NULL CHECK (amount_minor > 0),
  currency      TEXT NOT NULL CHECK (currency IN ('GBP', 'EUR')),
  terminal_id   TEXT,
  staff_id      TEXT REFERENCES staff(id),
  created_at    TEXT NOT NULL
) STRICT;
CREATE INDEX tips_created ON tips(created_at);

CREATE TABLE tender_matches (
  tender_id          TEXT PRIMARY KEY REFERENCES tenders(id),
  status             TEXT NOT NULL CHECK (status IN ('to_match', 'matched')),
  payment_intent_id  TEXT UNIQUE,
  approved_by        TEXT REFERENCES staff(id),
  checks             INTEGER NOT NULL DEFAULT 0,
  last_checked_at    TEXT,
  matched_at         TEXT,
  created_at         TEXT NOT NULL,
  CHECK ((status = 'matched') = (payment_intent_id IS NOT NULL))
) STRICT;
CREATE INDEX tender_matches_open ON tender_matches(status, created_at);

CREATE TABLE receipt_choices (
  order_id      TEXT PRIMARY KEY REFERENCES orders(id),
  choice        TEXT NOT NULL CHECK (choice IN ('print', 'email', 'none')),
  email_masked  TEXT,
  staff_id      TEXT REFERENCES staff(id),
  decided_at    TEXT NOT NULL
) STRICT;
`,
};
