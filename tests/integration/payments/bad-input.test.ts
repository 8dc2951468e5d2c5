import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src-main/db/connection';
import { createDispatcher } from '../../../src-main/ipc/dispatcher';
import { silentLogger } from '../../../src-main/logging/logger';
import { listAttemptsForOrder, listEvents } from '../../../src-main/payments/attempts.repo';
import { createPaymentsHandlers } from '../../../src-main/payments/payments.ipc';
import { createHarness, insertOrder, orderState, T1, TEST_POLLING, type Harness } from './harness';
import { paymentsAgainst } from '../../support/payments-service';

describe('IPC input is refused with a clear error, the database untouched', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  const counts = () =>
    h.db
      .prepare(
        'SELECT (SELECT count(*) FROM payment_attempts) AS a, (SELECT count(*) FROM refunds) AS r, (SELECT count(*) FROM outbox) AS o',
      )
      .get();

  it('amounts: negative, zero, fractional, absurd, strings', async () => {
    const dispatch = createDispatcher(createPaymentsHandlers(h.service), silentLogger);
    const orderId = insertOrder(h.db, 1000);
    const before = counts();
    for (const [amountMinor, message] of [
      [-5, /negative/],
      [0, /more than zero/],
      [12.5, /whole number/],
      [1e12, /too large/],
      ['100', /number/],
    ] as const) {
      const r = await dispatch('payments:start-sale', {
        idempotencyKey: randomUUID(),
        orderId,
        terminalId: T1,
        amountMinor,
      });
      expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION', message } });
      const u = await dispatch('refunds:unlinked', {
        idempotencyKey: randomUUID(),
        terminalId: T1,
        amountMinor,
      });
      expect(u).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    }
    expect(
      await dispatch('payments:start-sale', {
        idempotencyKey: randomUUID(),
        orderId: 'not-a-uuid',
        terminalId: T1,
      }),
    ).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(
      await dispatch('payments:start-sale', {
        idempotencyKey: randomUUID(),
        orderId,
        terminalId: T1,
        extra: 1,
      }),
    ).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(
      await dispatch('refunds:unlinked', {
        idempotencyKey: randomUUID(),
        terminalId: T1,
        amountMinor: 100,
        approval: { pin: 'abcd' },
      }),
    ).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(
      await dispatch('payments:signature', { attemptId: orderId, accepted: 'yes' }),
    ).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(counts()).toEqual(before);
  });

  it('unknown terminal, more than the balance, refund above the remainder, unknown attempt', async () => {
    const dispatch = createDispatcher(createPaymentsHandlers(h.service), silentLogger);
    const orderId = insertOrder(h.db, 1000);
    expect(
      await dispatch('payments:start-sale', {
        idempotencyKey: randomUUID(),
        orderId,
        terminalId: 'tm_unknown',
      }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'NOT_FOUND',
        message: 'Dojo does not know that terminal. Choose one from the list in Settings.',
      },
    });
    expect(
      await dispatch('payments:start-sale', {
        idempotencyKey: randomUUID(),
        orderId,
        terminalId: T1,
        amountMinor: 1001,
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: /£10\.00 left to pay/ },
    });
    const sale = await dispatch('payments:start-sale', {
      idempotencyKey: randomUUID(),
      orderId,
      terminalId: T1,
    });
    expect(sale.ok).toBe(true);
    const attemptId = sale.ok ? (sale.value as { id: string }).id : '';
    await h.settle(attemptId);
    const before = counts();
    expect(
      await dispatch('refunds:matched', {
        idempotencyKey: randomUUID(),
        originalAttemptId: attemptId,
        terminalId: T1,
        amountMinor: 1001,
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'REFUND_EXCEEDS_REMAINING' },
    });
    expect(
      await dispatch('refunds:server', {
        idempotencyKey: randomUUID(),
        originalAttemptId: attemptId,
        amountMinor: 1001,
      }),
    ).toMatchObject({ ok: false, error: { code: 'REFUND_EXCEEDS_REMAINING' } });
    expect(counts()).toEqual(before);
    expect(
      await dispatch('payments:get', { attemptId: '6c1b1b3e-6b7a-4f53-9d7a-1d2f3a4b5c6d' }),
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const got = await dispatch('payments:get', { attemptId });
    expect(got.ok && (got.value as { events: unknown[] }).events.length).toBeGreaterThan(5);
    const list = await dispatch('payments:list-for-order', { orderId });
    expect(list.ok && (list.value as unknown[]).length).toBe(1);
    expect(orderState(h.db, orderId)?.status).toBe('paid');
  });
  // Wrong approval PINs and the lockout: tests/integration/staff/permissions.test.ts.
});

describe('malformed Dojo responses', () => {
  let server: Server;
  let db: Db;
  let mode: 'bad-intent' | 'bad-session' = 'bad-intent';
  afterEach(async () => {
    db.close();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('a 200 the till cannot read leaves the order open and the attempt clearly not paid', async () => {
    server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      const url = req.url ?? '';
      if (url.startsWith('/terminals/'))
        return res.end(
          JSON.stringify({ id: T1, properties: { tid: '1' }, status: 'Available', updatedAt: 'x' }),
        );
      if (url === '/payment-intents' && mode === 'bad-intent')
        return res.end(JSON.stringify({ amount: 'lots' }));
      if (url === '/payment-intents')
        return res.end(JSON.stringify({ id: 'pi_1', status: 'Created' }));
      if (url.startsWith('/payment-intents/'))
        return res.end(
          JSON.stringify({ id: 'pi_1', status: 'Created', terminalSessionHistory: [] }),
        );
      if (url === '/terminal-sessions') return res.end('<html>oops</html>');
      res.statusCode = 404;
      return res.end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    db = openDatabase(':memory:');
    const service = paymentsAgainst(db, baseUrl, { polling: TEST_POLLING });
    await service.start();
    const orderId = insertOrder(db, 300);
    await expect(service.startSale({ orderId, terminalId: T1 })).rejects.toMatchObject({
      code: 'DOJO_HTTP',
      message: /could not read/,
    });
    expect(listAttemptsForOrder(db, orderId).map((a) => a.state.kind)).toEqual(['failed']);
    expect(orderState(db, orderId)).toMatchObject({ status: 'open', paid_minor: 0 });

    // An unreadable session create may have happened: the till looks, and with the terminal
    // idle and no session on the intent it asks again, then gives up cleanly.
    mode = 'bad-session';
    await expect(service.startSale({ orderId, terminalId: T1 })).rejects.toMatchObject({
      code: 'DOJO_HTTP',
    });
    const attempts = listAttemptsForOrder(db, orderId);
    expect(attempts.map((a) => a.state.kind)).toEqual(['failed', 'failed']);
    expect(
      listEvents(db, attempts[1]?.id ?? '').filter((e) => e.type === 'session-create-uncertain'),
    ).toHaveLength(3);
    expect(orderState(db, orderId)).toMatchObject({ status: 'open', paid_minor: 0 });
    await service.stop();
  });
});
