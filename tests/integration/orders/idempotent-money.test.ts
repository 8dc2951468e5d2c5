import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../../src-shared/errors';
import { startBrowserMode, type BrowserMode } from '../../../src-main/server/browser-mode';
import { signInManager } from '../../support/staff';
import { tempDir } from '../../support/temp-dir';
import { waitFor } from '../../support/wait';

type Client = { call<T>(channel: string, input?: unknown): Promise<Result<T>>; close(): void };

/** A raw WebSocket client: requests go out back to back, answers are matched by id. */
async function connect(mode: BrowserMode): Promise<Client> {
  const ws = new WebSocket(`ws://127.0.0.1:${mode.port}/ipc?token=${mode.token}`, {
    origin: `http://127.0.0.1:${mode.port}`,
  });
  const pending = new Map<number, (r: Result<unknown>) => void>();
  let nextId = 1;
  ws.on('message', (data: Buffer) => {
    const msg = JSON.parse(data.toString('utf8')) as { id?: number; result?: Result<unknown> };
    if (typeof msg.id === 'number' && msg.result) pending.get(msg.id)?.(msg.result);
  });
  await new Promise((r) => ws.once('open', r));
  return {
    call: <T>(channel: string, input?: unknown) =>
      new Promise<Result<T>>((resolve) => {
        const id = nextId++;
        pending.set(id, resolve as (r: Result<unknown>) => void);
        ws.send(JSON.stringify({ id, channel, input }));
      }),
    close: () => ws.close(),
  };
}

const value = <T>(r: Result<T>): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
};

/**
 * A double click, Enter held down or a resend: the same request with the same key, several times,
 * all in flight together, over the real transport into the real core and SQLite file.
 */
describe('money requests are idempotent over the WebSocket transport', () => {
  const dir = tempDir('opentill-idem-');
  let mode: BrowserMode;
  let till: Client;
  const count = (sql: string, ...args: unknown[]) =>
    mode.core.db.prepare<unknown[], { n: number }>(sql).get(...args)?.n ?? -1;
  let orderId = '';
  let cashKey = '';
  let firstCash: unknown;
  let saleAttemptId = '';
  let refundKey = '';
  let firstRefund: unknown;

  /** Browser mode on the data folder, with a manager signed in (every money channel needs one). */
  const start = async () => {
    const started = await startBrowserMode({
      port: 0,
      dataDir: dir.path,
      rendererDir: dir.path,
      env: {},
      simulatorTimeScale: 0.02,
    });
    signInManager(started.core);
    return started;
  };

  beforeAll(async () => {
    mode = await start();
    till = await connect(mode);
  });
  afterAll(async () => {
    till.close();
    await mode.close();
    dir.remove();
  });

  it('split cash: three identical presses in flight record one £5.00 payment', async () => {
    const order = value(
      await till.call<{ id: string; totalMinor: number }>('orders:create', {
        lines: [
          { kind: 'custom', name: 'Split', unitPriceMinor: 1230, vatRateBp: 2000, quantity: 1 },
        ],
      }),
    );
    orderId = order.id;
    cashKey = randomUUID();
    const press = { orderId, amountMinor: 500, tenderedMinor: 500, idempotencyKey: cashKey };
    const answers = await Promise.all([
      till.call('orders:pay-cash', press),
      till.call('orders:pay-cash', press),
      till.call('orders:pay-cash', press),
    ]);
    for (const a of answers) expect(a).toEqual(answers[0]);
    firstCash = value(answers[0]);
    expect(firstCash).toMatchObject({ remainingMinor: 730, changeMinor: 0 });
    expect(count('SELECT count(*) AS n FROM tenders WHERE order_id = ?', orderId)).toBe(1);
    // After it finished, a repeat still gets the first answer and takes nothing.
    expect(await till.call('orders:pay-cash', press)).toEqual(answers[0]);
    expect(count('SELECT count(*) AS n FROM tenders WHERE order_id = ?', orderId)).toBe(1);
  });

  it('refuses a money request without a key, or with a key used for other amounts', async () => {
    const noKey = await till.call('orders:pay-cash', {
      orderId,
      amountMinor: 100,
      tenderedMinor: 100,
    });
    expect(noKey).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: /request key/ },
    });
    const reused = await till.call('orders:pay-cash', {
      orderId,
      amountMinor: 100,
      tenderedMinor: 100,
      idempotencyKey: cashKey,
    });
    expect(reused).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(count('SELECT count(*) AS n FROM tenders WHERE order_id = ?', orderId)).toBe(1);
  });

  it('card: duplicate start-sale presses in flight start one attempt', async () => {
    const terminals = value(await till.call<{ id: string; status: string }[]>('terminals:list'));
    const terminal = terminals.find((t) => t.status === 'Available');
    expect(terminal).toBeDefined();
    const press = { orderId, terminalId: terminal!.id, idempotencyKey: randomUUID() };
    const answers = await Promise.all([
      till.call<{ id: string }>('payments:start-sale', press),
      till.call<{ id: string }>('payments:start-sale', press),
    ]);
    expect(answers[1]).toEqual(answers[0]);
    saleAttemptId = value(answers[0]).id;
    expect(count('SELECT count(*) AS n FROM payment_attempts WHERE order_id = ?', orderId)).toBe(1);
    await waitFor(
      async () => {
        const a = value(
          await till.call<{ state: { kind: string } }>('payments:get', {
            attemptId: saleAttemptId,
          }),
        );
        return a.state.kind === 'succeeded';
      },
      'the card sale to be approved',
      20_000,
    );
    await waitFor(
      () =>
        count("SELECT count(*) AS n FROM orders WHERE id = ? AND status = 'paid'", orderId) === 1,
      'the order to be paid',
    );
  });

  it('refunds: duplicate server refunds in flight give back the money once', async () => {
    refundKey = randomUUID();
    const press = { originalAttemptId: saleAttemptId, amountMinor: 200, idempotencyKey: refundKey };
    const answers = await Promise.all([
      till.call('refunds:server', press),
      till.call('refunds:server', press),
      till.call('refunds:server', press),
    ]);
    for (const a of answers) expect(a).toEqual(answers[0]);
    firstRefund = value(answers[0]);
    expect(
      count('SELECT count(*) AS n FROM refunds WHERE original_attempt_id = ?', saleAttemptId),
    ).toBe(1);
  });

  it('after a restart on the same data folder, a repeat still gets the first result', async () => {
    till.close();
    await mode.close();
    mode = await start();
    till = await connect(mode);
    expect(
      await till.call('orders:pay-cash', {
        orderId,
        amountMinor: 500,
        tenderedMinor: 500,
        idempotencyKey: cashKey,
      }),
    ).toEqual({ ok: true, value: firstCash });
    expect(
      await till.call('refunds:server', {
        originalAttemptId: saleAttemptId,
        amountMinor: 200,
        idempotencyKey: refundKey,
      }),
    ).toEqual({ ok: true, value: firstRefund });
    expect(
      count('SELECT count(*) AS n FROM tenders WHERE order_id = ? AND kind = ?', orderId, 'cash'),
    ).toBe(1);
    expect(
      count('SELECT count(*) AS n FROM refunds WHERE original_attempt_id = ?', saleAttemptId),
    ).toBe(1);
  });
});
