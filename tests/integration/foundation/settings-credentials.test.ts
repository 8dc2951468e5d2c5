import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src-main/core/core';
import { memorySecretStore } from '../../../src-main/credentials/secret-store';
import { memorySink } from '../../../src-main/logging/logger';
import { startSimulator, type Simulator } from '../../../src-main/simulator/simulator';
import { tempDir } from '../../support/temp-dir';
import { waitFor } from '../../support/wait';
import { signInManager } from '../../support/staff';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function core(env: NodeJS.ProcessEnv = {}, who: 'manager' | 'demo' = 'manager') {
  const dir = tempDir();
  const logs = memorySink();
  const c: Core = await createCore({
    dataDir: dir.path,
    env,
    secretStore: memorySecretStore(),
    transport: 'websocket',
    version: 'test',
    logSinks: [logs],
    simulatorTimeScale: 0.02,
  });
  cleanups.push(
    () => dir.remove(),
    () => c.close(),
  );
  if (who === 'demo') c.staff.signInDemo();
  else signInManager(c);
  return { core: c, logs };
}

describe('settings and credentials over the contract', () => {
  it('starts in training mode against the built-in simulator, and test connection says so', async () => {
    const { core: c } = await core();
    expect(await c.dispatch('credentials:status', undefined)).toEqual({
      ok: true,
      value: { configured: false, environment: 'training' },
    });
    expect(c.simulator()).not.toBeNull();
    const test = await c.dispatch('credentials:test', undefined);
    expect(test).toMatchObject({ ok: true, value: { ok: true } });
    expect(JSON.stringify(test)).toMatch(/training simulator: \d+ terminals found/);
  });

  it('answers a rejected key in plain words and never returns or logs the key', async () => {
    const sim: Simulator = await startSimulator({ timeScale: 0.02 });
    cleanups.push(() => sim.close());
    const { core: c, logs } = await core({ OPENTILL_DOJO_BASE_URL: sim.url });
    const key = 'sk_sandbox_invalid_abcdef123456';
    const set = await c.dispatch('credentials:set', { apiKey: key });
    expect(set).toEqual({ ok: true, value: { configured: true, environment: 'sandbox' } });
    const test = await c.dispatch('credentials:test', undefined);
    expect(test).toMatchObject({
      ok: true,
      value: {
        ok: false,
        message: 'Dojo rejected the API key — check it in Settings',
        terminals: null,
      },
    });
    for (const channel of [
      'credentials:status',
      'settings:get',
      'app:info',
      'status:get',
    ] as const) {
      expect(JSON.stringify(await c.dispatch(channel, undefined))).not.toContain('abcdef123456');
    }
    expect(JSON.stringify(logs.records)).not.toContain('abcdef123456');
    // Requests did reach the simulator with the key, so the client used it.
    expect(sim.control.records().requests.some((r) => r.path.startsWith('/terminals'))).toBe(true);
  });

  it('validates settings and keeps the old values on bad input', async () => {
    const { core: c } = await core();
    const before = await c.dispatch('settings:get', undefined);
    for (const bad of [
      { printer: 'tcp://' },
      { paperWidth: 60 },
      { shopName: 'x'.repeat(61) },
      { unknownKey: 1 },
      { currency: 'USD' },
    ]) {
      const r = await c.dispatch('settings:update', bad);
      expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    }
    expect(await c.dispatch('settings:get', undefined)).toEqual(before);
    for (const [printer, words] of [
      ['tcp://127.0.0.1:99999', 'the port must be between 1 and 65535 (usually 9100)'],
      ['tcp://999.1.1.1:9100', '"999.1.1.1" is not an IPv4 address'],
      ['tcp://bad_host!:9100', '"bad_host!" is not a host name or IPv4 address'],
      ['tcp://-bad:9100', '"-bad" is not a host name or IPv4 address'],
    ]) {
      const r = await c.dispatch('settings:update', { printer });
      expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
      if (!r.ok) expect(r.error.message).toContain(words);
    }
    for (const [patch, words] of [
      [{ softwareHouseId: '' }, 'software house id is required'],
      [{ softwareHouseId: '   ' }, 'software house id is required'],
      [{ resellerId: '' }, 'reseller id is required'],
      [{ softwareHouseId: 'soft house' }, 'letters, digits, dots'],
      [{ resellerId: 'res\u0007ller' }, 'letters, digits'],
      [{ resellerId: 'r'.repeat(101) }, 'at most 100 characters'],
    ] as const) {
      const r = await c.dispatch('settings:update', patch);
      expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
      if (!r.ok) expect(r.error.message).toContain(words);
    }
    expect(await c.dispatch('settings:get', undefined)).toEqual(before);
    const ok = await c.dispatch('settings:update', {
      shopName: 'Bean There',
      printer: 'tcp://192.168.1.50:9100',
      paperWidth: 58,
    });
    expect(ok).toMatchObject({
      ok: true,
      value: { shopName: 'Bean There', printer: 'tcp://192.168.1.50:9100', paperWidth: 58 },
    });
  });

  it('a default terminal chosen on the terminal picker is the one Settings shows (one owner)', async () => {
    const { core: c } = await core();
    const terminals = (await c.dispatch('terminals:list', undefined)) as {
      ok: boolean;
      value?: { id: string; status: string }[];
    };
    const chosen = terminals.value?.find((t) => t.status === 'Available');
    expect(chosen).toBeDefined();
    await c.dispatch('settings:get', undefined); // warm whatever the settings keep in memory
    expect(await c.dispatch('terminals:set-default', { terminalId: chosen?.id })).toMatchObject({
      ok: true,
    });
    expect(await c.dispatch('settings:get', undefined)).toMatchObject({
      ok: true,
      value: { defaultTerminalId: chosen?.id },
    });
    const again = (await c.dispatch('terminals:list', undefined)) as {
      value?: { id: string; isDefault: boolean }[];
    };
    expect(again.value?.find((t) => t.isDefault)?.id).toBe(chosen?.id);
  });

  it('pushes a fresh terminal list when the Dojo ids change or a connection test succeeds', async () => {
    const { core: c } = await core();
    const pushed: { terminals: unknown[]; error: string | null }[] = [];
    c.bus.subscribe((name, payload) => {
      if (name === 'terminals:status')
        pushed.push(payload as { terminals: unknown[]; error: string | null });
    });
    expect(await c.dispatch('settings:update', { resellerId: 'reseller2' })).toMatchObject({
      ok: true,
    });
    await waitFor(() => pushed.length === 1, 'a terminal list after the id change');
    expect(pushed[0]).toMatchObject({ error: null });
    expect(pushed[0]?.terminals).toHaveLength(5);
    // Saving something else does not re-read Dojo.
    await c.dispatch('settings:update', { shopName: 'Bean There' });
    expect((await c.dispatch('credentials:test', undefined)).ok).toBe(true);
    await waitFor(() => pushed.length === 2, 'a terminal list after the connection test');
    expect(pushed[1]?.terminals).toHaveLength(5);
  });

  it('keeps the good stored settings when one stored value breaks a newer rule', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const first = await createCore({
      dataDir: dir.path,
      env: {},
      secretStore: memorySecretStore(),
      transport: 'websocket',
      version: 'test',
      simulatorTimeScale: 0.02,
    });
    signInManager(first);
    expect(await first.dispatch('settings:update', { shopName: 'Bean There' })).toMatchObject({
      ok: true,
    });
    // What an older version let through: an empty software house id.
    first.db
      .prepare(
        "INSERT INTO settings (key, value, updated_at) VALUES ('settings.softwareHouseId', '\"\"', '2026-01-01T00:00:00Z') ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      )
      .run();
    await first.close();
    const again = await createCore({
      dataDir: dir.path,
      env: {},
      secretStore: memorySecretStore(),
      transport: 'websocket',
      version: 'test',
      simulatorTimeScale: 0.02,
    });
    cleanups.push(() => again.close());
    expect(await again.dispatch('settings:get', undefined)).toMatchObject({
      ok: true,
      value: { shopName: 'Bean There', softwareHouseId: 'softwareHouse1' },
    });
  });

  it('lets the environment override a stored setting (docs/OPERATIONS.md)', async () => {
    const { core: c } = await core({
      OPENTILL_PRINTER: 'file:/tmp/receipts.bin',
      OPENTILL_RESELLER_ID: 'resellerX',
    });
    await c.dispatch('settings:update', { printer: 'none' });
    expect(await c.dispatch('settings:get', undefined)).toMatchObject({
      ok: true,
      value: { printer: 'file:/tmp/receipts.bin', resellerId: 'resellerX' },
    });
  });

  it('sets and changes the manager PIN, refusing a wrong current PIN', async () => {
    // The training demo manager is not a real manager: the till still has no manager PIN.
    const { core: c } = await core({}, 'demo');
    expect(await c.dispatch('manager:status', undefined)).toEqual({
      ok: true,
      value: { pinSet: false },
    });
    expect(await c.dispatch('manager:set-pin', { newPin: '12a4' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    expect(await c.dispatch('manager:set-pin', { newPin: '2468' })).toEqual({
      ok: true,
      value: { pinSet: true },
    });
    expect((await c.dispatch('manager:set-pin', { newPin: '1357', currentPin: '0000' })).ok).toBe(
      false,
    );
    expect(await c.dispatch('manager:set-pin', { newPin: '1357', currentPin: '2468' })).toEqual({
      ok: true,
      value: { pinSet: true },
    });
  });
});
