import type { Db } from '../db/connection';
import { nowIso } from '../db/connection';

/**
 * Raw key/value access to the `settings` table; values are JSON. The settings service owns the
 * `settings.*` keys; other features keep their own small state here under their own keys.
 */
export function readSetting(db: Db, key: string): unknown {
  const row = db
    .prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?')
    .get(key);
  if (!row) return undefined;
  try {
    return JSON.parse(row.value) as unknown;
  } catch {
    return undefined;
  }
}

export function writeSetting(db: Db, key: string, value: unknown): void {
  db.prepare(
    `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  ).run(key, JSON.stringify(value), nowIso());
}
