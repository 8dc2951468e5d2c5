import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDojoClient } from '../../../src-main/dojo/dojo-client';
import { silentLogger } from '../../../src-main/logging/logger';
import { DojoSpecValidator, splitUrl, type SentRequest } from '../../support/dojo-spec';

/**
 * Every request shape the client can send, checked against the Dojo wire schema. (The integration
 * suites also validate every request the simulator recorded during real flows.)
 */
const validator = new DojoSpecValidator();
let server: Server;
let baseUrl = '';
const sent: SentRequest[] = [];

const session = {
  id: 'ts_1',
  terminalId: 'tm_1',
  status: 'Initiated',
  notificationEvents: [],
  statusEvents: [],
};

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const { path, query } = splitUrl(req.url ?? '/');
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]),
      );
      sent.push({
        method: req.method ?? '',
        path,
        query,
        headers,
        body: body === '' ? undefined : (JSON.parse(body) as unknown),
      });
      let out: unknown = { id: 'pi_1', status: 'Created' };
      if (path.startsWith('/terminal-sessions')) out = session;
      else if (path === '/terminals')
        out = [{ id: 'tm_1', properties: { tid: '1' }, status: 'Available', updatedAt: 'x' }];
      else if (path.startsWith('/terminals/'))
        out = { id: 'tm_1', properties: { tid: '1' }, status: 'Available', updatedAt: 'x' };
      else if (path.endsWith('/refunds')) out = { refundId: 'rf_1' };
      else if (path.endsWith('/captures')) out = { captureId: 'c_1' };
      else if (path.endsWith('/reversal')) out = { reversalId: 'r_1' };
      else if (path.endsWith('/search')) out = { data: [] };
      if (path.endsWith('/receipt')) {
        res.writeHead(204).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(out));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('requests against the Dojo wire schema', () => {
  it('the converted spec really compiled: a known-bad request fails', () => {
    const bad = validator.validateRequest({
      method: 'POST',
      path: '/payment-intents',
      headers: { authorization: 'Basic k' },
      body: {
        amount: { value: 1.5, currencyCode: 'GBP' },
        reference: '',
        tipsAmount: { value: 'x' },
        bogus: 1,
      },
    });
    expect(bad.join('\n')).toMatch(/version/);
    expect(bad.join('\n')).toMatch(/reference/);
    expect(bad.join('\n')).toMatch(/tipsAmount/);
    expect(bad.join('\n')).toMatch(/additional properties/);
    const badSession = validator.validateRequest({
      method: 'POST',
      path: '/terminal-sessions',
      headers: { version: '2026-02-27', 'software-house-id': 's' },
      body: { terminalId: 't', details: { sessionType: 'Refund' } },
    });
    expect(badSession.length).toBeGreaterThan(0);
    // nullable + oneOf accepts null and a Money, and rejects a bad Money.
    const money = validator.component('CreatePaymentIntentRequest');
    expect(
      money({ amount: { value: 1, currencyCode: 'GBP' }, reference: 'r', tipsAmount: null }),
    ).toBe(true);
    expect(
      money({
        amount: { value: 1, currencyCode: 'GBP' },
        reference: 'r',
        tipsAmount: { value: 'x' },
      }),
    ).toBe(false);
  });

  it('every client call validates', async () => {
    const c = createDojoClient({
      baseUrl,
      apiKey: 'sk_sandbox_abcdefgh',
      softwareHouseId: 'swh',
      resellerId: 'res',
      logger: silentLogger,
    });
    const money = { value: 1234, currencyCode: 'GBP' };
    await c.createPaymentIntent({
      amount: money,
      reference: 'OT-0001',
      description: 'Order OT-0001',
      captureMode: 'Auto',
      itemLines: [
        {
          id: '1',
          name: 'Flat white',
          quantity: 2,
          amountTotal: { value: 640, currencyCode: 'GBP' },
        },
      ],
      taxLines: [
        { id: 'vat-2000', caption: 'VAT 20%', amountTotal: { value: 206, currencyCode: 'GBP' } },
      ],
      metadata: { attemptId: 'a' },
    });
    await c.getPaymentIntent('pi_1', { returnCanceled: true });
    await c.getPaymentIntent('pi_1');
    await c.cancelPaymentIntent('pi_1');
    await c.capturePaymentIntent('pi_1', { amount: 100 });
    await c.reversePaymentIntent('pi_1');
    await c.refundPaymentIntent('pi_1', '6c1b1b3e-6b7a-4f53-9d7a-1d2f3a4b5c6d', {
      amount: 100,
      refundReason: 'faulty',
    });
    await c.sendEmailReceipt('pi_1', ['a@example.com']);
    await c.searchPaymentIntents({
      startDate: new Date().toISOString(),
      endDate: new Date().toISOString(),
      cursor: { limit: 50 },
    });
    await c.listTerminals();
    await c.listTerminals(['Available', 'InUse']);
    await c.getTerminal('tm_1');
    await c.createSaleSession('tm_1', 'pi_1');
    await c.createMatchedRefundSession('tm_1', 'pi_1');
    await c.createMatchedRefundSession('tm_1', 'pi_1', money);
    await c.createUnlinkedRefundSession('tm_1', money);
    await c.createUnlinkedRefundSession('tm_1', money, true);
    await c.getSession('ts_1');
    await c.cancelSession('ts_1');
    await c.respondToSignature('ts_1', false);
    expect(sent).toHaveLength(20);
    for (const req of sent)
      expect([`${req.method} ${req.path}`, validator.validateRequest(req)]).toEqual([
        `${req.method} ${req.path}`,
        [],
      ]);
  });
});
