import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../src-main/db/connection';
import { silentLogger } from '../../../src-main/logging/logger';
import { createOrdersService } from '../../../src-main/orders/orders.service';
import { createEventBus } from '../../../src-main/platform/event-bus';
import {
  startVirtualPrinter,
  type VirtualPrinter,
} from '../../../src-main/printing/dev/virtual-printer';
import type { EndOfDayReport } from '../../../src-shared/contract/printing.contract';
import type {
  BasketLine,
  CashPaymentResult,
  CashSaleResult,
  Order,
  OrderDetail,
} from '../../../src-shared/domain/orders';
import { createCore } from '../../../src-main/core/core';
import { memorySecretStore } from '../../../src-main/credentials/secret-store';
import { createShop, migrateShopDatabase, registerTill } from '../../../src-main/shop/shop-admin';
import { startTestPostgres, withClient } from '../../support/postgres';
import { signInManager } from '../../support/staff';
import { tempDir } from '../../support/temp-dir';
import { PINS } from '../staff/core-fixture';
import { till, type Till } from '../tenders/fixture';
import { waitFor } from '../../support/wait';
import { ordersFixture, tempDb, type TempDb } from './helpers';

/** £4.50 + 2 × £1.50 = £7.50, two VAT rates. */
const LINES: BasketLine[] = [
  { kind: 'custom', name: 'Sandwich', unitPriceMinor: 450, vatRateBp: 2000, quantity: 1 },
  { kind: 'custom', name: 'Apple', unitPriceMinor: 150, vatRateBp: 0, quantity: 2 },
];

/**
 * Commits in the write-ahead log: a commit writes its last frame with the database size set, and
 * the frames of the current log carry the header's salt. One commit is one fsync
 * (synchronous=FULL). The test turns automatic checkpoints off so the log only grows.
 */
function walCommits(dbFile: string): number {
  const path = `${dbFile}-wal`;
  if (!existsSync(path)) return 0;
  const wal = readFileSync(path);
  if (wal.length < 32) return 0;
  const pageSize = wal.readUInt32BE(8);
  const salt1 = wal.readUInt32BE(16);
  const salt2 = wal.readUInt32BE(20);
  let commits = 0;
  for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) {
    if (wal.readUInt32BE(at + 8) !== salt1 || wal.readUInt32BE(at + 12) !== salt2) break;
    if (wal.readUInt32BE(at + 4) !== 0) commits++;
  }
  return commits;
}

