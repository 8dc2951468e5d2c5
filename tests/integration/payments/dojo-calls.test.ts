import { afterEach, describe, expect, it } from 'vitest';
import { getAttempt } from '../../../src-main/payments/attempts.repo';
import { createHarness, insertOrder, orderState, T1, TEST_POLLING, type Harness } from './harness';

/**
 * Dojo calls per card sale, other than session polls, counted from the simulator's own records:
 * at most 3 on the happy path (intent create, session create, the intent's last word). The
 * terminal's status comes from listings kept fresh in the background; when it changed since, the
 * session create's own refusal speaks and nothing is charged.
 */
let h: Harness | null = null;
afterEach(async () => {
  h?.expectRequestsValid();
  await h?.close();
  h = null;
});

const shape = (path: string) => path.replace(/\/(pi|ts|tm)_[A-Za-z0-9_-]+/g, '/{$1}');
const callsSince = (harness: Harness, from: number) =>
  harness.sim.control
    .records()
    .requests.slice(from)
    .map((r) => `${r.method} ${shape(r.path)}`);
const notPolls = (calls: string[]) => calls.filter((c) => c !== 'GET /terminal-sessions/{ts}');

describe('Dojo calls per sale', () => {
  it('happy path: 3 calls besides the session polls, no terminal read', async () => {
    h = await createHarness();
    await h.service.listTerminals(); // what the till does when it opens
    const from = h.sim.control.records().requests.length;
    const orderId = insertOrder(h.db, 1250);
    const done = await h.settle(await h.service.startSale({ orderId, terminalId: T1 }));
    expect(done.state.kind).toBe('succeeded');
    const calls = notPolls(callsSince(h, from));
    expect(calls).toEqual([
      'POST /payment-intents',
      'POST /terminal-sessions',
      'GET /payment-intents/{pi}',
    ]);
    expect(calls.length).toBeLessThanOrEqual(3);
    // A second sale straight after: the same 3.
    const from2 = h.sim.control.records().requests.length;
    const second = insertOrder(h.db, 990);
    await h.settle(await h.service.startSale({ orderId: second, terminalId: T1 }));
    expect(notPolls(callsSince(h, from2))).toHaveLength(3);
  });

  it('the first session read waits one fast poll interval after the create: its answer is fresh', async () => {
    h = await createHarness({ polling: { ...TEST_POLLING, fastMs: 200 } });
    const from = h.sim.control.records().requests.length;
    const done = await h.settle(
      await h.service.startSale({ orderId: insertOrder(h.db, 1250), terminalId: T1 }),
    );
    expect(done.state.kind).toBe('succeeded');
    const requests = h.sim.control.records().requests.slice(from);
    const at = (method: string, path: RegExp) => {
      const r = requests.find((q) => q.method === method && path.test(q.path));
      if (!r) throw new Error(`no ${method} ${String(path)}`);
      return Date.parse(r.at);
    };
    const created = at('POST', /^\/terminal-sessions$/);
    const firstRead = at('GET', /^\/terminal-sessions\/ts_/);
    // A read at once would only repeat the create's answer (no terminal acts that fast).
    expect(firstRead - created).toBeGreaterThanOrEqual(195);
  });

  it('the background refresh keeps the listing fresh without the renderer', async () => {
    h = await createHarness({ terminalRefreshMs: 100 });
    const harness = h;
    // Wait for a listing the background refresh has received (not only asked for): on a loaded
    // machine the answer can come well after the request.
    await harness.until(() => harness.terminalsStatus.some((s) => s.terminals.length > 0), 5000);
    const from = harness.sim.control.records().requests.length;
    const orderId = insertOrder(harness.db, 700);
    await harness.settle(await harness.service.startSale({ orderId, terminalId: T1 }));
    const calls = notPolls(callsSince(harness, from)).filter((c) => c !== 'GET /terminals');
    expect(calls).toEqual([
      'POST /payment-intents',
      'POST /terminal-sessions',
      'GET /payment-intents/{pi}',
    ]);
  });

  it('a background refresh that fails keeps the last listing on screen (never an empty picker)', async () => {
    h = await createHarness({ terminalRefreshMs: 50 });
    const harness = h;
    await harness.until(() => harness.terminalsStatus.length > 0, 5000);
    harness.sim.control.injectFault({
      kind: 'http-error',
      path: '/terminals',
      method: 'GET',
      status: 503,
      count: 3,
    });
    await harness.until(
      () => callsSince(harness, 0).filter((c) => c === 'GET /terminals').length >= 5,
      5000,
    );
    expect(harness.terminalsStatus.every((s) => s.error === null && s.terminals.length === 5)).toBe(
      true,
    );
  });

  it('a terminal taken since the listing: the session create refuses, nothing is charged, the retry reads it and reuses the intent', async () => {
    h = await createHarness();
    const harness = h;
    await harness.service.listTerminals();
    harness.sim.control.setTerminalStatus(T1, 'InUse'); // another till took it
    const orderId = insertOrder(harness.db, 1400);
    const from = harness.sim.control.records().requests.length;
    const refused = await harness.service
      .startSale({ orderId, terminalId: T1 })
      .then(() => null)
      .catch((e: unknown) => e as { code: string; message: string });
    expect(refused?.code).toBe('TERMINAL_BUSY');
    expect(refused?.message).toBe(
      'Terminal 28340001 is not free any more: Dojo refused to start the payment there, so nothing was taken. Wait for it, or choose another terminal.',
    );
    expect(harness.sim.control.records().sessions).toHaveLength(0);
    expect(orderState(harness.db, orderId)).toMatchObject({ status: 'open', paid_minor: 0 });
    const attempt = harness.service.listForOrder(orderId)[0];
    expect(attempt?.state.kind).toBe('failed');
    // The refusal made the till look again, so the picker shows what Dojo says now.
    await harness.until(() => callsSince(harness, from).includes('GET /terminals'));

    harness.sim.control.setTerminalStatus(T1, 'Available');
    const from2 = harness.sim.control.records().requests.length;
    const paid = await harness.settle(await harness.service.startSale({ orderId, terminalId: T1 }));
    expect(paid.state.kind).toBe('succeeded');
    expect(paid.paymentIntentId).toBe(attempt?.paymentIntentId);
    expect(harness.sim.control.records().paymentIntents).toHaveLength(1);
    // Its view said InUse: this time the terminal is read before anything is started.
    expect(notPolls(callsSince(harness, from2))[0]).toBe('GET /terminals/{tm}');
    expect(getAttempt(harness.db, paid.id).terminalTid).toBe('28340001');
  });
});
