import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disableReplication, enableReplication } from '../../../src-main/shop/change-log.repo';
import { connectTill } from '../../../src-main/shop/shop-link';
import type { ShopDayFigures, ShopEndOfDay } from '../../../src-shared/contract/shop.contract';
import type { DayClosure, EndOfDayReport } from '../../../src-shared/contract/printing.contract';
import { createShop, registerTill } from '../../../src-main/shop/shop-admin';
import type { CreateReturnResult, Reversal } from '../../../src-shared/domain/returns';
import { withClient, type TestPostgres } from '../../support/postgres';
import { caughtUp, startTestShop, TWO_COUNTERS } from '../../support/test-shop';
import { waitFor } from '../../support/wait';
import { T1, till, type Till } from '../tenders/fixture';

/**
 * The shop end of day with the drawer, returns, reversals and tips (issue 14, shop schema 2):
 * two real cores (training simulator over HTTP, real SQLite) joined to one real PostgreSQL each
 * open a float, sell cash and card (one with a tip), take an item back for cash, reverse a card
 * sale, pay out and refund cash. The shop's day equals the sum of both tills' own X reports, a
 * till cannot write the other's rows, and a till that sold while PostgreSQL was down catches up.
 */
let pgServer: TestPostgres;
let shopId: string;
let urls: Record<string, string> = {};

beforeAll(async () => {
  ({ server: pgServer, shopId, urls } = await startTestShop('Corner', TWO_COUNTERS));
}, 60_000);
afterAll(async () => pgServer?.stop());

const admin = <T>(sql: string, params: unknown[] = []) =>
  withClient(pgServer.adminUrl, (c) => c.query(sql, params)).then((r) => r.rows as T[]);

async function joined(tillId: string, url = urls[tillId]): Promise<Till> {
  const t = await till();
  t.as('manager');
  await t.ok('shop:connect', { url });
  return t;
}

/** Sells `pence` for cash, handing over `tendered`; returns the order id. */
async function cashSale(t: Till, pence: number, tendered: number): Promise<string> {
  const orderId = await t.order(pence, 'Loaf');
  await t.ok('orders:pay-cash', {
    idempotencyKey: randomUUID(),
    orderId,
    amountMinor: pence,
    tenderedMinor: tendered,
  });
  return orderId;
}

/** A day on one till: float, cash and card sales (a tip), a return, a reversal, cash out. */
async function trade(t: Till, scale: number): Promise<void> {
  await t.ok('day:open', { float: [{ valueMinor: 1000, quantity: 5 * scale }] });
  await cashSale(t, 350 * scale, 500 * scale);
  const back = await cashSale(t, 1200, 2000);
  t.sim.addTipOnTerminal(150 * scale, T1);
  const tipped = await t.cardSale(await t.order(1000 * scale, 'Lunch'));
  expect(tipped.state.kind).toBe('succeeded');
  const mistake = await t.cardSale(await t.order(703, 'Mistake'));
  expect(mistake.state.kind).toBe('succeeded');
  const rev = await t.ok<Reversal>('payments:reverse', {
    attemptId: mistake.id,
    reason: 'Wrong amount keyed',
    idempotencyKey: randomUUID(),
  });
  expect(rev.status).toBe('completed');
  const ret = await t.ok<CreateReturnResult>('returns:create', {
    orderId: back,
    lines: [{ position: 1, quantity: 1 }],
    reason: 'Stale',
    payouts: [{ method: 'cash', amountMinor: 1200 }],
    idempotencyKey: randomUUID(),
  });
  expect(ret.ret.status).toBe('completed');
  await t.ok('drawer:pay', {
    idempotencyKey: randomUUID(),
    movement: { direction: 'out', amountMinor: 250 * scale, reason: 'supplier' },
  });
  await t.ok('drawer:pay', {
    idempotencyKey: randomUUID(),
    movement: { direction: 'in', amountMinor: 100, reason: 'float top-up' },
  });
  const refunded = await cashSale(t, 800, 800);
  await t.ok('refunds:cash', {
    idempotencyKey: randomUUID(),
    orderId: refunded,
    amountMinor: 300,
    reason: 'Overcharged',
  });
}

