import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../src-main/simulator/simulator';
import { notifications, simApi, statuses, TERMINALS } from './sim-client';

let sim: Simulator;
let api: ReturnType<typeof simApi>;

beforeAll(async () => {
  sim = await startSimulator({ timeScale: 0.02 });
  api = simApi(sim.url);
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => sim.control.reset());

describe('simulator: happy chip-and-PIN sale', () => {
  it('runs PresentCard → PleaseWait → EnterPin → PleaseWait → RemoveCard → Approved and captures', async () => {
    const intent = await api.createIntent(1250);
    expect(intent.status).toBe('Created');
    const created = await api.startSale(intent.id);
    expect(created.status).toBe('InitiateRequested');
    expect(created.notificationEvents).toEqual([]);
    expect(Date.parse(created.expireAt)).toBeGreaterThan(Date.parse(created.createdAt as string));

    const terminal = await api.call<{ status: string }>(
      'GET',
      `/terminals/${TERMINALS.available1}`,
    );
    expect(terminal.body.status).toBe('InUse');

    const done = await api.pollUntil(created.id);
    expect(done.status).toBe('Captured');
    expect(notifications(done)).toEqual([
      'PresentCard',
      'PleaseWait',
      'EnterPin',
      'PleaseWait',
      'RemoveCard',
      'Approved',
    ]);
    expect(statuses(done)).toEqual(['InitiateRequested', 'Initiated', 'Captured']);
    expect(Date.parse(done.expireAt)).toBeGreaterThan(Date.parse(created.expireAt));
    expect(done.paymentDetails?.card.cardNumber).toMatch(/^\*{12}\d{4}$/);
    expect(done.paymentDetails?.card.entryMode).toBe('ContactChip');
    expect(done.paymentDetails?.card.verificationMethod).toBe('Pin');
    expect(done.paymentDetails?.authCode).toMatch(/^\d{6}$/);
    for (const name of ['receipt', 'customerReceipt', 'merchantReceipt']) {
      const lines = (done[name] as { lines: Array<{ lineType: string; text?: { value: string } }> })
        .lines;
      expect(lines.length).toBeGreaterThan(10);
      expect(lines.some((l) => l.text?.value.includes('£12.50'))).toBe(true);
    }

    const paid = await api.intent(intent.id);
    expect(paid.status).toBe('Captured');
    expect((paid.paymentDetails as { card: { cardNumber: string } }).card.cardNumber).toBe(
      done.paymentDetails?.card.cardNumber,
    );
    const history = paid.terminalSessionHistory as Array<{
      terminalSession: { id: string; status: string };
      payment: unknown;
    }>;
    expect(history).toHaveLength(1);
    expect(history[0]?.terminalSession).toMatchObject({ id: created.id, status: 'Captured' });
    expect(history[0]?.payment).not.toBeNull();

    const after = await api.call<{ status: string }>('GET', `/terminals/${TERMINALS.available1}`);
    expect(after.body.status).toBe('Available');
  });

  it('contactless for amounts ending .03', async () => {
    const intent = await api.createIntent(503);
    const s = await api.startSale(intent.id);
    const done = await api.pollUntil(s.id);
    expect(done.status).toBe('Captured');
    expect(notifications(done)).toEqual(['PresentCard', 'PleaseWait', 'Approved']);
    expect(done.paymentDetails?.card.entryMode).toBe('Contactless');
  });

  it('a Manual intent ends Authorized and is captured through /captures', async () => {
    const intent = await api.createIntent(2000, { captureMode: 'Manual' });
    const s = await api.startSale(intent.id);
    const done = await api.pollUntil(s.id);
    expect(done.status).toBe('Authorized');
    expect((await api.intent(intent.id)).status).toBe('Authorized');
    const cap = await api.call<{ captureId: string }>(
      'POST',
      `/payment-intents/${intent.id}/captures`,
      { amount: 2000 },
    );
    expect(cap.status).toBe(200);
    expect(cap.body.captureId).toBeTruthy();
    const captured = await api.intent(intent.id);
    expect(captured.status).toBe('Captured');
    expect(captured.captures).toHaveLength(1);
    const again = await api.call('POST', `/payment-intents/${intent.id}/captures`, { amount: 1 });
    expect(again.status).toBe(409);
  });
});

describe('simulator: terminals', () => {
  it('lists all terminals, filters by repeated statuses, and gets one', async () => {
    const all = await api.call<Array<{ id: string; status: string; properties: { tid: string } }>>(
      'GET',
      '/terminals',
    );
    expect(all.status).toBe(200);
    expect(all.body.map((t) => t.status).sort()).toEqual([
      'Available',
      'Available',
      'Available',
      'InUse',
      'Offline',
    ]);
    const some = await api.call<Array<{ status: string }>>(
      'GET',
      '/terminals?statuses=InUse&statuses=Offline',
    );
    expect(some.body.map((t) => t.status).sort()).toEqual(['InUse', 'Offline']);
    const one = await api.call<{ id: string }>('GET', `/terminals/${TERMINALS.offline}`);
    expect(one.body.id).toBe(TERMINALS.offline);
    const missing = await api.call<{ code: string; traceId: string }>('GET', '/terminals/tm_nope');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBeTruthy();
    expect(missing.body.traceId).toBeTruthy();
  });

  it('refuses a session on an InUse or Offline terminal with TERMINAL_UNAVAILABLE', async () => {
    const intent = await api.createIntent(1000);
    for (const terminalId of [TERMINALS.inUse, TERMINALS.offline]) {
      const r = await api.call<{ code: string; status: number }>('POST', '/terminal-sessions', {
        terminalId,
        details: { sessionType: 'Sale', sale: { paymentIntentId: intent.id } },
      });
      expect(r.status).toBe(400);
      expect(r.body.code).toBe('TERMINAL_UNAVAILABLE');
    }
    const first = await api.startSale(intent.id, TERMINALS.available2);
    const other = await api.createIntent(1100);
    const busy = await api.call<{ code: string }>('POST', '/terminal-sessions', {
      terminalId: TERMINALS.available2,
      details: { sessionType: 'Sale', sale: { paymentIntentId: other.id } },
    });
    expect(busy.body.code).toBe('TERMINAL_UNAVAILABLE');
    await api.pollUntil(first.id);
  });
});
