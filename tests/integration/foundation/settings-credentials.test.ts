import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src-main/core/core';
import { memorySecretStore } from '../../../src-main/credentials/secret-store';
import { memorySink } from '../../../src-main/logging/logger';
import { startSimulator, type Simulator } from '../../../src-main/simulator/simulator';
import { tempDir } from '../../support/temp-dir';
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

  it('lets the environment override a stored setting (DESIGN §3)', async () => {
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
