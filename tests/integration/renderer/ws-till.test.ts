import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createWebSocketTill } from '../../../src-renderer/transport/ws-till';
import { startBrowserMode, type BrowserMode } from '../../../src-main/server/browser-mode';
import { MAX_PAYLOAD_BYTES } from '../../../src-main/server/ws-transport';
import { tempDir } from '../../support/temp-dir';
import { staysTrueFor, waitFor } from '../../support/wait';

/** The renderer's browser-mode `till`, against the real server and core (a browser sends Origin). */
describe('renderer WebSocket till client', () => {
  const dir = tempDir();
  let mode: BrowserMode;
  let Impl: typeof globalThis.WebSocket;
  beforeAll(async () => {
    mode = await startBrowserMode({
      port: 0,
      dataDir: dir.path,
      rendererDir: dir.path,
      env: {},
      simulatorTimeScale: 0.02,
    });
    const origin = `http://127.0.0.1:${mode.port}`;
    class BrowserLikeSocket extends WebSocket {
      constructor(url: string) {
        super(url, { origin });
      }
    }
    Impl = BrowserLikeSocket as unknown as typeof globalThis.WebSocket;
  });
  afterAll(async () => {
    await mode.close();
    dir.remove();
  });

  const url = () => `ws://127.0.0.1:${mode.port}/ipc?token=${mode.token}`;

  it('calls a channel and gets the typed result back', async () => {
    const till = createWebSocketTill({ url: url(), WebSocketImpl: Impl });
    const info = await till['app:info']();
    expect(info).toMatchObject({
      ok: true,
      value: { name: 'OpenTill', transport: 'websocket', mode: 'training' },
    });
    const bad = await till['app:ping']({ echo: '' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    till.close();
  });

  it('delivers events to the subscribed listener only until unsubscribed', async () => {
    const till = createWebSocketTill({ url: url(), WebSocketImpl: Impl });
    await till['app:info']();
    const seen: string[] = [];
    const off = till.on('status:changed', (s) => seen.push(s.mode));
    mode.core.bus.emit('status:changed', mode.core.status());
    await waitFor(() => seen.length === 1, 'the event');
    off();
    mode.core.bus.emit('status:changed', mode.core.status());
    await staysTrueFor(() => seen.length === 1, 100, 'no event after unsubscribing');
    expect(seen).toEqual(['training']);
    till.close();
  });

  it('answers an oversized request with a plain error, then reconnects by itself', async () => {
    const till = createWebSocketTill({ url: url(), WebSocketImpl: Impl });
    const huge = await till['app:ping']({ echo: 'x'.repeat(MAX_PAYLOAD_BYTES) });
    expect(huge).toMatchObject({
      ok: false,
      error: { message: 'That request was too large and was refused.' },
    });
    const after = await waitFor(async () => {
      const r = await till['app:info']();
      return r.ok ? r : null;
    }, 'a request after the reconnect');
    expect(after.ok).toBe(true);
    till.close();
  });

  it('a wrong token never connects, and the request fails in words rather than hanging', async () => {
    const till = createWebSocketTill({
      url: url().replace(/token=[^&]+/, 'token=wrong'),
      WebSocketImpl: Impl,
      requestTimeoutMs: 1500,
    });
    const r = await Promise.race([
      till['app:info'](),
      new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 5000)),
    ]);
    expect(r).not.toBe('hung');
    expect(r).toMatchObject({ ok: false });
    expect(JSON.stringify(r)).toContain('The till core cannot be reached');
    till.close();
  });

  it('reports the link (connected, reconnecting, lost) and comes back to a restarted core on the same data folder', async () => {
    const data = tempDir('opentill-relink-');
    let core = await startBrowserMode({
      port: 0,
      dataDir: data.path,
      rendererDir: data.path,
      env: {},
      simulatorTimeScale: 0.02,
    });
    const port = core.port;
    const origin = `http://127.0.0.1:${port}`;
    class Socket extends WebSocket {
      constructor(u: string) {
        super(u, { origin });
      }
    }
    const till = createWebSocketTill({
      url: `ws://127.0.0.1:${port}/ipc?token=${core.token}`,
      WebSocketImpl: Socket as unknown as typeof globalThis.WebSocket,
      lostAfterMs: 300,
      connectWaitMs: 5_000,
    });
    const links: string[] = [];
    till.onLink((l) => links.push(l));
    expect((await till['app:info']()).ok).toBe(true);
    expect(till.link()).toBe('connected');
    const firstToken = core.token;
    await core.close();
    await waitFor(() => till.link() === 'lost', 'the link to be reported lost');
    // While it is lost a press fails at once, in words, instead of hanging.
    const started = Date.now();
    const down = await till['app:info']();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(JSON.stringify(down)).toContain('nothing was done');
    core = await startBrowserMode({
      port,
      dataDir: data.path,
      rendererDir: data.path,
      env: {},
      simulatorTimeScale: 0.02,
    });
    expect(core.token).toBe(firstToken);
    await waitFor(() => till.link() === 'connected', 'the tab to reconnect by itself', 10_000);
    expect((await till['app:info']()).ok).toBe(true);
    expect(links).toEqual(['connected', 'reconnecting', 'lost', 'connected']);
    till.close();
    await core.close();
    data.remove();
  });
});
