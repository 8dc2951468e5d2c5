import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../src-main/ipc/dispatcher';
import { silentLogger } from '../../../src-main/logging/logger';
import { createOrdersHandlers } from '../../../src-main/orders/orders.ipc';
import { seedCatalogueIfEmpty } from '../../../src-main/orders/catalogue-seed';
import { addTender } from '../../../src-main/orders/tenders.repo';
import type { Product } from '../../../src-shared/domain/catalogue';
import { ordersFixture, tempDb, type TempDb } from './helpers';

let t: TempDb | undefined;
afterEach(() => t?.cleanup());

function setup(options: Parameters<typeof ordersFixture>[1] = {}) {
  t = tempDb();
  seedCatalogueIfEmpty(t.db);
  const f = ordersFixture(t.db, options);
  const products = f.catalogue.list();
  const byName = (name: string): Product => {
    const p = products.find((x) => x.name === name);
    if (!p) throw new Error(`no ${name}`);
    return p;
  };
  const dispatch = createDispatcher(createOrdersHandlers({ orders: f.orders }), silentLogger);
  return { ...f, db: t.db, products, byName, dispatch };
}

const productLine = (p: Product, quantity = 1) => ({
  kind: 'product' as const,
  productId: p.id,
  quantity,
});

describe('catalogue', () => {
  it('seeds the sample catalogue once, with ~30 products in 5 categories and valid barcodes', () => {
    const { products, db } = setup();
    expect(products.length).toBeGreaterThanOrEqual(30);
    expect(new Set(products.map((p) => p.category))).toEqual(
      new Set(['Coffee', 'Tea', 'Food', 'Bakery', 'Retail']),
    );
    expect(new Set(products.map((p) => p.vatRateBp))).toEqual(new Set([2000, 500, 0]));
    expect(products.filter((p) => p.barcode).length).toBeGreaterThanOrEqual(5);
    expect(seedCatalogueIfEmpty(db)).toEqual({ seeded: false });
  });

  it('looks up barcodes and says clearly when none matches', async () => {
    const { catalogue, dispatch } = setup();
    expect(catalogue.lookupBarcode('5012345000015').name).toBe('Still Water 500ml');
    expect(await dispatch('catalogue:lookup-barcode', { barcode: '5012345678900' })).toEqual({
      ok: false,
      error: {
        code: 'NOT_FOUND',
        message: 'No product has barcode 5012345678900',
        retryable: false,
      },
    });
  });

  it('creates, updates, searches and deletes (or switches off a sold product)', async () => {
    const { catalogue, orders, events, dispatch } = setup();
    const scone = catalogue.upsert({
      name: 'Fruit Scone',
      category: 'Bakery',
      priceMinor: 260,
      vatRateBp: 0,
    });
    expect(scone).toMatchObject({ active: true, barcode: null });
    expect(events.some((e) => e.name === 'catalogue:changed')).toBe(true);
    expect(
      catalogue.upsert({
        id: scone.id,
        name: 'Fruit Scone',
        category: 'Bakery',
        priceMinor: 280,
        vatRateBp: 0,
      }).priceMinor,
    ).toBe(280);
    expect(catalogue.list({ search: 'scone' }).map((p) => p.name)).toEqual(['Fruit Scone']);
    expect(() =>
      catalogue.upsert({ name: 'fruit scone', category: 'bakery', priceMinor: 1, vatRateBp: 0 }),
    ).toThrow('There is already a product called Fruit Scone in Bakery.');
    expect(() =>
      catalogue.upsert({
        name: 'Other',
        category: 'Retail',
        priceMinor: 1,
        vatRateBp: 0,
        barcode: '5012345000015',
      }),
    ).toThrow('Barcode 5012345000015 is already used by Still Water 500ml (Retail).');
    const bad = await dispatch('catalogue:upsert', {
      name: 'X',
      category: 'Y',
      priceMinor: 100,
      vatRateBp: 2000,
      barcode: '5012345678901',
    });
    expect(bad).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION',
        message: 'barcode: Barcode "5012345678901" has a wrong check digit (last digit)',
      },
    });
    orders.createOrder({ lines: [productLine(scone)] });
    expect(catalogue.delete(scone.id)).toEqual({ id: scone.id, outcome: 'deactivated' });
    expect(catalogue.list({ search: 'scone' })).toEqual([]);
    expect(catalogue.list({ search: 'scone', includeInactive: true })).toHaveLength(1);
    const temp = catalogue.upsert({
      name: 'Temp',
      category: 'Retail',
      priceMinor: 100,
      vatRateBp: 2000,
    });
    expect(catalogue.delete(temp.id)).toEqual({ id: temp.id, outcome: 'deleted' });
  });

  it('imports CSV through the channel and refuses a file over 1 MB', async () => {
    const { dispatch } = setup();
    const result = await dispatch('catalogue:import-csv', {
      csv: 'name,category,price,vat\nFlapjack,Bakery,2.20,0\nOops,Bakery,two,0',
    });
    expect(result).toEqual({
      ok: true,
      value: {
        imported: 1,
        created: 1,
        updated: 0,
        errors: [{ row: 3, reason: 'price "two": Amount must be pounds and pence, like 4.50' }],
      },
    });
    const big = await dispatch('catalogue:import-csv', { csv: 'x'.repeat(1_000_001) });
    expect(big).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: 'csv: A catalogue file can be at most 1 MB' },
    });
  });
});