const count = (db: Db, table: string) =>
  (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
const TABLES = ['orders', 'order_lines', 'tenders', 'change_log', 'audit_log'];
const counts = (db: Db) => Object.fromEntries(TABLES.map((t) => [t, count(db, t)]));

describe('orders.sellCash on a real SQLite file: the order and its cash in one commit', () => {
  let t: TempDb;
  let f: ReturnType<typeof ordersFixture>;
  beforeEach(() => {
    t = tempDb('opentill-sell-cash-');
    t.db.pragma('wal_autocheckpoint = 0');
    f = ordersFixture(t.db);
  });
  afterEach(() => t.cleanup());

  it('one press writes order, lines and tender in ONE durable commit; the two steps take two', () => {
    const before = walCommits(t.file);
    const sale = f.orders.sellCash({ basket: { lines: LINES }, tenderedMinor: 1000 });
    expect(walCommits(t.file) - before).toBe(1);
    expect(sale).toMatchObject({
      changeMinor: 250,
      roundingMinor: 0,
      remainingMinor: 0,
      orderCompleted: true,
      order: { status: 'paid', totalMinor: 750, paidMinor: 750, changeMinor: 250 },
    });
    expect(sale.order.lines.map((l) => [l.name, l.quantity, l.lineTotalMinor])).toEqual([
      ['Sandwich', 1, 450],
      ['Apple', 2, 300],
    ]);
    const tender = t.db
      .prepare('SELECT id, kind, amount_minor, tendered_minor, change_minor FROM tenders')
      .all();
    expect(tender).toEqual([
      {
        id: sale.tenderId,
        kind: 'cash',
        amount_minor: 750,
        tendered_minor: 1000,
        change_minor: 250,
      },
    ]);

    // The same basket through "Take payment" then "Take cash": two commits.
    const mid = walCommits(t.file);
    const order = f.orders.createOrder({ lines: LINES });
    f.orders.payCash({ orderId: order.id, amountMinor: 750, tenderedMinor: 1000 });
    expect(walCommits(t.file) - mid).toBe(2);
  });

  it('after the commit: one orders:changed (paid) and the order-paid hook once, as cash', () => {
    const sale = f.orders.sellCash({ basket: { lines: LINES }, tenderedMinor: 750 });
    expect(f.events).toEqual([
      {
        name: 'orders:changed',
        payload: { orderId: sale.order.id, reference: sale.order.reference, status: 'paid' },
      },
    ]);
    expect(f.paid).toEqual([{ orderId: sale.order.id, cash: true }]);
    expect(sale.changeMinor).toBe(0);
  });

  it('a failure right after the tender row is written leaves no order, no tender, no event', () => {
    const before = counts(t.db);
    // A temporary trigger (this connection only, not the schema) fails the write that follows
    // the tender insert: the whole sale must roll back, the order with it.
    t.db.exec(
      "CREATE TEMP TRIGGER fail_after_tender AFTER INSERT ON main.tenders BEGIN SELECT RAISE(ABORT, 'injected failure'); END",
    );
    const walBefore = walCommits(t.file);
    expect(() => f.orders.sellCash({ basket: { lines: LINES }, tenderedMinor: 1000 })).toThrow(
      'injected failure',
    );
    expect(counts(t.db)).toEqual(before);
    expect(walCommits(t.file)).toBe(walBefore);
    expect(f.events).toEqual([]);
    expect(f.paid).toEqual([]);

    // Nothing was used up either: the next sale gets the reference the failed one would have had.
    t.db.exec('DROP TRIGGER temp.fail_after_tender');
    const sale = f.orders.sellCash({ basket: { lines: LINES }, tenderedMinor: 1000 });
    expect(sale.order.reference).toMatch(/-0001$/);
  });

  it('short cash is refused in plain words and writes nothing, no order either', () => {
    const before = counts(t.db);
    expect(() => f.orders.sellCash({ basket: { lines: LINES }, tenderedMinor: 500 })).toThrow(
      expect.objectContaining({
        code: 'VALIDATION',
        message: 'Cash handed over (£5.00) is less than the £7.50 to pay; nothing was sold.',
      }),
    );
    expect(counts(t.db)).toEqual(before);
    expect(f.events).toEqual([]);
    expect(f.paid).toEqual([]);
  });

  it("the basket's own order takes the lines and keeps its reference", () => {
    // "Take payment", then back to the basket to add a line: the basket is that order now.
    const own = f.orders.createOrder({ lines: LINES.slice(0, 1) });
    const sale = f.orders.sellCash({
      basket: { lines: LINES },
      tenderedMinor: 2000,
      orderId: own.id,
    });
    expect(sale.order).toMatchObject({
      id: own.id,
      reference: own.reference,
      status: 'paid',
      totalMinor: 750,
    });
    expect(sale.changeMinor).toBe(1250);
    expect(count(t.db, 'orders')).toBe(1);
    expect(count(t.db, 'order_lines')).toBe(2);
  });

  it("a basket whose own order had a card attempt becomes a new order; the old one's void is said after the commit", () => {
    const own = f.orders.createOrder({ lines: LINES });
    t.db
      .prepare(
        `INSERT INTO payment_attempts (id, order_id, kind, amount_minor, currency, terminal_id, state, is_final, created_at, updated_at)
         VALUES (?, ?, 'sale', 750, 'GBP', 'tm_x', 'declined', 1, ?, ?)`,
      )
      .run(randomUUID(), own.id, new Date().toISOString(), new Date().toISOString());
    f.events.length = 0;
    // Short cash: the void of the old order rolls back with the sale, and nobody hears of it.
    expect(() =>
      f.orders.sellCash({ basket: { lines: LINES }, tenderedMinor: 100, orderId: own.id }),
    ).toThrow(/less than/);
    expect(f.orders.findSummary(own.id)?.status).toBe('open');
    expect(f.events).toEqual([]);
    const sale = f.orders.sellCash({
      basket: { lines: LINES },
      tenderedMinor: 750,
      orderId: own.id,
    });
    expect(sale.order.id).not.toBe(own.id);
    expect(f.orders.findSummary(own.id)?.status).toBe('voided');
    expect(f.events.map((e) => e.payload)).toEqual([
      { orderId: own.id, reference: own.reference, status: 'voided' },
      { orderId: sale.order.id, reference: sale.order.reference, status: 'paid' },
    ]);
  });

  it("a zero total follows createOrder's rule: paid at once, no tender, no drawer", () => {
    const sale = f.orders.sellCash({
      basket: {
        lines: [{ kind: 'custom', name: 'Free', unitPriceMinor: 0, vatRateBp: 0, quantity: 1 }],
      },
      tenderedMinor: 0,
    });
    expect(sale).toMatchObject({ tenderId: null, changeMinor: 0, order: { status: 'paid' } });
    expect(count(t.db, 'tenders')).toBe(0);
    expect(f.paid).toEqual([{ orderId: sale.order.id, cash: false }]);
  });

  it('a euro till rounding cash to 0.05 takes the rounded amount, as payCash does', () => {
    const bus = createEventBus();
    const euro = createOrdersService({
      db: t.db,
      logger: silentLogger,
      bus,
      tillId: () => 'T1',
      currency: () => 'EUR',
      cashRounding: () => '0.05',
      onOrderPaid: () => undefined,
    });
    const basket = {
      lines: [
        {
          kind: 'custom' as const,
          name: 'Cake',
          unitPriceMinor: 1003,
          vatRateBp: 2000,
          quantity: 1,
        },
      ],
    };
    expect(() => euro.sellCash({ basket, tenderedMinor: 1004 })).toThrow(
      'Cash handed over (€10.04) is less than the €10.05 to pay; nothing was sold.',
    );
    expect(count(t.db, 'orders')).toBe(0);
    const exact = euro.sellCash({ basket, tenderedMinor: 1005 });
    expect(exact).toMatchObject({ roundingMinor: 2, changeMinor: 0, order: { paidMinor: 1003 } });
  });
});

describe('orders:sell-cash through the real core (guards, idempotency, paper, reports)', () => {
  let t: Till;
  let printer: VirtualPrinter;
  beforeAll(async () => {
    t = await till();
    printer = await startVirtualPrinter({ port: 0 });
    await t.ok('settings:update', { printer: printer.url });
  });
  afterAll(async () => {
    await t.close();
    await printer.close();
  });

  const ordersCount = () => count(t.core.db, 'orders');
  const jobsOf = (orderId: string) =>
    t.core.db
      .prepare<[string], { kind: string }>(
        'SELECT kind FROM print_jobs WHERE order_id = ? ORDER BY created_at, rowid',
      )
      .all(orderId)
      .map((j) => j.kind);
  const printedFor = (reference: string) =>
    printer.jobs.filter((j) => j.decoded.text.includes(reference));

  it('three identical presses in flight sell once; a repeat afterwards gets the first answer', async () => {
    t.as('cashier');
    const before = ordersCount();
    const press = { lines: LINES, tenderedMinor: 1000, idempotencyKey: randomUUID() };
    const answers = await Promise.all([
      t.call<CashSaleResult>('orders:sell-cash', press),
      t.call<CashSaleResult>('orders:sell-cash', press),
      t.call<CashSaleResult>('orders:sell-cash', press),
    ]);
    for (const a of answers) expect(a).toEqual(answers[0]);
    expect(answers[0]).toMatchObject({ ok: true, value: { changeMinor: 250 } });
    expect(ordersCount()).toBe(before + 1);
    expect(await t.call('orders:sell-cash', press)).toEqual(answers[0]);
    expect(ordersCount()).toBe(before + 1);
    // A key is for one press: another basket under it is refused, nothing sold.
    expect(await t.call('orders:sell-cash', { ...press, tenderedMinor: 2000 })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    expect(await t.call('orders:sell-cash', { lines: LINES, tenderedMinor: 1000 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: /request key/ },
    });
    expect(ordersCount()).toBe(before + 1);
  });

  it('a discount above the cashier’s limit needs an approval; refused, nothing is written', async () => {
    t.as('cashier');
    const press = {
      lines: LINES,
      discount: { kind: 'percent', percentBp: 5000 },
      tenderedMinor: 375,
      idempotencyKey: randomUUID(),
    };
    const rows = t.rows();
    expect(await t.call('orders:sell-cash', press)).toMatchObject({
      ok: false,
      error: { code: 'PERMISSION_DENIED', message: /^Cy \(cashier\) may not/ },
    });
    expect(t.rows()).toEqual(rows);
    // The supervisor's PIN on the same press: sold once, the override journalled.
    const approved = await t.call<CashSaleResult>('orders:sell-cash', {
      ...press,
      approval: { pin: PINS.supervisor },
    });
    expect(approved).toMatchObject({
      ok: true,
      value: { changeMinor: 0, order: { status: 'paid', totalMinor: 375 } },
    });
    const override = t.core.db
      .prepare(
        "SELECT staff_id, approved_by, details FROM audit_log WHERE action = 'staff.override' ORDER BY id DESC LIMIT 1",
      )
      .get() as { staff_id: string; approved_by: string; details: string };
    expect(override).toMatchObject({ staff_id: t.ids.cashier, approved_by: t.ids.supervisor });
    expect(JSON.parse(override.details)).toMatchObject({ action: 'orders:sell-cash' });
  });

  it('a product switched off is refused in plain words, nothing written', async () => {
    t.as('manager');
    const product = await t.ok<{ id: string; name: string }>('catalogue:upsert', {
      name: 'Old scone',
      category: 'Bakery',
      priceMinor: 200,
      vatRateBp: 0,
      active: false,
    });
    t.as('cashier');
    const rows = t.rows();
    expect(
      await t.call('orders:sell-cash', {
        lines: [{ kind: 'product', productId: product.id, quantity: 1 }],
        tenderedMinor: 200,
        idempotencyKey: randomUUID(),
      }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION',
        message: 'Old scone is switched off in the catalogue and cannot be sold.',
      },
    });
    expect(t.rows()).toEqual(rows);
  });

  it('the order is paid once: the same drawer kick and receipt on paper as the two-step path', async () => {
    t.as('cashier');
    // Two steps: "Take payment" then "Take cash".
    const open = await t.ok<Order>('orders:create', { lines: LINES });
    await t.ok<CashPaymentResult>('orders:pay-cash', {
      orderId: open.id,
      amountMinor: 750,
      tenderedMinor: 1000,
      idempotencyKey: randomUUID(),
    });
    // One step.
    const sale = await t.ok<CashSaleResult>('orders:sell-cash', {
      lines: LINES,
      tenderedMinor: 1000,
      idempotencyKey: randomUUID(),
    });
    const twoStepPaper = await waitFor(
      () => (printedFor(open.reference).length >= 1 ? printedFor(open.reference) : null),
      'the two-step sale on paper',
    );
    const oneStepPaper = await waitFor(
      () =>
        printedFor(sale.order.reference).length >= 1 ? printedFor(sale.order.reference) : null,
      'the one-step sale on paper',
    );
    expect(jobsOf(sale.order.id)).toEqual(jobsOf(open.id));
    expect(jobsOf(sale.order.id)).toContain('drawer');
    const receipt = oneStepPaper.map((j) => j.decoded.text).join('\n');
    expect(receipt).toMatch(/TOTAL\s+£7\.50/);
    expect(receipt).toMatch(/CHANGE\s+£2\.50/);
    // Byte for byte the same paper, but for the reference and the time on it.
    const strip = (s: string, ref: string) =>
      s
        .replaceAll(ref, '<ref>')
        .replace(/\d{2}\/\d{2}\/\d{4}/g, '<date>')
        .replace(/\b\d{2}:\d{2}\b/g, '<time>');
    expect(oneStepPaper.map((j) => strip(j.decoded.text, sale.order.reference))).toEqual(
      twoStepPaper.map((j) => strip(j.decoded.text, open.reference)),
    );
    const drawerKicks = await waitFor(
      () =>
        printer.jobs.filter((j) => j.decoded.items.some((i) => i.type === 'drawer')).length >= 2
          ? true
          : null,
      'both drawer kicks on the printer',
    );
    expect(drawerKicks).toBe(true);
    const detail = await t.ok<OrderDetail>('orders:get', { orderId: sale.order.id });
    expect(detail.tenders.map((x) => [x.kind, x.amountMinor, x.changeMinor])).toEqual([
      ['cash', 750, 250],
    ]);
  });

  it("the day report's figures for one press equal the two-step path's for the same basket", async () => {
    const other = await till();
    try {
      const figures = async (on: Till) => {
        on.as('manager');
        const r = await on.ok<EndOfDayReport>('reports:end-of-day');
        const { periodStart: _s, periodEnd: _e, ...summary } = r.summary;
        // Each till has its own staff ids: the manager is "Ann" on both.
        return JSON.parse(JSON.stringify(summary).replaceAll(on.ids.manager, '<Ann>')) as unknown;
      };
      const basket = { lines: LINES, discount: { kind: 'percent', percentBp: 1000 } };
      other.as('manager');
      const open = await other.ok<Order>('orders:create', basket);
      await other.ok('orders:pay-cash', {
        orderId: open.id,
        amountMinor: open.totalMinor,
        tenderedMinor: 1000,
        idempotencyKey: randomUUID(),
      });
      const fresh = await till();
      try {
        fresh.as('manager');
        await fresh.ok('orders:sell-cash', {
          ...basket,
          tenderedMinor: 1000,
          idempotencyKey: randomUUID(),
        });
        const one = await figures(fresh);
        expect(one).toMatchObject({ ordersCount: 1, salesMinor: 675 });
        expect(one).toEqual(await figures(other));
      } finally {
        await fresh.close();
      }
    } finally {
      await other.close();
    }
  });
});

describe('a one-press cash sale reaches the shop database', () => {
  it('order, lines and cash tender replicate through the change log, pushed at once', async () => {
    const pg = await startTestPostgres();
    const dir = tempDir('opentill-sell-cash-shop-');
    try {
      await migrateShopDatabase(pg.adminUrl);
      const shopId = (await createShop(pg.adminUrl, { name: 'Corner' })).id;
      const url = (await registerTill(pg.adminUrl, { shopId, name: 'Counter 1', tillId: 'qc-1' }))
        .connectionUrl;
      const core = await createCore({
        dataDir: dir.path,
        env: {},
        secretStore: memorySecretStore(),
        transport: 'websocket',
        version: 'test',
        simulatorTimeScale: 0.02,
      });
      try {
        signInManager(core);
        expect((await core.dispatch('shop:connect', { url })).ok).toBe(true);
        const sold = await core.dispatch('orders:sell-cash', {
          lines: LINES,
          tenderedMinor: 2000,
          idempotencyKey: randomUUID(),
        });
        if (!sold.ok) throw new Error(sold.error.message);
        const { order } = sold.value as CashSaleResult;
        // orders:changed wakes the push: no waiting for the idle tick.
        await waitFor(
          () => core.status().shop?.state === 'connected' && core.status().shop?.behind === 0,
          'the change log pushed to the shop',
          15_000,
        );
        const remote = await withClient(pg.adminUrl, async (c) => ({
          order: (
            await c.query(
              'SELECT reference, status, total_minor::int AS total FROM opentill.orders WHERE id = $1',
              [order.id],
            )
          ).rows,
          lines: (
            await c.query(
              'SELECT name, quantity::int AS quantity FROM opentill.order_lines WHERE order_id = $1 ORDER BY position',
              [order.id],
            )
          ).rows,
          tenders: (
            await c.query(
              'SELECT kind, amount_minor::int AS amount FROM opentill.tenders WHERE order_id = $1',
              [order.id],
            )
          ).rows,
        }));
        expect(remote).toEqual({
          order: [{ reference: order.reference, status: 'paid', total: 750 }],
          lines: [
            { name: 'Sandwich', quantity: 1 },
            { name: 'Apple', quantity: 2 },
          ],
          tenders: [{ kind: 'cash', amount: 750 }],
        });
      } finally {
        await core.close();
      }
    } finally {
      dir.remove();
      await pg.stop();
    }
  }, 60_000);
});
