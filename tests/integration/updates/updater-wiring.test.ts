import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { PayloadOf } from '../../../src-shared/contract';
import type { UpdateStatus } from '../../../src-shared/contract/updates.contract';
import { createCore, type Core } from '../../../src-main/core/core';
import { memorySecretStore } from '../../../src-main/credentials/secret-store';
import { tempDir } from '../../support/temp-dir';

type TempDir = ReturnType<typeof tempDir>;
import { FakeUpdater } from './fake-updater';
import { signInManager, TEST_MANAGER_PIN } from '../../support/staff';
import { staysTrueFor, waitFor } from '../../support/wait';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The signed-in test manager's PIN: any active manager's PIN approves an update mode change. */
const PIN = TEST_MANAGER_PIN;

async function till(
  updater: FakeUpdater | null,
  opts: { dir?: TempDir; env?: NodeJS.ProcessEnv; timeScale?: number } = {},
) {
  const dir = opts.dir ?? tempDir();
  const core: Core = await createCore({
    dataDir: dir.path,
    env: opts.env ?? {},
    secretStore: memorySecretStore(),
    transport: 'electron',
    version: '1.0.0',
    simulatorTimeScale: opts.timeScale ?? 0.02,
    updater,
    updateTimings: { recheckMs: 40 },
  });
  signInManager(core);
  const changes: UpdateStatus[] = [];
  core.bus.subscribe((name, payload) => {
    if (name === 'updates:changed') changes.push(payload as PayloadOf<'updates:changed'>);
  });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await core.close();
  };
  if (!opts.dir) cleanups.push(() => dir.remove());
  cleanups.push(close);
  const call = async <T>(result: Promise<{ ok: boolean; value?: unknown; error?: unknown }>) => {
    const r = await result;
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    return r.value as T;
  };
  debug = () =>
    JSON.stringify({
      status: core.updates.status(),
      trading: core.tradingState(),
      attempts: core.db.prepare('SELECT kind, state, is_final FROM payment_attempts').all(),
      refunds: core.db.prepare('SELECT kind, status FROM refunds').all(),
    });
  return { core, dir, changes, close, call };
}

let debug = () => '';
const until = (what: string, test: () => boolean, ms = 10_000): Promise<unknown> =>
  waitFor(test, () => `${what} ${debug()}`, ms, 10);

const status = (core: Core) => core.updates.status();

async function cashSale(t: Awaited<ReturnType<typeof till>>, pounds: number) {
  const order = await t.call<{ id: string; totalMinor: number }>(
    t.core.dispatch('orders:create', {
      lines: [
        { kind: 'custom', name: 'Sale', unitPriceMinor: pounds * 100, vatRateBp: 0, quantity: 1 },
      ],
    }),
  );
  await t.call(
    t.core.dispatch('orders:pay-cash', {
      orderId: order.id,
      amountMinor: order.totalMinor,
      tenderedMinor: order.totalMinor,
      idempotencyKey: randomUUID(),
    }),
  );
  return order;
}

async function firstTerminal(t: Awaited<ReturnType<typeof till>>) {
  const terminals = await t.call<{ id: string; status: string }[]>(
    t.core.dispatch('terminals:list', undefined),
  );
  const available = terminals.find((x) => x.status === 'Available');
  if (!available) throw new Error('no available simulator terminal');
  return available.id;
}

