import type { Migration } from '../migrate';

/**
 * Outbox: an operator may discard a dead item, with a reason, instead of retrying it. The item
 * stays in the table (status `discarded`, who, when and why) so the decision can be looked up;
 * it is never sent again. SQLite cannot widen a CHECK in place, so the table is rebuilt.
 */
export const migration006: Migration = {
  version: 6,
  name: 'outbox-discarded',
  sql: `
CREATE TABLE outbox_new (
  id               INTEGER PRIMARY KEY,
  kind             TEXT NOT NULL,
  idempotency_key  TEXT NOT NULL UNIQUE,
  payload          TEXT NOT NULL,
  status           TEXT NOT NULL CHECK (status IN ('pending', 'done', 'dead', 'discarded')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  TEXT NOT NULL,
  last_error       TEXT,
  created_at       TEXT NOT NULL,
  done_at          TEXT,
  discarded_reason TEXT,
  discarded_by     TEXT
) STRICT;
INSERT INTO outbox_new (id, kind, idempotency_key, payload, status, attempts, next_attempt_at, last_error, created_at, done_at)
  SELECT id, kind, idempotency_key, payload, status, attempts, next_attempt_at, last_error, created_at, done_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox(status, next_attempt_at, id);
`,
};
