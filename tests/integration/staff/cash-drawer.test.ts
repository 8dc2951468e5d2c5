import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CashSummary } from '../../../src-shared/domain/cash';
import type { DayClosure } from '../../../src-shared/contract/printing.contract';
import type { DojoCheck } from '../../../src-shared/domain/dojo-check';
import {
  startVirtualPrinter,
  type VirtualPrinter,
} from '../../../src-main/printing/dev/virtual-printer';
import { PINS, staffCore, type StaffCore } from './core-fixture';
import { waitFor } from '../../support/wait';

type Closure = DayClosure & { dojoCheck: DojoCheck | null };

describe('the cash drawer from float to count', () => {
  let t: StaffCore;
  let printer: VirtualPrinter;
  let productId = '';
  beforeEach(async () => {
    t = await staffCore();
    printer = await startVirtualPrinter({ port: 0 });
    t.as('manager');
    expect((await t.call('settings:update', { printer: printer.url })).ok).toBe(true);
    const list = await t.call<{ id: string; priceMinor: number }[]>('catalogue:list', {});
    productId = list.ok
      ? (list.value.find((p) => p.priceMinor === 250)?.id ?? list.value[0]?.id ?? '')
      : '';
  });
  afterEach(async () => {
    await t.close();
    await printer.close();
  });

  const sale = async (tenderedMinor?: number) => {
    const order = await t.call<{ id: string; totalMinor: number }>('orders:create', {
      lines: [{ kind: 'product', productId, quantity: 2 }],
    });
    if (!order.ok) throw new Error(order.error.message);
    const paid = await t.call('orders:pay-cash', {
      orderId: order.value.id,
      amountMinor: order.value.totalMinor,
      tenderedMinor: tenderedMinor ?? order.value.totalMinor,
      idempotencyKey: randomUUID(),
    });
    if (!paid.ok) throw new Error(paid.error.message);
    return order.value;
  };
  const summary = async () => {
    const s = await t.call<CashSummary>('cash:summary', {});
    if (!s.ok) throw new Error(s.error.message);
    return s.value;
  };

  it('float, sales with change, pay-in, pay-out, cash refund and no-sale make the expected cash; the count records short', async () => {
    const opened = await t.call('day:open', {
      float: [
        { valueMinor: 1000, quantity: 5 },
        { valueMinor: 100, quantity: 10 },
      ],
    });
    expect(opened).toMatchObject({ ok: true, value: { floatMinor: 6000, openedByName: 'Ann' } });
    expect(await t.call('day:open', { float: [{ valueMinor: 100, quantity: 1 }] })).toMatchObject({
      ok: false,
      error: { code: 'DAY_STATE', message: /already open/ },
    });

    t.as('cashier');
    const first = await sale(2000); // change given
    await sale();
    t.as('supervisor');
    await t.call('drawer:pay', {
      idempotencyKey: randomUUID(),
      movement: { direction: 'in', amountMinor: 1500, reason: 'change' },
    });
    await t.call('drawer:pay', {
      idempotencyKey: randomUUID(),
      movement: { direction: 'out', amountMinor: 700, reason: 'other', note: 'window cleaner' },
    });
    const refund = await t.call('refunds:cash', {
      idempotencyKey: randomUUID(),
      orderId: first.id,
      amountMinor: 200,
      reason: 'spilt',
    });
    expect(refund).toMatchObject({ ok: true, value: { kind: 'cash-refund', amountMinor: 200 } });
    expect((await t.call('drawer:no-sale', { reason: 'change for a tenner' })).ok).toBe(true);

    const s = await summary();
    const total = first.totalMinor;
    expect(s).toMatchObject({
      floatMinor: 6000,
      cashTakenMinor: 2000 + total,
      changeMinor: 2000 - total,
      cashRefundedMinor: 200,
      payInsMinor: 1500,
      payOutsMinor: 700,
      noSales: 1,
    });
    const expected = 6000 + 2000 + total - (2000 - total) - 200 + 1500 - 700;
    expect(s.expectedMinor).toBe(expected);
    expect(s.byStaff.find((p) => p.name === 'Cy')).toMatchObject({
      orders: 2,
      cashMinor: 2 * total,
    });
    expect(s.byStaff.find((p) => p.name === 'Sue')).toMatchObject({ refundsMinor: 200 });

    // Count: one short by 50p. Notes and coins for the expected amount less a 50p coin.
    t.as('manager');
    const short = expected - 50;
    const count = [
      { valueMinor: 1000, quantity: Math.floor(short / 1000) },
      { valueMinor: 1, quantity: short % 1000 },
    ];
    const closed = await t.call<Closure>('reports:close-day', { confirm: true, count });
    if (!closed.ok) throw new Error(closed.error.message);
    expect(closed.value.summary.count).toMatchObject({
      countedMinor: short,
      expectedMinor: expected,
      overShortMinor: -50,
    });
    expect(
      t.core.db.prepare('SELECT counted_minor, expected_minor FROM day_closures').get(),
    ).toEqual({ counted_minor: short, expected_minor: expected });
    expect(await t.call('day:get')).toEqual({ ok: true, value: null });

    // The Z report on paper: decoded back from the ESC/POS bytes the printer received.
    await waitFor(
      () => printer.jobs.some((j) => j.decoded.text.includes('Z REPORT')),
      'the Z report on paper',
      15_000,
      50,
    );
    const jobs = printer.jobs;
    const z = jobs.map((j) => j.decoded.text).find((x) => x.includes('Z REPORT')) ?? '';
    expect(z).toMatch(/Float\s+£60\.00/);
    expect(z).toMatch(/Pay-out other: window cleaner\s+-£7\.00/);
    expect(z).toMatch(/Pay-in change\s+£15\.00/);
    expect(z).toMatch(/No-sale drawer opens\s+1/);
    expect(z).toMatch(/SHORT\s+-£0\.50/);
    expect(z).toMatch(/Cy \(2\)/);
    expect(z).toContain('Card check with Dojo');
    // The drawer opened for the float, each movement and the no-sale.
    expect(
      jobs.filter((j) => j.decoded.items.some((i) => i.type === 'drawer')).length,
    ).toBeGreaterThanOrEqual(5);
  });

  it('refuses bad input in plain words and writes nothing', async () => {
    const before = t.rows();
    const refusals: [string, unknown, RegExp][] = [
      ['day:open', { float: [{ valueMinor: 1000, quantity: -1 }] }, /cannot be negative/],
      ['day:open', { float: [{ valueMinor: 1000, quantity: 1.5 }] }, /whole number/],
      [
        'day:open',
        { float: [{ valueMinor: 300, quantity: 1 }] },
        /£3\.00 is not a GBP note or coin/,
      ],
      ['day:open', { float: [] }, /Count the float/],
      [
        'drawer:pay',
        {
          movement: { direction: 'out', amountMinor: 100, reason: 'other' },
          idempotencyKey: randomUUID(),
        },
        /Say what the money is for/,
      ],
      [
        'drawer:pay',
        {
          movement: { direction: 'in', amountMinor: 100, reason: 'party' },
          idempotencyKey: randomUUID(),
        },
        /Choose a reason/,
      ],
      ['staff:sign-in', { pin: '12ab' }, /numbers only/],
    ];
    for (const [channel, input, message] of refusals)
      expect([channel, await t.call(channel, input)]).toMatchObject([
        channel,
        { ok: false, error: { message } },
      ]);
    // No day open: pay-ins and pay-outs wait for the float.
    expect(
      await t.call('drawer:pay', {
        idempotencyKey: randomUUID(),
        movement: { direction: 'in', amountMinor: 100, reason: 'change' },
      }),
    ).toMatchObject({ ok: false, error: { code: 'DAY_STATE' } });
    expect(t.rows()).toEqual(before);

    await t.call('day:open', { float: [{ valueMinor: 500, quantity: 2 }] });
    const opened = t.rows();
    expect(
      await t.call('drawer:pay', {
        idempotencyKey: randomUUID(),
        movement: { direction: 'out', amountMinor: 1001, reason: 'supplier' },
      }),
    ).toMatchObject({
      ok: false,
      error: {
        message:
          'A pay-out of £10.01 is more than the £10.00 the drawer should hold: nothing was recorded.',
      },
    });
    // A cash refund above what the order has left, or on an order not paid.
    const order = await sale();
    expect(
      await t.call('refunds:cash', {
        idempotencyKey: randomUUID(),
        orderId: order.id,
        amountMinor: order.totalMinor + 1,
      }),
    ).toMatchObject({ ok: false, error: { code: 'REFUND_EXCEEDS_REMAINING' } });
    // A close without the count, and with a count in a coin the till does not know.
    expect(await t.call('reports:close-day', { confirm: true })).toMatchObject({
      ok: false,
      error: { message: /Count the drawer before closing the day/ },
    });
    expect(
      await t.call('reports:close-day', {
        confirm: true,
        count: [{ valueMinor: 25, quantity: 1 }],
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: /not a GBP note or coin/ },
    });
    const after = t.rows();
    expect({ ...after, orders: 0, tenders: 0, audit_log: 0 }).toEqual({
      ...opened,
      orders: 0,
      tenders: 0,
      audit_log: 0,
    });
  });

  it('a close while a card payment is live is refused, nothing written', async () => {
    await t.call('day:open', { float: [{ valueMinor: 500, quantity: 1 }] });
    const sim = t.core.simulator();
    sim?.control.forceScenario('no-card-expires');
    const order = await t.call<{ id: string }>('orders:create', {
      lines: [{ kind: 'product', productId, quantity: 1 }],
    });
    if (!order.ok) throw new Error(order.error.message);
    const card = await t.call('payments:start-sale', {
      orderId: order.value.id,
      terminalId: 'tm_sandbox_65f0a1c0e1d2c3b4a5960001',
      idempotencyKey: randomUUID(),
    });
    expect(card.ok).toBe(true);
    const before = t.rows();
    expect(
      await t.call('reports:close-day', {
        confirm: true,
        count: [{ valueMinor: 500, quantity: 1 }],
      }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'DAY_STATE',
        message: 'A card payment or refund is still in progress: finish it before closing the day.',
      },
    });
    expect(t.rows()).toEqual(before);
    await t.call('payments:cancel', { attemptId: (card as { value: { id: string } }).value.id });
  });

  it('a pay-out or cash refund sent twice with one key happens once', async () => {
    await t.call('day:open', { float: [{ valueMinor: 2000, quantity: 1 }] });
    const payOut = {
      movement: { direction: 'out', amountMinor: 300, reason: 'petty cash' },
      idempotencyKey: randomUUID(),
    };
    const [a, b] = await Promise.all([t.call('drawer:pay', payOut), t.call('drawer:pay', payOut)]);
    expect(b).toEqual(a);
    const order = await sale();
    const refund = { orderId: order.id, amountMinor: 100, idempotencyKey: randomUUID() };
    const first = await t.call('refunds:cash', refund);
    expect(await t.call('refunds:cash', refund)).toEqual(first);
    const outs = t.core.db
      .prepare(
        "SELECT kind, amount_minor AS amount FROM cash_movements WHERE kind != 'float' ORDER BY created_at",
      )
      .all();
    expect(outs).toEqual([
      { kind: 'pay-out', amount: 300 },
      { kind: 'cash-refund', amount: 100 },
    ]);
  });

  it("an override by a supervisor's PIN lets a cashier pay out; both names on the movement", async () => {
    await t.call('day:open', { float: [{ valueMinor: 2000, quantity: 1 }] });
    t.as('cashier');
    const out = await t.call<{ staffId: string; approvedBy: string; staffName: string }>(
      'drawer:pay',
      {
        movement: { direction: 'out', amountMinor: 300, reason: 'petty cash' },
        approval: { pin: PINS.supervisor },
        idempotencyKey: randomUUID(),
      },
    );
    expect(out).toMatchObject({
      ok: true,
      value: { staffId: t.ids.cashier, approvedBy: t.ids.supervisor, staffName: 'Cy' },
    });
  });
});
