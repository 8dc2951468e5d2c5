import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src-main/db/connection';
import { createDojoClient, type DojoClient } from '../../../src-main/dojo/dojo-client';
import { isDojoError } from '../../../src-main/dojo/dojo-errors';
import { silentLogger } from '../../../src-main/logging/logger';
import { listAttemptsForOrder } from '../../../src-main/payments/attempts.repo';
import { paymentsAgainst } from '../../support/payments-service';
import { insertOrder, orderState, T1, TEST_POLLING } from '../payments/harness';
import { printFigures, size } from './figures';

/**
 * Bad input from Dojo's side: a test HTTP server answers every Dojo call with a malformed or
 * truncated response (wrong types, missing fields, unknown enums, invalid JSON, HTML error pages,
 * huge bodies, PascalCase error bodies, a connection cut mid-body). The Dojo client must refuse
 * each with a DojoError in plain words, and a sale through the payments core must leave the
 * order untouched and the database intact.
 */
type Variant = {
  name: string;
  status: number;
  body: string | Buffer;
  type?: string;
  cut?: true;
  /** A status Dojo may add later is passed through by design (the core treats it as not done). */
  forwardCompatible?: true;
};

const intent = {
  id: 'pi_sandbox_1',
  captureMode: 'Auto',
  status: 'Created',
  amount: { value: 300, currencyCode: 'GBP' },
  totalAmount: { value: 300, currencyCode: 'GBP' },
  reference: 'x',
  createdAt: '2026-12-01T00:00:00Z',
  terminalSessionHistory: [],
};

const variants: Variant[] = [
  { name: 'invalid JSON', status: 200, body: '{"id": "pi_1", "status": ' },
  { name: 'empty 200', status: 200, body: '' },
  { name: 'null', status: 200, body: 'null' },
  { name: 'an array', status: 200, body: '[1,2,3]' },
  { name: 'a number', status: 200, body: '42' },
  { name: 'wrong types', status: 200, body: JSON.stringify({ ...intent, id: 7, amount: 'lots' }) },
  { name: 'missing fields', status: 200, body: JSON.stringify({ status: 'Created' }) },
  {
    name: 'unknown enum',
    status: 200,
    forwardCompatible: true,
    body: JSON.stringify({ ...intent, status: 'Teleported', captureMode: 'Psychic' }),
  },
  {
    name: 'HTML error page',
    status: 502,
    type: 'text/html',
    body: '<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><script>alert(1)</script></body></html>',
  },
  { name: 'HTML with 200', status: 200, type: 'text/html', body: '<!doctype html><p>Hello</p>' },
  {
    name: 'PascalCase error body',
    status: 400,
    body: JSON.stringify({
      Type: 'x',
      Title: 'Bad',
      Status: 400,
      Detail: 'The Amount is wrong',
      Errors: { Amount: ['bad'] },
    }),
  },
  {
    name: 'error body with a key and a card number',
    status: 500,
    body: JSON.stringify({
      title: 'Server Error',
      status: 500,
      detail: 'key sk_live_abcdefghijklmnop card 4111111111111111 failed',
    }),
  },
  {
    name: 'huge body',
    status: 200,
    body: Buffer.from(
      JSON.stringify({ ...intent, reference: 'x'.repeat(size(8, 40) * 1024 * 1024) }),
    ),
  },
  { name: 'deep nesting', status: 200, body: '['.repeat(100_000) + ']'.repeat(100_000) },
  { name: 'cut mid-body', status: 200, body: JSON.stringify(intent), cut: true },
  { name: 'status 200 with text/plain', status: 200, type: 'text/plain', body: 'OK' },
  { name: 'status 999', status: 599, body: '{}' },
];

let server: Server;
let baseUrl = '';
let current: Variant = variants[0] as Variant;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const v = current;
      const body = typeof v.body === 'string' ? Buffer.from(v.body) : v.body;
      res.writeHead(v.status, {
        'content-type': v.type ?? 'application/json',
        'content-length': String(v.cut ? body.length * 2 : body.length),
      });
      if (v.cut) {
        res.write(body.subarray(0, Math.floor(body.length / 2)));
        setTimeout(() => res.destroy(), 5);
      } else res.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

