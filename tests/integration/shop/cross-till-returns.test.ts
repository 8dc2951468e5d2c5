import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disableReplication, enableReplication } from '../../../src-main/shop/change-log.repo';
import type { ShopEndOfDay } from '../../../src-shared/contract/shop.contract';
import type { EndOfDayReport } from '../../../src-shared/contract/printing.contract';
import type {
  CreateReturnResult,
  ReturnQuote,
  ReturnsOfOrder,
} from '../../../src-shared/domain/returns';
import { withClient, type TestPostgres } from '../../support/postgres';
import { caughtUp, startTestShop, TWO_COUNTERS } from '../../support/test-shop';
import { TEST_PRINTER_PORTS } from '../../support/printer-ports';
import { waitFor } from '../../support/wait';
import { staffCore, type StaffCore } from '../staff/core-fixture';
import { till, until, type Till } from '../tenders/fixture';

/**
 * Issue 14 item 5: a sale on till A is returned on till B, where the customer stands. Two real
 * cores (real SQLite each) joined to one real PostgreSQL; both use one Dojo account (B talks to
 * A's simulator over HTTP, as two tills of one shop talk to the same Dojo). What every till
 * already took back is read from PostgreSQL inside B's decision.
 */
let pgServer: TestPostgres;
let shopId: string;
let urls: Record<string, string> = {};

beforeAll(async () => {
  ({ server: pgServer, shopId, urls } = await startTestShop('Corner', TWO_COUNTERS));
}, 60_000);
afterAll(async () => pgServer?.stop());

type B = StaffCore & { ok<T>(c: string, i?: unknown): Promise<T> };

async function tillB(dojoUrl: string): Promise<B> {
  const t = await staffCore({
    env: {
      ...TEST_PRINTER_PORTS,
      OPENTILL_DOJO_API_KEY: 'sk_sandbox_back_counter_1',
      OPENTILL_DOJO_BASE_URL: dojoUrl,
    },
  });
  return Object.assign(t, {
    async ok<T>(channel: string, input?: unknown): Promise<T> {
      const r = await t.call<T>(channel, input);
      if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
      return r.value;
    },
  });
}

async function sale(a: Till, unitMinor: number, quantity: number, card: boolean) {
  const o = await a.ok<{ id: string }>('orders:create', {
    lines: [{ kind: 'custom', name: 'Mug', unitPriceMinor: unitMinor, vatRateBp: 2000, quantity }],
  });
  if (card) {
    const attempt = await a.cardSale(o.id);
    expect(attempt.state.kind).toBe('succeeded');
    return { orderId: o.id, attemptId: attempt.id };
  }
  await a.ok('orders:pay-cash', {
    idempotencyKey: randomUUID(),
    orderId: o.id,
    amountMinor: unitMinor * quantity,
    tenderedMinor: unitMinor * quantity,
  });
  return { orderId: o.id, attemptId: null };
}

const xReport = async (t: { ok<T>(c: string, i?: unknown): Promise<T> }) =>
  (await t.ok<EndOfDayReport>('reports:end-of-day')).summary;

