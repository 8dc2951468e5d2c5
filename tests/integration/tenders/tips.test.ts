import { afterEach, describe, expect, it } from 'vitest';
import type { EndOfDayReport } from '../../../src-shared/contract/printing.contract';
import type { DayClosure } from '../../../src-shared/contract/printing.contract';
import type { DojoCheck } from '../../../src-shared/domain/dojo-check';
import type { OrderDetail } from '../../../src-shared/domain/orders';
import { startVirtualPrinter } from '../../../src-main/printing/dev/virtual-printer';
import { T1, till, type Till } from './fixture';

let t: Till;
afterEach(async () => {
  await t.close();
});

const text = (doc: { blocks: unknown[] }) => JSON.stringify(doc.blocks);

describe('tips: recorded apart from the sale, on the reports per terminal and per person', () => {
  it('a tip the customer adds on the terminal: the card tender is the sale, the tip its own figure', async () => {
    t = await till();
    t.as('cashier');
    t.sim.addTipOnTerminal(150, T1);
    const orderId = await t.order(1000);
    const done = await t.cardSale(orderId);
    expect(done.state.kind).toBe('succeeded');

    // Dojo's intent says so: tipsAmount 1.50, total 11.50.
    const intent = t.sim.records().paymentIntents[0];
    expect([intent?.amount.value, intent?.tipsAmount?.value, intent?.totalAmount.value]).toEqual([
      1000, 150, 1150,
    ]);
    // The order is paid by exactly the sale; the tip sits beside the card tender.
    const detail = await t.ok<OrderDetail>('orders:get', { orderId });
    expect(detail.status).toBe('paid');
    expect(detail.paidMinor).toBe(1000);
    expect(detail.tenders.map((x) => [x.kind, x.amountMinor, x.tipMinor])).toEqual([
      ['card', 1000, 150],
    ]);
    expect(t.core.db.prepare('SELECT amount_minor, terminal_id, staff_id FROM tips').all()).toEqual(
      [{ amount_minor: 150, terminal_id: T1, staff_id: t.ids.cashier }],
    );

    // A second sale without a tip, by the manager: only the first shows.
    t.as('manager');
    const plain = await t.cardSale(await t.order(500));
    expect(plain.state.kind).toBe('succeeded');

    const x = await t.ok<EndOfDayReport>('reports:end-of-day');
    expect(x.summary.salesMinor).toBe(1500);
    expect(x.summary.tips).toMatchObject({
      count: 1,
      amountMinor: 150,
      byTerminal: [{ terminalId: T1, count: 1, amountMinor: 150 }],
      byStaff: [{ staffId: t.ids.cashier, name: 'Cy', count: 1, amountMinor: 150 }],
    });
    // The terminal is named by its TID, as people know it.
    expect(x.summary.tips?.byTerminal[0]?.terminalTid).toMatch(/^\S+$/);

    // The Z report shows the tips, and Dojo's total (sale + tip) still matches the till's card.
    const z = await t.ok<DayClosure & { dojoCheck: DojoCheck | null }>('reports:close-day', {
      confirm: true,
    });
    expect(z.summary.tips?.amountMinor).toBe(150);
    expect(text(z.document)).toMatch(/Tips \(1\)[^\]]*£1\.50/);
    expect(text(z.document)).toContain('Cy (1)');
    expect(z.dojoCheck?.result?.matched).toEqual({ count: 2, amountMinor: 1650 });
    expect(z.dojoCheck?.result?.tillOnly).toEqual([]);
    expect(z.dojoCheck?.result?.dojoOnly).toEqual([]);
    t.expectRequestsValid();
  });

  it('the printed customer receipt shows the card tender and, apart, the tip (ESC/POS decoded)', async () => {
    t = await till();
    const printer = await startVirtualPrinter({ columns: 48 });
    try {
      await t.ok('settings:update', { printer: printer.url });
      t.sim.addTipOnTerminal(250);
      const orderId = await t.order(1500);
      expect((await t.cardSale(orderId)).state.kind).toBe('succeeded');
      const [paper] = await printer.waitForJobs(1, 15_000);
      const text = paper?.decoded.text ?? '';
      expect(text).toMatch(/TOTAL +£15\.00/);
      expect(text).toMatch(/Card \S+ \*{4}\d{4} +£15\.00/);
      expect(text).toMatch(/ {2}Tip \(apart from sale\) +£2\.50/);
    } finally {
      await printer.close();
    }
  });

  it('a tip offered at the till goes to Dojo as the intent tipsAmount and is recorded the same way', async () => {
    t = await till();
    const orderId = await t.order(2000);
    const done = await t.cardSale(orderId, { tipMinor: 300 });
    expect(done.state.kind).toBe('succeeded');
    const create = t.sim
      .records()
      .requests.find((r) => r.method === 'POST' && r.path === '/payment-intents');
    expect(create?.body).toMatchObject({
      amount: { value: 2000, currencyCode: 'GBP' },
      tipsAmount: { value: 300, currencyCode: 'GBP' },
    });
    const detail = await t.ok<OrderDetail>('orders:get', { orderId });
    expect(detail.tenders.map((x) => [x.amountMinor, x.tipMinor])).toEqual([[2000, 300]]);
    t.expectRequestsValid();
  });

  it('the simulator control over HTTP: /__sim/terminal-tip adds the tip to the next sale on any terminal', async () => {
    t = await till();
    const url = t.core.simulator()?.url ?? '';
    const post = (body: unknown) =>
      fetch(`${url}/__sim/terminal-tip`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post({ amount: -1 })).status).toBe(400);
    expect((await post({ amount: 75 })).status).toBe(204);
    const orderId = await t.order(600);
    expect((await t.cardSale(orderId)).state.kind).toBe('succeeded');
    const detail = await t.ok<OrderDetail>('orders:get', { orderId });
    expect(detail.tenders.map((x) => [x.amountMinor, x.tipMinor])).toEqual([[600, 75]]);
    // Used once: the next sale has none.
    const next = await t.order(700);
    await t.cardSale(next);
    const after = await t.ok<OrderDetail>('orders:get', { orderId: next });
    expect(after.tenders.map((x) => x.tipMinor)).toEqual([0]);
  });

  it('a tip below zero or above the sale is refused in words, and nothing is written or sent', async () => {
    t = await till();
    const orderId = await t.order(1000);
    const before = t.counts();
    const sent = t.sim.records().requests.length;
    const below = await t.refused('payments:start-sale', {
      orderId,
      terminalId: T1,
      tipMinor: -50,
      idempotencyKey: crypto.randomUUID(),
    });
    expect(below.message).toMatch(/A tip cannot be below zero/);
    const above = await t.refused('payments:start-sale', {
      orderId,
      terminalId: T1,
      tipMinor: 1001,
      idempotencyKey: crypto.randomUUID(),
    });
    expect(above.message).toBe(
      'A tip of £10.01 is more than the sale (£10.00): check the amount. Nothing was charged.',
    );
    expect(t.counts()).toEqual(before);
    expect(t.sim.records().requests.length).toBe(sent);
  });
});
