import type { Db } from '../db/connection';
import { nowIso } from '../db/connection';
import { preparedFor } from './prepared';

const stmts = preparedFor((db) => ({
  insert: db.prepare<[string, string, string, string | null, string | null]>(
    'INSERT INTO audit_log (at, actor, action, subject, details) VALUES (?, ?, ?, ?, ?)',
  ),
}));

/**
 * Appends one row to the audit log, in the caller's transaction when there is one. `details`
 * is stored as JSON; `at` defaults to now (pass the time of the change it records).
 */
export function audit(
  db: Db,
  actor: string,
  action: string,
  subject: string | null,
  details?: unknown,
  at: string = nowIso(),
): void {
  stmts(db).insert.run(
    at,
    actor,
    action,
    subject,
    details === undefined ? null : JSON.stringify(details),
  );
}
