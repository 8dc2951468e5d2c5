import type Database from 'better-sqlite3';
import { TillError } from '../../src-shared/errors';
import { migrations } from './migrations';

export type Migration = {
  version: number;
  name: string;
  sql: string;
};

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export const latestVersion = (list: readonly Migration[] = migrations): number =>
  list.reduce((max, m) => Math.max(max, m.version), 0);

/**
 * Applies every migration above the database's `user_version`, each in its own transaction that
 * also bumps the version, so a crash leaves the database at a whole version.
 */
export function migrate(db: Database.Database, list: readonly Migration[] = migrations): number {
  const sorted = [...list].sort((a, b) => a.version - b.version);
  sorted.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(
        `Migrations must be numbered 1..n without gaps; found ${m.version} at ${i + 1}`,
      );
  });
  const current = schemaVersion(db);
  const latest = latestVersion(sorted);
  if (current > latest) {
    throw new TillError(
      'DB_TOO_NEW',
      `This order database was written by a newer OpenTill (schema ${current}; this version knows up to ${latest}). ` +
        'Install the newer OpenTill again; the database has not been changed.',
    );
  }
  for (const m of sorted) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return schemaVersion(db);
}
