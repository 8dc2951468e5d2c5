import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { DayClosure } from '../../../src-shared/contract/printing.contract';
import type { DojoCheck } from '../../../src-shared/domain/dojo-check';
import type { PaymentAttempt } from '../../../src-shared/domain/payments';
import { staffCore, type StaffCore } from './core-fixture';
import { waitFor } from '../../support/wait';

type Closure = DayClosure & { dojoCheck: DojoCheck | null };
const T1 = 'tm_sandbox_65f0a1c0e1d2c3b4a5960001';
const T2 = 'tm_sandbox_65f0a1c0e1d2c3b4a5960002';

let t: StaffCore;
afterEach(async () => {
  await t.close();
});

/** Reads until `ok` accepts what was read; the last reading is named if it never does. */
async function until<T>(read: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000) {
  let last: T | undefined;
  const hit = await waitFor(
    async () => {
      last = await read();
      return ok(last) ? { v: last } : null;
    },
    () => `not in time: ${JSON.stringify(last)}`,
    timeoutMs,
    50,
  );
  return hit.v;
}

/** A custom-priced order paid by card on the simulator (pence pick the scenario). */
async function cardSale(pence: number, terminalId = T1): Promise<PaymentAttempt> {
  const order = await t.call<{ id: string }>('orders:create', {
    lines: [{ kind: 'custom', name: 'Cake', unitPriceMinor: pence, vatRateBp: 0, quantity: 1 }],
  });
  if (!order.ok) throw new Error(order.error.message);
  const started = await t.call<PaymentAttempt>('payments:start-sale', {
    orderId: order.value.id,
    terminalId,
    idempotencyKey: randomUUID(),
  });
  if (!started.ok) throw new Error(started.error.message);
  return until(
    async () => {
      const r = await t.call<PaymentAttempt>('payments:get', { attemptId: started.value.id });
      if (!r.ok) throw new Error(r.error.message);
      return r.value;
    },
    (a) => a.isFinal || a.state.kind === 'unconfirmed',
  );
}

