import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src-main/core/core';
import { memorySecretStore } from '../../../src-main/credentials/secret-store';
import { adoptShopReferencePrefix, shopReferencePrefix } from '../../../src-main/orders/reference';
import { createShop, registerTill } from '../../../src-main/shop/shop-admin';
import { connectTill } from '../../../src-main/shop/shop-link';
import { chooseShopReferencePrefix } from '../../../src-main/shop/shop-reference';
import type { ShopOrderPage } from '../../../src-shared/contract/shop.contract';
import type { Product } from '../../../src-shared/domain/catalogue';
import type { Order } from '../../../src-shared/domain/orders';
import type { ReturnQuote } from '../../../src-shared/domain/returns';
import { startTestShop } from '../../support/test-shop';
import type { TestPostgres } from '../../support/postgres';
import { signInManager } from '../../support/staff';
import { tempDir } from '../../support/temp-dir';
import { waitFor } from '../../support/wait';

/**
 * Two real cores, each with the default till name "T1", in one shop on a real PostgreSQL: once
 * joined, each writes its references with a prefix of its own from its registered till id, so no
 * two of the shop's references are the same and the whole-shop search finds each by its reference.
 */
let pgServer: TestPostgres;
let shopId: string;
let urls: Record<string, string> = {};

beforeAll(async () => {
  // Registered by name only: the till ids (and so the prefixes) come from the names.
  ({ server: pgServer, shopId, urls } = await startTestShop('Corner', {}));
  for (const name of ['Front counter', 'Back counter'])
    urls[name] = (await registerTill(pgServer.adminUrl, { shopId, name })).connectionUrl;
}, 60_000);
afterAll(async () => pgServer?.stop());

type TestTill = { core: Core; reopen(): Promise<void>; remove(): void };

/** A real core on its own data folder; `reopen` closes it and starts it again on the same one. */
async function newCore(): Promise<TestTill> {
  const dir = tempDir();
  const secretStore = memorySecretStore();
  const open = async () => {
    const core = await createCore({
      dataDir: dir.path,
      env: {},
      secretStore,
      transport: 'websocket',
      version: 'test',
      simulatorTimeScale: 0.02,
    });
    signInManager(core);
    return core;
  };
  const till: TestTill = {
    core: await open(),
    async reopen() {
      await till.core.close();
      till.core = await open();
    },
    remove: () => dir.remove(),
  };
  return till;
}

async function sell(core: Core): Promise<Order> {
  const list = await core.dispatch('catalogue:list', undefined);
  if (!list.ok) throw new Error(list.error.message);
  const product = (list.value as Product[])[0];
  if (!product) throw new Error('no product');
  const created = await core.dispatch('orders:create', {
    lines: [{ kind: 'product', productId: product.id, quantity: 1 }],
  });
  if (!created.ok) throw new Error(created.error.message);
  const order = created.value as Order;
  const paid = await core.dispatch('orders:pay-cash', {
    idempotencyKey: randomUUID(),
    orderId: order.id,
    amountMinor: order.totalMinor,
    tenderedMinor: order.totalMinor,
  });
  if (!paid.ok) throw new Error(paid.error.message);
  return order;
}

const shopReferences = async (): Promise<{ till_id: string; reference: string }[]> => {
  const client = new pg.Client({ connectionString: pgServer.adminUrl });
  await client.connect();
  try {
    return (
      await client.query<{ till_id: string; reference: string }>(
        'SELECT till_id, reference FROM opentill.orders ORDER BY reference',
      )
    ).rows;
  } finally {
    await client.end();
  }
};

