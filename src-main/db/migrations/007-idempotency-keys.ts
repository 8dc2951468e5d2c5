import type { Migration } from '../migrate';

/**
 * Idempotency keys of money requests (cash tender, card sale, refunds): one row per channel and
 * key, written `running` before the action and `done` with the action's result after it, so a
 * repeated request gets the first result — also after a restart. A `running` row found after a
 * restart is a request cut off mid-way: repeats of it are refused, never run again blind.
 * `request_hash` is a digest of the request body, so a key reused for a different request is refused.
 */
export const migration007: Migration = {
  version: 7,
  name: 'idempotency-keys',
  sql: `
CREATE TABLE idempotency_keys (
  channel      TEXT NOT NULL,
  key          TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  state        TEXT NOT NULL CHECK (state IN ('running', 'done')),
  result_json  TEXT,
  created_at   TEXT NOT NULL,
  finished_at  TEXT,
  PRIMARY KEY (channel, key),
  CHECK ((state = 'done') = (result_json IS NOT NULL))
) WITHOUT ROWID;
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
`,
};
