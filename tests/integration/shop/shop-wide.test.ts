import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src-main/core/core';
import { memorySecretStore } from '../../../src-main/credentials/secret-store';
import { daySummary, insertClosure } from '../../../src-main/reports/reports.queries';
import type {
  ShopDayFigures,
  ShopEndOfDay,
  ShopOrderDetail,
  ShopOrderPage,
} from '../../../src-shared/contract/shop.contract';
import type { EndOfDayReport } from '../../../src-shared/contract/printing.contract';
import type { Product } from '../../../src-shared/domain/catalogue';
import type { Order } from '../../../src-shared/domain/orders';
import type { TestPostgres } from '../../support/postgres';
import { startTestShop, TWO_COUNTERS } from '../../support/test-shop';
import { tempDir } from '../../support/temp-dir';
import { openTill } from './shop-fixture';
import { letTimePass, waitFor } from '../../support/wait';
import { signInManager } from '../../support/staff';

/**
 * Reading the whole shop from till B: till A (orders service + replicator, real SQLite) and till
 * B (the real core, joined through its shop:connect channel) sell into one real PostgreSQL; B
 * finds A's order, opens it read-only, and the shop end of day equals both tills' own X reports.
 */
let pgServer: TestPostgres;
let shopId: string;
let urls: Record<string, string> = {};

beforeAll(async () => {
  ({ server: pgServer, shopId, urls } = await startTestShop('Corner', TWO_COUNTERS));
}, 60_000);
afterAll(async () => pgServer?.stop());

/** The figures the shop end of day compares with a till's own X report. */
const comparable = (
  f: Pick<
    ShopDayFigures,
    'ordersCount' | 'salesMinor' | 'refundsCount' | 'refundsMinor' | 'netMinor' | 'tenders'
  >,
) => ({
  ordersCount: f.ordersCount,
  salesMinor: f.salesMinor,
  refundsCount: f.refundsCount,
  refundsMinor: f.refundsMinor,
  netMinor: f.netMinor,
  tenders: f.tenders.map((t) => ({ kind: t.kind, count: t.count, amountMinor: t.amountMinor })),
});

