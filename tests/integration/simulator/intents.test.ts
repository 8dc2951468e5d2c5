import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../src-main/simulator/simulator';
import { simApi, type Json } from './sim-client';

let sim: Simulator;
let api: ReturnType<typeof simApi>;

beforeAll(async () => {
  sim = await startSimulator({ timeScale: 0.01 });
  api = simApi(sim.url);
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => sim.control.reset());

type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  traceId: string;
  errors: Record<string, string[]>;
  code?: string;
};

async function paid(value: number, captureMode: 'Auto' | 'Manual' = 'Auto'): Promise<Json> {
  const intent = await api.createIntent(value, { captureMode });
  sim.control.forceScenario('contactless');
  await api.pollUntil((await api.startSale(intent.id)).id);
  return api.intent(intent.id);
}

describe('simulator: request headers', () => {
  it('401 without a key, with a malformed one, or with a key containing "invalid"', async () => {
    for (const key of [null, '', 'sk_sandbox_invalid_key']) {
      const r = await api.call<Problem>('GET', '/terminals', undefined, { key });
      expect(r.status).toBe(401);
      expect(r.body.traceId).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      expect(r.body.code).toBeTruthy();
    }
    const bearer = await api.call<Problem>(
      'POST',
      '/payment-intents',
      {},
      { headers: { authorization: 'Bearer sk_sandbox_x' }, invalidBody: true },
    );
    expect(bearer.status).toBe(401);
    expect(bearer.body.code).toBeUndefined();
  });

  it('400 without the version header, or without the partner headers on terminal endpoints', async () => {
    expect(
      (await api.call('GET', '/payment-intents/pi_x', undefined, { version: null })).status,
    ).toBe(400);
    const r = await api.call<Problem>('GET', '/terminals', undefined, { partnerHeaders: false });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('INVALID_REQUEST');
    expect(
      (
        await api.call('GET', '/terminals', undefined, {
          partnerHeaders: false,
          headers: { 'software-house-id': 'sh1' },
        })
      ).status,
    ).toBe(400);
    expect(
      (await api.call('GET', '/payment-intents/pi_x', undefined, { partnerHeaders: false })).status,
    ).toBe(404);
  });

  it('405 for a wrong method, 404 for an unknown path, 400 for a body that is not JSON', async () => {
    expect((await api.call('PUT', '/payment-intents')).status).toBe(405);
    expect((await api.call('GET', '/nothing-here')).status).toBe(404);
    const res = await fetch(`${sim.url}/payment-intents`, {
      method: 'POST',
      headers: {
        authorization: 'Basic sk_sandbox_k',
        version: '2026-02-27',
        'content-type': 'application/json',
      },
      body: '{not json',
    });
    expect(res.status).toBe(400);
  });
});