/** Every change logged so far is acknowledged (the status bar's count can lag a commit). */

/** What a till's own X report says, in the shop end of day's terms. */
async function ownDay(t: Till) {
  return figuresOf((await t.ok<EndOfDayReport>('reports:end-of-day')).summary);
}

/** A till's own report (X, or the Z of a closed day) in the shop end of day's terms. */
function figuresOf(s: EndOfDayReport['summary']) {
  const cash = s.cash;
  if (!cash) throw new Error('the till keeps a drawer');
  return {
    ordersCount: s.ordersCount,
    salesMinor: s.salesMinor,
    refundsCount: s.refundsCount,
    refundsMinor: s.refundsMinor,
    reversalsCount: s.reversalsCount ?? 0,
    reversalsMinor: s.reversalsMinor ?? 0,
    returnsCount: s.returnsCount ?? 0,
    returnsMinor: s.returnsMinor ?? 0,
    tipsCount: s.tips?.count ?? 0,
    tipsMinor: s.tips?.amountMinor ?? 0,
    netMinor: s.netMinor,
    tenders: s.tenders.map((x) => ({ kind: x.kind, count: x.count, amountMinor: x.amountMinor })),
    cash: {
      floatMinor: cash.floatMinor,
      cashTakenMinor: cash.cashTakenMinor,
      changeMinor: cash.changeMinor,
      cashRefundedMinor: cash.cashRefundedMinor,
      payInsMinor: cash.payInsMinor,
      payOutsMinor: cash.payOutsMinor,
      noSales: cash.noSales,
      expectedMinor: cash.expectedMinor,
    },
  };
}

/** A till's row of the shop day without what the till's own report does not have. */
const comparable = (f: ShopDayFigures) => ({
  ordersCount: f.ordersCount,
  salesMinor: f.salesMinor,
  refundsCount: f.refundsCount,
  refundsMinor: f.refundsMinor,
  reversalsCount: f.reversalsCount,
  reversalsMinor: f.reversalsMinor,
  returnsCount: f.returnsCount,
  returnsMinor: f.returnsMinor,
  tipsCount: f.tipsCount,
  tipsMinor: f.tipsMinor,
  netMinor: f.netMinor,
  tenders: [...f.tenders].sort((a, b) => a.kind.localeCompare(b.kind)),
  cash: f.cash,
});
const sortTenders = <T extends { tenders: { kind: string }[] }>(f: T): T => ({
  ...f,
  tenders: [...f.tenders].sort((a, b) => a.kind.localeCompare(b.kind)),
});

async function shopDay(t: Till): Promise<ShopEndOfDay> {
  return t.ok<ShopEndOfDay>('shop:end-of-day');
}

function expectSumOfTills(day: ShopEndOfDay, own: Awaited<ReturnType<typeof ownDay>>[]) {
  const total = (pick: (f: Awaited<ReturnType<typeof ownDay>>) => number) =>
    own.reduce((n, f) => n + pick(f), 0);
  expect(day.shop).toMatchObject({
    ordersCount: total((f) => f.ordersCount),
    salesMinor: total((f) => f.salesMinor),
    refundsMinor: total((f) => f.refundsMinor),
    reversalsMinor: total((f) => f.reversalsMinor),
    returnsMinor: total((f) => f.returnsMinor),
    tipsMinor: total((f) => f.tipsMinor),
    netMinor: total((f) => f.netMinor),
    cash: {
      floatMinor: total((f) => f.cash.floatMinor),
      cashRefundedMinor: total((f) => f.cash.cashRefundedMinor),
      payInsMinor: total((f) => f.cash.payInsMinor),
      payOutsMinor: total((f) => f.cash.payOutsMinor),
      expectedMinor: total((f) => f.cash.expectedMinor),
    },
  });
  expect(day.sumCheck).toEqual({ ok: true, differenceMinor: 0 });
}

