import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBrowserMode, type BrowserMode } from '../../../src-main/server/browser-mode';
import { memorySink } from '../../../src-main/logging/logger';
import { MAX_PAYLOAD_BYTES } from '../../../src-main/server/ws-transport';
import { tempDir } from '../../support/temp-dir';

type Reply = {
  id: number | null;
  result: { ok: boolean; value?: unknown; error?: { code: string; message: string } };
};

function connect(mode: BrowserMode, opts: { token?: string | null; origin?: string | null } = {}) {
  const token = opts.token === undefined ? mode.token : opts.token;
  const origin = opts.origin === undefined ? `http://127.0.0.1:${mode.port}` : opts.origin;
  const url = `ws://127.0.0.1:${mode.port}/ipc${token === null ? '' : `?token=${encodeURIComponent(token)}`}`;
  return new WebSocket(url, origin === null ? {} : { origin });
}

function opened(ws: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
}

function refusedStatus(ws: WebSocket): Promise<number> {
  return new Promise((resolve, reject) => {
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('open', () => reject(new Error('connection was accepted')));
    ws.once('error', () => undefined);
  });
}

function request(ws: WebSocket, message: unknown): Promise<Reply> {
  return new Promise((resolve) => {
    ws.once('message', (data: Buffer) => resolve(JSON.parse(data.toString('utf8')) as Reply));
    ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  });
}

describe('WebSocket transport (browser mode)', () => {
  const dir = tempDir();
  const logs = memorySink();
  let mode: BrowserMode;
  const auditCount = () =>
    mode.core.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM audit_log').get()?.n ?? -1;

  beforeAll(async () => {
    mode = await startBrowserMode({
      port: 0,
      dataDir: dir.path,
      rendererDir: dir.path,
      env: {},
      logSinks: [logs],
    });
  });
  afterAll(async () => {
    await mode.close();
    dir.remove();
  });

  it('binds to loopback only and gives a per-run token in the URL fragment', () => {
    expect(mode.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{32}$/);
  });

  it('answers a valid request through the real core and database', async () => {
    const ws = connect(mode);
    await opened(ws);
    const reply = await request(ws, { id: 7, channel: 'app:ping', input: { echo: 'hello' } });
    expect(reply.id).toBe(7);
    expect(reply.result.ok).toBe(true);
    expect(reply.result.value).toMatchObject({ echo: 'hello', pings: 1 });
    ws.close();
  });

  it.each([
    ['missing token', { token: null }, 401],
    ['wrong token', { token: 'not-the-token-not-the-token-1234' }, 401],
    ['foreign origin', { origin: 'http://evil.example' }, 403],
    ['no origin', { origin: null }, 403],
  ])('refuses a connection with a %s', async (_name, opts, status) => {
    const before = auditCount();
    expect(await refusedStatus(connect(mode, opts))).toBe(status);
    expect(auditCount()).toBe(before);
    expect(logs.records.some((r) => r.message === 'websocket connection refused')).toBe(true);
    expect(JSON.stringify(logs.records)).not.toContain(mode.token);
  });

  it('rejects an unknown channel, bad input and malformed frames with clear errors, changing nothing', async () => {
    const ws = connect(mode);
    await opened(ws);
    const before = auditCount();
    const unknown = await request(ws, { id: 1, channel: 'fs:read', input: '/etc/passwd' });
    expect(unknown.result.error).toMatchObject({ code: 'UNKNOWN_CHANNEL' });
    const badType = await request(ws, { id: 2, channel: 'app:ping', input: { echo: 42 } });
    expect(badType.result.error?.code).toBe('VALIDATION');
    expect(badType.result.error?.message).toMatch(/echo/);
    const extraField = await request(ws, {
      id: 3,
      channel: 'app:ping',
      input: { echo: 'x', admin: true },
    });
    expect(extraField.result.error?.code).toBe('VALIDATION');
    const badKey = await request(ws, {
      id: 4,
      channel: 'credentials:set',
      input: { apiKey: 'pk_live_123' },
    });
    expect(badKey.result.error).toMatchObject({ code: 'VALIDATION' });
    expect(badKey.result.error?.message).toMatch(/sk_sandbox_/);
    const malformed = await request(ws, '{not json');
    expect(malformed).toEqual({
      id: null,
      result: {
        ok: false,
        error: { code: 'VALIDATION', message: 'Malformed request', retryable: false },
      },
    });
    expect(auditCount()).toBe(before);
    expect(mode.core.credentials.status().configured).toBe(false);
    ws.close();
  });

  it('refuses a frame whose channel is not a string as UNKNOWN_CHANNEL and keeps serving', async () => {
    const ws = connect(mode);
    await opened(ws);
    const before = auditCount();
    // `String(channel)` throws on both: once, that rejection killed the browser-mode process.
    const toStringTrap = await request(ws, '{"id":1,"channel":{"toString":1}}');
    expect(toStringTrap).toEqual({
      id: 1,
      result: {
        ok: false,
        error: {
          code: 'UNKNOWN_CHANNEL',
          message: 'Unknown request: the channel must be a name, not an object',
          retryable: false,
        },
      },
    });
    const depth = 100_000;
    const deep = await request(ws, `{"id":2,"channel":${'['.repeat(depth)}${']'.repeat(depth)}}`);
    expect(deep.id).toBe(2);
    expect(deep.result.error).toMatchObject({ code: 'UNKNOWN_CHANNEL' });
    expect(deep.result.error?.message).toMatch(/not an array/);
    expect(auditCount()).toBe(before);
    // The same socket and the core still answer.
    const ping = await request(ws, { id: 3, channel: 'app:ping', input: { echo: 'still here' } });
    expect(ping.result).toMatchObject({ ok: true, value: { echo: 'still here' } });
    ws.close();
  });

  it('closes the socket on an oversized payload without dispatching it', async () => {
    const ws = connect(mode);
    await opened(ws);
    const before = auditCount();
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send(
      JSON.stringify({
        id: 9,
        channel: 'app:ping',
        input: { echo: 'x'.repeat(MAX_PAYLOAD_BYTES) },
      }),
    );
    expect(await closed).toBe(1009);
    expect(auditCount()).toBe(before);
  });

  it('serves the renderer with a strict CSP and refuses paths outside it', async () => {
    const res = await fetch(`http://127.0.0.1:${mode.port}/../../etc/passwd`);
    expect(res.status).toBe(404);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain(`connect-src ws://127.0.0.1:${mode.port}`);
    const encoded = await fetch(`http://127.0.0.1:${mode.port}/%2e%2e/%2e%2e/%2e%2e/etc/passwd`);
    expect(encoded.status).toBe(404);
    const post = await fetch(`http://127.0.0.1:${mode.port}/`, { method: 'POST' });
    expect(post.status).toBe(405);
  });
});
