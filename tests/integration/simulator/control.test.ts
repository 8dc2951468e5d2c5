import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  startSimulator,
  type Simulator,
  type SimulatorRecords,
} from '../../../src-main/simulator/simulator';
import { simApi, TERMINALS } from './sim-client';

let sim: Simulator;
let api: ReturnType<typeof simApi>;

beforeAll(async () => {
  sim = await startSimulator({ timeScale: 0.01 });
  api = simApi(sim.url);
});
afterAll(async () => {
  await sim.close();
});
beforeEach(async () => {
  expect((await fetch(`${sim.url}/__sim/reset`, { method: 'POST' })).status).toBe(204);
});

async function control(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${sim.url}/__sim${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
}

async function records(): Promise<SimulatorRecords> {
  return (await (await control('GET', '/records')).json()) as SimulatorRecords;
}

describe('simulator control over HTTP', () => {
  it('records every Dojo request without the Authorization header, plus intents and sessions', async () => {
    const intent = await api.createIntent(1000);
    await api.call('GET', '/terminals?statuses=Available&statuses=InUse');
    const s = await api.startSale(intent.id);
    await api.pollUntil(s.id);
    const r = await records();
    const [create, list] = r.requests;
    expect(create).toMatchObject({
      method: 'POST',
      path: '/payment-intents',
      body: { reference: 'Order 1000' },
    });
    expect(create?.headers.authorization).toBeUndefined();
    expect(create?.headers.version).toBe('2026-02-27');
    expect(list?.query).toEqual({ statuses: ['Available', 'InUse'] });
    expect(Date.parse(list?.at ?? '')).not.toBeNaN();
    expect(r.paymentIntents.map((i) => i.status)).toEqual(['Captured']);
    expect(r.sessions).toEqual([expect.objectContaining({ scenario: 'chip-pin' })]);
    expect(r.sessions[0]?.session.status).toBe('Captured');
    expect(r.terminals).toHaveLength(5);
    expect(r.requests.some((q) => q.path.startsWith('/__sim'))).toBe(false);
  });

  it('forces the next scenario per terminal or globally, once', async () => {
    expect(
      (
        await control('POST', '/scenario', {
          scenario: 'declined',
          terminalId: TERMINALS.available2,
        })
      ).status,
    ).toBe(204);
    expect((await control('POST', '/scenario', { scenario: 'contactless' })).status).toBe(204);
    const a = await api.createIntent(1000);
    const b = await api.createIntent(1000);
    const c = await api.createIntent(1000);
    const sa = await api.startSale(a.id, TERMINALS.available1);
    const sb = await api.startSale(b.id, TERMINALS.available2);
    await Promise.all([api.pollUntil(sa.id), api.pollUntil(sb.id)]);
    const sc = await api.startSale(c.id, TERMINALS.available1);
    await api.pollUntil(sc.id);
    const byId = new Map((await records()).sessions.map((x) => [x.session.id, x.scenario]));
    expect([byId.get(sa.id), byId.get(sb.id), byId.get(sc.id)]).toEqual([
      'contactless',
      'declined',
      'chip-pin',
    ]);
    expect((await control('POST', '/scenario', { scenario: 'nonsense' })).status).toBe(400);
    expect((await control('GET', '/scenarios')).status).toBe(200);
  });

  it('sets a terminal status', async () => {
    expect(
      (await control('POST', `/terminals/${TERMINALS.available1}/status`, { status: 'Offline' }))
        .status,
    ).toBe(204);
    const t = await api.call<{ status: string }>('GET', `/terminals/${TERMINALS.available1}`);
    expect(t.body.status).toBe('Offline');
    expect((await control('POST', '/terminals/tm_nope/status', { status: 'Offline' })).status).toBe(
      404,
    );
    expect(
      (await control('POST', `/terminals/${TERMINALS.available1}/status`, { status: 'Busy' }))
        .status,
    ).toBe(400);
  });

  it('injects 500, 503 with Retry-After and 429 for the next N requests on a path', async () => {
    await control('POST', '/faults', {
      kind: 'http-error',
      path: '/terminals',
      status: 503,
      retryAfterSeconds: 2,
      count: 2,
    });
    await control('POST', '/faults', {
      kind: 'http-error',
      path: '/terminals/*',
      status: 429,
      retryAfterSeconds: 1,
    });
    await control('POST', '/faults', {
      kind: 'http-error',
      path: '/payment-intents',
      method: 'POST',
      status: 500,
    });
    for (let i = 0; i < 2; i += 1) {
      const r = await api.call<{ status: number; code: string }>('GET', '/terminals');
      expect(r.status).toBe(503);
      expect(r.headers.get('retry-after')).toBe('2');
      expect(r.body.code).toBe('INTERNAL_ERROR');
    }
    expect((await api.call('GET', '/terminals')).status).toBe(200);
    const limited = await api.call('GET', `/terminals/${TERMINALS.available1}`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    const failed = await api.call<{ traceId: string }>('POST', '/payment-intents', {
      amount: { value: 1, currencyCode: 'GBP' },
      reference: 'r',
    });
    expect(failed.status).toBe(500);
    expect(failed.body.traceId).toBeTruthy();
    expect((await records()).paymentIntents).toHaveLength(0);
  });

  it('a 500 with applyRequest still creates the session (the ambiguous create)', async () => {
    const intent = await api.createIntent(1000);
    await control('POST', '/faults', {
      kind: 'http-error',
      path: '/terminal-sessions',
      method: 'POST',
      status: 500,
      applyRequest: true,
    });
    const r = await api.call('POST', '/terminal-sessions', {
      terminalId: TERMINALS.available1,
      details: { sessionType: 'Sale', sale: { paymentIntentId: intent.id } },
    });
    expect(r.status).toBe(500);
    const i = await api.intent(intent.id);
    expect((i.terminalSessionHistory as unknown[]).length).toBe(1);
    const t = await api.call<{ status: string }>('GET', `/terminals/${TERMINALS.available1}`);
    expect(t.body.status).toBe('InUse');
  });

  it('answers late with a slow fault, and resets the connection with a reset fault', async () => {
    await control('POST', '/faults', { kind: 'slow', path: '/payment-intents/{id}', delayMs: 400 });
    const intent = await api.createIntent(1000);
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), 100);
    await expect(
      fetch(`${sim.url}/payment-intents/${intent.id}`, {
        headers: { authorization: 'Basic sk_sandbox_k', version: '2026-02-27' },
        signal: ctrl.signal,
      }),
    ).rejects.toThrow();
    clearTimeout(timer);

    await control('POST', '/faults', {
      kind: 'reset',
      path: '/payment-intents',
      method: 'POST',
      applyRequest: true,
    });
    await expect(api.createIntent(2000)).rejects.toThrow();
    expect((await records()).paymentIntents.map((i) => i.amount.value)).toEqual([1000, 2000]);

    await control('POST', '/faults', { kind: 'http-error', path: '/terminals', status: 500 });
    expect((await control('DELETE', '/faults')).status).toBe(204);
    expect((await api.call('GET', '/terminals')).status).toBe(200);
    expect((await control('POST', '/faults', { kind: 'http-error', path: '/x' })).status).toBe(400);
  });

  it('reset empties everything and restores the terminals', async () => {
    const intent = await api.createIntent(1004);
    await api.startSale(intent.id);
    sim.control.setTerminalStatus(TERMINALS.available3, 'Offline');
    sim.control.reset();
    const r = sim.control.records();
    expect(r.requests).toEqual([]);
    expect(r.paymentIntents).toEqual([]);
    expect(r.sessions).toEqual([]);
    expect(r.terminals.map((t) => t.status)).toEqual([
      'Available',
      'Available',
      'Available',
      'InUse',
      'Offline',
    ]);
  });

  it('signature-gap: .09 sessions report Captured, then ask for the signature after the gap; bad input is 400', async () => {
    expect((await control('POST', '/signature-gap', { ms: -1 })).status).toBe(400);
    expect((await control('POST', '/signature-gap', { ms: 'soon' })).status).toBe(400);
    // 30 s realistic × 0.01 = 300 ms between Captured and SignatureVerificationRequired.
    expect((await control('POST', '/signature-gap', { ms: 30_000 })).status).toBe(204);
    const intent = await api.createIntent(1009);
    const s = await api.startSale(intent.id);
    const captured = await api.pollUntil(s.id, (x) => x.status === 'Captured');
    expect((await api.intent(intent.id)).status).toBe('Captured');
    // The terminal is still held: the signature check is to come.
    const terminal = (await records()).terminals.find((t) => t.id === TERMINALS.available1);
    expect(terminal?.status).toBe('InUse');
    const asked = await api.pollUntil(s.id, (x) => x.status === 'SignatureVerificationRequired');
    const at = (x: typeof asked, status: string) =>
      Date.parse(x.statusEvents.find((e) => e.status === status)?.createdAt ?? '');
    expect(
      at(asked, 'SignatureVerificationRequired') - at(captured, 'Captured'),
    ).toBeGreaterThanOrEqual(290);
    const answer = await api.call('PUT', `/terminal-sessions/${s.id}/signature`, {
      accepted: true,
    });
    expect(answer.status).toBe(200);
    expect((await api.session(s.id)).status).toBe('SignatureVerificationAccepted');
    expect((await records()).terminals.find((t) => t.id === TERMINALS.available1)?.status).toBe(
      'Available',
    );
  });
});

