import { afterEach, describe, expect, it } from 'vitest';
import { seedCatalogueIfEmpty } from '../../../src-main/orders/catalogue-seed';
import { usesReferenceIndex } from '../../../src-main/orders/orders.queries';
import { indexPendingReferences } from '../../../src-main/db/reference-suffixes';
import type { OrderListQuery } from '../../../src-shared/domain/orders';
import { ordersFixture, tempDb, type TempDb } from './helpers';

let t: TempDb | undefined;
afterEach(() => t?.cleanup());

/**
 * History search by reference goes through the reference suffixes (migration 017) for fragments of
 * 3 characters or more. These tests hold it to what a plain "does the reference contain it" search
 * over every order returns, for every kind of fragment a cashier may type.
 */
describe('history search by reference', () => {
  function fixture() {
    t = tempDb();
    seedCatalogueIfEmpty(t.db);
    let at = new Date('2026-11-20T09:00:00Z');
    let till = 'T1';
    const f = ordersFixture(t.db, { now: () => at });
    const g = ordersFixture(t.db, { now: () => at, tillId: 'XT1' });
    // Products sold as they are (no size, option or scale label to choose).
    const products = f.catalogue
      .list()
      .filter(
        (p) => p.variants.length === 0 && p.modifierGroups.length === 0 && p.soldBy === 'unit',
      );
    const made: { id: string; reference: string; createdAt: string }[] = [];
    for (let i = 0; i < 140; i++) {
      at = new Date(Date.parse('2026-11-20T09:00:00Z') + i * 47 * 60_000);
      till = i % 5 === 0 ? 'XT1' : 'T1';
      const svc = till === 'T1' ? f.orders : g.orders;
      const o = svc.createOrder({
        lines: [{ kind: 'product', productId: products[i % products.length]!.id, quantity: 1 }],
      });
      made.push({ id: o.id, reference: o.reference, createdAt: o.createdAt });
    }
    // What the plain search returns: every order whose reference holds the fragment, newest first.
    const expected = (fragment: string) =>
      made
        .filter((o) => o.reference.includes(fragment.toUpperCase()))
        .sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))
        .map((o) => o.id);
    const ids = (q: OrderListQuery) =>
      f.orders.list({ pageSize: 500, ...q }).items.map((o) => o.id);
    return { orders: f.orders, made, expected, ids, db: t.db };
  }

  it('finds the same orders as a plain substring search, for short and long fragments', () => {
    const { made, expected, ids, orders, db } = fixture();
    const full = made[42]!.reference;
    const fragments = [
      full, // the exact reference
      full.toLowerCase(),
      'T1-20261121-0003', // also inside XT1-20261121-0003 if that exists
      '0042',
      '004',
      '20261122',
      '-2026112',
      'XT1',
      '1-2',
      '7', // 1 and 2 characters: below a trigram, still found
      '42',
      '-0',
      'x',
      'NOPE',
      '2099',
      '*', // GLOB wildcards are plain characters to a cashier
      '00?2',
      '[0-9]',
    ];
    const pending = () =>
      (db.prepare('SELECT count(*) AS n FROM order_reference_pending').get() as { n: number }).n;
    // The sales' references wait for the pause (migration 020); history finds them the same way
    // before it, half-way through it and after it.
    for (const [stage, indexNow, stillPending] of [
      ['all pending', 0, 140],
      ['half indexed', 70, 70],
      ['all indexed', 70, 0],
    ] as const) {
      indexPendingReferences(db, indexNow);
      expect(pending(), stage).toBe(stillPending);
      for (const fragment of fragments) {
        const want = expected(fragment);
        expect(ids({ reference: fragment }), `${stage}: fragment ${fragment}`).toEqual(want);
        expect(
          orders.list({ reference: fragment, pageSize: 5 }).total,
          `${stage}: total ${fragment}`,
        ).toBe(want.length);
      }
    }
    expect(expected(full)).toEqual([made[42]!.id]);
    expect(expected('7').length).toBeGreaterThan(5);
    expect(expected('T1-20261121-0003')).toHaveLength(2); // T1-… and XT1-…
    expect(expected('XT1').length).toBe(28);
    // The fixture really exercises both paths.
    expect(usesReferenceIndex('0042')).toBe(true);
    expect(usesReferenceIndex('42')).toBe(false);
    expect(usesReferenceIndex('00?2')).toBe(true);
  });

  it('combines a fragment with a date window and pages like before', () => {
    const { made, ids, orders } = fixture();
    const from = '2026-11-21T00:00:00Z';
    const to = '2026-11-23T00:00:00Z';
    const want = made
      .filter((o) => o.reference.includes('-00') && o.createdAt >= from && o.createdAt < to)
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))
      .map((o) => o.id);
    expect(want.length).toBeGreaterThan(10);
    expect(ids({ reference: '-00', from, to })).toEqual(want);
    const page2 = orders.list({ reference: '-00', from, to, pageSize: 4, page: 2 });
    expect(page2.items.map((o) => o.id)).toEqual(want.slice(4, 8));
    expect(page2.total).toBe(want.length);
  });

  it('a resumed parked basket keeps its order and reference: search finds that one order', () => {
    const { orders, ids, db } = fixture();
    const products = orders.catalogue.list();
    const parked = orders.park({
      basket: { lines: [{ kind: 'product', productId: products[0]!.id, quantity: 2 }] },
    });
    expect(ids({ reference: parked.reference })).toEqual([parked.id]);
    const resumed = orders.resume(parked.id);
    expect(resumed.kind).toBe('basket');
    expect(ids({ reference: parked.reference })).toEqual([parked.id]);
    indexPendingReferences(db);
    expect(ids({ reference: parked.reference })).toEqual([parked.id]);
    // One entry per suffix of 3 characters or more, not two sets of them.
    expect(
      db
        .prepare('SELECT count(*) AS n FROM order_reference_suffixes WHERE head || suffix = ?')
        .get(parked.reference),
    ).toEqual({ n: [...parked.reference].length - 2 });
  });
});
