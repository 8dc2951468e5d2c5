import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createShop, migrateShopDatabase, registerTill } from '../../../src-main/shop/shop-admin';
import type { ShopEndOfDay } from '../../../src-shared/contract/shop.contract';
import type { EndOfDayReport } from '../../../src-shared/contract/printing.contract';
import type {
  CreateReturnResult,
  ReturnQuote,
  ReturnsOfOrder,
} from '../../../src-shared/domain/returns';
import { startTestPostgres, withClient, type TestPostgres } from '../../support/postgres';
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
const urls: Record<string, string> = {};

beforeAll(async () => {
  pgServer = await startTestPostgres();
  await migrateShopDatabase(pgServer.adminUrl);
  const shopId = (await createShop(pgServer.adminUrl, { name: 'Corner' })).id;
  for (const [tillId, name] of [
    ['till-a', 'Front counter'],
    ['till-b', 'Back counter'],
  ] as const)
    urls[tillId] = (await registerTill(pgServer.adminUrl, { shopId, name, tillId })).connectionUrl;
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

const caughtUp = (t: StaffCore) =>
  waitFor(
    () =>
      t.core.status().shop?.state === 'connected' &&
      (t.core.db.prepare('SELECT count(*) AS n FROM change_log').get() as { n: number }).n === 0,
    'the till to have sent every change to the shop database',
    30_000,
  );

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
      // Nothing is left of it now, at either till.
      expect(
        await b.call('returns:quote', {
          orderId: card.orderId,
          lines: [{ position: 1, quantity: 1 }],
        }),
      ).toMatchObject({ ok: false, error: { code: 'REFUND_EXCEEDS_REMAINING' } });

      // The cash sale: two requests for its last... both mugs at once on B: one passes, one is refused.
      const race = await Promise.all(
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
      expect(race.filter((r) => r.ok)).toHaveLength(1);
      expect(race.find((r) => !r.ok)).toMatchObject({
        ok: false,
        error: { code: 'REFUND_EXCEEDS_REMAINING' },
      });

      await caughtUp(a);
      await caughtUp(b);
      const ownA = await xReport(a);
      const ownB = await xReport(b);
      // B's day: no sale, the card refund and the cash out of its own drawer.
      expect(ownB).toMatchObject({ ordersCount: 0, salesMinor: 0, refundsMinor: 600 });
      expect(ownB.cash).toMatchObject({ cashRefundedMinor: 700, expectedMinor: 5000 - 700 });
      expect(ownA).toMatchObject({ ordersCount: 2, salesMinor: 1200 + 700, refundsMinor: 0 });
      expect(ownA.cash).toMatchObject({ cashRefundedMinor: 600, expectedMinor: 5000 + 700 - 600 });

      const day = await b.ok<ShopEndOfDay>('shop:end-of-day');
      expect(day.sumCheck).toEqual({ ok: true, differenceMinor: 0 });
      // The sale counted once (on A), the refunds where the money left.
      expect(day.shop).toMatchObject({
        ordersCount: ownA.ordersCount + ownB.ordersCount,
        salesMinor: 1900,
        refundsMinor: 600,
        netMinor: ownA.netMinor + ownB.netMinor,
        cash: {
          cashRefundedMinor: 1300,
          expectedMinor: (ownA.cash?.expectedMinor ?? 0) + (ownB.cash?.expectedMinor ?? 0),
        },
      });
      expect(day.shop.netMinor).toBe(1900 - 600 - 600 - 700);
      const rowB = day.tills.find((t) => t.tillId === 'till-b');
      expect(rowB).toMatchObject({
        ordersCount: 0,
        salesMinor: 0,
        refundsMinor: 600,
        netMinor: ownB.netMinor,
      });
      // A's order is in the shop database once, as A's: B's copy never went up.
      const orders = await withClient(pgServer.adminUrl, (c) =>
        c.query<{ till_id: string }>('SELECT till_id FROM opentill.orders WHERE id = ANY($1)', [
          [card.orderId, cash.orderId],
        ]),
      );
      expect(orders.rows.map((r) => r.till_id)).toEqual(['till-a', 'till-a']);
    } finally {
      await b.close();
      await a.close();
    }
  }, 180_000);
});
