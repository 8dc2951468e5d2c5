import Database from 'better-sqlite3';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../db/connection';
import { silentLogger } from '../logging/logger';
import { insertOrder } from '../../tests/integration/payments/harness';
import { tempDir } from '../../tests/support/temp-dir';
import { createBackupService } from './backup.service';

let dir: ReturnType<typeof tempDir>;
let db: Db;
afterEach(() => {
  if (db.open) db.close();
  dir.remove();
});

function setup(keep = 7, clock?: () => Date) {
  dir = tempDir('opentill-backup-');
  db = openDatabase(join(dir.path, 'opentill.db'));
  return createBackupService({
    db,
    dataDir: dir.path,
    keep: () => keep,
    logger: silentLogger,
    ...(clock ? { now: clock } : {}),
  });
}

const ordersIn = (file: string) => {
  const copy = new Database(file, { readonly: true });
  try {
    return {
      orders: copy.prepare('SELECT id, reference, total_minor FROM orders ORDER BY id').all(),
      check: copy.pragma('integrity_check', { simple: true }),
    };
  } finally {
    copy.close();
  }
};
const modeOf = (p: string) => (statSync(p).mode & 0o777).toString(8);

describe('database backups', () => {
  it('makes a consistent, private copy with every committed order, while writes go on', async () => {
    const backups = setup();
    for (let i = 0; i < 50; i++) insertOrder(db, 100 + i);
    const expected = db.prepare('SELECT id FROM orders').all().length;
    // Orders keep being written while the copy is made; the copy is a consistent snapshot.
    const writer = setInterval(() => insertOrder(db, 999), 1);
    const info = await backups.create('manual');
    clearInterval(writer);
    const file = join(dir.path, 'backups', info.name);
    expect(info.reason).toBe('manual');
    expect(info.sizeBytes).toBeGreaterThan(0);
    expect(modeOf(join(dir.path, 'backups'))).toBe('700');
    expect(modeOf(file)).toBe('600');
    const copy = ordersIn(file);
    expect(copy.check).toBe('ok');
    expect(copy.orders.length).toBeGreaterThanOrEqual(expected);
    // No half-written file is left behind.
    expect(readdirSync(join(dir.path, 'backups'))).toEqual([info.name]);
  });

  it('keeps only the newest N, newest first', async () => {
    let t = Date.parse('2026-12-01T10:00:00Z');
    const backups = setup(3, () => new Date((t += 60_000)));
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await backups.create(i === 4 ? 'day-close' : 'manual'));
    const kept = backups.list();
    expect(kept.map((b) => b.name)).toEqual(
      made
        .slice(2)
        .reverse()
        .map((b) => b.name),
    );
    expect(kept[0]?.reason).toBe('day-close');
    expect(kept[0]?.createdAt).toBe('2026-12-01T10:05:00.000Z');
    for (const b of made.slice(0, 2))
      expect(existsSync(join(dir.path, 'backups', b.name))).toBe(false);
  });

  it('two backups asked for at once both succeed, one after the other, with distinct names', async () => {
    const fixed = new Date('2026-12-01T10:00:00Z');
    const backups = setup(7, () => fixed);
    const [a, b] = await Promise.all([backups.create('manual'), backups.create('manual')]);
    expect(a.name).not.toBe(b.name);
    expect(backups.list()).toHaveLength(2);
  });

  it('a backup that cannot be made fails in words and keeps the older ones', async () => {
    const backups = setup(1);
    const first = await backups.create('manual');
    db.close();
    await expect(backups.create('manual')).rejects.toThrow(
      /could not be made.*earlier backups are kept/,
    );
    expect(backups.list().map((b) => b.name)).toEqual([first.name]);
    expect(readdirSync(join(dir.path, 'backups'))).toEqual([first.name]);
  });
});
