import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TillError } from '../../../src-shared/errors';
import { paymentsAgainst } from '../../support/payments-service';
import { insertOrder, T1 } from '../payments/harness';
import { tempDb, type TempDb } from '../orders/helpers';

// The key `paymentsAgainst` configures, and what a misbehaving Dojo echoes back in its words.
const KEY = 'sk_sandbox_test_payments';
const PAN = '4111111111111111';
let server: Server;
let baseUrl: string;
let t: TempDb;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.method === 'GET' && req.url?.startsWith('/terminals/')) {
        res.end(JSON.stringify({ id: T1, properties: { tid: '1234' }, status: 'Available' }));
        return;
      }
      res.statusCode = 400;
      res.end(
        JSON.stringify({
          title: `Key ${KEY} is not allowed; neither is SK_PROD_SHOUTED_SECRET`,
          detail: `Card card${PAN} was refused`,
          traceId: 'trace-1',
          errors: { amount: [`for pan_${PAN}`] },
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t = tempDb('opentill-redact-');
});
afterAll(async () => {
  t.cleanup();
  await new Promise<void>((r) => server.close(() => r()));
});

/** Every value of every table, as text: what a support dump of the data folder would show. */
function everything(): string {
  const tables = t.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
    name: string;
  }[];
  return JSON.stringify(tables.map(({ name }) => t.db.prepare(`SELECT * FROM "${name}"`).all()));
}

describe('Dojo error text is redacted before it leaves the Dojo client', () => {
  it('a refusal echoing the key and a card number reaches neither the cashier nor the database', async () => {
    const service = paymentsAgainst(t.db, baseUrl);
    await service.start();
    const orderId = insertOrder(t.db, 1250);
    let thrown: unknown;
    try {
      await service.startSale({ orderId, terminalId: T1 });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TillError);
    const shown = (thrown as TillError).toShape().message;
    // Dojo's reason still reaches the cashier, without the secrets.
    expect(shown).toContain('was refused');
    const stored = everything();
    expect(stored).toContain('intent-create-failed');
    for (const leak of [KEY, 'SHOUTED_SECRET', PAN]) {
      expect(shown).not.toContain(leak);
      expect(stored).not.toContain(leak);
    }
    await service.stop();
  });
});