describe('orders', () => {
  it('prices from the catalogue, never from the renderer, and commits order + lines together', async () => {
    const { dispatch, byName, db } = setup();
    const latte = byName('Latte');
    const res = await dispatch('orders:create', {
      lines: [{ ...productLine(latte, 2), unitPriceMinor: 1 }],
    });
    expect(res).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const ok = await dispatch('orders:create', {
      lines: [
        productLine(latte, 2),
        productLine(byName('Cheese & Pickle Sandwich (cold, takeaway)')),
        { kind: 'custom', name: 'Gift wrap', unitPriceMinor: 150, vatRateBp: 2000, quantity: 1 },
      ],
      discount: { kind: 'percent', percentBp: 1000 },
    });
    if (!ok.ok) throw new Error(ok.error.message);
    const order = ok.value as {
      totalMinor: number;
      vatMinor: number;
      lines: { lineTotalMinor: number; vatMinor: number }[];
      id: string;
    };
    expect(order.totalMinor).toBe(680 + 425 + 150 - 126);
    expect(order.lines.reduce((a, l) => a + l.lineTotalMinor, 0)).toBe(order.totalMinor);
    expect(order.lines.reduce((a, l) => a + l.vatMinor, 0)).toBe(order.vatMinor);
    expect(
      db.prepare('SELECT count(*) AS n FROM order_lines WHERE order_id = ?').get(order.id),
    ).toEqual({ n: 3 });
  });

  it('refuses with clear messages', async () => {
    const { dispatch, byName, catalogue, orders } = setup();
    const latte = byName('Latte');
    const refusal = async (input: unknown) => {
      const r = await dispatch('orders:create', input);
      if (r.ok) throw new Error('expected a refusal');
      return r.error.message;
    };
    expect(await refusal({ lines: [] })).toBe(
      'lines: The basket is empty: add something before taking payment',
    );
    expect(await refusal({ lines: [productLine(latte, 0)] })).toBe(
      'lines.0.quantity: Quantity must be at least 1',
    );
    expect(await refusal({ lines: [productLine(latte, 2.5)] })).toBe(
      'lines.0.quantity: Quantity must be a whole number',
    );
    expect(await refusal({ lines: [productLine(latte, 1000)] })).toBe(
      'lines.0.quantity: Quantity cannot be more than 999',
    );
    expect(
      await refusal({
        lines: [{ ...productLine(latte), discount: { kind: 'amount', amountMinor: 341 } }],
      }),
    ).toBe('The discount on Latte (£3.41) is more than its price (£3.40).');
    expect(
      await refusal({
        lines: [productLine(latte)],
        discount: { kind: 'amount', amountMinor: 400 },
      }),
    ).toBe('The basket discount (£4.00) is more than the basket total (£3.40).');
    expect(
      await refusal({
        lines: [
          { kind: 'custom', name: 'Cake', unitPriceMinor: '2.5O', vatRateBp: 0, quantity: 1 },
        ],
      }),
    ).toBe('lines.0.unitPriceMinor: Amount must be a number of pence/cents');
    expect(
      await refusal({ lines: [{ kind: 'product', productId: randomUUID(), quantity: 1 }] }),
    ).toBe('A product in the basket is no longer in the catalogue. Remove it and add it again.');
    catalogue.upsert({
      id: latte.id,
      name: latte.name,
      category: latte.category,
      priceMinor: latte.priceMinor,
      vatRateBp: latte.vatRateBp,
      active: false,
    });
    expect(await refusal({ lines: [productLine(latte)] })).toBe(
      'Latte is switched off in the catalogue and cannot be sold.',
    );
    const order = orders.createOrder({ lines: [productLine(byName('Mocha'))] });
    const cash = await dispatch('orders:pay-cash', {
      idempotencyKey: randomUUID(),
      orderId: order.id,
      amountMinor: '3.7O',
      tenderedMinor: 500,
    });
    expect(cash).toMatchObject({
      ok: false,
      error: { message: 'amountMinor: Amount must be a number of pence/cents' },
    });
    const short = await dispatch('orders:pay-cash', {
      idempotencyKey: randomUUID(),
      orderId: order.id,
      amountMinor: 370,
      tenderedMinor: 200,
    });
    expect(short).toMatchObject({
      ok: false,
      error: { message: 'Cash handed over is less than the amount to pay.' },
    });
    expect(() =>
      orders.payCash({ orderId: order.id, amountMinor: 500, tenderedMinor: 500 }),
    ).toThrow('Only £3.70 is left to pay; put the rest down as change.');
  });

  it('gives unique, human-friendly references over many orders and days', () => {
    let at = new Date(2026, 10, 23, 9, 0, 0);
    const { orders, byName } = setup({ tillId: 'till-ab12cd34', now: () => at });
    const refs = new Set<string>();
    for (let i = 0; i < 300; i++) {
      if (i === 150) at = new Date(2026, 10, 24, 9, 0, 0);
      refs.add(orders.createOrder({ lines: [productLine(byName('Espresso'))] }).reference);
    }
    expect(refs.size).toBe(300);
    expect(refs.has('TILL-AB12CD34-20261123-0001')).toBe(true);
    expect(refs.has('TILL-AB12CD34-20261123-0150')).toBe(true);
    expect(refs.has('TILL-AB12CD34-20261124-0001')).toBe(true);
  });

  it('dates tenders and status changes by the orders clock, the same clock as the order', () => {
    // A clock far from the wall clock: any row written with the wall clock stands out.
    let at = new Date('2024-02-29T09:15:00.000Z');
    const { orders, byName, db } = setup({ now: () => at });
    const order = orders.createOrder({ lines: [productLine(byName('Flat White'))] });
    at = new Date('2024-02-29T09:16:30.000Z');
    orders.payCash({ orderId: order.id, amountMinor: 100, tenderedMinor: 100 });
    at = new Date('2024-02-29T09:17:00.000Z');
    orders.park({ orderId: order.id, awaitingCard: true });
    at = new Date('2024-02-29T09:18:45.000Z');
    orders.payCash({ orderId: order.id, amountMinor: order.totalMinor - 100, tenderedMinor: 500 });
    const tenders = db
      .prepare<[string], { created_at: string }>(
        'SELECT created_at FROM tenders WHERE order_id = ? ORDER BY created_at',
      )
      .all(order.id)
      .map((r) => r.created_at);
    expect(tenders).toEqual(['2024-02-29T09:16:30.000Z', '2024-02-29T09:18:45.000Z']);
    const row = db
      .prepare<[string], { created_at: string; updated_at: string; completed_at: string }>(
        'SELECT created_at, updated_at, completed_at FROM orders WHERE id = ?',
      )
      .get(order.id);
    expect(row).toEqual({
      created_at: '2024-02-29T09:15:00.000Z',
      updated_at: '2024-02-29T09:18:45.000Z',
      completed_at: '2024-02-29T09:18:45.000Z',
    });
    const parkedAt = db
      .prepare<[string], { at: string }>(
        "SELECT at FROM audit_log WHERE action = 'order.park' AND subject = ?",
      )
      .get(order.id);
    expect(parkedAt?.at).toBe('2024-02-29T09:17:00.000Z');
  });

  it('takes cash with change and calls onOrderPaid once with cash: true', () => {
    const { orders, byName, paid, events } = setup();
    const order = orders.createOrder({
      lines: [productLine(byName('Flat White')), productLine(byName('Butter Croissant'))],
    });
    expect(order.totalMinor).toBe(540);
    const r = orders.payCash({ orderId: order.id, amountMinor: 540, tenderedMinor: 1000 });
    expect(r).toMatchObject({
      changeMinor: 460,
      remainingMinor: 0,
      orderCompleted: true,
      order: { status: 'paid', paidMinor: 540 },
    });
    expect(paid).toEqual([{ orderId: order.id, cash: true }]);
    expect(
      events
        .filter((e) => e.name === 'orders:changed')
        .map((e) => (e.payload as { status: string }).status),
    ).toEqual(['open', 'paid']);
  });

  it('refuses cash while a card payment on the order is live or unconfirmed, changing nothing', () => {
    const { orders, byName, paid, db } = setup();
    const order = orders.createOrder({ lines: [productLine(byName('Flat White'))] });
    const now = new Date().toISOString();
    const attemptId = randomUUID();
    db.prepare(
      `INSERT INTO payment_attempts (id, order_id, kind, amount_minor, currency, terminal_id, state, is_final, created_at, updated_at)
       VALUES (?, ?, 'sale', ?, 'GBP', 'tm_1', '{"kind":"unconfirmed"}', 0, ?, ?)`,
    ).run(attemptId, order.id, order.totalMinor, now, now);
    expect(() =>
      orders.payCash({ orderId: order.id, amountMinor: order.totalMinor, tenderedMinor: 1000 }),
    ).toThrow(/still running or could not be confirmed/);
    expect(orders.getDetail(order.id).tenders).toEqual([]);
    expect(paid).toEqual([]);
    db.prepare('UPDATE payment_attempts SET is_final = 1 WHERE id = ?').run(attemptId);
    expect(
      orders.payCash({ orderId: order.id, amountMinor: order.totalMinor, tenderedMinor: 1000 }),
    ).toMatchObject({ orderCompleted: true });
  });

  it('splits cash and card; remaining is always returned; the card repeat changes nothing', () => {
    const { orders, byName, paid, db } = setup();
    const order = orders.createOrder({
      lines: [productLine(byName('House Blend Coffee Beans 250g'), 2)],
    });
    const cash = orders.payCash({ orderId: order.id, amountMinor: 500, tenderedMinor: 500 });
    expect(cash).toMatchObject({
      remainingMinor: 1200,
      changeMinor: 0,
      orderCompleted: false,
      order: { status: 'open' },
    });
    const attemptId = randomUUID();
    const now = new Date().toISOString();
    db.prepare(
      `INSERT INTO payment_attempts (id, order_id, kind, amount_minor, currency, terminal_id, state, is_final, created_at, updated_at)
       VALUES (?, ?, 'sale', 1200, 'GBP', 'tm_1', 'Captured', 1, ?, ?)`,
    ).run(attemptId, order.id, now, now);
    const card = {
      orderId: order.id,
      kind: 'card' as const,
      amountMinor: 1200,
      attemptId,
      terminalId: 'tm_1',
    };
    expect(orders.applyTender(card)).toMatchObject({ orderCompleted: true, remainingMinor: 0 });
    expect(orders.applyTender(card)).toMatchObject({ alreadyRecorded: true });
    expect(addTender(db, card)).toMatchObject({ alreadyRecorded: true });
    expect(paid).toEqual([{ orderId: order.id, cash: true }]);
    const detail = orders.getDetail(order.id);
    expect(detail.tenders.map((x) => [x.kind, x.amountMinor])).toEqual([
      ['cash', 500],
      ['card', 1200],
    ]);
    expect(detail.attempts).toEqual([
      {
        id: attemptId,
        kind: 'sale',
        state: 'Captured',
        amountMinor: 1200,
        terminalId: 'tm_1',
        isFinal: true,
        createdAt: now,
      },
    ]);
  });

  it('completes a 100 % discounted order at once (no drawer)', () => {
    const { orders, byName, paid } = setup();
    const order = orders.createOrder({
      lines: [productLine(byName('Espresso'))],
      discount: { kind: 'percent', percentBp: 10_000 },
    });
    expect(order).toMatchObject({ status: 'paid', totalMinor: 0 });
    expect(paid).toEqual([{ orderId: order.id, cash: false }]);
  });

  it('parks, lists, resumes with the same basket, and voids', async () => {
    const { orders, byName, dispatch } = setup();
    const basket = {
      lines: [
        {
          ...productLine(byName('Latte'), 2),
          discount: { kind: 'amount' as const, amountMinor: 50 },
        },
        {
          kind: 'custom' as const,
          name: 'Gift card',
          unitPriceMinor: 1000,
          vatRateBp: 0 as const,
          quantity: 1,
        },
      ],
      discount: { kind: 'percent' as const, percentBp: 500 },
      note: 'Table 4',
    };
    const parked = orders.park({ basket });
    expect(parked.status).toBe('parked');
    expect(orders.listParked().map((o) => o.id)).toEqual([parked.id]);
    const resumed = await dispatch('orders:resume', { orderId: parked.id });
    expect(resumed).toMatchObject({
      ok: true,
      value: { kind: 'basket', basket, fromReference: parked.reference, orderId: parked.id },
    });
    expect(orders.listParked()).toEqual([]);
    // The resumed basket is still that order, open again, under the same reference.
    expect(orders.getOrder(parked.id)).toMatchObject({
      status: 'open',
      reference: parked.reference,
    });
    expect(() => orders.resume(parked.id)).toThrow(
      `Order ${parked.reference} is open, not parked.`,
    );

    const open = orders.createOrder(basket);
    expect(() => orders.resume(open.id)).toThrow(`Order ${open.reference} is open, not parked.`);
    orders.payCash({ orderId: open.id, amountMinor: 100, tenderedMinor: 100 });
    expect(() => orders.void(open.id)).toThrow(
      `Order ${open.reference} has payments (£1.00): refund it instead of voiding.`,
    );
    expect(() => orders.park({ orderId: open.id })).toThrow('is part paid');
    const other = orders.createOrder(basket);
    expect(orders.void(other.id, 'customer left').status).toBe('voided');
    expect(() => orders.void(other.id)).toThrow(`Order ${other.reference} is already voided.`);
    expect(() => orders.park({ orderId: other.id })).toThrow('is voided and cannot be parked');
  });

  it('a basket keeps one order and one reference through checkout and back, park and resume', () => {
    const { orders, byName, db } = setup();
    const one = { lines: [productLine(byName('Latte'))] };
    const two = { lines: [productLine(byName('Latte'), 2), productLine(byName('Mocha'))] };
    // Into checkout, back to the basket, change it, into checkout again.
    const first = orders.createOrder(one);
    const again = orders.createOrder({ ...two, orderId: first.id });
    expect(again).toMatchObject({ id: first.id, reference: first.reference, status: 'open' });
    expect(again.lines.map((l) => [l.name, l.quantity])).toEqual([
      ['Latte', 2],
      ['Mocha', 1],
    ]);
    expect(again.totalMinor).toBe(2 * 340 + 370);
    // Parked from the basket, resumed, back to checkout, paid: still the same order.
    const parked = orders.park({ basket: one, orderId: first.id });
    expect(parked).toMatchObject({ id: first.id, reference: first.reference, status: 'parked' });
    const resumed = orders.resume(first.id);
    expect(resumed).toMatchObject({ kind: 'basket', orderId: first.id });
    const paying = orders.createOrder({ ...one, orderId: first.id });
    orders.payCash({ orderId: paying.id, amountMinor: 340, tenderedMinor: 500 });
    const next = orders.createOrder(one);
    const rows = db
      .prepare<[], { reference: string; status: string }>(
        'SELECT reference, status FROM orders ORDER BY reference',
      )
      .all();
    // Two orders, consecutive references, no voided ones and no gap.
    expect(rows).toEqual([
      { reference: first.reference, status: 'paid' },
      { reference: next.reference, status: 'open' },
    ]);
    expect(Number(next.reference.slice(-4))).toBe(Number(first.reference.slice(-4)) + 1);
    // A paid order is never rewritten: its basket id makes a new order instead.
    const fresh = orders.createOrder({ ...one, orderId: first.id });
    expect(fresh.id).not.toBe(first.id);
    expect(orders.getOrder(first.id)).toMatchObject({ status: 'paid', totalMinor: 340 });
  });

  it('parks an order as awaiting card, lists it, and refuses void while a card attempt is live', () => {
    const { orders, byName, db } = setup();
    const order = orders.createOrder({ lines: [productLine(byName('Reusable Cup 12oz'))] });
    orders.park({ orderId: order.id, awaitingCard: true });
    const basketParked = orders.park({
      basket: { lines: [productLine(byName('Mocha'))] },
      awaitingCard: true,
    });
    expect(orders.listAwaitingCard().map((o) => o.id)).toEqual([order.id, basketParked.id]);
    expect(orders.resume(order.id)).toMatchObject({
      kind: 'order',
      order: { id: order.id, status: 'awaiting_card' },
    });
    const now = new Date().toISOString();
    db.prepare(
      `INSERT INTO payment_attempts (id, order_id, kind, amount_minor, currency, terminal_id, state, is_final, created_at, updated_at)
       VALUES (?, ?, 'sale', 900, 'GBP', 'tm_1', 'SessionCreated', 0, ?, ?)`,
    ).run(randomUUID(), order.id, now, now);
    expect(() => orders.void(order.id)).toThrow(
      'A card payment is still in progress on this order; wait for it to finish.',
    );
  });

  it('searches history by reference, date range and amount, newest first, paged; detail shows refunds', () => {
    let at = new Date('2026-11-20T10:00:00Z');
    const { orders, byName, db } = setup({ now: () => at });
    const made: { id: string; reference: string; totalMinor: number; createdAt: string }[] = [];
    for (let i = 0; i < 30; i++) {
      at = new Date(Date.parse('2026-11-20T10:00:00Z') + i * 3_600_000 * 5);
      made.push(orders.createOrder({ lines: [productLine(byName('Espresso'), 1 + (i % 5))] }));
    }
    const page1 = orders.list({ pageSize: 10 });
    expect(page1.total).toBe(30);
    expect(page1.items[0]?.id).toBe(made[29]?.id);
    expect(orders.list({ pageSize: 10, page: 3 }).items.at(-1)?.id).toBe(made[0]?.id);
    const ref = made[7]!.reference;
    expect(orders.list({ reference: ref.slice(-8).toLowerCase() }).items.map((o) => o.id)).toEqual([
      made[7]!.id,
    ]);
    const day = orders.list({ from: '2026-11-21T00:00:00Z', to: '2026-11-22T00:00:00Z' });
    expect(day.items.every((o) => o.createdAt >= '2026-11-21' && o.createdAt < '2026-11-22')).toBe(
      true,
    );
    expect(day.total).toBe(5);
    const big = orders.list({ minTotalMinor: 880, maxTotalMinor: 1100 });
    expect(big.items.every((o) => o.totalMinor >= 880 && o.totalMinor <= 1100)).toBe(true);
    expect(big.total).toBe(12);
    const now = new Date().toISOString();
    db.prepare(
      `INSERT INTO refunds (id, order_id, kind, amount_minor, currency, status, reason, created_at, updated_at)
       VALUES ('r1', ?, 'unlinked', 100, 'GBP', 'completed', 'cold coffee', ?, ?)`,
    ).run(made[0]!.id, now, now);
    expect(orders.getDetail(made[0]!.id).refunds).toEqual([
      {
        id: 'r1',
        kind: 'unlinked',
        amountMinor: 100,
        currency: 'GBP',
        status: 'completed',
        reason: 'cold coffee',
        createdAt: now,
      },
    ]);
  });
});
