import type Database from 'better-sqlite3';

/**
 * WAL checkpoints off the sale's path.
 *
 * In WAL mode a commit appends its pages to the `-wal` file (and, with `synchronous=FULL`, fsyncs
 * it); a checkpoint later copies them into the database file and fsyncs that. SQLite's default
 * runs the checkpoint inside the commit that takes the WAL past 1,000 pages: at 1,000,000 orders a
 * sale wrote ~40 pages (its rows and a dozen index leaves: the reference suffixes, the status,
 * day and staff indexes), so one sale in ~25 paid for copying ~1,000 scattered pages back —
 * the bench's commit p99 (16.8 ms beside a p50 of 2.6 ms; docs/PERFORMANCE.md). The pause also
 * takes the writing that can wait (`pauseWork`: the reference suffixes of the sales just made).
 *
 * Here the connection checkpoints itself between sales instead: a timer looks every
 * {@link CHECKPOINT_TICK_MS}; when nothing was written since its last look (the till is idle for
 * that long) and something is not checkpointed yet, it runs a PASSIVE checkpoint — outside any
 * transaction, since better-sqlite3 is synchronous and a transaction never spans a timer. A till
 * that never pauses is checkpointed anyway every {@link CHECKPOINT_BUSY_MS}. SQLite's own
 * automatic checkpoint stays as a backstop at {@link WAL_BACKSTOP_PAGES} (a long import in one go,
 * a blocked event loop), so the WAL never grows without bound. Nothing changes for durability: a
 * commit is safe once its WAL frames are fsynced, checkpointed or not.
 */
export const CHECKPOINT_TICK_MS = 500;
export const CHECKPOINT_BUSY_MS = 5_000;
export const WAL_BACKSTOP_PAGES = 4_000;

export type CheckpointResult = { busy: number; log: number; checkpointed: number };

export type CheckpointOptions = {
  tickMs?: number;
  busyMs?: number;
  /**
   * Writing that can wait for the pause, run just before its checkpoint (the reference suffixes of
   * the sales just made). If it throws, its rows stay for the next pause.
   */
  pauseWork?: () => void;
  /** Told of each checkpoint the timer ran (tests, the bench). */
  onCheckpoint?: (result: CheckpointResult, ms: number) => void;
};

/** A PASSIVE checkpoint now: copies what it can without waiting for readers or writers. */
export function checkpointPassive(db: Database.Database): CheckpointResult {
  const [result] = db.pragma('wal_checkpoint(PASSIVE)') as CheckpointResult[];
  return result ?? { busy: 0, log: 0, checkpointed: 0 };
}

/** Starts the checkpoint timer for a WAL connection; the returned function stops it. */
export function checkpointWhenIdle(
  db: Database.Database,
  options: CheckpointOptions = {},
): () => void {
  const tickMs = options.tickMs ?? CHECKPOINT_TICK_MS;
  const busyMs = options.busyMs ?? CHECKPOINT_BUSY_MS;
  db.pragma(`wal_autocheckpoint = ${WAL_BACKSTOP_PAGES}`);
  const changes = db.prepare('SELECT total_changes() AS n');
  const written = () => (changes.get() as { n: number }).n;
  let seen = written();
  let checkpointed = seen;
  let checkpointedAt = Date.now();
  const timer = setInterval(() => {
    if (!db.open) {
      clearInterval(timer);
      return;
    }
    if (db.inTransaction) return; // never inside one (none spans a timer today); next tick
    const now = written();
    const idle = now === seen;
    seen = now;
    if (now === checkpointed || (!idle && Date.now() - checkpointedAt < busyMs)) return;
    const started = performance.now();
    try {
      options.pauseWork?.();
    } catch {
      // Kept for the next pause (a writer on another connection holds the lock, say); nothing
      // is lost meanwhile.
    }
    const result = checkpointPassive(db);
    checkpointed = written();
    seen = checkpointed;
    checkpointedAt = Date.now();
    options.onCheckpoint?.(result, performance.now() - started);
  }, tickMs);
  timer.unref();
  return () => clearInterval(timer);
}
