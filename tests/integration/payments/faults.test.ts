import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, insertOrder, orderState, T1, type Harness } from './harness';

let h: Harness | null = null;
afterEach(async () => {
  h?.expectRequestsValid();
  await h?.close();
  h = null;
});

describe('HTTP faults from Dojo', () => {
  it('503 with Retry-After and 429 while polling: backs off, honours Retry-After, still captures', async () => {
    h = await createHarness();
    h.sim.control.injectFault({
      kind: 'http-error',
      path: '/terminal-sessions/*',
      method: 'GET',
      status: 503,
      retryAfterSeconds: 0.3,
      count: 2,
    });
    h.sim.control.injectFault({
      kind: 'http-error',
      path: '/terminal-sessions/*',
      method: 'GET',
      status: 429,
      retryAfterSeconds: 0.2,
      count: 1,
    });
    const orderId = insertOrder(h.db, 1500);
    const a = await h.service.startSale({ orderId, terminalId: T1 });
    const done = await h.settle(a);
    expect(done.state.kind).toBe('succeeded');
    expect(orderState(h.db, orderId)?.status).toBe('paid');
    const polls = h.sim.control
      .records()
      .requests.filter((r) => r.method === 'GET' && r.path.startsWith('/terminal-sessions/'));
    // After the three errors the next polls waited at least the Retry-After.
    const gaps = polls
      .slice(1, 4)
      .map((r, i) => Date.parse(r.at) - Date.parse(polls[i]?.at ?? r.at));
    expect(gaps[0]).toBeGreaterThanOrEqual(280);
    expect(gaps[2]).toBeGreaterThanOrEqual(180);
  });

  it('session create reset after it took effect: the session is found through the intent, never created twice', async () => {
    h = await createHarness();
    h.sim.control.injectFault({
      kind: 'reset',
      path: '/terminal-sessions',
      method: 'POST',
      applyRequest: true,
    });
    const orderId = insertOrder(h.db, 1500);
    const a = await h.service.startSale({ orderId, terminalId: T1 });
    const done = await h.settle(a);
    expect(done.state.kind).toBe('succeeded');
    expect(h.sim.control.records().sessions).toHaveLength(1);
    expect(h.service.get(a.id).events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['session-create-uncertain', 'session-adopted']),
    );
    expect(h.sequence().slice(0, 5)).toEqual([
      'GET /terminals/{tm}',
      'POST /payment-intents',
      'POST /terminal-sessions',
      'GET /payment-intents/{pi}',
      'GET /terminal-sessions/{ts}',
    ]);
  });

  it('session create reset before it took effect: terminal idle and no session → asked again once', async () => {
    h = await createHarness();
    h.sim.control.injectFault({ kind: 'reset', path: '/terminal-sessions', method: 'POST' });
    const orderId = insertOrder(h.db, 1500);
    const done = await h.settle(await h.service.startSale({ orderId, terminalId: T1 }));
    expect(done.state.kind).toBe('succeeded');
    expect(h.sim.control.records().sessions).toHaveLength(1);
    expect(h.sequence().slice(0, 6)).toEqual([
      'GET /terminals/{tm}',
      'POST /payment-intents',
      'POST /terminal-sessions',
      'GET /payment-intents/{pi}',
      'GET /terminals/{tm}',
      'POST /terminal-sessions',
    ]);
  });

  it('intent create fails (500): the attempt fails cleanly, the order is open, a retry works', async () => {
    h = await createHarness();
    h.sim.control.injectFault({
      kind: 'http-error',
      path: '/payment-intents',
      method: 'POST',
      status: 500,
    });
    const orderId = insertOrder(h.db, 1500);
    await expect(h.service.startSale({ orderId, terminalId: T1 })).rejects.toMatchObject({
      code: 'DOJO_HTTP',
      retryable: true,
    });
    const [failed] = h.service.listForOrder(orderId);
    expect(failed?.state.kind).toBe('failed');
    expect(orderState(h.db, orderId)?.status).toBe('open');
    const done = await h.settle(await h.service.startSale({ orderId, terminalId: T1 }));
    expect(done.state.kind).toBe('succeeded');
  });

  it('an invalid key: the cashier is told to check Settings, nothing is written', async () => {
    h = await createHarness({ apiKey: 'sk_sandbox_invalid_key_here' });
    const orderId = insertOrder(h.db, 1500);
    await expect(h.service.startSale({ orderId, terminalId: T1 })).rejects.toMatchObject({
      code: 'CREDENTIALS_INVALID',
      message: 'Dojo rejected the API key — check it in Settings',
    });
    await expect(h.service.listTerminals()).rejects.toMatchObject({ code: 'CREDENTIALS_INVALID' });
    expect(h.service.listForOrder(orderId)).toEqual([]);
  });
});
