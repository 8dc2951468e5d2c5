import type { Db } from '../db/connection';
import { preparedFor } from '../platform/prepared';

export type OutboxStatus = 'pending' | 'done' | 'dead' | 'discarded';

export type OutboxItem = {
  id: number;
  kind: string;
  idempotencyKey: string;
  payload: unknown;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  /** When it was done, or discarded. */
  doneAt: string | null;
  /** An operator's reason for discarding a dead item, and who did it. */
  discardedReason: string | null;
  discardedBy: string | null;
};

type OutboxRow = {
  id: number;
  kind: string;
  idempotency_key: string;
  payload: string;
  status: string;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  done_at: string | null;
  discarded_reason: string | null;
  discarded_by: string | null;
};

function toItem(row: OutboxRow): OutboxItem {
  return {
    id: row.id,
    kind: row.kind,
    idempotencyKey: row.idempotency_key,
    payload: JSON.parse(row.payload) as unknown,
    status: row.status as OutboxStatus,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    createdAt: row.created_at,
    doneAt: row.done_at,
    discardedReason: row.discarded_reason,
    discardedBy: row.discarded_by,
  };
}

const COLUMNS =
  'id, kind, idempotency_key, payload, status, attempts, next_attempt_at, last_error, created_at, done_at, discarded_reason, discarded_by';

const stmts = preparedFor((db) => ({
  insert: db.prepare<[string, string, string, string, string], { id: number }>(
    `INSERT INTO outbox (kind, idempotency_key, payload, status, next_attempt_at, created_at)
     VALUES (?, ?, ?, 'pending', ?, ?)
     ON CONFLICT (idempotency_key) DO NOTHING
     RETURNING id`,
  ),
  byKey: db.prepare<[string], OutboxRow>(`SELECT ${COLUMNS} FROM outbox WHERE idempotency_key = ?`),
  byId: db.prepare<[number], OutboxRow>(`SELECT ${COLUMNS} FROM outbox WHERE id = ?`),
  nextDue: db.prepare<[string, string], OutboxRow>(
    `SELECT ${COLUMNS} FROM outbox
     WHERE status = 'pending' AND next_attempt_at <= ? AND kind IN (SELECT value FROM json_each(?))
     ORDER BY id LIMIT 1`,
  ),
  earliest: db.prepare<[string], { at: string | null }>(
    "SELECT min(next_attempt_at) AS at FROM outbox WHERE status = 'pending' AND kind IN (SELECT value FROM json_each(?))",
  ),
  claim: db.prepare<[number]>(
    "UPDATE outbox SET attempts = attempts + 1 WHERE id = ? AND status = 'pending'",
  ),
  done: db.prepare<[string, number]>(
    "UPDATE outbox SET status = 'done', done_at = ?, last_error = NULL WHERE id = ?",
  ),
  retry: db.prepare<[string, string, number]>(
    'UPDATE outbox SET next_attempt_at = ?, last_error = ? WHERE id = ?',
  ),
  unclaim: db.prepare<[number]>(
    "UPDATE outbox SET attempts = max(attempts - 1, 0) WHERE id = ? AND status = 'pending'",
  ),
  dead: db.prepare<[string, number]>(
    "UPDATE outbox SET status = 'dead', last_error = ? WHERE id = ?",
  ),
  revive: db.prepare<[string, number]>(
    "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ? WHERE id = ? AND status = 'dead'",
  ),
  discard: db.prepare<[string, string, string, number]>(
    "UPDATE outbox SET status = 'discarded', done_at = ?, discarded_reason = ?, discarded_by = ? WHERE id = ? AND status = 'dead'",
  ),
  counts: db.prepare<[], { status: string; n: number }>(
    'SELECT status, count(*) AS n FROM outbox GROUP BY status',
  ),
  list: db.prepare<{ status: string | null }, OutboxRow>(
    `SELECT ${COLUMNS} FROM outbox WHERE :status IS NULL OR status = :status ORDER BY id`,
  ),
}));

export type EnqueueInput = {
  kind: string;
  idempotencyKey: string;
  payload: unknown;
  notBefore?: Date;
};

/** Adds work to the outbox; the same idempotency key twice is one item (the first one wins). */
export function enqueue(
  db: Db,
  input: EnqueueInput,
  at: Date = new Date(),
): { item: OutboxItem; created: boolean } {
  return db.transaction(() => {
    const s = stmts(db);
    const now = at.toISOString();
    const due = input.notBefore ? input.notBefore.toISOString() : now;
    const inserted = s.insert.get(
      input.kind,
      input.idempotencyKey,
      JSON.stringify(input.payload ?? null),
      due,
      now,
    );
    const row = s.byKey.get(input.idempotencyKey) as OutboxRow;
    return { item: toItem(row), created: inserted !== undefined };
  })();
}

export function getOutboxItem(db: Db, id: number): OutboxItem | null {
  const row = stmts(db).byId.get(id);
  return row ? toItem(row) : null;
}

export function nextDueItem(db: Db, now: Date, kinds: readonly string[]): OutboxItem | null {
  const row = stmts(db).nextDue.get(now.toISOString(), JSON.stringify(kinds));
  return row ? toItem(row) : null;
}

export function earliestPending(db: Db, kinds: readonly string[]): Date | null {
  const at = stmts(db).earliest.get(JSON.stringify(kinds))?.at;
  return at ? new Date(at) : null;
}

/** Counts the attempt before the handler runs, so a crash loop still ends in `dead`. */
export function claimItem(db: Db, id: number): void {
  stmts(db).claim.run(id);
}

/** A try the remote side refused to process (rate limited) does not use up the item's tries. */
export function unclaimItem(db: Db, id: number): void {
  stmts(db).unclaim.run(id);
}

export function markDone(db: Db, id: number, at: Date): void {
  stmts(db).done.run(at.toISOString(), id);
}

export function markRetry(db: Db, id: number, nextAttemptAt: Date, error: string): void {
  stmts(db).retry.run(nextAttemptAt.toISOString(), error.slice(0, 500), id);
}

export function markDead(db: Db, id: number, error: string): void {
  stmts(db).dead.run(error.slice(0, 500), id);
}

/** Operator action: give a dead item a fresh set of tries. */
export function reviveItem(db: Db, id: number, at: Date): boolean {
  return stmts(db).revive.run(at.toISOString(), id).changes === 1;
}

/** Operator action: a dead item is given up for good, with a reason; it is never sent again. */
export function discardItem(db: Db, id: number, reason: string, by: string, at: Date): boolean {
  return stmts(db).discard.run(at.toISOString(), reason, by, id).changes === 1;
}

export function outboxCounts(db: Db): Record<OutboxStatus, number> {
  const counts: Record<OutboxStatus, number> = { pending: 0, done: 0, dead: 0, discarded: 0 };
  for (const row of stmts(db).counts.all()) counts[row.status as OutboxStatus] = row.n;
  return counts;
}

export function listOutbox(db: Db, status?: OutboxStatus): OutboxItem[] {
  return stmts(db)
    .list.all({ status: status ?? null })
    .map(toItem);
}
