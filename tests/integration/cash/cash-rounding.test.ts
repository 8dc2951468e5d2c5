import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CashSummary } from '../../../src-shared/domain/cash';
import type { CashPaymentResult, OrderDetail } from '../../../src-shared/domain/orders';
import type { DayClosure } from '../../../src-shared/contract/printing.contract';
import {
  startVirtualPrinter,
  type VirtualPrinter,
} from '../../../src-main/printing/dev/virtual-printer';
import { till, type Till } from '../tenders/fixture';
import { waitFor } from '../../support/wait';

/** What a 5-cent till does with each last digit of the cents, worked out by hand. */
const BY_LAST_DIGIT = [0, -1, -2, +2, +1, 0, -1, -2, +2, +1];

describe('cash rounding to 0.05 on a euro till', () => {
  let t: Till;
  let printer: VirtualPrinter;
  beforeEach(async () => {
    t = await till();
    printer = await startVirtualPrinter({ port: 0 });
    t.as('manager');
    await t.ok('settings:update', { printer: printer.url, currency: 'EUR' });
  });
  afterEach(async () => {
    await t.close();
    await printer.close();
  });

  const payCash = (orderId: string, amountMinor: number, tenderedMinor: number) =>
    t.call<CashPaymentResult>('orders:pay-cash', {
      orderId,
      amountMinor,
      tenderedMinor,
      idempotencyKey: randomUUID(),
    });

  it('rounds every last digit 0-9; the drawer expects exactly what it physically got; the Z report shows the rounding', async () => {
    await t.ok('settings:update', { cashRounding: '0.05' });
    await t.ok('day:open', { float: [{ valueMinor: 1000, quantity: 5 }] });
    const float = 5000;
    t.as('cashier');
    let intoDrawer = 0;
    let takings = 0;
    let rounding = 0;
    // Two rounds over the ten last digits: once handing the rounded amount exactly, once a note.
    for (const [round, base] of [
      [0, 1000],
      [1, 1230],
    ] as const) {
      for (let digit = 0; digit <= 9; digit++) {
        const total = base + digit;
        const due = total + (BY_LAST_DIGIT[digit] ?? NaN);
        const orderId = await t.order(total);
        const handed = round === 0 ? due : 2000;
        const paid = await payCash(orderId, total, handed);
        if (!paid.ok) throw new Error(`${total}: ${paid.error.message}`);
        expect([total, paid.value.roundingMinor, paid.value.changeMinor]).toEqual([
          total,
          due - total,
          handed - due,
        ]);
        // The order is settled exactly: its total and paid amount are the catalogue's figures.
        const detail = await t.ok<OrderDetail>('orders:get', { orderId });
        expect(detail).toMatchObject({ status: 'paid', totalMinor: total, paidMinor: total });
        expect(detail.tenders).toMatchObject([
          { kind: 'cash', amountMinor: total, roundingMinor: due - total },
        ]);
        // What the customer leaves in the drawer: the note(s) handed over less the change given.
        intoDrawer += handed - paid.value.changeMinor;
        takings += total;
        rounding += due - total;
      }
    }
    expect(rounding).toBe(0); // +2+1-1-2 per five cents: a fair rule over every digit
    expect(intoDrawer).toBe(takings + rounding);

    t.as('manager');
    const s = await t.ok<CashSummary>('cash:summary', {});
    expect(s).toMatchObject({ cashRoundingMinor: rounding, cashRoundedCount: 16 });
    expect(s.expectedMinor).toBe(float + intoDrawer);

    // A day of only round-ups: the rounding shows, and takings + rounding = cash from sales.
    t.as('cashier');
    const upOrder = await t.order(1003);
    const up = await payCash(upOrder, 1003, 2000);
    expect(up).toMatchObject({ ok: true, value: { roundingMinor: 2, changeMinor: 995 } });
    intoDrawer += 1005;
    t.as('manager');
    const after = await t.ok<CashSummary>('cash:summary', {});
    expect(after).toMatchObject({ cashRoundingMinor: 2, cashRoundedCount: 17 });
    expect(after.expectedMinor).toBe(float + intoDrawer);

    // Closing with a count of exactly what went in: nothing over or short.
    const expected = float + intoDrawer;
    const count = [
      { valueMinor: 1000, quantity: Math.floor(expected / 1000) },
      { valueMinor: 5, quantity: (expected % 1000) / 5 },
    ];
    expect(expected % 5).toBe(0); // a 5-cent drawer never needs a 1 or 2 cent coin
    const closed = await t.ok<DayClosure>('reports:close-day', { confirm: true, count });
    expect(closed.summary.count).toMatchObject({ expectedMinor: expected, overShortMinor: 0 });
    expect(closed.summary.cash).toMatchObject({ cashRoundingMinor: 2, cashRoundedCount: 17 });
    const cashTakings = closed.summary.tenders.find((x) => x.kind === 'cash')?.amountMinor;
    expect(cashTakings).toBe(takings + 1003);
    expect((cashTakings ?? 0) + 2).toBe(intoDrawer);

    await waitFor(
      () => printer.jobs.some((j) => j.decoded.text.includes('Z REPORT')),
      'the Z report on paper',
      15_000,
      50,
    );
    const z = printer.jobs.map((j) => j.decoded.text).find((x) => x.includes('Z REPORT')) ?? '';
    expect(z).toMatch(/Cash \(21\)\s+€/);
    expect(z).toMatch(/Cash rounding \(17\)\s+\+€0\.02/);
    expect(z).toMatch(/OVER\/SHORT\s+€0\.00/);
    // And the customer's receipt of the €10.03 sale says what was rounded.
    const receipt = printer.jobs
      .map((j) => j.decoded.text)
      .filter((x) => /TOTAL\s+€10\.03/.test(x) && x.includes('Cash rounding'))
      .at(-1);
    expect(receipt).toMatch(/Cash rounding\s+\+€0\.02/);
    expect(receipt).toMatch(/Cash due\s+€10\.05/);
    expect(receipt).toMatch(/CHANGE\s+€9\.95/);
  });

  it('refuses cash that does not cover the rounded amount, in plain words, writing nothing', async () => {
    await t.ok('settings:update', { cashRounding: '0.05' });
    const orderId = await t.order(1003);
    const before = t.counts();
    // €10.04 covers the exact €10.03 but not the €10.05 due in cash.
    expect(await payCash(orderId, 1003, 1004)).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION',
        message:
          'Cash handed over (€10.04) is less than the €10.05 due (€10.03 rounded to the nearest 0.05); nothing was taken.',
      },
    });
    expect(t.counts()).toEqual(before);
    // Rounded down, €10.00 settles €10.02.
    const down = await t.order(1002);
    expect(await payCash(down, 1002, 1000)).toMatchObject({
      ok: true,
      value: { roundingMinor: -2, changeMinor: 0, orderCompleted: true },
    });
  });

  it('split card + cash: only the cash that settles the order is rounded; cards never are', async () => {
    await t.ok('settings:update', { cashRounding: '0.05' });
    // Card first, then the cash remainder (€5.03 → €5.05 due).
    const a = await t.order(1003);
    const card = await t.cardSale(a, { amountMinor: 500 });
    expect(card.state.kind).toBe('succeeded');
    const rest = await payCash(a, 503, 1000);
    expect(rest).toMatchObject({
      ok: true,
      value: { roundingMinor: 2, changeMinor: 495, orderCompleted: true },
    });
    // Cash first (a part: taken exactly, not rounded), then the card for the rest to the cent.
    const b = await t.order(1004);
    const part = await payCash(b, 501, 501);
    expect(part).toMatchObject({
      ok: true,
      value: { roundingMinor: 0, changeMinor: 0, orderCompleted: false, remainingMinor: 503 },
    });
    const card2 = await t.cardSale(b);
    expect(card2).toMatchObject({ amountMinor: 503 });
    const detail = await t.ok<OrderDetail>('orders:get', { orderId: b });
    expect(detail).toMatchObject({ status: 'paid', paidMinor: 1004 });
    expect(detail.tenders.map((x) => [x.kind, x.amountMinor, x.roundingMinor])).toEqual([
      ['cash', 501, 0],
      ['card', 503, 0],
    ]);
    // A card leaves 2 cents: it rounds to nothing due, and the order settles with no cash.
    const c = await t.order(1002);
    await t.cardSale(c, { amountMinor: 1000 });
    expect(await payCash(c, 2, 0)).toMatchObject({
      ok: true,
      value: { roundingMinor: -2, changeMinor: 0, orderCompleted: true },
    });
    t.expectRequestsValid();
  });

  it('a pound till keeps cash to the penny: 0.05 is refused in plain words, nothing written', async () => {
    await t.ok('settings:update', { currency: 'GBP' });
    const before = t.rows();
    const words =
      'Cash rounding to 0.05 is for euro tills: a pound (GBP) till takes cash to the penny. Set Cash rounding to None.';
    expect(await t.call('settings:update', { cashRounding: '0.05' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: words },
    });
    expect(t.rows()).toEqual(before);
    expect(await t.ok('settings:get')).toMatchObject({ currency: 'GBP', cashRounding: 'none' });
    // A euro till rounding cash cannot switch to pounds with rounding left on.
    await t.ok('settings:update', { currency: 'EUR', cashRounding: '0.05' });
    expect(await t.call('settings:update', { currency: 'GBP' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: words },
    });
    await t.ok('settings:update', { currency: 'GBP', cashRounding: 'none' });
    // Sold in pounds: £10.03 is £10.03 in cash.
    const orderId = await t.order(1003);
    expect(await payCash(orderId, 1003, 2000)).toMatchObject({
      ok: true,
      value: { roundingMinor: 0, changeMinor: 997 },
    });
  });
});
