import { copyFileSync, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackupInfo } from '../../../src-shared/contract';
import { createCore, type Core } from '../../../src-main/core/core';
import { memorySecretStore } from '../../../src-main/credentials/secret-store';
import { insertOrder } from '../payments/harness';
import { tempDir } from '../../support/temp-dir';
import { signInManager } from '../../support/staff';

let core: Core | null = null;
const dir = tempDir('opentill-restore-');
afterEach(async () => {
  await core?.close();
  core = null;
});

const boot = async () => {
  const c = await createCore({
    dataDir: dir.path,
    env: {},
    secretStore: memorySecretStore(null),
    transport: 'websocket',
    version: 'test',
    simulatorTimeScale: 0.01,
  });
  signInManager(c);
  return c;
};

async function call<T>(c: Core, channel: string, input?: unknown): Promise<T> {
  const r = await c.dispatch(channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
  return r.value as T;
}

const snapshot = (c: Core) => ({
  orders: c.db.prepare('SELECT * FROM orders ORDER BY id').all(),
  lines: c.db.prepare('SELECT * FROM order_lines ORDER BY order_id, position').all(),
});

describe('backups: made at the day close and on demand, and restored as docs/OPERATIONS.md says', () => {
  it('restores a day-close backup: the till opens it with the orders intact and integrity ok', async () => {
    core = await boot();
    for (let i = 0; i < 20; i++) insertOrder(core.db, 250 + i);
    const before = snapshot(core);

    await call(core, 'reports:close-day', { confirm: true });
    const afterClose = await call<BackupInfo[]>(core, 'backups:list');
    expect(afterClose.map((b) => b.reason)).toEqual(['day-close']);
    const manual = await call<BackupInfo>(core, 'backups:create');
    expect(manual.reason).toBe('manual');
    expect((await call<BackupInfo[]>(core, 'backups:list')).map((b) => b.name)).toEqual([
      manual.name,
      afterClose[0]?.name,
    ]);
    // An order taken after the backup: it is what a restore gives up.
    const later = insertOrder(core.db, 999);
    await core.close();
    core = null;

    // The documented steps: stop the till, move the live files aside, copy the backup in.
    const aside = join(dir.path, 'before-restore');
    mkdirSync(aside);
    for (const f of ['opentill.db', 'opentill.db-wal', 'opentill.db-shm'])
      if (existsSync(join(dir.path, f))) renameSync(join(dir.path, f), join(aside, f));
    copyFileSync(
      join(dir.path, 'backups', afterClose[0]?.name ?? ''),
      join(dir.path, 'opentill.db'),
    );

    core = await boot();
    expect(core.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(snapshot(core)).toEqual(before);
    expect(core.db.prepare('SELECT id FROM orders WHERE id = ?').get(later)).toBeUndefined();
    expect(core.db.prepare('SELECT count(*) AS n FROM day_closures').get()).toEqual({ n: 1 });
    expect((statSync(join(dir.path, 'opentill.db')).mode & 0o777).toString(8)).toBe('600');
    // The till keeps working on the restored database.
    insertOrder(core.db, 100);
    await core.close();
    core = null;
    dir.remove();
  });
});