describe('a sale on one till returned on another (real cores, real PostgreSQL)', () => {
  it('returns by cash and to the card across tills, capped by what every till took back', async () => {
    const a = await till();
    a.as('manager');
    await a.ok('shop:connect', { url: urls['till-a'] });
    const dojoUrl = a.core.simulator()?.url;
    if (!dojoUrl) throw new Error('till A runs the simulator');
    const b = await tillB(dojoUrl);
    b.as('manager');
    await b.ok('shop:connect', { url: urls['till-b'] });
    try {
      await a.ok('day:open', { float: [{ valueMinor: 1000, quantity: 5 }] });
      await b.ok('day:open', { float: [{ valueMinor: 1000, quantity: 5 }] });
      const card = await sale(a, 600, 2, true);
      const cash = await sale(a, 350, 2, false);
      // Till A takes one mug of the card sale back itself, in cash.
      await a.ok<CreateReturnResult>('returns:create', {
        orderId: card.orderId,
        lines: [{ position: 1, quantity: 1 }],
        reason: 'Chipped',
        payouts: [{ method: 'cash', amountMinor: 600 }],
        idempotencyKey: randomUUID(),
      });
      await caughtUp(a);

      // Till B: only one mug is left to return, whatever is asked.
      const tooMany = await b.call('returns:quote', {
        orderId: card.orderId,
        lines: [{ position: 1, quantity: 2 }],
      });
      expect(tooMany).toMatchObject({
        ok: false,
        error: {
          code: 'REFUND_EXCEEDS_REMAINING',
          message: expect.stringContaining('only 1 of the 2 sold can still be returned') as unknown,
        },
      });
      const quote = await b.ok<ReturnQuote>('returns:quote', {
        orderId: card.orderId,
        lines: [{ position: 1, quantity: 1 }],
      });
      expect(quote.returnMinor).toBe(600);
      expect(quote.cards).toEqual([
        expect.objectContaining({ attemptId: card.attemptId, refundableMinor: 600 }),
      ]);

      // PostgreSQL down: refused in plain words, nothing written, no money moved.
      const before = b.rows();
      const requestsBefore = a.sim.records().requests.length;
      await pgServer.halt('fast');
      try {
        const down = await b.call('returns:create', {
          orderId: card.orderId,
          lines: [{ position: 1, quantity: 1 }],
          reason: 'Wrong size',
          payouts: [{ method: 'card', attemptId: card.attemptId, amountMinor: 600 }],
          idempotencyKey: randomUUID(),
        });
        expect(down).toMatchObject({
          ok: false,
          error: {
            code: 'SHOP_UNAVAILABLE',
            message: expect.stringContaining('cannot be reached') as unknown,
          },
        });
        expect(b.rows()).toEqual(before);
        expect(b.core.db.prepare('SELECT count(*) AS n FROM returns').get()).toEqual({ n: 0 });
        expect(a.sim.records().requests.length).toBe(requestsBefore);
      } finally {
        await pgServer.start();
      }

      // Back: the last mug goes back to the original card, through Dojo, from till B.
      const toCard = await b.ok<CreateReturnResult>('returns:create', {
        orderId: card.orderId,
        lines: [{ position: 1, quantity: 1 }],
        reason: 'Wrong size',
        payouts: [{ method: 'card', attemptId: card.attemptId, amountMinor: 600 }],
        idempotencyKey: randomUUID(),
      });
      await until(
        () => b.ok<ReturnsOfOrder>('returns:for-order', { orderId: card.orderId }),
        (r) => r.returns.some((x) => x.id === toCard.ret.id && x.status === 'completed'),
      );
      const refunds = a.sim.records().requests.filter((r) => /\/refunds$/.test(r.path));
      expect(refunds).toHaveLength(1);
      expect(refunds[0]?.body).toMatchObject({ amount: 600 });
      a.expectRequestsValid();
      // Nothing is left of it now, at either till: A's own return counts B's too.
      for (const t of [a, b])
        expect(
          await t.call('returns:quote', {
            orderId: card.orderId,
            lines: [{ position: 1, quantity: 1 }],
          }),
        ).toMatchObject({
          ok: false,
          error: {
            code: 'REFUND_EXCEEDS_REMAINING',
            message: expect.stringContaining('all 2 sold were already returned') as unknown,
          },
        });

      // The cash sale: both mugs asked back twice at once on B: one passes, one is refused.
      const twice = await Promise.all(
        [0, 1].map(() =>
          b.call<CreateReturnResult>('returns:create', {
            orderId: cash.orderId,
            lines: [{ position: 1, quantity: 2 }],
            reason: 'Not wanted',
            payouts: [{ method: 'cash', amountMinor: 700 }],
            idempotencyKey: randomUUID(),
          }),
        ),
      );
      expect(twice.filter((r) => r.ok)).toHaveLength(1);
      expect(twice.find((r) => !r.ok)).toMatchObject({
        ok: false,
        error: { code: 'REFUND_EXCEEDS_REMAINING' },
      });

      // One scarf, asked back at both tills at the same moment: one till gives the money back.
      const scarf = await sale(a, 500, 1, false);
      await caughtUp(a);
      // To be sure both decisions overlap, the order's lock is held here until both tills wait on it.
      const holder = new pg.Client({ connectionString: pgServer.adminUrl });
      await holder.connect();
      let race: Awaited<ReturnType<typeof b.call<CreateReturnResult>>>[];
      try {
        await holder.query('BEGIN');
        await holder.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
          `opentill.order-return:${scarf.orderId}`,
        ]);
        const both = Promise.all(
          [a, b].map((t) =>
            t.call<CreateReturnResult>('returns:create', {
              orderId: scarf.orderId,
              lines: [{ position: 1, quantity: 1 }],
              reason: 'Gift receipt',
              payouts: [{ method: 'cash', amountMinor: 500 }],
              idempotencyKey: randomUUID(),
            }),
          ),
        );
        await waitFor(
          async () =>
            (
              await holder.query<{ n: string }>(
                "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
              )
            ).rows[0]?.n === '2',
          'both tills to wait on the order’s lock',
          10_000,
        );
        await holder.query('COMMIT');
        race = await both;
      } finally {
        await holder.end();
      }
      expect(race.filter((r) => r.ok)).toHaveLength(1);
      expect(race.find((r) => !r.ok)).toMatchObject({
        ok: false,
        error: { code: 'REFUND_EXCEEDS_REMAINING' },
      });
      const scarfBackAtA = race[0]?.ok === true ? 500 : 0;
      const scarfBackAtB = 500 - scarfBackAtA;

      await caughtUp(a);
      await caughtUp(b);
      const ownA = await xReport(a);
      const ownB = await xReport(b);
      // B's day: no sale; the card refund, and the cash out of its own drawer.
      expect(ownB).toMatchObject({ ordersCount: 0, salesMinor: 0, refundsMinor: 600 });
      expect(ownB.cash).toMatchObject({
        cashRefundedMinor: 700 + scarfBackAtB,
        expectedMinor: 5000 - 700 - scarfBackAtB,
      });
      // A's day: its three sales, its own cash return(s); nothing of B's.
      expect(ownA).toMatchObject({ ordersCount: 3, salesMinor: 1200 + 700 + 500, refundsMinor: 0 });
      expect(ownA.cash).toMatchObject({
        cashRefundedMinor: 600 + scarfBackAtA,
        expectedMinor: 5000 + 700 + 500 - 600 - scarfBackAtA,
      });

      const day = await b.ok<ShopEndOfDay>('shop:end-of-day');
      expect(day.sumCheck).toEqual({ ok: true, differenceMinor: 0 });
      // Each till's row is its own X report; the shop is their sum, the sale counted once (on A).
      for (const [tillId, own] of [
        ['till-a', ownA],
        ['till-b', ownB],
      ] as const)
        expect(day.tills.find((t) => t.tillId === tillId)).toMatchObject({
          ordersCount: own.ordersCount,
          salesMinor: own.salesMinor,
          refundsMinor: own.refundsMinor,
          returnsCount: own.returnsCount ?? 0,
          returnsMinor: own.returnsMinor ?? 0,
          netMinor: own.netMinor,
          cash: {
            cashRefundedMinor: own.cash?.cashRefundedMinor,
            expectedMinor: own.cash?.expectedMinor,
          },
        });
      expect(day.shop).toMatchObject({
        ordersCount: 3,
        salesMinor: 2400,
        refundsMinor: 600,
        returnsCount: 4,
        returnsMinor: 600 + 600 + 700 + 500,
        netMinor: ownA.netMinor + ownB.netMinor,
        cash: {
          cashRefundedMinor: 600 + 700 + 500,
          expectedMinor: (ownA.cash?.expectedMinor ?? 0) + (ownB.cash?.expectedMinor ?? 0),
        },
      });
      // Sales £24.00 less £6.00 to the card and £18.00 in cash: every penny went back.
      expect(day.shop.netMinor).toBe(2400 - 600 - 600 - 700 - 500);

      // A's orders are in the shop database once each, as A's: B's copies never go up, even when
      // B sends its whole history again (leaving and re-joining the shop).
      b.core.db.transaction(() => {
        disableReplication(b.core.db);
        enableReplication(b.core.db, shopId);
      })();
      await caughtUp(b);
      const orders = await withClient(pgServer.adminUrl, (c) =>
        c.query<{ till_id: string; n: string }>(
          'SELECT till_id, count(*) AS n FROM opentill.orders GROUP BY till_id',
        ),
      );
      expect(orders.rows.map((r) => [r.till_id, Number(r.n)])).toEqual([['till-a', 3]]);
      expect((await b.ok<ShopEndOfDay>('shop:end-of-day')).shop).toEqual(day.shop);
    } finally {
      await b.close();
      await a.close();
    }
  }, 180_000);
});
