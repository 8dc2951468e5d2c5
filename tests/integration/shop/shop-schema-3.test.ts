import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createShop, latestShopSchema, registerTill } from '../../../src-main/shop/shop-admin';
import { connectTill } from '../../../src-main/shop/shop-link';
import { withClient } from '../../support/postgres';
import { waitFor } from '../../support/wait';
import { startTestShop, TWO_COUNTERS } from '../../support/test-shop';

/**
 * Shop schema 3 (issue 14 items 2 and 4): the rest of the till's catalogue is shared — VAT rates,
 * modifier groups and their choices, variants, which groups a product offers, and the product
 * fields a till's row has beyond the shop's — with the same rules as products: a version from
 * the shared sequence and a NOTIFY on every change, read by the shop's tills only, written only
 * with the manager right.
 */
let shop: Awaited<ReturnType<typeof startTestShop>>;
let otherShopId: string;
let otherUrl: string;

beforeAll(async () => {
  shop = await startTestShop('Schema Three', TWO_COUNTERS);
  otherShopId = (await createShop(shop.server.adminUrl, { name: 'Elsewhere' })).id;
  otherUrl = (
    await registerTill(shop.server.adminUrl, { shopId: otherShopId, name: 'Far', tillId: 'far' })
  ).connectionUrl;
}, 60_000);
afterAll(async () => shop?.server.stop());

const asTill = async <T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> => {
  const { client } = await connectTill(url);
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
};

/** One row for each of the new shared tables, written with the manager right of `url`'s till. */
const SHARED_ROWS: [table: string, sql: string][] = [
  [
    'vat_rates',
    "INSERT INTO opentill.vat_rates (shop_id, rate_bp, name) VALUES (opentill.current_shop(), 1350, 'Hospitality')",
  ],
  [
    'modifier_groups',
    "INSERT INTO opentill.modifier_groups (shop_id, id, name, min_choices, max_choices) VALUES (opentill.current_shop(), 'g1', 'Milk', 0, 1)",
  ],
  [
    'modifiers',
    "INSERT INTO opentill.modifiers (shop_id, id, group_id, name, price_minor) VALUES (opentill.current_shop(), 'm1', 'g1', 'Oat', 40)",
  ],
  [
    'product_variants',
    "INSERT INTO opentill.product_variants (shop_id, id, product_id, name, price_minor) VALUES (opentill.current_shop(), 'v1', 'p1', 'Large', 380)",
  ],
  [
    'product_modifier_groups',
    "INSERT INTO opentill.product_modifier_groups (shop_id, product_id, group_id) VALUES (opentill.current_shop(), 'p1', 'g1')",
  ],
];