describe('simulator: payment intents', () => {
  it('validates the create body field by field', async () => {
    const r = await api.call<Problem>(
      'POST',
      '/payment-intents',
      { amount: { value: 10, currencyCode: 'USD' }, reference: '' },
      { invalidBody: true },
    );
    expect(r.status).toBe(400);
    expect(Object.keys(r.body.errors).sort()).toEqual(['Amount.CurrencyCode', 'Reference']);
    expect(r.body.title).toBe('One or more validation errors occurred.');
  });

  it('checks item and tax lines, and echoes them back', async () => {
    const bad = await api.call<Problem>(
      'POST',
      '/payment-intents',
      { amount: { value: 500, currencyCode: 'GBP' }, reference: 'r', itemLines: [{ name: 'Tea' }] },
      { invalidBody: true },
    );
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.errors)).toEqual(['ItemLines[0].AmountTotal']);
    const itemLines = [
      { id: 'l1', name: 'Tea', quantity: 2, amountTotal: { value: 500, currencyCode: 'GBP' } },
    ];
    const taxLines = [
      { id: 'vat', caption: 'VAT', amountTotal: { value: 83, currencyCode: 'GBP' } },
    ];
    const ok = await api.call<Json>('POST', '/payment-intents', {
      amount: { value: 500, currencyCode: 'GBP' },
      reference: 'r',
      itemLines,
      taxLines,
    });
    expect(ok.body.itemLines).toEqual(itemLines);
    expect(ok.body.taxLines).toEqual(taxLines);
  });

  it('creates with 200, totals the tip, cancels, and hides canceled intents unless returnCanceled', async () => {
    const r = await api.call<Json>('POST', '/payment-intents', {
      amount: { value: 1000, currencyCode: 'EUR' },
      tipsAmount: { value: 150, currencyCode: 'EUR' },
      reference: 'Order 9',
      metadata: { till: '1' },
    });
    expect(r.status).toBe(200);
    expect(r.body.totalAmount).toEqual({ value: 1150, currencyCode: 'EUR' });
    const del = await api.call<Json>('DELETE', `/payment-intents/${r.body.id}`);
    expect(del.status).toBe(200);
    expect(del.body.status).toBe('Canceled');
    expect((await api.call('GET', `/payment-intents/${r.body.id}`)).status).toBe(404);
    const shown = await api.call<Json>('GET', `/payment-intents/${r.body.id}?returnCanceled=true`);
    expect(shown.body.status).toBe('Canceled');
    expect((await api.call('DELETE', `/payment-intents/${r.body.id}`)).status).toBe(404);
  });

  it('refuses to cancel a captured intent; reverses it instead', async () => {
    const intent = await paid(1200);
    expect((await api.call('DELETE', `/payment-intents/${intent.id}`)).status).toBe(400);
    const rev = await api.call<{ reversalId: string }>(
      'POST',
      `/payment-intents/${intent.id}/reversal`,
    );
    expect(rev.status).toBe(200);
    expect(rev.body.reversalId).toBeTruthy();
    expect((await api.intent(intent.id)).status).toBe('Reversed');
    expect((await api.call('POST', `/payment-intents/${intent.id}/reversal`)).status).toBe(409);
  });

  it('refunds with idempotencyKey: the same key returns the same refund, never a second one', async () => {
    const intent = await paid(5000);
    const url = `/payment-intents/${intent.id}/refunds`;
    const missing = await api.call<Problem>('POST', url, { amount: 100 });
    expect(missing.status).toBe(400);
    const first = await api.call<{ refundId: string }>(
      'POST',
      url,
      { amount: 1000, refundReason: 'Cold coffee' },
      { headers: { idempotencyKey: 'k-1' } },
    );
    expect(first.status).toBe(200);
    const again = await api.call<{ refundId: string }>(
      'POST',
      url,
      { amount: 1000 },
      { headers: { idempotencyKey: 'k-1' } },
    );
    expect(again.body.refundId).toBe(first.body.refundId);
    expect((await api.intent(intent.id)).refundedAmount).toBe(1000);
    expect(sim.control.records().refunds).toHaveLength(1);

    const over = await api.call(
      'POST',
      url,
      { amount: 4001 },
      { headers: { idempotencyKey: 'k-2' } },
    );
    expect(over.status).toBe(400);
    const rest = await api.call(
      'POST',
      url,
      { amount: 4000 },
      { headers: { idempotencyKey: 'k-3' } },
    );
    expect(rest.status).toBe(200);
    const done = await api.intent(intent.id);
    expect(done.status).toBe('Refunded');
    expect(done.refundedAmount).toBe(5000);
    expect(
      (await api.call('POST', url, { amount: 1 }, { headers: { idempotencyKey: 'x'.repeat(101) } }))
        .status,
    ).toBe(400);
  });

  it('refuses a refund before capture', async () => {
    const intent = await api.createIntent(900);
    const r = await api.call(
      'POST',
      `/payment-intents/${intent.id}/refunds`,
      { amount: 100 },
      { headers: { idempotencyKey: 'k' } },
    );
    expect(r.status).toBe(400);
  });

  it('captures a Manual intent partly, refusing more than authorised', async () => {
    const intent = await paid(3000, 'Manual');
    expect(intent.status).toBe('Authorized');
    const url = `/payment-intents/${intent.id}/captures`;
    expect((await api.call('POST', url, { amount: 3001 })).status).toBe(400);
    expect((await api.call('POST', url, { amount: 2500, tipsAmount: 0 })).status).toBe(200);
    const i = await api.intent(intent.id);
    expect(i.status).toBe('Captured');
    expect(i.captures).toEqual([expect.objectContaining({ amount: 2500, status: 'Successful' })]);
  });

  it('sends an email receipt with 204', async () => {
    const intent = await paid(1300);
    const ok = await fetch(`${sim.url}/payment-intents/${intent.id}/receipt`, {
      method: 'POST',
      headers: {
        authorization: 'Basic sk_sandbox_k',
        version: '2026-02-27',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ emails: ['a@example.com'] }),
    });
    expect(ok.status).toBe(204);
    expect(await ok.text()).toBe('');
    expect(
      (await api.call('POST', `/payment-intents/${intent.id}/receipt`, { emails: ['nope'] }))
        .status,
    ).toBe(400);
    expect(
      (await api.call('POST', '/payment-intents/pi_none/receipt', { emails: ['a@example.com'] }))
        .status,
    ).toBe(404);
  });

  it('searches newest first with a cursor and a status filter', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push((await api.createIntent(100 + i)).id);
    type Page = { data: Json[]; before: string | null; after: string | null };
    const p1 = await api.call<Page>('POST', '/payment-intents/search', { cursor: { limit: 2 } });
    expect(p1.body.data.map((d) => d.id)).toEqual([ids[4], ids[3]]);
    expect(p1.body.before).toBeNull();
    const p2 = await api.call<Page>('POST', '/payment-intents/search', {
      cursor: { limit: 2, after: p1.body.after },
    });
    expect(p2.body.data.map((d) => d.id)).toEqual([ids[2], ids[1]]);
    const p3 = await api.call<Page>('POST', '/payment-intents/search', {
      cursor: { limit: 2, after: p2.body.after },
    });
    expect(p3.body.data.map((d) => d.id)).toEqual([ids[0]]);
    expect(p3.body.after).toBeNull();
    const back = await api.call<Page>('POST', '/payment-intents/search', {
      cursor: { limit: 2, before: p3.body.before },
    });
    expect(back.body.data.map((d) => d.id)).toEqual([ids[2], ids[1]]);
    await api.call('DELETE', `/payment-intents/${ids[0]}`);
    const canceled = await api.call<Page>('POST', '/payment-intents/search', {
      statuses: ['Canceled'],
    });
    expect(canceled.body.data.map((d) => d.id)).toEqual([ids[0]]);
    const future = await api.call<Page>('POST', '/payment-intents/search', {
      startDate: new Date(Date.now() + 60_000).toISOString(),
    });
    expect(future.body.data).toEqual([]);
    expect(
      (await api.call('POST', '/payment-intents/search', { cursor: { after: 'garbage' } })).status,
    ).toBe(400);
  });
});