describe('simulator request records', () => {
  it('keeps only the most recent requests, so a long training run stays the same size', async () => {
    const { MAX_RECORDED_REQUESTS } = await import('../../../src-main/simulator/server');
    const total = MAX_RECORDED_REQUESTS + 1200;
    // Plain reads, a few at a time; the last one is marked to be found.
    for (let i = 0; i < total; i += 50)
      await Promise.all(
        Array.from({ length: Math.min(50, total - i) }, (_, k) =>
          api.call('GET', `/terminals?statuses=Available&n=${i + k}`),
        ),
      );
    const kept = (await records()).requests;
    expect(kept.length).toBeGreaterThanOrEqual(MAX_RECORDED_REQUESTS);
    expect(kept.length).toBeLessThanOrEqual(MAX_RECORDED_REQUESTS + 1000);
    expect(kept.at(-1)?.query.n).toBeDefined();
    // The oldest went first: what is kept is the latest, in order.
    const ns = kept.map((r) => Number(r.query.n)).filter((n) => !Number.isNaN(n));
    expect(Math.max(...ns)).toBe(total - 1);
    expect(Math.min(...ns)).toBeGreaterThan(0);
  });
});

describe('a payment Dojo holds that the till never saw', () => {
  it('appears Captured in the search over a date range, paged by cursor; bad input is 400', async () => {
    const at = '2026-03-01T12:00:00.000Z';
    const held = await control('POST', '/outside-payment', {
      amount: 4321,
      reference: 'ext-1',
      at,
    });
    expect(held.status).toBe(201);
    const intent = (await held.json()) as {
      id: string;
      status: string;
      paymentDetails: { card: { cardNumber: string } };
    };
    expect(intent.status).toBe('Captured');
    expect(intent.paymentDetails.card.cardNumber).toMatch(/^\*{12}\d{4}$/);
    for (let i = 0; i < 3; i++) await control('POST', '/outside-payment', { amount: 100 + i, at });
    const search = async (body: unknown) =>
      (
        await api.call<{ data: { id: string }[]; after: string | null }>(
          'POST',
          '/payment-intents/search',
          body,
        )
      ).body;
    const first = await search({
      statuses: ['Captured'],
      startDate: '2026-03-01T00:00:00Z',
      endDate: '2026-03-02T00:00:00Z',
      cursor: { limit: 3 },
    });
    expect(first.data).toHaveLength(3);
    const second = await search({
      statuses: ['Captured'],
      startDate: '2026-03-01T00:00:00Z',
      endDate: '2026-03-02T00:00:00Z',
      cursor: { limit: 3, after: first.after },
    });
    expect(second.data.map((d) => d.id)).toEqual([intent.id]);
    expect(second.after).toBeNull();
    expect(
      (await search({ statuses: ['Captured'], endDate: '2026-02-28T00:00:00Z' })).data,
    ).toEqual([]);
    expect((await control('POST', '/outside-payment', { amount: 0 })).status).toBe(400);
  });
});
