import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Files of the data folder that hold orders, card details, logs or the key. */
const PRIVATE_FILES = [
  'opentill.db',
  'opentill.db-wal',
  'opentill.db-shm',
  'opentill.db-journal',
  'dojo-api-key',
  'dojo-api-key.enc',
  'training-simulator.json',
  'browser-token',
];
const PRIVATE_DIRS = ['logs', 'backups'];

/**
 * Makes the data folder readable by this user only (0700 folders, 0600 files): orders, card
 * details in receipts and logs are nobody else's business on a shared PC. Folders and files that
 * already exist with looser modes are tightened too (a data folder from an older version, or one
 * made by hand), and the database file is created 0600 before SQLite opens it, because SQLite
 * gives its WAL and shared-memory files the mode of the database file. On Windows the modes are
 * ignored by the OS; the per-user profile folder protects the data there.
 */
export function makeDataDirPrivate(dataDir: string): void {
  ensurePrivateDir(dataDir);
  for (const dir of PRIVATE_DIRS) {
    const path = join(dataDir, dir);
    if (!existsSync(path)) continue;
    tighten(path, PRIVATE_DIR_MODE);
    for (const name of readdirSync(path)) {
      const file = join(path, name);
      if (statSync(file).isFile()) tighten(file, PRIVATE_FILE_MODE);
    }
  }
  for (const name of PRIVATE_FILES) {
    const file = join(dataDir, name);
    if (existsSync(file)) tighten(file, PRIVATE_FILE_MODE);
  }
  const db = join(dataDir, 'opentill.db');
  if (!existsSync(db)) closeSync(openSync(db, 'a', PRIVATE_FILE_MODE));
}

/** Creates `dir` (and its parents) private, or tightens it when it exists. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  tighten(dir, PRIVATE_DIR_MODE);
}

function tighten(path: string, mode: number): void {
  if ((statSync(path).mode & 0o777) !== mode) chmodSync(path, mode);
}
