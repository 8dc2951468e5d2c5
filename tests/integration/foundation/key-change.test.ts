import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src-main/core/core';
import { memorySecretStore } from '../../../src-main/credentials/secret-store';
import { memorySink } from '../../../src-main/logging/logger';
import { startSimulator } from '../../../src-main/simulator/simulator';
import { tempDir } from '../../support/temp-dir';
import { waitFor } from '../../support/wait';
import { signInManager, TEST_MANAGER_PIN } from '../../support/staff';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const KEY_A = 'sk_sandbox_first_key_abcdef123';
const KEY_B = 'sk_prod_second_key_abcdef456';

/**
 * Removing or replacing the Dojo key changes where card money goes (no key: a training till whose
 * payments are approved with no money moving). Through the real core, simulator and SQLite file.
 */
describe('removing or replacing the Dojo API key', () => {
  it('needs the manager PIN, is refused while a card payment is live, and is audited', async () => {
    const sim = await startSimulator({ timeScale: 0.02 });
    cleanups.push(() => sim.close());
    const dir = tempDir();
    const logs = memorySink();
    const c: Core = await createCore({
      dataDir: dir.path,
      env: { OPENTILL_DOJO_BASE_URL: sim.url },
      secretStore: memorySecretStore(),
      transport: 'websocket',
      version: 'test',
      logSinks: [logs],
      simulatorTimeScale: 0.02,
    });
    signInManager(c);
    cleanups.push(
      () => dir.remove(),
      () => c.close(),
    );
    const audits = () =>
      c.db
        .prepare<[], { actor: string; action: string; details: string }>(
          "SELECT actor, action, details FROM audit_log WHERE action LIKE 'credentials.%' ORDER BY id",
        )
        .all();
    const mode = () => c.credentials.status().environment;

    // The first key needs no approval: a training till becomes a sandbox till.
    expect(await c.dispatch('credentials:set', { apiKey: KEY_A })).toMatchObject({
      ok: true,
      value: { configured: true, environment: 'sandbox' },
    });

    // Removing or replacing it needs a manager.
    expect(await c.dispatch('credentials:clear', undefined)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    expect(await c.dispatch('credentials:set', { apiKey: KEY_B })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: "A manager's PIN is needed to replace the Dojo key." },
    });
    // Since staff accounts a manager always exists once anyone is signed in (so no
    // MANAGER_PIN_NOT_SET here); any active manager's PIN approves. Change it to a known one.
    expect(
      await c.dispatch('manager:set-pin', { currentPin: TEST_MANAGER_PIN, newPin: '2468' }),
    ).toMatchObject({ ok: true });
    expect(await c.dispatch('credentials:clear', { managerPin: '1357' })).toMatchObject({
      ok: false,
      error: { code: 'MANAGER_PIN_INVALID' },
    });
    expect(mode()).toBe('sandbox');

    // A card payment waiting on the terminal: no key change until it is over.
    const order = (await c.dispatch('orders:create', {
      lines: [{ kind: 'custom', name: 'Wait', unitPriceMinor: 1204, vatRateBp: 2000, quantity: 1 }],
    })) as { ok: true; value: { id: string } };
    const terminals = (await c.dispatch('terminals:list', undefined)) as {
      ok: true;
      value: { id: string; status: string }[];
    };
    const terminal = terminals.value.find((t) => t.status === 'Available');
    const sale = (await c.dispatch('payments:start-sale', {
      orderId: order.value.id,
      terminalId: terminal?.id,
      idempotencyKey: randomUUID(),
    })) as { ok: true; value: { id: string } };
    expect(sale.ok).toBe(true);
    for (const refused of [
      await c.dispatch('credentials:clear', { managerPin: '2468' }),
      await c.dispatch('credentials:set', { apiKey: KEY_B, managerPin: '2468' }),
    ])
      expect(refused).toMatchObject({
        ok: false,
        error: {
          code: 'ATTEMPT_IN_PROGRESS',
          message: /cannot be changed now: 1 card payment or refund on a terminal is not finished/,
        },
      });
    expect(mode()).toBe('sandbox');
    await c.dispatch('payments:cancel', { attemptId: sale.value.id });
    await waitFor(async () => {
      const a = (await c.dispatch('payments:get', { attemptId: sale.value.id })) as {
        ok: true;
        value: { isFinal: boolean };
      };
      return a.value.isFinal;
    }, 'the cancelled payment to be final');

    // Approved by the manager: replaced, then removed — the till is a training till again.
    expect(
      await c.dispatch('credentials:set', { apiKey: KEY_B, managerPin: '2468' }),
    ).toMatchObject({ ok: true, value: { environment: 'production' } });
    expect(await c.dispatch('credentials:clear', { managerPin: '2468' })).toMatchObject({
      ok: true,
      value: { configured: false, environment: 'training' },
    });
    expect(audits()).toEqual([
      { actor: 'till', action: 'credentials.set', details: '{"from":"training","to":"sandbox"}' },
      {
        actor: 'manager',
        action: 'credentials.replaced',
        details: '{"from":"sandbox","to":"production"}',
      },
      {
        actor: 'manager',
        action: 'credentials.removed',
        details: '{"from":"production","to":"training"}',
      },
    ]);
    const everything = JSON.stringify([audits(), logs.records]);
    expect(everything).not.toContain('abcdef');
    expect(everything).not.toContain('2468');
  });
});
