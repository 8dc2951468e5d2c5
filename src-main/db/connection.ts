import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate } from './migrate';
import { installActorTriggers } from '../staff/actor';

export type Db = Database.Database;

export type OpenOptions = {
  /** `synchronous=FULL` by default so a committed order survives a power cut (docs/OPERATIONS.md, The data folder). */
  synchronous?: 'FULL' | 'NORMAL';
  busyTimeoutMs?: number;
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
    migrate(db);
    installActorTriggers(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

export const nowIso = (): string => new Date().toISOString();
