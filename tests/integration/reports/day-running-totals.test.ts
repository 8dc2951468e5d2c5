// The X and Z reports take the day's VAT by rate and tenders from running totals written in the
// transaction of each sale (migration 018). After a mixed day through the real core they must be
// exactly what reading every line and tender of the day gives, before and after a day closes.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PaymentAttempt } from '../../../src-shared/domain/payments';
import type { OrderSummary } from '../../../src-shared/domain/orders';
import type { CreateReturnResult, Reversal } from '../../../src-shared/domain/returns';
import type { DayClosure } from '../../../src-shared/contract/printing.contract';
import type { CashSummary } from '../../../src-shared/domain/cash';
import { daySummary, runningTotalsInUse } from '../../../src-main/reports/reports.queries';
import { T1, T2, lines, useReturnsTill, value } from '../returns/fixture';

const till = useReturnsTill();

describe('running day totals', () => {
  it('equal the figures read from every row after a mixed day, and start again after the close', async () => {
    const { t, settled, cashSale, cardSale } = till;
    const db = t.core.db;
    const check = () => {
      const now = new Date().toISOString();
      const running = daySummary(db, now, 'GBP');
      expect(running).toEqual(daySummary(db, now, 'GBP', 'recompute'));
      expect(runningTotalsInUse(db, now)).toBe(true);
      return running;
    };

    // Plain sales: cash, and card on two terminals (a tip added on the first one).
    await cashSale([
      { name: 'Tea', pence: 350, vat: 0 },
      { name: 'Mug', pence: 600, quantity: 2 },
    ]);
    const tipUrl = `${t.core.simulator()?.url ?? ''}/__sim/terminal-tip`;
    const tip = await fetch(tipUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ amount: 75 }),
    });
    expect(tip.status).toBe(204);
    const tipped = await cardSale([{ name: 'Lunch', pence: 1250 }], T1);
    const reversed = await cardSale([{ name: 'Mistake', pence: 1203 }], T2);
    const refunded = await cardSale([{ name: 'Cake', pence: 450, vat: 500 }], T2);

    // A split sale: part cash, the rest by card.
    const split = value(
      await t.call<OrderSummary>('orders:create', {
        lines: lines([
          { name: 'Bowl', pence: 1200 },
          { name: 'Spoon', pence: 803, vat: 500 },
        ]),
      }),
    );
    value(
      await t.call('orders:pay-cash', {
        orderId: split.id,
        amountMinor: 1000,
        tenderedMinor: 2000,
        idempotencyKey: randomUUID(),
      }),
    );
    const rest = value(
      await t.call<PaymentAttempt>('payments:start-sale', {
        orderId: split.id,
        terminalId: T1,
        idempotencyKey: randomUUID(),
      }),
    );
    expect((await settled(rest.id)).state.kind).toBe('succeeded');
    const mid = check();
    expect(mid.ordersCount).toBe(5);
    expect(mid.tips?.amountMinor).toBe(75);
    expect(mid.tenders).toEqual([
      { kind: 'cash', count: 2, amountMinor: 350 + 1200 + 1000 },
      { kind: 'card', count: 4, amountMinor: 1250 + 1203 + 450 + 1003 },
    ]);

    // Money back: a reversal, a refund on the terminal, a return for cash, and an exchange for a
    // dearer item (exchange credit plus a card payment for the difference).
    value(
      await t.call<Reversal>('payments:reverse', {
        attemptId: reversed.sale.id,
        reason: 'Wrong amount keyed',
        idempotencyKey: randomUUID(),
      }),
    );
    const refund = value(
      await t.call<{ attempt: PaymentAttempt }>('refunds:matched', {
        originalAttemptId: refunded.sale.id,
        terminalId: T2,
        reason: 'changed mind',
        idempotencyKey: randomUUID(),
      }),
    );
    expect((await settled(refund.attempt.id)).state.kind).toBe('succeeded');
    value(
      await t.call<CreateReturnResult>('returns:create', {
        orderId: split.id,
        lines: [{ position: 2, quantity: 1 }],
        reason: 'Bent',
        payouts: [{ method: 'cash', amountMinor: 803 }],
        idempotencyKey: randomUUID(),
      }),
    );
    const swap = value(
      await t.call<CreateReturnResult>('returns:create', {
        orderId: tipped.order.id,
        lines: [{ position: 1, quantity: 1 }],
        reason: 'Wants more',
        payouts: [],
        exchange: { lines: lines([{ name: 'Feast', pence: 2000, vat: 500 }]) },
        idempotencyKey: randomUUID(),
      }),
    );
    const diff = value(
      await t.call<PaymentAttempt>('payments:start-sale', {
        orderId: swap.exchangeOrder?.id,
        terminalId: T2,
        idempotencyKey: randomUUID(),
      }),
    );
    expect((await settled(diff.id)).state.kind).toBe('succeeded');
    const end = check();
    expect(end.ordersCount).toBe(6);
    expect(end.reversalsMinor).toBe(1203);
    expect(end.refundsMinor).toBe(450);
    expect(end.exchangeCreditMinor).toBe(1250);
    expect(end.vatByRate.map((v) => v.rateBp)).toEqual([2000, 500, 0]);

    // The Z report closes the day with those figures; the next day starts from nothing.
    const drawer = value(await t.call<CashSummary>('cash:summary', {}));
    const count = [
      { valueMinor: 1000, quantity: Math.floor(drawer.expectedMinor / 1000) },
      { valueMinor: 1, quantity: drawer.expectedMinor % 1000 },
    ];
    const z = value(await t.call<DayClosure>('reports:close-day', { confirm: true, count }));
    expect(z.summary.salesMinor).toBe(end.salesMinor);
    expect(z.summary.vatByRate).toEqual(end.vatByRate);
    expect(
      db
        .prepare<[string], { n: number }>(
          'SELECT count(*) AS n FROM day_running_totals WHERE period_start < ?',
        )
        .get(z.summary.periodEnd)?.n,
    ).toBe(0);
    await cashSale([{ name: 'Scone', pence: 275, vat: 0 }]);
    const next = check();
    expect(next.ordersCount).toBe(1);
    expect(next.vatByRate).toEqual([{ rateBp: 0, grossMinor: 275, vatMinor: 0 }]);
  });

  it('equal the recomputed figures with cash rounding (euro, 5 cents) and a split cash and card sale', async () => {
    const { t, settled } = till;
    const db = t.core.db;
    value(await t.call('settings:update', { currency: 'EUR', cashRounding: '0.05' }));
    const sell = async (pence: number, vat: 0 | 500 | 2000) =>
      value(
        await t.call<OrderSummary>('orders:create', {
          lines: lines([{ name: `Item ${pence}`, pence, vat }]),
        }),
      );
    let rounded = 0;
    for (const pence of [1001, 1003, 1004, 1008]) {
      const order = await sell(pence, pence % 2 === 0 ? 2000 : 500);
      const paid = value(
        await t.call<{ roundingMinor: number }>('orders:pay-cash', {
          orderId: order.id,
          amountMinor: pence,
          tenderedMinor: 2000,
          idempotencyKey: randomUUID(),
        }),
      );
      rounded += paid.roundingMinor;
    }
    const split = await sell(2503, 2000);
    value(
      await t.call('orders:pay-cash', {
        orderId: split.id,
        amountMinor: 1500,
        tenderedMinor: 1500,
        idempotencyKey: randomUUID(),
      }),
    );
    const rest = value(
      await t.call<PaymentAttempt>('payments:start-sale', {
        orderId: split.id,
        terminalId: T1,
        idempotencyKey: randomUUID(),
      }),
    );
    expect((await settled(rest.id)).state.kind).toBe('succeeded');
    const now = new Date().toISOString();
    const s = daySummary(db, now, 'EUR');
    expect(s).toEqual(daySummary(db, now, 'EUR', 'recompute'));
    expect(runningTotalsInUse(db, now)).toBe(true);
    expect(s.cash?.cashRoundedCount).toBeGreaterThan(0);
    expect(s.cash?.cashRoundingMinor).toBe(rounded);
    expect(s.tenders).toEqual([
      { kind: 'cash', count: 5, amountMinor: 1001 + 1003 + 1004 + 1008 + 1500 },
      { kind: 'card', count: 1, amountMinor: 1003 },
    ]);
  });

  it('are not used when they disagree with the day’s orders: the report reads every row', async () => {
    const { t, cashSale } = till;
    const db = t.core.db;
    await cashSale([{ name: 'Tea', pence: 350, vat: 0 }]);
    const now = new Date().toISOString();
    const right = daySummary(db, now, 'GBP', 'recompute');
    // Totals out of step (as after a change made outside the till): the report does not trust them.
    db.prepare(
      "UPDATE day_running_totals SET amount_minor = amount_minor + 1 WHERE figure = 'orders'",
    ).run();
    expect(runningTotalsInUse(db, now)).toBe(false);
    expect(daySummary(db, now, 'GBP')).toEqual(right);
    // An X report for a moment before the last sale counts only what was paid by then.
    const before = new Date(Date.parse(now) - 60_000).toISOString();
    db.prepare(
      "UPDATE day_running_totals SET amount_minor = amount_minor - 1 WHERE figure = 'orders'",
    ).run();
    expect(runningTotalsInUse(db, now)).toBe(true);
    expect(runningTotalsInUse(db, before)).toBe(false);
    expect(daySummary(db, before, 'GBP')).toEqual(daySummary(db, before, 'GBP', 'recompute'));
  });
});
