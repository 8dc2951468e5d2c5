import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShopEndOfDay, ShopStaffFigures } from '../../../src-shared/contract/shop.contract';
import type { EndOfDayReport } from '../../../src-shared/contract/printing.contract';
import type { Refund } from '../../../src-shared/domain/payments';
import type { CreateReturnResult, ReturnsOfOrder } from '../../../src-shared/domain/returns';
import type { StaffMember } from '../../../src-shared/domain/staff';
import { withClient, type TestPostgres } from '../../support/postgres';
import { caughtUp, startTestShop, TWO_COUNTERS } from '../../support/test-shop';
import { waitFor } from '../../support/wait';
import { T1, T2, till, until, type Till } from '../tenders/fixture';

/**
 * The shop end of day per staff member and tips per terminal and person (issue 14 item 5): two
 * real cores (training simulator over HTTP, real SQLite) joined to one real PostgreSQL. Ria sells
 * on till A only, Pat on both; a tip on a card sale on each till, a card refund and a cash refund
 * on B. The shop's rows per person equal the sum of each till's own X report rows for that person
 * to the penny, and the tips per terminal equal the tills' own.
 */
let pgServer: TestPostgres;
let shopId: string;
let urls: Record<string, string> = {};

beforeAll(async () => {
  ({ server: pgServer, shopId, urls } = await startTestShop('High Street', TWO_COUNTERS));
}, 60_000);
afterAll(async () => pgServer?.stop());

const PAT = '6047';
const RIA = '7391';

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

async function cardSale(t: Till, pence: number, terminalId: string, tip = 0) {
  if (tip) t.sim.addTipOnTerminal(tip, terminalId);
  const sale = await t.cardSale(await t.order(pence, 'Lunch'), { terminalId });
  expect(sale.state.kind).toBe('succeeded');
  return sale;
}

async function returned(t: Till, orderId: string, payouts: unknown[]): Promise<void> {
  const ret = await t.ok<CreateReturnResult>('returns:create', {
    orderId,
    lines: [{ position: 1, quantity: 1 }],
    reason: 'Changed mind',
    payouts,
    idempotencyKey: randomUUID(),
  });
  await until(
    () => t.ok<ReturnsOfOrder>('returns:for-order', { orderId }),
    (r) => r.returns.some((x) => x.id === ret.ret.id && x.status === 'completed'),
  );
}

const signIn = (t: Till, pin: string) => t.ok('staff:sign-in', { pin });

/** A till's own X report per person, in the shop's terms. */
async function ownDay(t: Till) {
  const s = (await t.ok<EndOfDayReport>('reports:end-of-day')).summary;
  if (!s.cash || !s.tips) throw new Error('the till keeps a drawer and tips');
  return {
    byStaff: s.cash.byStaff.map((p) => ({
      staffId: p.staffId,
      ordersCount: p.orders,
      cashMinor: p.cashMinor,
      cardMinor: p.cardMinor,
      refundsMinor: p.refundsMinor,
    })),
    tipsByTerminal: s.tips.byTerminal.map((x) => ({
      terminalId: x.terminalId,
      count: x.count,
      amountMinor: x.amountMinor,
    })),
    tipsByStaff: s.tips.byStaff.map((x) => ({
      staffId: x.staffId,
      count: x.count,
      amountMinor: x.amountMinor,
    })),
  };
}

const figuresOf = (p: ShopStaffFigures) => ({
  staffId: p.staffId,
  ordersCount: p.ordersCount,
  cashMinor: p.cashMinor,
  cardMinor: p.cardMinor,
  refundsMinor: p.refundsMinor,
});

