import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../../../src-main/core/core';
import { memorySecretStore } from '../../../src-main/credentials/secret-store';
import { memorySink } from '../../../src-main/logging/logger';
import { writeSetting } from '../../../src-main/platform/key-value';
import { parsePortList } from '../../../src-main/printing/printer-policy';
import { PINS, staffCore, type StaffCore } from '../staff/core-fixture';
import { tempDir } from '../../support/temp-dir';

type TestPrint = { ok: boolean; message: string; jobId: string | null };

/** A listener that counts who connects: a probe would show up here. */
async function listener(): Promise<{
  port: number;
  connections: () => number;
  close(): Promise<void>;
}> {
  let n = 0;
  const server: Server = createServer((socket) => {
    n++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    connections: () => n,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('where a printer set on the Settings screen may point', () => {
  const dirs: { remove(): void }[] = [];
  const cores: StaffCore[] = [];
  const till = async (env: NodeJS.ProcessEnv = {}) => {
    const dir = tempDir('opentill-printer-policy-');
    dirs.push(dir);
    const t = await staffCore({ dataDir: dir.path, env });
    cores.push(t);
    return { t, dataDir: dir.path, receipts: join(dir.path, 'receipts') };
  };
  afterEach(async () => {
    for (const t of cores.splice(0)) await t.close();
    for (const d of dirs.splice(0)) d.remove();
  });

  const printerOf = (t: StaffCore) => (t.core.settings.get() as { printer: string }).printer;

  it('a file printer writes inside the receipts folder, and a test page lands there', async () => {
    const { t, receipts } = await till();
    const path = join(receipts, 'till.bin');
    expect(await t.call('settings:update', { printer: `file:${path}` })).toMatchObject({
      ok: true,
    });
    const result = await t.call<TestPrint>('printing:test');
    expect(result).toMatchObject({ ok: true, value: { ok: true } });
    // Real ESC/POS bytes: ESC @ (initialise) first.
    expect([...readFileSync(path).subarray(0, 2)]).toEqual([0x1b, 0x40]);

    // A bare name means a file in the receipts folder, saved as its full path.
    expect(await t.call('settings:update', { printer: 'file:counter.bin' })).toMatchObject({
      ok: true,
    });
    expect(printerOf(t)).toBe(`file:${join(receipts, 'counter.bin')}`);
  });

  it('refuses a file printer that would overwrite the database, the key or anything outside', async () => {
    const { t, dataDir, receipts } = await till();
    const db = join(dataDir, 'opentill.db');
    const dbBefore = statSync(db).size;
    mkdirSync(receipts, { recursive: true });
    symlinkSync(db, join(receipts, 'sneaky.bin'));
    mkdirSync(join(dataDir, 'elsewhere'));
    symlinkSync(join(dataDir, 'elsewhere'), join(receipts, 'linked-folder'));
    const before = t.rows();
    for (const printer of [
      `file:${db}`,
      `file:${join(dataDir, 'shop-database-url')}`,
      `file:${join(receipts, '..', 'opentill.db')}`,
      'file:../opentill.db',
      `file:${receipts}`,
      `file:${join(receipts, 'sneaky.bin')}`,
      `file:${join(receipts, 'linked-folder', 'x.bin')}`,
      'file:/etc/hosts',
    ]) {
      const r = await t.call('settings:update', { printer });
      expect(r, printer).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
      if (!r.ok) expect(r.error.message).toMatch(/inside the receipts folder/);
    }
    expect(printerOf(t)).toBe('none');
    expect(t.rows()).toEqual(before);
    expect(statSync(db).size).toBe(dbBefore);
    expect(existsSync(join(dataDir, 'elsewhere', 'x.bin'))).toBe(false);
  });

  it('a network printer only on the ports the shop allows', async () => {
    const { t } = await till();
    const r = await t.call('settings:update', { printer: 'tcp://192.168.1.50:22' });
    expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    if (!r.ok)
      expect(r.error.message).toBe(
        'Port 22 is not a printer port this till may use (allowed: 9100, 9101, 9102, 9103). ' +
          'Whoever installs the till can allow more with OPENTILL_PRINTER_PORTS.',
      );
    expect(printerOf(t)).toBe('none');
    expect(await t.call('settings:update', { printer: 'tcp://192.168.1.50' })).toMatchObject({
      ok: true,
    });
    expect(printerOf(t)).toBe('tcp://192.168.1.50');

    const wider = await till({ OPENTILL_PRINTER_PORTS: '9100,6001-6002' });
    expect(await wider.t.call('settings:update', { printer: 'tcp://10.0.0.9:6002' })).toMatchObject(
      { ok: true },
    );
  });

  it('only a manager changes the printer; a supervisor needs a manager to approve', async () => {
    const { t } = await till();
    const before = t.rows();
    for (const who of ['cashier', 'supervisor'] as const) {
      t.as(who);
      const r = await t.call('settings:update', { printer: 'tcp://192.168.1.50:9100' });
      expect(r, who).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } });
      expect(await t.call('printing:test')).toMatchObject({
        ok: false,
        error: { code: 'PERMISSION_DENIED' },
      });
    }
    expect(printerOf(t)).toBe('none');
    // Refusals are journalled (audit rows); nothing else is written.
    expect({ ...t.rows(), audit_log: 0 }).toEqual({ ...before, audit_log: 0 });
    const approved = await t.call('settings:update', {
      printer: 'tcp://192.168.1.50:9100',
      approval: { pin: PINS.manager },
    });
    expect(approved).toMatchObject({ ok: true });
  });

  it('a test page never opens a connection to a port that is not allowed, open or closed', async () => {
    // A target saved before the rule existed: the test page refuses it with the same words
    // whether something listens there or not, and connects to nothing.
    const open = await listener();
    const closed = await listener();
    const closedPort = closed.port;
    await closed.close();
    try {
      const answers: string[] = [];
      for (const port of [open.port, closedPort]) {
        const dir = tempDir('opentill-printer-policy-');
        dirs.push(dir);
        const first = await staffCore({ dataDir: dir.path, env: {} });
        await first.close();
        const db = new Database(join(dir.path, 'opentill.db'));
        writeSetting(db, 'settings.printer', `tcp://127.0.0.1:${port}`);
        db.close();
        const core = await createCore({
          dataDir: dir.path,
          env: {},
          secretStore: memorySecretStore(),
          transport: 'websocket',
          version: 'test',
          logSinks: [memorySink()],
        });
        core.staff.signIn(PINS.manager);
        const r = (await core.dispatch('printing:test', undefined)) as
          { ok: true; value: TestPrint } | { ok: false; error: { message: string } };
        await core.close();
        if (!r.ok) throw new Error(r.error.message);
        expect(r.value.ok).toBe(false);
        answers.push(r.value.message.replace(String(port), 'PORT'));
      }
      expect(answers[0]).toMatch(/^Port PORT is not a printer port this till may use/);
      expect(answers[1]).toBe(answers[0]);
      expect(open.connections()).toBe(0);
    } finally {
      await open.close();
    }
  });

  it('a printer set by whoever installed the till (OPENTILL_PRINTER) is not second-guessed', async () => {
    const outside = tempDir('opentill-printer-env-');
    dirs.push(outside);
    const path = join(outside.path, 'printer.bin');
    const { t } = await till({ OPENTILL_PRINTER: `file:${path}` });
    expect(await t.call('printing:test')).toMatchObject({ ok: true, value: { ok: true } });
    expect(readFileSync(path).length).toBeGreaterThan(100);
  });

  it('a bad port list stops the start with its reason', async () => {
    await expect(till({ OPENTILL_PRINTER_PORTS: '9100,abc' })).rejects.toThrow(
      'OPENTILL_PRINTER_PORTS: "abc" is not a port or a range such as 9100-9103.',
    );
    expect([...parsePortList(' 515, 9100-9102 ')]).toEqual([515, 9100, 9101, 9102]);
    expect(() => parsePortList('9103-9100')).toThrow(/not a port or a range/);
    expect(() => parsePortList('70000')).toThrow(/not a port or a range/);
  });
});