const calls: [string, (c: DojoClient) => Promise<unknown>][] = [
  [
    'createPaymentIntent',
    (c) => c.createPaymentIntent({ amount: { value: 300, currencyCode: 'GBP' }, reference: 'x' }),
  ],
  ['getPaymentIntent', (c) => c.getPaymentIntent('pi_sandbox_1')],
  ['listTerminals', (c) => c.listTerminals(['Available'])],
  ['getTerminal', (c) => c.getTerminal(T1)],
  ['createSaleSession', (c) => c.createSaleSession(T1, 'pi_sandbox_1')],
  ['getSession', (c) => c.getSession('ts_1')],
  ['refundPaymentIntent', (c) => c.refundPaymentIntent('pi_sandbox_1', 'k1', { amount: 100 })],
];

describe('malformed and truncated Dojo responses', () => {
  it('each is refused with a DojoError in plain words; a sale changes nothing', async () => {
    const started = Date.now();
    const client = createDojoClient({
      baseUrl,
      apiKey: 'sk_sandbox_test_bad_dojo',
      softwareHouseId: 'softwareHouse1',
      resellerId: 'reseller1',
      timeoutMs: 5000,
      logger: silentLogger,
    });
    let invariants = 0;
    let operations = 0;
    const check = (ok: boolean, what: string) => {
      invariants += 1;
      expect(ok, what).toBe(true);
    };
    for (const v of variants) {
      current = v;
      for (const [name, call] of calls) {
        operations += 1;
        const outcome = await call(client).then(
          (value) => ({ value }),
          (error: unknown) => ({ error }),
        );
        const what = `${v.name} → ${name}`;
        if (v.forwardCompatible && 'value' in outcome) continue;
        check('error' in outcome, `${what} was accepted: ${JSON.stringify(outcome).slice(0, 200)}`);
        const error = (outcome as { error: unknown }).error;
        check(isDojoError(error), `${what}: not a DojoError: ${String(error)}`);
        if (!isDojoError(error)) continue;
        const text = error.message;
        if (v.name === 'huge body') check(/too large/.test(text), `${what}: says too large`);
        check(text.length > 10 && text.length < 400, `${what}: message length ${text.length}`);
        check(!/<html|<script|\n\s+at /i.test(text), `${what}: raw text in the message: ${text}`);
        check(
          !/sk_live_abc|4111111111111111/.test(JSON.stringify([text, error.info])),
          `${what}: secret leaked`,
        );
      }
    }

    // Through the payments core: every variant at the sale, the order untouched, the db intact.
    const db = openDatabase(':memory:');
    const service = paymentsAgainst(db, baseUrl, { polling: TEST_POLLING, timeoutMs: 5000 });
    await service.start().catch(() => undefined);
    for (const v of variants) {
      current = v;
      operations += 1;
      const orderId = insertOrder(db, 300);
      const r = await service.startSale({ orderId, terminalId: T1 }).then(
        () => null,
        (e: unknown) => e,
      );
      check(r instanceof Error && r.message.length > 0, `${v.name}: the sale was refused`);
      check(orderState(db, orderId)?.paid_minor === 0, `${v.name}: nothing paid`);
      check(orderState(db, orderId)?.status === 'open', `${v.name}: order still open`);
      check(
        listAttemptsForOrder(db, orderId).every((a) => a.isFinal || a.state.kind === 'unconfirmed'),
        `${v.name}: no attempt left running`,
      );
    }
    check(db.pragma('integrity_check', { simple: true }) === 'ok', 'integrity_check ok');
    check(
      (db.prepare('SELECT count(*) AS n FROM tenders').get() as { n: number }).n === 0,
      'no tender',
    );
    await service.stop();
    db.close();
    printFigures('bad-dojo', {
      operations,
      faults: operations,
      invariants,
      ms: Date.now() - started,
      extra: { variants: variants.length },
    });
  }, 600_000);
});
