import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, memorySink } from '../logging/logger';
import { createDojoClient, DOJO_API_VERSION } from './dojo-client';
import { isDojoError, type DojoError } from './dojo-errors';

type Seen = { method: string; url: string; headers: IncomingMessage['headers']; body: string };
type Reply = (req: IncomingMessage, res: ServerResponse) => void;

const KEY = 'sk_sandbox_test_SECRETSECRET123';
let server: Server;
let baseUrl: string;
let seen: Seen[] = [];
let reply: Reply = (_req, res) => res.end('{}');

const json = (
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

const session = (extra: Record<string, unknown> = {}) => ({
  id: 'ts_1',
  terminalId: 'tm_1',
  status: 'Initiated',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  expireAt: '2026-01-01T00:00:10Z',
  notificationEvents: [],
  statusEvents: [],
  ...extra,
});

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      reply(req, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  seen = [];
});

const sink = memorySink();
const client = (timeoutMs = 2000) =>
  createDojoClient({
    baseUrl,
    apiKey: KEY,
    softwareHouseId: 'swh',
    resellerId: 'res',
    timeoutMs,
    logger: createLogger([sink]),
  });

async function failure(p: Promise<unknown>): Promise<DojoError> {
  try {
    await p;
  } catch (e) {
    if (isDojoError(e)) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

describe('Dojo client', () => {
  it('sends the headers docs/PAYMENTS.md lists, terminal headers only on terminal calls', async () => {
    reply = (_req, res) =>
      json(res, 200, [
        { id: 'tm_1', properties: { tid: '123' }, status: 'Available', updatedAt: 'x' },
      ]);
    await client().listTerminals(['Available', 'InUse']);
    reply = (_req, res) => json(res, 200, { id: 'pi_1', status: 'Created' });
    await client().getPaymentIntent('pi_1', { returnCanceled: true });
    const [t, pi] = seen;
    expect(t?.url).toBe('/terminals?statuses=Available&statuses=InUse');
    expect(t?.headers.authorization).toBe(`Basic ${KEY}`);
    expect(t?.headers.version).toBe(DOJO_API_VERSION);
    expect(t?.headers.accept).toBe('application/json');
    expect(t?.headers['content-type']).toBe('application/json');
    expect(t?.headers['software-house-id']).toBe('swh');
    expect(t?.headers['reseller-id']).toBe('res');
    expect(pi?.url).toBe('/payment-intents/pi_1?returnCanceled=true');
    expect(pi?.headers['software-house-id']).toBeUndefined();
  });

  it('sends the refund idempotencyKey header and the session bodies of the spec', async () => {
    reply = (_req, res) => json(res, 200, { refundId: 'rf_1', message: 'ok' });
    const r = await client().refundPaymentIntent('pi_1', 'key-123', {
      amount: 100,
      refundReason: 'faulty',
    });
    expect(r.refundId).toBe('rf_1');
    expect(seen[0]?.headers.idempotencykey).toBe('key-123');
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual({ amount: 100, refundReason: 'faulty' });
    reply = (_req, res) => json(res, 200, session());
    await client().createMatchedRefundSession('tm_1', 'pi_1', { value: 50, currencyCode: 'GBP' });
    await client().createUnlinkedRefundSession('tm_1', { value: 70, currencyCode: 'EUR' });
    expect(JSON.parse(seen[1]?.body ?? '')).toEqual({
      terminalId: 'tm_1',
      details: {
        sessionType: 'MatchedRefund',
        matchedRefund: { paymentIntentId: 'pi_1', amount: { value: 50, currencyCode: 'GBP' } },
      },
    });
    expect(JSON.parse(seen[2]?.body ?? '')).toEqual({
      terminalId: 'tm_1',
      details: {
        sessionType: 'UnlinkedRefund',
        unlinkedRefund: { amount: { value: 70, currencyCode: 'EUR' } },
      },
    });
  });

  it('tolerates extra fields and unknown open-enum values', async () => {
    reply = (_req, res) =>
      json(
        res,
        200,
        session({
          status: 'SomethingNew',
          notificationEvents: [{ notificationType: 'TerminalRebooting', createdAt: 'x' }],
          customerReceipt: {
            lines: [
              { lineType: 'QrCode' },
              {
                lineType: 'Text',
                text: { value: 'HI', size: 'SizeBody', align: 'AlignLeft', emphasisBold: false },
              },
            ],
          },
          surprise: { nested: true },
        }),
      );
    const s = await client().getSession('ts_1');
    expect(s.status).toBe('SomethingNew');
    expect(s.notificationEvents[0]?.notificationType).toBe('TerminalRebooting');
    expect(s.customerReceipt?.lines).toHaveLength(2);
  });

  it('refuses a malformed 200 with a clear, retryable error', async () => {
    reply = (_req, res) => json(res, 200, { status: 'Created' });
    const e = await failure(client().getPaymentIntent('pi_1'));
    expect(e.code).toBe('DOJO_HTTP');
    expect(e.message).toMatch(/could not read/);
    reply = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{not json');
    };
    expect((await failure(client().getSession('ts_1'))).code).toBe('DOJO_HTTP');
  });

  it('maps 401 to credentials and keeps the key out of messages and logs', async () => {
    reply = (_req, res) =>
      json(res, 401, { type: 't', title: 'Unauthorized', status: 401, traceId: 'trace-401' });
    const e = await failure(client().listTerminals());
    expect(e.code).toBe('CREDENTIALS_INVALID');
    expect(e.message).toBe('Dojo rejected the API key — check it in Settings');
    expect(e.info.traceId).toBe('trace-401');
    const logged = JSON.stringify(sink.records);
    expect(logged).toContain('trace-401');
    expect(logged).not.toContain('SECRETSECRET');
    expect(JSON.stringify(e)).not.toContain('SECRETSECRET');
    expect(String(e.stack)).not.toContain('SECRETSECRET');
  });

  it('redacts the configured key (whatever its shape), sk_ tokens and card numbers from errors', async () => {
    const odd = 'odd-key-without-prefix-9876';
    const c = createDojoClient({
      baseUrl,
      apiKey: odd,
      softwareHouseId: 'swh',
      resellerId: 'res',
      logger: createLogger([sink]),
    });
    reply = (_req, res) =>
      json(res, 400, {
        title: `bad key ${odd}`,
        detail: 'card 5555 5555 5555 4444, other sk_live_abcdef123',
        code: `E_${odd}`,
        traceId: 'trace-redact',
      });
    const e = await failure(c.getPaymentIntent('pi_1'));
    const text = JSON.stringify({ message: e.message, info: e.info });
    for (const leak of [odd, '5555 5555 5555 4444', 'abcdef123']) {
      expect(text).not.toContain(leak);
      expect(JSON.stringify(sink.records)).not.toContain(leak);
    }
    expect(e.info.traceId).toBe('trace-redact');
    // A 200 the till cannot read, whose enum value echoes a key: the issue text is redacted too.
    reply = (_req, res) => json(res, 200, { id: odd, properties: 7, status: 'Available' });
    const m = await failure(c.getTerminal('tm_1'));
    expect(JSON.stringify({ message: m.message, info: m.info })).not.toContain(odd);
  });

  it('masks card numbers in the receipt lines Dojo returns', async () => {
    reply = (_req, res) =>
      json(
        res,
        200,
        session({
          status: 'Captured',
          customerReceipt: {
            lines: [
              { lineType: 'Text', text: { value: 'CARD 4111111111111111' } },
              { lineType: 'Text', text: { value: 'AID: A0000000031010' } },
            ],
          },
        }),
      );
    const s = await client().getSession('ts_1');
    expect(s.customerReceipt?.lines.map((l) => l.text?.value)).toEqual([
      'CARD ************1111',
      'AID: A0000000031010',
    ]);
  });

  it('maps 404, 409, 422-on-cancel, 429 with Retry-After, 5xx, PascalCase bodies', async () => {
    reply = (_req, res) => json(res, 404, { Title: 'Not found', TraceId: 'tr-404', Status: 404 });
    const nf = await failure(client().getSession('nope'));
    expect([nf.code, nf.info.traceId]).toEqual(['NOT_FOUND', 'tr-404']);
    reply = (_req, res) =>
      json(res, 409, { title: 'Conflict', detail: 'already captured', traceId: 't' });
    const c = await failure(client().capturePaymentIntent('pi_1', { amount: 1 }));
    expect(c.code).toBe('CONFLICT');
    expect(c.message).toContain('already captured');
    reply = (_req, res) =>
      json(res, 422, { title: 'Unprocessable', traceId: 't', code: 'INVALID_REQUEST' });
    expect((await failure(client().cancelSession('ts_1'))).code).toBe('CARD_ALREADY_PRESENTED');
    reply = (_req, res) => json(res, 429, {}, { 'retry-after': '3' });
    const rl = await failure(client().getSession('ts_1'));
    expect([rl.code, rl.retryable, rl.info.retryAfterMs]).toEqual([
      'DOJO_RATE_LIMITED',
      true,
      3000,
    ]);
    reply = (_req, res) => json(res, 503, { title: 'down', traceId: 't' }, { 'retry-after': '1' });
    const su = await failure(client().getSession('ts_1'));
    expect([su.code, su.retryable, su.info.ambiguous, su.info.retryAfterMs]).toEqual([
      'DOJO_HTTP',
      true,
      true,
      1000,
    ]);
    reply = (_req, res) =>
      json(res, 400, {
        title: 'Bad',
        code: 'TERMINAL_UNAVAILABLE',
        traceId: 't',
        errors: { terminalId: ['busy'] },
      });
    const busy = await failure(client().createSaleSession('tm_1', 'pi_1'));
    expect(busy.code).toBe('TERMINAL_BUSY');
    expect(busy.message).toContain('terminalId: busy');
  });

  it('maps resets and timeouts to DOJO_UNREACHABLE (ambiguous, retryable)', async () => {
    reply = (req) => req.socket.destroy();
    const reset = await failure(
      client().createPaymentIntent({ amount: { value: 1, currencyCode: 'GBP' }, reference: 'r' }),
    );
    expect([reset.code, reset.retryable, reset.info.ambiguous]).toEqual([
      'DOJO_UNREACHABLE',
      true,
      true,
    ]);
    reply = (_req, res) => setTimeout(() => json(res, 200, session()), 300);
    const slow = await failure(client(50).getSession('ts_1'));
    expect(slow.code).toBe('DOJO_UNREACHABLE');
  });
});
