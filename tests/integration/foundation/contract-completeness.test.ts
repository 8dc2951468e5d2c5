import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelNames, channels } from '../../../src-shared/contract';
import type { Result } from '../../../src-shared/errors';
import { startBrowserMode, type BrowserMode } from '../../../src-main/server/browser-mode';
import { tempDir } from '../../support/temp-dir';

/** The whole contract, over the WebSocket transport, against the real core and database. */
describe('the contract over the WebSocket transport', () => {
  const dir = tempDir();
  let mode: BrowserMode;
  let ws: WebSocket;
  let nextId = 1;
  const pending = new Map<number, (r: Result<unknown>) => void>();
  const call = (channel: string, input: unknown) =>
    new Promise<Result<unknown>>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      ws.send(JSON.stringify({ id, channel, input }));
    });

  beforeAll(async () => {
    mode = await startBrowserMode({
      port: 0,
      dataDir: dir.path,
      rendererDir: dir.path,
      env: {},
      simulatorTimeScale: 0.02,
    });
    // Signed in, so channels reach their handlers (the permission guard runs after validation).
    mode.core.staff.signInDemo();
    ws = new WebSocket(`ws://127.0.0.1:${mode.port}/ipc?token=${mode.token}`, {
      origin: `http://127.0.0.1:${mode.port}`,
    });
    ws.on('message', (data: Buffer) => {
      const msg = JSON.parse(data.toString('utf8')) as { id?: number; result?: Result<unknown> };
      if (typeof msg.id === 'number' && msg.result) pending.get(msg.id)?.(msg.result);
    });
    await new Promise((r) => ws.once('open', r));
  });
  afterAll(async () => {
    ws.close();
    await mode.close();
    dir.remove();
  });

  it('names every channel domain:verb', () => {
    for (const name of channelNames) expect(name).toMatch(/^[a-z]+:[a-z]+(-[a-z]+)*$/);
  });

  it.each(channelNames)('%s is wired into the core and validates its input', async (channel) => {
    // A deliberately wrong input: channels that take input must refuse it as VALIDATION; none may
    // answer "not available in this version" (an unwired handler).
    const takesInput = !channels[channel].input.safeParse(undefined).success;
    const result = await call(channel, takesInput ? { definitely: 'wrong' } : undefined);
    if (!result.ok) expect(result.error.message).not.toMatch(/not available in this version/);
    if (takesInput) expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('answers real work end to end: a catalogue product becomes a paid cash order', async () => {
    const products = (await call('catalogue:list', undefined)) as Result<
      { id: string; priceMinor: number }[]
    >;
    expect(products.ok && products.value.length).toBeGreaterThan(0);
    const product = products.ok ? products.value[0] : undefined;
    const created = (await call('orders:create', {
      lines: [{ kind: 'product', productId: product?.id, quantity: 2 }],
    })) as Result<{ id: string; totalMinor: number }>;
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    const paid = await call('orders:pay-cash', {
      idempotencyKey: randomUUID(),
      orderId: created.value.id,
      amountMinor: created.value.totalMinor,
      tenderedMinor: created.value.totalMinor + 500,
    });
    expect(paid).toMatchObject({ ok: true, value: { changeMinor: 500, orderCompleted: true } });
    const row = mode.core.db
      .prepare<[string], { status: string }>('SELECT status FROM orders WHERE id = ?')
      .get(created.value.id);
    expect(row?.status).toBe('paid');
  });
});
