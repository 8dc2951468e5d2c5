import Database, { type Statement } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate } from './migrate';
import { installActorTriggers } from '../staff/actor';
import { checkpointWhenIdle, type CheckpointOptions } from './checkpoints';
import { indexAllPendingReferences, indexPendingReferences } from './reference-suffixes';

export type Db = Database.Database;

export type OpenOptions = {
  /** `synchronous=FULL` by default so a committed order survives a power cut (docs/OPERATIONS.md, The data folder). */
  synchronous?: 'FULL' | 'NORMAL';
  busyTimeoutMs?: number;
  /** WAL checkpoints between sales, not inside one (./checkpoints.ts); tests shorten the timer. */
  checkpoints?: CheckpointOptions;
};

/** Opens (creating if needed) and migrates the order database. One connection per process. */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    reuseStatements(db);
    migrate(db);
    installActorTriggers(db);
    if (file !== ':memory:') {
      indexAllPendingReferences(db);
      const stop = checkpointWhenIdle(db, {
        pauseWork: () => indexPendingReferences(db),
        ...options.checkpoints,
      });
      const close = db.close.bind(db);
      db.close = () => {
        stop();
        return close();
      };
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Distinct SQL texts kept prepared per connection; the till has a few hundred. */
export const STATEMENT_CACHE_SIZE = 1000;

/**
 * `db.prepare(sql)` hands back the statement prepared for the same text before, instead of a new
 * one. The code prepares where it queries (dozens of times a sale), and a statement that is
 * dropped is not given back: better-sqlite3 finalizes it only if the garbage collector runs its
 * native destructor, and on Node 24 that memory stayed with the process — about 1.5 KB for the
 * smallest statement, 80–110 KB per printed sale, so a till grew by ~100 MB a thousand sales
 * (tests/integration/printing/memory.test.ts). Prepared once, a statement is
 * reused for the life of the connection, which is also faster.
 *
 * A shared statement must not keep a caller's mode: `pluck`, `expand` and `raw` are reset on each
 * hand-out (nothing in the till binds parameters permanently or iterates). The least recently used
 * text leaves when more than {@link STATEMENT_CACHE_SIZE} are kept.
 */
function reuseStatements(db: Db): void {
  const prepareNew = db.prepare.bind(db) as (source: string) => Statement;
  const kept = new Map<string, Statement>();
  const prepare = (source: string): Statement => {
    let stmt = kept.get(source);
    if (stmt) kept.delete(source);
    else {
      stmt = prepareNew(source);
      if (kept.size >= STATEMENT_CACHE_SIZE) kept.delete(kept.keys().next().value as string);
    }
    kept.set(source, stmt);
    if (stmt.reader) stmt.pluck(false).expand(false).raw(false);
    return stmt;
  };
  db.prepare = prepare as Db['prepare'];
}

export const nowIso = (): string => new Date().toISOString();
