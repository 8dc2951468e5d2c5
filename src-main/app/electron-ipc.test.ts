import { describe, expect, it } from 'vitest';
import { channelNames } from '../../src-shared/contract';
import type { Result } from '../../src-shared/errors';
import { createEventBus } from '../platform/event-bus';
import { createDispatcher } from '../ipc/dispatcher';
import { createLogger, memorySink } from '../logging/logger';
import { EVENT_CHANNEL, forwardEvents, registerElectronIpc, type IpcSender } from './electron-ipc';
import { buildTillBridge, type IpcRendererLike } from './preload-bridge';
import { isAppUrl } from './window-options';

type Listener = (event: IpcSender, input: unknown) => Promise<Result<unknown>>;

/** A fake ipcMain + ipcRenderer pair joined the way Electron joins them. */
function fakeElectron(senderUrl: string, parent: unknown = null) {
  const handlers = new Map<string, Listener>();
  const rendererListeners = new Map<string, Set<(e: unknown, ...a: unknown[]) => void>>();
  const ipcMain = {
    handle: (c: string, l: Listener) => void handlers.set(c, l),
    removeHandler: (c: string) => void handlers.delete(c),
  };
  const ipcRenderer: IpcRendererLike = {
    invoke: async (channel, input) => {
      const handler = handlers.get(channel);
      if (!handler) throw new Error(`No handler registered for '${channel}'`);
      return handler({ senderFrame: { url: senderUrl, parent } }, structuredClone(input));
    },
    on: (c, l) => rendererListeners.set(c, (rendererListeners.get(c) ?? new Set()).add(l)),
    removeListener: (c, l) => rendererListeners.get(c)?.delete(l),
  };
  const send = (channel: string, ...args: unknown[]) =>
    rendererListeners.get(channel)?.forEach((l) => l({}, ...args));
  return { ipcMain, ipcRenderer, handlers, send };
}

function setup(senderUrl = 'app://opentill/index.html', parent: unknown = null) {
  const sink = memorySink();
  const log = createLogger([sink]);
  let pings = 0;
  const dispatch = createDispatcher(
    { 'app:ping': ({ echo }) => ({ echo, storedAt: 'now', pings: ++pings }) },
    log,
  );
  const fake = fakeElectron(senderUrl, parent);
  registerElectronIpc({
    ipcMain: fake.ipcMain,
    dispatch,
    log,
    isTrustedSender: (e) =>
      e.senderFrame !== null && e.senderFrame.parent === null && isAppUrl(e.senderFrame.url),
  });
  return { ...fake, till: buildTillBridge(fake.ipcRenderer), sink, pings: () => pings };
}

describe('Electron IPC transport', () => {
  it('registers exactly the contract channels and answers through the dispatcher', async () => {
    const { handlers, till } = setup();
    expect([...handlers.keys()].sort()).toEqual([...channelNames].sort());
    expect(await till['app:ping']({ echo: 'hi' })).toEqual({
      ok: true,
      value: { echo: 'hi', storedAt: 'now', pings: 1 },
    });
  });

  it('refuses a foreign sender or a sub-frame before the handler runs', async () => {
    for (const [url, parent] of [
      ['https://evil.example/', null],
      ['app://opentill/index.html', {}],
    ] as const) {
      const { till, pings, sink } = setup(url, parent);
      const result = await till['app:ping']({ echo: 'x' });
      expect(result).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
      expect(pings()).toBe(0);
      expect(sink.records.some((r) => r.message === 'IPC from an untrusted sender refused')).toBe(
        true,
      );
    }
  });

  it('validates input with the channel schema', async () => {
    const { till, pings } = setup();
    const bad = await (till['app:ping'] as (i: unknown) => Promise<Result<unknown>>)({ echo: '' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(pings()).toBe(0);
  });

  it('exposes one method per channel plus on(), and nothing generic', () => {
    const { till } = setup();
    const keys = Object.keys(till).sort();
    expect(keys).toEqual([...channelNames, 'on'].sort());
    expect(keys).not.toContain('invoke');
    expect(Object.isFrozen(till)).toBe(true);
  });

  it('delivers only the subscribed event and stops after unsubscribe', () => {
    const { till, send } = setup();
    const bus = createEventBus();
    forwardEvents(bus, (channel, name, payload) => send(channel, name, payload));
    const seen: unknown[] = [];
    const off = till.on('status:changed', (s) => seen.push(s.mode));
    bus.emit('status:changed', {
      mode: 'training',
      dojo: { state: 'online', checkedAt: null, reason: null },
      queue: { pending: 0, failed: 0 },
      printer: { state: 'none', pendingJobs: 0, reason: null },
      needsAttention: 0,
    });
    send(EVENT_CHANNEL, 'other:event', {});
    off();
    bus.emit('status:changed', {
      mode: 'sandbox',
      dojo: { state: 'online', checkedAt: null, reason: null },
      queue: { pending: 0, failed: 0 },
      printer: { state: 'none', pendingJobs: 0, reason: null },
      needsAttention: 0,
    });
    expect(seen).toEqual(['training']);
    expect(() => till.on('nope' as 'status:changed', () => undefined)).toThrow(/Unknown event/);
  });
});
