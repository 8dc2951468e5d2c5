import Database from 'better-sqlite3';
import { chmodSync, existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BackupInfo, BackupReason } from '../../src-shared/contract/backups.contract';
import { TillError } from '../../src-shared/errors';
import type { Db } from '../db/connection';
import type { Logger } from '../logging/logger';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../core/private-files';
import { errorText } from '../platform/error-text';

export const BACKUP_DIR = 'backups';
const NAME = /^opentill-(\d{8}T\d{9}Z)-(day-close|manual)\.db$/;

export type BackupService = {
  /** Copies the database, checks the copy, then drops the oldest beyond the number to keep. */
  create(reason: BackupReason): Promise<BackupInfo>;
  /** Newest first. */
  list(): BackupInfo[];
};

export type BackupOptions = {
  db: Db;
  dataDir: string;
  /** How many backups to keep (the Settings value, read at each backup). */
  keep: () => number;
  logger: Logger;
  now?: () => Date;
};

/** `2026-12-01T23:15:02.123Z` → `20261201T231502123Z`: sorts by time, valid on every file system. */
const stamp = (d: Date) => d.toISOString().replace(/[-:.]/g, '');
const unstamp = (s: string) =>
  `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}.${s.slice(15, 18)}Z`;

/**
 * Backups of the order database with SQLite's online backup API (`db.backup`), so the copy is
 * consistent even while orders are being written, into `<data>/backups/` (0700, files 0600). One
 * backup runs at a time; each is checked (`PRAGMA integrity_check`) before it replaces anything.
 */
export function createBackupService(options: BackupOptions): BackupService {
  const log = options.logger.child('backups');
  const dir = join(options.dataDir, BACKUP_DIR);
  const now = options.now ?? (() => new Date());
  let queue: Promise<unknown> = Promise.resolve();

  const list = (): BackupInfo[] => {
    if (!existsSync(dir)) return [];
    const out: BackupInfo[] = [];
    for (const name of readdirSync(dir)) {
      const m = NAME.exec(name);
      if (!m?.[1] || !m[2]) continue;
      out.push({
        name,
        createdAt: unstamp(m[1]),
        sizeBytes: statSync(join(dir, name)).size,
        reason: m[2] as BackupReason,
      });
    }
    return out.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
  };

  async function run(reason: BackupReason): Promise<BackupInfo> {
    ensurePrivateDir(dir);
    let at = now();
    let name = `opentill-${stamp(at)}-${reason}.db`;
    while (existsSync(join(dir, name))) {
      at = new Date(at.getTime() + 1);
      name = `opentill-${stamp(at)}-${reason}.db`;
    }
    const final = join(dir, name);
    const partial = join(dir, `.${name}.partial`);
    const started = Date.now();
    try {
      await options.db.backup(partial);
      chmodSync(partial, PRIVATE_FILE_MODE);
      const problem = checkCopy(partial);
      if (problem) throw new Error(problem);
      renameSync(partial, final);
    } catch (error) {
      rmSync(partial, { force: true });
      log.error('backup failed', { reason, error: String(error) });
      throw new TillError(
        'INTERNAL',
        `The backup could not be made (${errorText(error)}). The earlier backups are kept.`,
        { retryable: true },
      );
    }
    const removed = rotate();
    const info = list().find((b) => b.name === name);
    if (!info) throw new TillError('INTERNAL', 'The backup was made but cannot be found.');
    log.info('backup made', {
      name,
      reason,
      bytes: info.sizeBytes,
      ms: Date.now() - started,
      removed,
    });
    return info;
  }

  /** Keeps the newest `keep()` backups; returns the names removed. */
  function rotate(): string[] {
    const keep = Math.max(1, Math.floor(options.keep()));
    const old = list().slice(keep);
    for (const b of old) rmSync(join(dir, b.name), { force: true });
    return old.map((b) => b.name);
  }

  return {
    create(reason) {
      const next = queue.then(
        () => run(reason),
        () => run(reason),
      );
      queue = next.catch(() => undefined);
      return next;
    },
    list,
  };
}

/**
 * Turns the copy into a single self-contained file (rollback journal, not WAL: nothing beside it
 * to lose when it is copied or restored) and checks it: null when SQLite finds it whole.
 */
function checkCopy(file: string): string | null {
  const copy = new Database(file, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
    const result = copy.pragma('integrity_check', { simple: true });
    return result === 'ok' ? null : `the copy failed its integrity check: ${String(result)}`;
  } finally {
    copy.close();
  }
}