describe("three-way close: the till against Dojo's own record, over HTTP", () => {
  it('matched, in Dojo only, in the till only — each listed with reference, amount, time and card', async () => {
    t = await staffCore();
    t.as('manager');
    const sim = t.core.simulator();
    if (!sim) throw new Error('training simulator expected');
    // Three card sales the till and Dojo agree on, one partly refunded on the terminal.
    const a = await cardSale(1203);
    const b = await cardSale(1503, T2);
    expect([a.state.kind, b.state.kind]).toEqual(['succeeded', 'succeeded']);
    const refund = await t.call<{ attempt: PaymentAttempt }>('refunds:matched', {
      originalAttemptId: a.id,
      terminalId: T1,
      amountMinor: 200,
      idempotencyKey: randomUUID(),
    });
    if (!refund.ok) throw new Error(refund.error.message);
    await until(
      async () =>
        (await t.call<PaymentAttempt>('payments:get', { attemptId: refund.value.attempt.id })) as {
          ok: true;
          value: PaymentAttempt;
        },
      (r) => r.value.isFinal,
    );
    // The till recorded one by hand that Dojo never captured (the terminal showed nothing).
    sim.control.forceScenario('no-card-expires', T1);
    const lost = await cardSale(900);
    expect(lost.state.kind).toBe('unconfirmed');
    expect(
      await t.call('payments:record-manually', {
        attemptId: lost.id,
        outcome: 'paid',
        note: 'customer insisted',
      }),
    ).toMatchObject({ ok: true });
    // Dojo holds a payment the till never saw.
    const outside = sim.control.holdOutsidePayment({ amount: 4321, reference: 'lost-on-the-wire' });

    const closed = await t.call<Closure>('reports:close-day', { confirm: true });
    if (!closed.ok) throw new Error(closed.error.message);
    const check = closed.value.dojoCheck;
    expect(check).toMatchObject({ status: 'completed', lastError: null });
    expect(check?.result?.matched).toEqual({ count: 3, amountMinor: 1203 + 1503 + 200 });
    expect(check?.result?.dojoOnly).toHaveLength(1);
    const only = check?.result?.dojoOnly[0];
    expect(only).toMatchObject({
      paymentIntentId: outside.id,
      reference: 'lost-on-the-wire',
      kind: 'sale',
      amountMinor: 4321,
    });
    expect(only?.at).toMatch(/^\d{4}-/);
    expect(only?.card).toMatch(/^\*+\d{4}$/);
    expect(check?.result?.tillOnly).toEqual([
      expect.objectContaining({
        paymentIntentId: lost.paymentIntentId,
        kind: 'sale',
        amountMinor: 900,
      }),
    ]);
    expect(check?.result?.tillOnly[0]?.reference).toMatch(/^[A-Za-z0-9-]+$/);
    // Dojo was asked with the spec's shape: the day's window, statuses, cursor.
    const search = sim.control
      .records()
      .requests.filter((r) => r.path === '/payment-intents/search');
    expect(search[0]?.body).toMatchObject({
      statuses: ['Captured', 'Refunded'],
      endDate: closed.value.closedAt,
      cursor: { limit: 100 },
    });
    // On the Z report document too.
    const text = JSON.stringify(closed.value.document.blocks);
    expect(text).toContain('In Dojo, not in till (1)');
    expect(text).toContain('lost-on-the-wire');
    expect(text).toContain('In till, not at Dojo (1)');
    // And in Reports.
    expect(await t.call('reports:dojo-checks', {})).toMatchObject({
      ok: true,
      value: [{ status: 'completed' }],
    });
  });

  it('follows the cursor when Dojo pages its record', async () => {
    t = await staffCore();
    t.as('manager');
    const sim = t.core.simulator();
    if (!sim) throw new Error('training simulator expected');
    for (let i = 0; i < 230; i++) sim.control.holdOutsidePayment({ amount: 100 + i });
    const closed = await t.call<Closure>('reports:close-day', { confirm: true });
    if (!closed.ok) throw new Error(closed.error.message);
    expect(closed.value.dojoCheck?.result?.dojoOnly).toHaveLength(230);
    const bodies = sim.control
      .records()
      .requests.filter((r) => r.path === '/payment-intents/search')
      .map((r) => r.body as { cursor: { after?: string } });
    expect(bodies).toHaveLength(3);
    expect(bodies[0]?.cursor.after).toBeUndefined();
    expect(typeof bodies[1]?.cursor.after).toBe('string');
  });

  it('Dojo unreachable: the day still closes, the check is pending, and completes when Dojo is back', async () => {
    t = await staffCore({
      connectivity: { intervalMs: 300, offlineBaseMs: 100, maxBackoffMs: 300, timeoutMs: 1000 },
    });
    t.as('manager');
    const sim = t.core.simulator();
    if (!sim) throw new Error('training simulator expected');
    const sale = await cardSale(1103);
    expect(sale.state.kind).toBe('succeeded');
    sim.control.injectFault({
      kind: 'http-error',
      path: '/payment-intents/search',
      method: 'POST',
      status: 503,
      count: 1000,
    });
    sim.control.injectFault({
      kind: 'http-error',
      path: '/terminals',
      method: 'GET',
      status: 503,
      count: 1000,
    });
    const closed = await t.call<Closure>('reports:close-day', { confirm: true });
    if (!closed.ok) throw new Error(closed.error.message);
    expect(closed.value.dojoCheck).toMatchObject({
      status: 'pending',
      result: null,
    });
    expect(closed.value.dojoCheck?.lastError).toMatch(/503/);
    expect(JSON.stringify(closed.value.document.blocks)).toContain(
      'PENDING: Dojo could not be reached.',
    );
    expect(t.core.db.prepare('SELECT count(*) AS n FROM day_closures').get()).toEqual({ n: 1 });
    await until(
      () => t.core.status().dojo.state,
      (s) => s === 'offline',
    );

    // Dojo comes back: the connectivity monitor sees it and the pending check runs by itself.
    sim.control.clearFaults();
    const done = await until(
      async () => {
        const r = await t.call<DojoCheck[]>('reports:dojo-checks', {});
        if (!r.ok) throw new Error(r.error.message);
        return r.value[0];
      },
      (c) => c?.status === 'completed',
    );
    expect(done?.result).toMatchObject({
      matched: { count: 1, amountMinor: 1103 },
      dojoOnly: [],
      tillOnly: [],
    });
    // It can be printed from Reports (no printer set: nothing to print, the check is returned).
    expect(
      await t.call('reports:run-dojo-check', { closureId: closed.value.closureId, print: true }),
    ).toMatchObject({ ok: true, value: { status: 'completed' } });
  });
});