describe('the shop end of day with cash, returns, reversals and tips (real cores, real PostgreSQL)', () => {
  it('equals the sum of both tills’ own day reports, before and after PostgreSQL was down', async () => {
    const a = await joined('till-a');
    const b = await joined('till-b');
    try {
      await trade(a, 1);
      await trade(b, 2);
      await caughtUp(a);
      await caughtUp(b);

      const day = await shopDay(b);
      const ownA = await ownDay(a);
      const ownB = await ownDay(b);
      const rowA = day.tills.find((t) => t.tillId === 'till-a');
      const rowB = day.tills.find((t) => t.tillId === 'till-b');
      if (!rowA || !rowB) throw new Error('a till is missing from the shop day');
      expect(comparable(rowA)).toEqual(sortTenders(ownA));
      expect(comparable(rowB)).toEqual(sortTenders(ownB));
      // The figures a user sees, by hand for till A: float £50, pay-out £2.50, pay-in £1, a tip.
      expect(rowA).toMatchObject({
        tipsCount: 1,
        tipsMinor: 150,
        reversalsCount: 1,
        reversalsMinor: 703,
        returnsCount: 1,
        returnsMinor: 1200,
        cash: {
          floatMinor: 5000,
          payOutsMinor: 250,
          payInsMinor: 100,
          cashRefundedMinor: 1200 + 300,
          // float + (350 + 1200 + 800 cash sales) − return − refund − pay-out + pay-in
          expectedMinor: 5000 + 350 + 1200 + 800 - 1200 - 300 - 250 + 100,
        },
      });
      expect(rowB.tipsMinor).toBe(300);
      expect(rowB.cash.floatMinor).toBe(10_000);
      expectSumOfTills(day, [ownA, ownB]);
      // Every tender kind the tills took is in the shop's tenders.
      expect(day.shop.tenders.map((x) => x.kind).sort()).toEqual(['card', 'cash']);

      // PostgreSQL stops: both tills keep trading; A takes a sale, a pay-out and a return.
      await pgServer.halt('fast');
      try {
        const late = await cashSale(a, 640, 1000);
        await cashReturn(a, late);
        await a.ok('drawer:pay', {
          idempotencyKey: randomUUID(),
          movement: { direction: 'out', amountMinor: 75, reason: 'petty cash' },
        });
        await cashSale(b, 90, 100);
        await waitFor(
          () => (a.core.status().shop?.behind ?? 0) > 0,
          'till A to count what it has not sent',
          10_000,
        );
        expect(await b.call('shop:end-of-day')).toMatchObject({
          ok: false,
          error: { code: 'SHOP_UNAVAILABLE' },
        });
      } finally {
        await pgServer.start();
      }
      await caughtUp(a);
      await caughtUp(b);
      const after = await shopDay(a);
      const lateA = await ownDay(a);
      const lateB = await ownDay(b);
      expect(comparable(after.tills.find((t) => t.tillId === 'till-a') ?? after.shop)).toEqual(
        sortTenders(lateA),
      );
      expect(comparable(after.tills.find((t) => t.tillId === 'till-b') ?? after.shop)).toEqual(
        sortTenders(lateB),
      );
      expect(lateA.returnsCount).toBe(2);
      expect(lateA.cash.payOutsMinor).toBe(325);
      expectSumOfTills(after, [lateA, lateB]);
      // Nothing counted twice: one row per record in the shop database.
      const counts = await admin<{ till_id: string; n: string }>(
        `SELECT till_id, count(*) AS n FROM opentill.cash_movements GROUP BY till_id ORDER BY till_id`,
      );
      const localCount = (t: Till) =>
        (t.core.db.prepare('SELECT count(*) AS n FROM cash_movements').get() as { n: number }).n;
      expect(counts.map((r) => [r.till_id, Number(r.n)])).toEqual([
        ['till-a', localCount(a)],
        ['till-b', localCount(b)],
      ]);
      // Every record sent again (a till re-joining its shop): the shop's day does not move.
      a.core.db.transaction(() => {
        disableReplication(a.core.db);
        enableReplication(a.core.db, shopId);
      })();
      await caughtUp(a);
      const replayed = await shopDay(b);
      expect(replayed.tills).toEqual(after.tills);
      expect(replayed.shop).toEqual(after.shop);
      // No PIN travels up: only the shop's own staff table (salted hashes, managed) has one.
      const staffColumns = await admin<{ table_name: string }>(
        `SELECT DISTINCT table_name FROM information_schema.columns
          WHERE table_schema = 'opentill' AND column_name IN ('pin', 'pin_hash')`,
      );
      expect(staffColumns.map((r) => r.table_name)).toEqual(['staff']);
    } finally {
      await a.close();
      await b.close();
    }
  }, 180_000);

  it('the shop’s closed day equals both tills’ Z reports; the open day after starts again', async () => {
    // A shop of its own, so nothing from the other tests sits in these tills' days.
    const own = (await createShop(pgServer.adminUrl, { name: 'Closing' })).id;
    const url = async (tillId: string, name: string) =>
      (await registerTill(pgServer.adminUrl, { shopId: own, name, tillId })).connectionUrl;
    const c = await joined('till-c', await url('till-c', 'Front'));
    const d = await joined('till-d', await url('till-d', 'Back'));
    try {
      // Before any till has closed a day, the closed day has nothing and says so.
      const none = await c.ok<ShopEndOfDay>('shop:end-of-day', { closed: true });
      expect(none.closedDay).toBe(true);
      expect(none.tills.map((t) => [t.tillName, t.dayClosed, t.ordersCount])).toEqual([
        ['Back', false, 0],
        ['Front', false, 0],
      ]);
      // The closed day is each till's own: no period goes with it.
      expect(
        await c.call('shop:end-of-day', { closed: true, from: '2020-01-01T00:00:00Z' }),
      ).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });

      await trade(c, 1);
      await trade(d, 2);
      // Each till closes its day (a drawer count, as the close asks for a day opened with a float).
      const count = [{ valueMinor: 1000, quantity: 5 }];
      const zC = await c.ok<DayClosure>('reports:close-day', { confirm: true, count });
      // Till C sells again after its close: that sale is in C's open day, not its closed one.
      await cashSale(c, 420, 500);
      const zD = await d.ok<DayClosure>('reports:close-day', { confirm: true, count });
      await caughtUp(c);
      await caughtUp(d);

      const closed = await d.ok<ShopEndOfDay>('shop:end-of-day', { closed: true });
      const rowC = closed.tills.find((t) => t.tillId === 'till-c');
      const rowD = closed.tills.find((t) => t.tillId === 'till-d');
      if (!rowC || !rowD) throw new Error('a till is missing from the closed day');
      expect([rowC.dayClosed, rowD.dayClosed]).toEqual([true, true]);
      // Both closed the day they traded, and each close's check against Dojo's record (the
      // training simulator's) reached the shop database: matched, nothing to warn about.
      expect(rowC.tradingDay).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(rowD.tradingDay).toBe(rowC.tradingDay);
      expect([rowC.dojoCheck, rowD.dojoCheck]).toEqual([
        { status: 'matched', differenceMinor: 0, items: 0 },
        { status: 'matched', differenceMinor: 0, items: 0 },
      ]);
      expect(closed.alerts).toEqual([]);
      expect(rowC.lastClosedAt).toBe(zC.summary.periodEnd);
      expect(comparable(rowC)).toEqual(sortTenders(figuresOf(zC.summary)));
      expect(comparable(rowD)).toEqual(sortTenders(figuresOf(zD.summary)));
      expect(rowD.cardByTerminal).toEqual(
        zD.summary.cardByTerminal.map(({ terminalId, count: n, amountMinor }) => ({
          terminalId,
          count: n,
          amountMinor,
        })),
      );
      expectSumOfTills(closed, [figuresOf(zC.summary), figuresOf(zD.summary)]);
      // No order counted twice: the closed day's orders are exactly the Z reports' orders.
      expect(closed.shop.ordersCount).toBe(zC.summary.ordersCount + zD.summary.ordersCount);

      // The open day: only C's sale after its close; D has nothing yet.
      const open = await d.ok<ShopEndOfDay>('shop:end-of-day');
      expect(open.closedDay).toBe(false);
      expect(open.tills.map((t) => [t.tillName, t.ordersCount, t.salesMinor])).toEqual([
        ['Back', 0, 0],
        ['Front', 1, 420],
      ]);
    } finally {
      await c.close();
      await d.close();
    }
  }, 180_000);

  it('a till writes only its own drawer, returns, reversals and tips; both read the shop’s', async () => {
    const { client } = await connectTill(urls['till-a'] ?? '');
    try {
      const now = new Date().toISOString();
      const attempts: [string, string, unknown[]][] = [
        [
          'cash_movements',
          `INSERT INTO opentill.cash_movements (shop_id, till_id, id, kind, amount_minor, currency, created_at)
           VALUES ($1, $2, $3, 'pay-out', 100, 'GBP', $4)`,
          [shopId, 'till-b', randomUUID(), now],
        ],
        [
          'till_days',
          `INSERT INTO opentill.till_days (shop_id, till_id, id, opened_at, float_minor, currency)
           VALUES ($1, $2, $3, $4, 100, 'GBP')`,
          [shopId, 'till-b', randomUUID(), now],
        ],
        [
          'returns',
          `INSERT INTO opentill.returns (shop_id, till_id, id, order_id, kind, status, reason, currency, total_minor, vat_minor, created_at)
           VALUES ($1, $2, $3, 'o', 'return', 'completed', 'x', 'GBP', 100, 0, $4)`,
          [shopId, 'till-b', randomUUID(), now],
        ],
        [
          'reversals',
          `INSERT INTO opentill.reversals (shop_id, till_id, id, order_id, attempt_id, payment_intent_id, amount_minor, currency, status, created_at, updated_at)
           VALUES ($1, $2, $3, 'o', 'a', 'pi', 100, 'GBP', 'completed', $4, $4)`,
          [shopId, 'till-b', randomUUID(), now],
        ],
        [
          'tips',
          `INSERT INTO opentill.tips (shop_id, till_id, tender_id, order_id, amount_minor, currency, created_at)
           VALUES ($1, $2, $3, 'o', 100, 'GBP', $4)`,
          [shopId, 'till-b', randomUUID(), now],
        ],
      ];
      for (const [table, sql, params] of attempts) {
        await expect(client.query(sql, params), table).rejects.toThrow(/row-level security/);
      }
      // Its own row goes in; another till's rows cannot be changed (RLS hides them from UPDATE).
      const own = randomUUID();
      await client.query(
        `INSERT INTO opentill.cash_movements (shop_id, till_id, id, kind, amount_minor, currency, created_at)
         VALUES ($1, 'till-a', $2, 'pay-in', 100, 'GBP', $3)`,
        [shopId, own, now],
      );
      const other = randomUUID();
      await admin(
        `INSERT INTO opentill.cash_movements (shop_id, till_id, id, kind, amount_minor, currency, created_at)
         VALUES ($1, 'till-b', $2, 'pay-in', 100, 'GBP', $3)`,
        [shopId, other, now],
      );
      const changed = await client.query(
        'UPDATE opentill.cash_movements SET amount_minor = 1 WHERE id = $1',
        [other],
      );
      expect(changed.rowCount).toBe(0);
      // Reading: the till and the manager right both see the whole shop's drawer.
      const seen = async () =>
        (
          await client.query<{ id: string }>(
            'SELECT id FROM opentill.cash_movements WHERE id = ANY($1::text[]) ORDER BY till_id',
            [[own, other]],
          )
        ).rows.map((r) => r.id);
      expect(await seen()).toEqual([own, other]);
      await client.query('SET ROLE opentill_manager');
      expect(await seen()).toEqual([own, other]);
      // The manager right reads; it writes no till's records.
      await expect(
        client.query(
          `INSERT INTO opentill.cash_movements (shop_id, till_id, id, kind, amount_minor, currency, created_at)
           VALUES ($1, 'till-a', $2, 'pay-in', 100, 'GBP', $3)`,
          [shopId, randomUUID(), now],
        ),
      ).rejects.toThrow(/permission denied/);
    } finally {
      await client.end();
    }
  });
});

async function cashReturn(t: Till, orderId: string): Promise<void> {
  const ret = await t.ok<CreateReturnResult>('returns:create', {
    orderId,
    lines: [{ position: 1, quantity: 1 }],
    reason: 'Changed mind',
    payouts: [{ method: 'cash', amountMinor: 640 }],
    idempotencyKey: randomUUID(),
  });
  expect(ret.ret.status).toBe('completed');
}