/** Adds up rows with the same key across tills. */
function summed<T extends Record<string, unknown>>(rows: T[], key: keyof T): T[] {
  const out = new Map<unknown, T>();
  for (const r of rows) {
    const seen = out.get(r[key]);
    if (!seen) {
      out.set(r[key], { ...r });
      continue;
    }
    for (const [k, v] of Object.entries(r))
      if (typeof v === 'number') (seen as Record<string, unknown>)[k] = (seen[k] as number) + v;
  }
  return [...out.values()].sort((a, b) => String(a[key]).localeCompare(String(b[key])));
}
const byKey = <T>(rows: T[], key: keyof T) =>
  [...rows].sort((a, b) => String(a[key]).localeCompare(String(b[key])));

describe('the shop end of day per staff member and tips per terminal (real cores, real PostgreSQL)', () => {
  it('a person on two tills adds up to the penny; one taken off the list keeps their name', async () => {
    const a = await till();
    const b = await till();
    try {
      // Before joining, on A: a float, and Pat and Ria (each with a PIN no one else has).
      a.as('manager');
      const pat = await a.ok<StaffMember>('staff:create', {
        name: 'Pat',
        role: 'supervisor',
        pin: PAT,
      });
      const ria = await a.ok<StaffMember>('staff:create', {
        name: 'Ria',
        role: 'cashier',
        pin: RIA,
      });
      await a.ok('day:open', { float: [{ valueMinor: 1000, quantity: 5 }] });
      b.as('manager');
      await b.ok('day:open', { float: [{ valueMinor: 1000, quantity: 5 }] });
      await a.ok('shop:connect', { url: urls['till-a'] });
      await b.ok('shop:connect', { url: urls['till-b'] });
      await waitFor(
        () => b.core.staff.list().some((s) => s.id === pat.id),
        'Pat to reach till B through the shop’s staff list',
        15_000,
      );

      // Till A: Ria sells for cash and card (a £1.50 tip on T1); Pat sells for cash and card.
      await signIn(a, RIA);
      const riaCash = await cashSale(a, 350, 500);
      const riaCard = await cardSale(a, 1000, T1, 150);
      await signIn(a, PAT);
      await cashSale(a, 800, 1000);
      await cardSale(a, 1200, T1);
      // Pat takes back the loaf Ria sold for cash, from the drawer, and one lunch to the card.
      await returned(a, riaCash, [{ method: 'cash', amountMinor: 350 }]);
      await returned(a, riaCard.orderId ?? '', [
        { method: 'card', attemptId: riaCard.id, amountMinor: 1000 },
      ]);
      // Till B: Pat sells on card (a £2 tip on T2), refunds £5 of it to the card, and refunds £1
      // of a cash sale from the drawer.
      await signIn(b, PAT);
      const tipped = await cardSale(b, 2000, T2, 200);
      const refund = await b.ok<Refund>('refunds:server', {
        originalAttemptId: tipped.id,
        amountMinor: 500,
        reason: 'Overcharged',
        idempotencyKey: randomUUID(),
      });
      await until(
        () => b.ok<Refund[]>('refunds:list-for-order', { orderId: refund.orderId }),
        (rs) => rs.some((r) => r.id === refund.id && r.status === 'completed'),
      );
      const refunded = await cashSale(b, 600, 600);
      await b.ok('refunds:cash', {
        idempotencyKey: randomUUID(),
        orderId: refunded,
        amountMinor: 100,
        reason: 'Overcharged',
      });
      await caughtUp(a);
      await caughtUp(b);

      await signIn(a, PAT);
      const ownA = await ownDay(a);
      const ownB = await ownDay(b);
      const day = await b.ok<ShopEndOfDay>('shop:end-of-day');
      expect(day.sumCheck).toEqual({ ok: true, differenceMinor: 0 });

      // Each till's rows in the shop day are that till's own rows.
      const rowOf = (id: string) => day.tills.find((t) => t.tillId === id);
      expect(byKey(rowOf('till-a')?.byStaff.map(figuresOf) ?? [], 'staffId')).toEqual(
        byKey(ownA.byStaff, 'staffId'),
      );
      expect(byKey(rowOf('till-b')?.byStaff.map(figuresOf) ?? [], 'staffId')).toEqual(
        byKey(ownB.byStaff, 'staffId'),
      );
      // The shop's row per person is the sum of each till's own rows for them, to the penny.
      expect(byKey(day.shop.byStaff.map(figuresOf), 'staffId')).toEqual(
        summed([...ownA.byStaff, ...ownB.byStaff], 'staffId'),
      );
      const patRow = day.shop.byStaff.find((p) => p.staffId === pat.id);
      const riaRow = day.shop.byStaff.find((p) => p.staffId === ria.id);
      // What a manager reads, by hand: Pat took £8 cash and £12 + £20 card over two tills and £6
      // cash on B, and gave back £5 to the card and £1 from the drawer on B, and on A Ria's £3.50
      // loaf from the drawer and her £10 lunch to the card (returns count for who took them back).
      expect(patRow).toMatchObject({
        name: 'Pat',
        ordersCount: 4,
        cashMinor: 800 + 600,
        refundsMinor: 500 + 100 + 350 + 1000,
      });
      expect(patRow?.netMinor).toBe((patRow?.salesMinor ?? 0) - 1950);
      expect(patRow?.salesMinor).toBe((patRow?.cashMinor ?? 0) + (patRow?.cardMinor ?? 0));
      expect(riaRow).toMatchObject({
        name: 'Ria',
        ordersCount: 2,
        cashMinor: 350,
        refundsMinor: 0,
      });
      expect(day.shop.byStaff.map((p) => p.name)).not.toContain('');

      // Tips per terminal and per person: the tills' own, added up.
      expect(day.shop.tipsByTerminal).toEqual(
        summed([...ownA.tipsByTerminal, ...ownB.tipsByTerminal], 'terminalId'),
      );
      expect(day.shop.tipsByTerminal.map((t) => [t.terminalId, t.amountMinor])).toEqual(
        [
          [T1, 150],
          [T2, 200],
        ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
      );
      expect(
        byKey(
          day.shop.tipsByStaff.map(({ staffId, count, amountMinor }) => ({
            staffId,
            count,
            amountMinor,
          })),
          'staffId',
        ),
      ).toEqual(summed([...ownA.tipsByStaff, ...ownB.tipsByStaff], 'staffId'));
      expect(day.shop.tipsByStaff.map((t) => [t.name, t.amountMinor]).sort()).toEqual([
        ['Pat', 200],
        ['Ria', 150],
      ]);

      // A person the shop's list does not know (here: taken off it) shows by the name the till
      // that signed her in knew, with that till's name: only till A ever signed Ria in.
      await withClient(pgServer.adminUrl, (c) =>
        c.query('DELETE FROM opentill.staff WHERE shop_id = $1 AND id = $2', [shopId, ria.id]),
      );
      const later = await b.ok<ShopEndOfDay>('shop:end-of-day');
      const known = `Ria · ${TWO_COUNTERS['till-a']}`;
      expect(later.shop.byStaff.find((p) => p.staffId === ria.id)).toEqual({
        ...riaRow,
        name: known,
      });
      expect(later.shop.tipsByStaff.find((p) => p.staffId === ria.id)?.name).toBe(known);
      // An id no till ever recorded signing in is never a blank name.
      await withClient(pgServer.adminUrl, (c) =>
        c.query('DELETE FROM opentill.audit_log WHERE shop_id = $1 AND subject = $2', [
          shopId,
          ria.id,
        ]),
      );
      const unknown = `Unknown staff ${ria.id.slice(0, 8)}`;
      const last = await b.ok<ShopEndOfDay>('shop:end-of-day');
      expect(last.shop.byStaff.find((p) => p.staffId === ria.id)).toEqual({
        ...riaRow,
        name: unknown,
      });
      expect(last.shop.tipsByStaff.find((p) => p.staffId === ria.id)?.name).toBe(unknown);
      // Every request the tills sent to the simulator is Dojo's wire shape.
      a.expectRequestsValid();
      b.expectRequestsValid();
    } finally {
      await a.close();
      await b.close();
    }
  }, 180_000);
});