describe('order references across a shop’s tills', () => {
  it('gives each till a readable prefix of its own: references never collide and are found shop-wide', async () => {
    const a = await newCore();
    const b = await newCore();
    try {
      // Alone, both tills write the default till name's prefix: the same references.
      const aloneA = await sell(a.core);
      const aloneB = await sell(b.core);
      expect(aloneA.reference).toMatch(/^T1-\d{8}-0001$/);
      expect(aloneB.reference).toBe(aloneA.reference);

      // A joins: its old order keeps its reference, new ones take the shop's prefix for it.
      expect((await a.core.dispatch('shop:connect', { url: urls['Front counter'] ?? '' })).ok).toBe(
        true,
      );
      const status = await a.core.dispatch('shop:status', undefined);
      expect(status).toMatchObject({ ok: true, value: { referencePrefix: 'FRONT-COUNTER' } });
      const a1 = await sell(a.core);
      const a2 = await sell(a.core);
      expect([a1.reference, a2.reference]).toEqual([
        expect.stringMatching(/^FRONT-COUNTER-\d{8}-0001$/),
        expect.stringMatching(/^FRONT-COUNTER-\d{8}-0002$/),
      ]);

      // B joins after A's "T1-…" order reached the shop: B's own T1 orders stay on B, new ones
      // are B's.
      await waitFor(
        async () => (await shopReferences()).some((r) => r.reference === aloneA.reference),
        'till A’s first order in the shop database',
        15_000,
        100,
      );
      expect((await b.core.dispatch('shop:connect', { url: urls['Back counter'] ?? '' })).ok).toBe(
        true,
      );
      const b1 = await sell(b.core);
      expect(b1.reference).toMatch(/^BACK-COUNTER-\d{8}-0001$/);

      // A customer brings A's pre-join sale back to B, which has its own order of that reference:
      // the return is taken (the read-only copy of A's order reads with A's name after it).
      const quote = await b.core.dispatch('returns:quote', {
        orderId: aloneA.id,
        lines: [{ position: 1, quantity: 1 }],
      });
      if (!quote.ok) throw new Error(quote.error.message);
      const owed = (quote.value as ReturnQuote).owedBackMinor;
      const returned = await b.core.dispatch('returns:create', {
        orderId: aloneA.id,
        lines: [{ position: 1, quantity: 1 }],
        reason: 'Changed mind',
        payouts: [{ method: 'cash', amountMinor: owed }],
        idempotencyKey: randomUUID(),
      });
      if (!returned.ok) throw new Error(returned.error.message);
      expect(
        b.core.db
          .prepare<[string], { reference: string }>('SELECT reference FROM orders WHERE id = ?')
          .get(aloneA.id),
      ).toEqual({ reference: `${aloneA.reference} (Front counter)` });

      // Every new order of both tills reaches the shop, each reference once.
      const wanted = [a1, a2, b1].map((o) => o.reference);
      const rows = await waitFor(
        async () => {
          const all = await shopReferences();
          return wanted.every((ref) => all.some((r) => r.reference === ref)) ? all : null;
        },
        'both tills’ orders in the shop database',
        15_000,
        100,
      );
      expect(rows.filter((r) => wanted.includes(r.reference)).map((r) => r.till_id)).toEqual([
        'back-counter',
        'front-counter',
        'front-counter',
      ]);

      // The whole-shop search finds each till's order by its reference, from the other till.
      for (const [from, order, till] of [
        [b.core, a2, 'Front counter'],
        [a.core, b1, 'Back counter'],
      ] as const) {
        const found = await from.dispatch('shop:search-orders', { reference: order.reference });
        if (!found.ok) throw new Error(found.error.message);
        expect((found.value as ShopOrderPage).orders).toEqual([
          expect.objectContaining({
            orderId: order.id,
            reference: order.reference,
            tillName: till,
          }),
        ]);
      }

      // A till that joined before references took the shop's prefix (here: forgotten) takes it
      // at its next start, and goes on from where its numbers were.
      adoptShopReferencePrefix(a.core.db, null);
      await a.reopen();
      await waitFor(
        () => shopReferencePrefix(a.core.db) === 'FRONT-COUNTER',
        'till A to take its prefix again on start',
        15_000,
        50,
      );
      expect((await sell(a.core)).reference).toMatch(/^FRONT-COUNTER-\d{8}-0003$/);

      // Leaving the shop: the till writes its own till name's prefix again.
      expect(await a.core.dispatch('shop:disconnect', undefined)).toMatchObject({
        ok: true,
        value: { state: 'off', referencePrefix: null },
      });
      expect((await sell(a.core)).reference).toMatch(/^T1-\d{8}-0002$/);
    } finally {
      await a.core.close();
      await b.core.close();
      a.remove();
      b.remove();
    }
  }, 120_000);

  it('takes a short suffix of the till id when the readable prefix is another till’s', async () => {
    // Two ids cut to the same 16 characters, and an id whose prefix ("T1") another till's
    // references already use in the shop database (the first test's till A sold as T1).
    const other = (await createShop(pgServer.adminUrl, { name: 'Other' })).id;
    const register = async (tillId: string, shop = other) =>
      (await registerTill(pgServer.adminUrl, { shopId: shop, name: tillId, tillId })).connectionUrl;
    const prefixOf = async (url: string) => {
      const { client, identity } = await connectTill(url);
      try {
        return await chooseShopReferencePrefix(client, identity.tillId);
      } finally {
        await client.end();
      }
    };
    const long1 = await register('north-counter-number-1');
    const long2 = await register('north-counter-number-2');
    const plain = await register('kiosk');
    const p1 = await prefixOf(long1);
    const p2 = await prefixOf(long2);
    expect(p1).toMatch(/^NORTH-COUNT-[0-9A-F]{4}$/);
    expect(p2).toMatch(/^NORTH-COUNT-[0-9A-F]{4}$/);
    expect(p1).not.toBe(p2);
    // The same answer every time the till joins again.
    expect(await prefixOf(long1)).toBe(p1);
    expect(await prefixOf(plain)).toBe('KIOSK');
    // In the first shop, "T1-…" references are till A's already: a till registered as t1 there
    // does not take T1; in the other shop (no such references) it does.
    expect(await prefixOf(await register('t1', shopId))).toMatch(/^T1-[0-9A-F]{4}$/);
    expect(await prefixOf(await register('T1-other'))).toBe('T1-OTHER');
  }, 60_000);

  it('makes a till id from the till’s name when none is given, unique in the database', async () => {
    const again = await registerTill(pgServer.adminUrl, { shopId, name: 'Front counter' });
    expect(again.tillId).toBe('front-counter-2');
    const odd = await registerTill(pgServer.adminUrl, { shopId, name: 'Café & bar №1' });
    expect(odd.tillId).toBe('cafe-bar-no1');
  }, 30_000);
});