describe('the whole shop, read from another till (real core, real PostgreSQL)', () => {
  it('finds and opens till A’s sale from till B, and the shop day is the sum of both tills', async () => {
    const a = openTill('till-a', urls['till-a'] ?? null, shopId);
    const dir = tempDir();
    const b: Core = await createCore({
      dataDir: dir.path,
      env: {},
      secretStore: memorySecretStore(),
      transport: 'websocket',
      version: 'test',
      simulatorTimeScale: 0.02,
    });
    signInManager(b);
    try {
      // Not joined yet: a plain answer, not retryable (nothing to wait for).
      const alone = await b.dispatch('shop:search-orders', { reference: 'x' });
      expect(alone).toMatchObject({
        ok: false,
        error: {
          code: 'SHOP_UNAVAILABLE',
          retryable: false,
          message: expect.stringMatching(/not joined to a shop database/) as unknown,
        },
      });

      // Till A: three sales, closes its day, then two more (its open day is those two).
      a.replicator.start();
      for (const n of [1, 2, 3]) a.sell(n);
      await letTimePass(5);
      const closedAt = new Date().toISOString();
      insertClosure(a.t.db, randomUUID(), daySummary(a.t.db, closedAt, 'GBP'), 'Ann', closedAt);
      await letTimePass(5);
      const aOpenIds = [a.sell(4), a.sell(1)];
      // An unpaid basket on A counts nowhere.
      const product = a.catalogue.list()[1];
      if (!product) throw new Error('no second product');
      a.orders.createOrder({ lines: [{ kind: 'product', productId: product.id, quantity: 1 }] });
      expect(await a.replicator.drained(20_000)).toBe(true);

      // Till B joins and sells twice through its channels.
      expect((await b.dispatch('shop:connect', { url: urls['till-b'] ?? '' })).ok).toBe(true);
      const list = await b.dispatch('catalogue:list', undefined);
      if (!list.ok) throw new Error('no catalogue');
      for (const [i, quantity] of [2, 5].entries()) {
        const p = (list.value as Product[])[i + 2];
        if (!p) throw new Error('no product');
        const created = await b.dispatch('orders:create', {
          lines: [{ kind: 'product', productId: p.id, quantity }],
        });
        if (!created.ok) throw new Error(created.error.message);
        const order = created.value as Order;
        const paid = await b.dispatch('orders:pay-cash', {
          idempotencyKey: randomUUID(),
          orderId: order.id,
          amountMinor: order.totalMinor,
          tenderedMinor: order.totalMinor + 500,
        });
        if (!paid.ok) throw new Error(paid.error.message);
      }
      // And a card sale on the simulator's terminal, partly refunded.
      const terminals = await b.dispatch('terminals:list', undefined);
      if (!terminals.ok) throw new Error(terminals.error.message);
      const terminal = (terminals.value as { id: string; status: string }[]).find(
        (t) => t.status === 'Available',
      );
      if (!terminal) throw new Error('no available terminal');
      const cardProduct = (list.value as Product[])[6];
      if (!cardProduct) throw new Error('no product');
      const cardOrder = await b.dispatch('orders:create', {
        lines: [{ kind: 'product', productId: cardProduct.id, quantity: 3 }],
      });
      if (!cardOrder.ok) throw new Error(cardOrder.error.message);
      const sale = await b.dispatch('payments:start-sale', {
        orderId: (cardOrder.value as Order).id,
        terminalId: terminal.id,
        idempotencyKey: randomUUID(),
      });
      if (!sale.ok) throw new Error(sale.error.message);
      const attemptId = (sale.value as { id: string }).id;
      await waitFor(
        async () => {
          const got = await b.dispatch('payments:get', { attemptId });
          return got.ok && (got.value as { state: { kind: string } }).state.kind === 'succeeded';
        },
        'the card sale to be approved',
        20_000,
      );
      const refund = await b.dispatch('refunds:server', {
        originalAttemptId: attemptId,
        amountMinor: 150,
        idempotencyKey: randomUUID(),
      });
      if (!refund.ok) throw new Error(refund.error.message);
      await waitFor(
        async () => {
          const own = await b.dispatch('reports:end-of-day', undefined);
          return own.ok && (own.value as EndOfDayReport).summary.refundsMinor === 150;
        },
        'the refund to complete',
        20_000,
      );
      await waitFor(
        () => b.status().shop?.state === 'connected' && b.status().shop?.behind === 0,
        'condition',
        20_000,
      );

      // Search from B by a fragment of A's reference: A's order, with A's till name.
      const aOrder = a.orders.getOrder(aOpenIds[0] ?? '');
      const fragment = aOrder.reference.slice(-4);
      const found = await b.dispatch('shop:search-orders', { reference: fragment });
      if (!found.ok) throw new Error(found.error.message);
      const page = found.value as ShopOrderPage;
      const mine = page.orders.find((o) => o.orderId === aOrder.id);
      expect(mine).toMatchObject({
        tillId: 'till-a',
        tillName: 'Front counter',
        reference: aOrder.reference,
        status: 'paid',
        totalMinor: aOrder.totalMinor,
      });
      for (const o of page.orders) expect(o.reference).toContain(fragment);
      // By amount: exactly the orders of that total, across both tills.
      const byAmount = await b.dispatch('shop:search-orders', {
        amountMinor: aOrder.totalMinor,
      });
      if (!byAmount.ok) throw new Error(byAmount.error.message);
      expect((byAmount.value as ShopOrderPage).orders.map((o) => o.orderId)).toContain(aOrder.id);
      for (const o of (byAmount.value as ShopOrderPage).orders)
        expect(o.totalMinor).toBe(aOrder.totalMinor);
      // A date range that ends before anything was sold finds nothing.
      const before = await b.dispatch('shop:search-orders', { to: '2020-01-01T00:00:00Z' });
      expect(before).toMatchObject({ ok: true, value: { orders: [], hasMore: false } });

      // Open A's order from B: the lines and the tender as A recorded them.
      const opened = await b.dispatch('shop:get-order', { orderId: aOrder.id });
      if (!opened.ok) throw new Error(opened.error.message);
      const detail = opened.value as ShopOrderDetail;
      expect(detail.tillName).toBe('Front counter');
      expect(detail.lines.map((l) => [l.name, l.quantity, l.lineTotalMinor])).toEqual(
        aOrder.lines.map((l) => [l.name, l.quantity, l.lineTotalMinor]),
      );
      expect(detail.tenders.map((t) => [t.kind, t.amountMinor])).toEqual([
        ['cash', aOrder.totalMinor],
      ]);
      expect(await b.dispatch('shop:get-order', { orderId: 'no-such-order' })).toMatchObject({
        ok: false,
        error: { code: 'NOT_FOUND' },
      });

      // The shop's open day: each till from its own last closure, equal to its own X report.
      const eod = await b.dispatch('shop:end-of-day', undefined);
      if (!eod.ok) throw new Error(eod.error.message);
      const shopDay = eod.value as ShopEndOfDay;
      const aOwn = daySummary(a.t.db, new Date().toISOString(), 'GBP');
      const bReport = await b.dispatch('reports:end-of-day', undefined);
      if (!bReport.ok) throw new Error(bReport.error.message);
      const bOwn = (bReport.value as EndOfDayReport).summary;
      const tillA = shopDay.tills.find((t) => t.tillId === 'till-a');
      const tillB = shopDay.tills.find((t) => t.tillId === 'till-b');
      if (!tillA || !tillB) throw new Error('a till is missing from the shop day');
      expect(comparable(tillA)).toEqual(comparable(aOwn));
      expect(comparable(tillB)).toEqual(comparable(bOwn));
      expect(tillA.ordersCount).toBe(2);
      expect(tillB.ordersCount).toBe(3);
      expect(tillB.refundsMinor).toBe(150);
      expect(tillB.cardByTerminal).toEqual(
        bOwn.cardByTerminal.map((t) => ({
          terminalId: t.terminalId,
          count: t.count,
          amountMinor: t.amountMinor,
        })),
      );
      expect(shopDay.shop.cardByTerminal).toEqual(tillB.cardByTerminal);
      expect(tillA.lastClosedAt).toBe(closedAt);
      expect(tillA.dayClosed).toBe(false);
      // The shop: to the penny the sum of both, nothing counted twice.
      expect(shopDay.shop.ordersCount).toBe(5);
      expect(shopDay.shop.refundsMinor).toBe(150);
      expect(shopDay.shop.salesMinor).toBe(aOwn.salesMinor + bOwn.salesMinor);
      expect(shopDay.shop.netMinor).toBe(aOwn.netMinor + bOwn.netMinor);
      const cardTotal = (cardOrder.value as Order).totalMinor;
      expect(shopDay.shop.tenders).toEqual([
        { kind: 'cash', count: 4, amountMinor: aOwn.salesMinor + bOwn.salesMinor - cardTotal },
        { kind: 'card', count: 1, amountMinor: cardTotal },
      ]);
      expect(shopDay.sumCheck).toEqual({ ok: true, differenceMinor: 0 });

      // A period that ends at A's closure: A's day is closed there, and holds A's first 3 sales.
      const closedDay = await b.dispatch('shop:end-of-day', {
        from: '2020-01-01T00:00:00Z',
        to: closedAt,
      });
      if (!closedDay.ok) throw new Error(closedDay.error.message);
      const early = closedDay.value as ShopEndOfDay;
      expect(early.tills.find((t) => t.tillId === 'till-a')).toMatchObject({
        dayClosed: true,
        ordersCount: 3,
      });
      expect(early.tills.find((t) => t.tillId === 'till-b')).toMatchObject({
        dayClosed: false,
        ordersCount: 0,
      });

      // The shop database stops: a plain, retryable answer, and B keeps its own orders.
      await pgServer.halt('fast');
      try {
        const down = await b.dispatch('shop:search-orders', { reference: fragment });
        expect(down).toMatchObject({
          ok: false,
          error: {
            code: 'SHOP_UNAVAILABLE',
            retryable: true,
            message: expect.stringMatching(/cannot be reached/) as unknown,
          },
        });
        expect(JSON.stringify(down)).not.toContain(new URL(urls['till-b'] ?? '').password);
        expect((await b.dispatch('shop:end-of-day', undefined)).ok).toBe(false);
        expect((await b.dispatch('orders:list', {})).ok).toBe(true);
      } finally {
        await pgServer.start();
      }
    } finally {
      await b.close();
      await a.close();
      dir.remove();
    }
  }, 120_000);
});