describe('updates: electron-updater wired to the till (fake autoUpdater)', () => {
  it('takes the downloading and installing away from electron-updater and checks on start', async () => {
    const updater = new FakeUpdater();
    const t = await till(updater);
    await until('the start-up check', () => status(t.core).phase === 'up-to-date');
    expect(updater.autoDownload).toBe(false);
    expect(updater.autoInstallOnAppQuit).toBe(false);
    expect(updater.calls).toEqual(['check']);
    expect(status(t.core)).toMatchObject({
      mode: 'automatic',
      currentVersion: '1.0.0',
      message: 'OpenTill 1.0.0 is the latest version.',
    });
  });

  it('idle at start-up: downloads in the background and installs silently, restarting the till', async () => {
    const updater = new FakeUpdater();
    updater.feed = { version: '1.1.0' };
    const t = await till(updater);
    await until('the install', () => updater.calls.includes('install'));
    expect(updater.calls).toEqual(['check', 'download', 'install']);
    expect(updater.installs).toEqual([{ isSilent: true, isForceRunAfter: true }]);
    expect(t.changes.map((c) => c.phase)).toEqual(
      expect.arrayContaining(['downloading', 'installing']),
    );
    expect(status(t.core).message).toBe('Installing version 1.1.0: the till restarts by itself.');
  });

  it('a basket open: the update waits, the status bar says it is ready, and it installs after the day close', async () => {
    const updater = new FakeUpdater();
    updater.feed = { version: '1.1.0' };
    // The download finishes while the cashier already has a basket open.
    const slow = updater.downloadUpdate.bind(updater);
    let release = () => {};
    updater.downloadUpdate = () =>
      new Promise((resolve) => {
        release = () => resolve(slow());
      });
    const t = await till(updater);
    await until('the download to start', () => status(t.core).phase === 'downloading');
    await t.call(t.core.dispatch('updates:basket', { basketOpen: true }));
    expect(t.core.tradingState().basketOpen).toBe(true);
    release();
    await until('ready', () => status(t.core).phase === 'ready');
    expect(status(t.core)).toMatchObject({
      availableVersion: '1.1.0',
      message: 'Version 1.1.0 is ready. Waiting: a basket is open on the till.',
    });
    expect(t.changes.at(-1)).toMatchObject({ phase: 'ready', availableVersion: '1.1.0' });

    // The basket is paid and emptied: still the trading day, so it still waits.
    await cashSale(t, 3);
    await t.call(t.core.dispatch('updates:basket', { basketOpen: false }));
    expect(status(t.core).message).toBe(
      'Version 1.1.0 is ready. Installs at the next start or right after the day is closed.',
    );
    await staysTrueFor(
      () => !updater.calls.includes('install'),
      150,
      'no install before the close',
    );
    expect(updater.calls).not.toContain('install');

    await t.call(t.core.dispatch('reports:close-day', { confirm: true }));
    await until('the install after the day close', () => updater.calls.includes('install'));
    expect(updater.calls.filter((c) => c === 'install')).toHaveLength(1);
  });

  it('after the day close it checks again, and waits for a card payment still on the terminal', async () => {
    const updater = new FakeUpdater();
    const t = await till(updater);
    await until('the start-up check', () => status(t.core).phase === 'up-to-date');
    await t.call(t.core.dispatch('updates:basket', { basketOpen: true }));

    // The day cannot close while a card payment is live, so it closes first; the update it
    // finds then waits, and a card payment started on the terminal keeps it waiting.
    updater.feed = { version: '1.2.0' };
    await t.call(t.core.dispatch('reports:close-day', { confirm: true }));
    expect(updater.calls).toEqual(['check', 'check', 'download']);
    await until('ready', () => status(t.core).phase === 'ready');
    expect(status(t.core).message).toBe(
      'Version 1.2.0 is ready. Waiting: a basket is open on the till.',
    );

    const terminalId = await firstTerminal(t);
    const order = await t.call<{ id: string }>(
      t.core.dispatch('orders:create', {
        lines: [{ kind: 'custom', name: 'Card', unitPriceMinor: 904, vatRateBp: 0, quantity: 1 }],
      }),
    );
    // .04: the terminal waits for a card.
    const attempt = await t.call<{ id: string }>(
      t.core.dispatch('payments:start-sale', {
        orderId: order.id,
        terminalId,
        idempotencyKey: randomUUID(),
      }),
    );
    expect(t.core.tradingState().livePayments).toBe(1);
    await until('the wait reason to name the card payment', () =>
      /card payment/.test(status(t.core).message),
    );
    expect(status(t.core).message).toBe(
      'Version 1.2.0 is ready. Waiting: 1 card payment is in progress.',
    );
    // Even with the basket emptied, the payment on the terminal keeps the update waiting.
    await t.call(t.core.dispatch('updates:basket', { basketOpen: false }));
    await staysTrueFor(
      () => !updater.calls.includes('install'),
      150,
      'no install while a payment is on the terminal',
    );
    expect(status(t.core).message).toBe(
      'Version 1.2.0 is ready. Waiting: 1 card payment is in progress.',
    );
    expect(updater.calls).not.toContain('install');

    await t.call(t.core.dispatch('payments:cancel', { attemptId: attempt.id }));
    await until('the attempt to end', () => t.core.tradingState().livePayments === 0);
    await until('the install once the terminal is free', () => updater.calls.includes('install'));
  });

  it('counts a terminal refund in progress and receipts still to print as work not to interrupt', async () => {
    const updater = new FakeUpdater();
    const port = await closedPort();
    // Slow enough that the terminal is still waiting for the card while the update waits.
    const t = await till(updater, {
      env: { OPENTILL_PRINTER: `tcp://127.0.0.1:${port}` },
      timeScale: 0.2,
    });
    await cashSale(t, 2);
    await until('the receipt journalled', () => t.core.tradingState().pendingPrintJobs > 0);
    // The day cannot close while a refund is live: it closes first, with the receipt unprinted.
    updater.feed = { version: '1.3.0' };
    await t.call(t.core.dispatch('reports:close-day', { confirm: true }));
    await until('ready', () => status(t.core).phase === 'ready');
    expect(status(t.core).message).toMatch(
      /^Version 1\.3\.0 is ready\. Waiting: \d+ receipts? (is|are) still to print\.$/,
    );

    const terminalId = await firstTerminal(t);
    const refund = await t.call<{ attempt: { id: string } }>(
      t.core.dispatch('refunds:unlinked', {
        terminalId,
        amountMinor: 504, // .04: waits for the card
        reason: 'Returned goods',
        idempotencyKey: randomUUID(),
      }),
    );
    expect(t.core.tradingState()).toMatchObject({ liveRefunds: 1, livePayments: 0 });
    await until('the wait reason to name the refund', () => /refund/.test(status(t.core).message));
    expect(status(t.core).message).toBe(
      'Version 1.3.0 is ready. Waiting: 1 refund is in progress.',
    );
    await t.call(t.core.dispatch('payments:cancel', { attemptId: refund.attempt.id }));
    await until('the refund to end', () => t.core.tradingState().liveRefunds === 0);
    await until('the wait reason to move on', () => /to print/.test(status(t.core).message));
    expect(status(t.core).message).toMatch(
      /^Version 1\.3\.0 is ready\. Waiting: \d+ receipts? (is|are) still to print\.$/,
    );
    expect(updater.calls).not.toContain('install');
  });

  it('a manager pins the version with the PIN; newer versions are then announced, not downloaded', async () => {
    const updater = new FakeUpdater();
    const t = await till(updater);
    await until('the start-up check', () => status(t.core).phase === 'up-to-date');

    const wrong = await t.core.dispatch('updates:set-mode', { mode: 'pinned', managerPin: '9753' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'MANAGER_PIN_INVALID' } });
    const sneaky = await t.core.dispatch('settings:update', { updateMode: 'off' });
    expect(sneaky).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION',
        message: 'How the till updates is changed in Settings → Updates, with the manager PIN.',
      },
    });
    expect(t.core.settings.get()).toMatchObject({
      updateMode: 'automatic',
      updatePinnedVersion: null,
    });

    const pinned = await t.call<UpdateStatus>(
      t.core.dispatch('updates:set-mode', { mode: 'pinned', managerPin: PIN }),
    );
    expect(pinned).toMatchObject({ mode: 'pinned', pinnedVersion: '1.0.0', phase: 'held' });
    expect(t.core.settings.get()).toMatchObject({
      updateMode: 'pinned',
      updatePinnedVersion: '1.0.0',
    });
    const audit = t.core.db
      .prepare<[], { actor: string }>(
        "SELECT actor FROM audit_log WHERE action = 'settings.update' ORDER BY rowid DESC LIMIT 1",
      )
      .get();
    expect(audit?.actor).toBe('manager');

    updater.feed = { version: '2.0.0' };
    await t.call(t.core.dispatch('reports:close-day', { confirm: true }));
    await until('held', () => status(t.core).availableVersion === '2.0.0');
    expect(status(t.core)).toMatchObject({
      phase: 'held',
      message: 'Version 2.0.0 is available; a manager pinned this till to 1.0.0.',
    });
    expect(updater.calls).not.toContain('download');
    expect(updater.calls).not.toContain('install');
  });

  it('turned off: after a restart the till does not even ask the release feed', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const first = await till(new FakeUpdater(), { dir });
    const off = await first.call<UpdateStatus>(
      first.core.dispatch('updates:set-mode', { mode: 'off', managerPin: PIN }),
    );
    expect(off).toMatchObject({ phase: 'disabled', mode: 'off' });
    await first.close();

    const updater = new FakeUpdater();
    updater.feed = { version: '9.9.9' };
    const second = await till(updater, { dir });
    await staysTrueFor(() => status(second.core).phase === 'disabled', 50, 'updates staying off');
    expect(status(second.core)).toMatchObject({
      phase: 'disabled',
      message: 'Updates are turned off in Settings.',
    });
    await second.call(second.core.dispatch('reports:close-day', { confirm: true }));
    expect(updater.calls).toEqual([]);

    // Back to automatic: it checks at once.
    await second.call(
      second.core.dispatch('updates:set-mode', { mode: 'automatic', managerPin: PIN }),
    );
    expect(updater.calls).toContain('check');
  });

  it('a feed that cannot be reached is said in plain words and never installs anything', async () => {
    const updater = new FakeUpdater();
    updater.feed = new Error('net::ERR_NAME_NOT_RESOLVED https://github.com/…/latest.yml');
    const t = await till(updater);
    await until('the error', () => status(t.core).phase === 'error');
    expect(status(t.core).message).toBe(
      'Could not check for updates: the release feed could not be reached. The till tries again at the next start or day close.',
    );
    expect(updater.calls).toEqual(['check']);
  });

  it('browser mode has no updater: updates say they come with the installed app', async () => {
    const t = await till(null);
    expect(await t.call(t.core.dispatch('updates:status', undefined))).toMatchObject({
      phase: 'unsupported',
      message: 'Updates come with the installed app (not in browser mode).',
    });
    expect(await t.call(t.core.dispatch('updates:check', undefined))).toMatchObject({
      phase: 'unsupported',
    });
  });
});

/** A loopback port with nothing listening: a printer that is switched off. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  await new Promise((r) => server.close(r));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}