describe('shop schema 3: the whole catalogue (real PostgreSQL)', () => {
  it('is at least version 3, with every new table versioned, notified and under row-level security', async () => {
    expect(latestShopSchema).toBeGreaterThanOrEqual(3);
    const admin = (sql: string, params: unknown[] = []) =>
      withClient(shop.server.adminUrl, (c) => c.query<Record<string, unknown>>(sql, params));
    const version = await admin('SELECT version FROM opentill.schema_version');
    expect(Number(version.rows[0]?.version)).toBeGreaterThanOrEqual(3);
    const tables = await admin(
      `SELECT c.relname, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'opentill' AND c.relname = ANY($1) ORDER BY c.relname`,
      [[...SHARED_ROWS.map(([t]) => t), 'order_line_modifiers']],
    );
    expect(tables.rows).toEqual(
      [...SHARED_ROWS.map(([t]) => t), 'order_line_modifiers']
        .sort()
        .map((relname) => ({ relname, rls: true, forced: true })),
    );
    const columns = await admin(
      `SELECT table_name || '.' || column_name AS c FROM information_schema.columns
        WHERE table_schema = 'opentill' AND (table_name, column_name) IN
          (('products', 'eat_in_vat_rate_bp'), ('products', 'sold_by'), ('products', 'plu'),
           ('products', 'sku'), ('orders', 'eat_in'), ('order_lines', 'variant_id'),
           ('order_lines', 'weight_grams'), ('tenders', 'rounding_minor'))
        ORDER BY 1`,
    );
    expect(columns.rows.map((r) => r.c)).toEqual([
      'order_lines.variant_id',
      'order_lines.weight_grams',
      'orders.eat_in',
      'products.eat_in_vat_rate_bp',
      'products.plu',
      'products.sku',
      'products.sold_by',
      'tenders.rounding_minor',
    ]);

    // Written with the manager right: each row takes a fresh version and NOTIFYs the shop's tills.
    const urlA = shop.urls['till-a'] ?? '';
    const heard: string[] = [];
    await asTill(shop.urls['till-b'] ?? '', async (listener) => {
      listener.on('notification', (m) => heard.push(m.payload ?? ''));
      await listener.query('LISTEN opentill_shared');
      await asTill(urlA, async (c) => {
        await c.query('BEGIN');
        await c.query('SET LOCAL ROLE opentill_manager');
        for (const [, sql] of SHARED_ROWS) await c.query(sql);
        await c.query('COMMIT');
      });
      // A round trip on the listener's connection delivers what was sent before it.
      await listener.query('SELECT 1');
    });
    expect(heard.length).toBeGreaterThanOrEqual(1);
    expect(new Set(heard)).toEqual(new Set([shop.shopId]));
    const versions = await admin(
      `SELECT version FROM opentill.vat_rates UNION ALL SELECT version FROM opentill.modifier_groups
       UNION ALL SELECT version FROM opentill.modifiers UNION ALL SELECT version FROM opentill.product_variants
       UNION ALL SELECT version FROM opentill.product_modifier_groups`,
    );
    expect(new Set(versions.rows.map((r) => r.version)).size).toBe(5);
  });

  it('a till role cannot write the new tables, and reads only its own shop’s rows', async () => {
    const urlB = shop.urls['till-b'] ?? '';
    for (const [table, sql] of SHARED_ROWS) {
      await expect(
        asTill(urlB, (c) => c.query(sql.replace(/'(g1|m1|v1|p1)'/g, "'$1-forged'"))),
        table,
      ).rejects.toThrow(/permission denied/);
      await expect(
        asTill(urlB, (c) => c.query(`UPDATE opentill.${table} SET updated_at = now()`)),
        table,
      ).rejects.toThrow(/permission denied/);
    }
    // B reads its shop's rows (A wrote them above); the other shop's till sees none of them,
    // and with the manager right it still cannot write into this shop.
    const seenByB = await asTill(urlB, (c) =>
      c.query<{ n: string }>('SELECT count(*) AS n FROM opentill.modifiers'),
    );
    expect(Number(seenByB.rows[0]?.n)).toBe(1);
    for (const [table] of SHARED_ROWS) {
      const seen = await asTill(otherUrl, (c) =>
        c.query<{ n: string }>(`SELECT count(*) AS n FROM opentill.${table}`),
      );
      expect(Number(seen.rows[0]?.n), table).toBe(0);
    }
    await asTill(otherUrl, async (c) => {
      await c.query('BEGIN');
      await c.query('SET LOCAL ROLE opentill_manager');
      await expect(
        c.query(
          "INSERT INTO opentill.modifiers (shop_id, id, group_id, name, price_minor) VALUES ($1, 'm-far', 'g1', 'Soy', 40)",
          [shop.shopId],
        ),
      ).rejects.toThrow(/row-level security/);
      await c.query('ROLLBACK');
    });
  });
  it('two managers’ edits of one shop take turns, so versions become visible in order', async () => {
    const urlA = shop.urls['till-a'] ?? '';
    const urlB = shop.urls['till-b'] ?? '';
    const insert = (c: pg.Client, id: string) =>
      c
        .query<{ version: string }>(
          `INSERT INTO opentill.product_variants (shop_id, id, product_id, name, price_minor)
           VALUES (opentill.current_shop(), $1, 'p1', $1, 100) RETURNING version`,
          [id],
        )
        .then((r) => Number(r.rows[0]?.version));
    const first = await connectTill(urlA);
    const second = await connectTill(urlB);
    try {
      for (const c of [first.client, second.client]) {
        await c.query('BEGIN');
        await c.query('SET LOCAL ROLE opentill_manager');
      }
      const v1 = await insert(first.client, 'turn-1');
      // The second writer waits for the first one's turn to end before it takes a version.
      const later = insert(second.client, 'turn-2');
      await waitFor(
        async () =>
          Number(
            (
              await withClient(shop.server.adminUrl, (c) =>
                c.query<{ n: string }>(
                  "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
                ),
              )
            ).rows[0]?.n,
          ) === 1,
        'the second writer to wait for its turn',
        5_000,
      );
      await first.client.query('COMMIT');
      const v2 = await later;
      await second.client.query('COMMIT');
      expect(v2).toBeGreaterThan(v1);
    } finally {
      await first.client.end();
      await second.client.end();
    }
  });
});
