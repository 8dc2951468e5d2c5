import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createShop,
  latestShopSchema,
  migrateShopDatabase,
  registerTill,
  revokeTill,
} from '../../../src-main/shop/shop-admin';
import { connectTill } from '../../../src-main/shop/shop-link';
import { startTestPostgres, withClient, type TestPostgres } from '../../support/postgres';
import { openTill, type TestTill } from './shop-fixture';
import { waitFor } from '../../support/wait';

let pgServer: TestPostgres;
let shopA: string;
let shopB: string;
const urls: Record<string, string> = {};

beforeAll(async () => {
  pgServer = await startTestPostgres();
  await migrateShopDatabase(pgServer.adminUrl);
  shopA = (await createShop(pgServer.adminUrl, { name: 'Corner Café' })).id;
  shopB = (await createShop(pgServer.adminUrl, { name: 'Other Shop' })).id;
  for (const [tillId, shop] of [
    ['a1', shopA],
    ['a2', shopA],
    ['a3', shopA],
    ['b1', shopB],
  ] as const) {
    urls[tillId] = (
      await registerTill(pgServer.adminUrl, { shopId: shop, name: tillId, tillId })
    ).connectionUrl;
  }
}, 60_000);
afterAll(async () => pgServer?.stop());

const admin = <T>(sql: string, params: unknown[] = []) =>
  withClient(pgServer.adminUrl, (c) => c.query(sql, params)).then((r) => r.rows as T[]);

const localTotals = (till: TestTill) =>
  till.t.db
    .prepare<[], { n: number; total: number }>(
      "SELECT count(*) AS n, coalesce(sum(total_minor), 0) AS total FROM orders WHERE status = 'paid'",
    )
    .get();

const shopTotals = async (tillId: string) =>
  (
    await admin<{ n: string; total: string | null }>(
      "SELECT count(*) AS n, sum(total_minor) AS total FROM opentill.orders WHERE till_id = $1 AND status = 'paid'",
      [tillId],
    )
  )[0];

describe('replication to the shop database (real PostgreSQL)', () => {
  it('two tills selling at once both land, each under its own till id, nothing doubled', async () => {
    const a1 = openTill('a1', urls.a1 ?? null, shopA);
    const a2 = openTill('a2', urls.a2 ?? null, shopA);
    a1.replicator.start();
    a2.replicator.start();
    for (let i = 0; i < 60; i++) {
      a1.sell(1 + (i % 3));
      a2.sell(1);
      if (i % 10 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    expect(await a1.replicator.drained(20_000)).toBe(true);
    expect(await a2.replicator.drained(20_000)).toBe(true);
    for (const till of [a1, a2]) {
      const local = localTotals(till);
      const remote = await shopTotals(till === a1 ? 'a1' : 'a2');
      expect(Number(remote?.n)).toBe(local?.n);
      expect(Number(remote?.total)).toBe(local?.total);
    }
    const tenders = await admin<{ n: string }>(
      "SELECT count(*) AS n FROM opentill.tenders WHERE till_id IN ('a1','a2')",
    );
    expect(Number(tenders[0]?.n)).toBe(120);
    await a1.close();
    await a2.close();
  });

  it('a replayed batch changes nothing, and a late old state never reopens a paid order', async () => {
    const till = openTill('a1', urls.a1 ?? null, shopA);
    till.replicator.start();
    const id = till.sell(2);
    expect(await till.replicator.drained(10_000)).toBe(true);
    await till.replicator.stop();
    const snapshot = async () =>
      admin<{ digest: string }>(
        `SELECT md5(string_agg(o::text, '|' ORDER BY o.id)) AS digest FROM opentill.orders o WHERE till_id = 'a1'`,
      );
    const before = await snapshot();
    // As after a crash between PostgreSQL's commit and the local acknowledgement: the whole
    // history is sent again.
    till.t.db.exec(`UPDATE replication_state SET acked_seq = 0;
      INSERT INTO change_log (entity, entity_id) SELECT 'order', id FROM orders;
      INSERT INTO change_log (entity, entity_id) SELECT 'tender', id FROM tenders;`);
    till.replicator.start();
    expect(await till.replicator.drained(10_000)).toBe(true);
    expect(await snapshot()).toEqual(before);

    // An old copy of the order (open, older timestamp) arriving late is ignored.
    const { client } = await connectTill(urls.a1 ?? '');
    try {
      await client.query(
        `INSERT INTO opentill.orders SELECT * FROM json_populate_recordset(NULL::opentill.orders, $1::json)
         ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, updated_at = EXCLUDED.updated_at
         WHERE opentill.orders.updated_at <= EXCLUDED.updated_at
           AND NOT (opentill.orders.status IN ('paid','voided') AND EXCLUDED.status NOT IN ('paid','voided'))`,
        [
          JSON.stringify([
            {
              ...(
                await admin<Record<string, unknown>>(
                  'SELECT * FROM opentill.orders WHERE id = $1',
                  [id],
                )
              )[0],
              status: 'open',
              updated_at: '2020-01-01T00:00:00Z',
            },
          ]),
        ],
      );
    } finally {
      await client.end();
    }
    expect(
      (await admin<{ status: string }>('SELECT status FROM opentill.orders WHERE id = $1', [id]))[0]
        ?.status,
    ).toBe('paid');
    await till.close();
  });

  it('a till offline for hundreds of orders, PostgreSQL killed mid-batch, catches up exactly once', async () => {
    const till = openTill('a3', urls.a3 ?? null, shopA);
    await pgServer.halt('immediate');
    till.replicator.start();
    for (let i = 0; i < 400; i++) till.sell(1);
    await waitFor(
      () => till.replicator.status().state === 'unreachable',
      'the replicator to find PostgreSQL gone',
    );
    expect(till.replicator.status().state).toBe('unreachable');
    expect(till.replicator.status().behind).toBeGreaterThanOrEqual(800);
    expect(till.replicator.status().reason).toMatch(/cannot be reached|closed the connection/);
    await pgServer.start();
    // Kill it again while the backlog is being pushed, then bring it back for good.
    await new Promise((r) => setTimeout(r, 150));
    await pgServer.halt('immediate');
    for (let i = 0; i < 100; i++) till.sell(1);
    await pgServer.start();
    expect(await till.replicator.drained(30_000)).toBe(true);
    const remote = await shopTotals('a3');
    expect(Number(remote?.n)).toBe(500);
    expect(Number(remote?.total)).toBe(localTotals(till)?.total);
    const dupes = await admin<{ n: string }>(
      "SELECT count(*) AS n FROM (SELECT reference FROM opentill.orders WHERE till_id = 'a3' GROUP BY reference HAVING count(*) > 1) d",
    );
    expect(Number(dupes[0]?.n)).toBe(0);
    await till.close();
  }, 90_000);
});

describe('access through PostgreSQL itself (row-level security)', () => {
  const asTill = async <T>(tillId: string, fn: (c: pg.Client) => Promise<T>) => {
    const { client } = await connectTill(urls[tillId] ?? '');
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };

  it('a till reads only its own shop', async () => {
    const b1 = openTill('b1', urls.b1 ?? null, shopB);
    b1.replicator.start();
    b1.sell(1);
    expect(await b1.replicator.drained(10_000)).toBe(true);
    await b1.close();
    const seenByA = await asTill('a1', (c) =>
      c.query<{ n: string }>("SELECT count(*) AS n FROM opentill.orders WHERE till_id = 'b1'"),
    );
    expect(Number(seenByA.rows[0]?.n)).toBe(0);
    const seenByB = await asTill('b1', (c) =>
      c.query<{ n: string }>('SELECT count(*) AS n FROM opentill.orders'),
    );
    expect(Number(seenByB.rows[0]?.n)).toBe(1);
    const shops = await asTill('a1', (c) =>
      c.query<{ name: string }>('SELECT name FROM opentill.shops'),
    );
    expect(shops.rows.map((r) => r.name)).toEqual(['Corner Café']);
  });

  it("a till cannot write another till's rows, nor edit the catalogue without the manager role", async () => {
    await expect(
      asTill('a1', (c) =>
        c.query(
          `INSERT INTO opentill.orders (shop_id, till_id, id, reference, status, currency, subtotal_minor, discount_minor, vat_minor, total_minor, paid_minor, change_minor, refunded_minor, created_at, updated_at)
           VALUES ($1, 'a2', 'forged', 'X-1', 'paid', 'GBP', 1, 0, 0, 1, 1, 0, 0, now(), now())`,
          [shopA],
        ),
      ),
    ).rejects.toThrow(/row-level security/);
    const updated = await asTill('a1', (c) =>
      c.query("UPDATE opentill.orders SET total_minor = 0 WHERE till_id = 'a2'"),
    );
    expect(updated.rowCount).toBe(0);
    await expect(
      asTill('a1', (c) =>
        c.query(
          "INSERT INTO opentill.products (shop_id, id, name, category, price_minor, vat_rate_bp) VALUES ($1, 'p1', 'Tea', 'Tea', 100, 2000)",
          [shopA],
        ),
      ),
    ).rejects.toThrow(/permission denied/);
    // With the manager right, for that one action, the till edits its own shop's catalogue only.
    await asTill('a1', async (c) => {
      await c.query('BEGIN');
      await c.query('SET LOCAL ROLE opentill_manager');
      await c.query(
        "INSERT INTO opentill.products (shop_id, id, name, category, price_minor, vat_rate_bp) VALUES ($1, 'p-rls', 'Tea', 'Tea', 100, 2000)",
        [shopA],
      );
      await expect(
        c.query(
          "INSERT INTO opentill.products (shop_id, id, name, category, price_minor, vat_rate_bp) VALUES ($1, 'p-rls', 'Tea', 'Tea', 100, 2000)",
          [shopB],
        ),
      ).rejects.toThrow(/row-level security/);
      await c.query('ROLLBACK');
    });
  });

  it('a revoked till is refused in plain words, and so is a schema it does not know', async () => {
    const { connectionUrl } = await registerTill(pgServer.adminUrl, {
      shopId: shopA,
      name: 'temp',
      tillId: 'a9',
    });
    await revokeTill(pgServer.adminUrl, 'a9');
    await expect(connectTill(connectionUrl)).rejects.toThrow(
      /password is wrong or the till was revoked/,
    );
    await expect(connectTill(connectionUrl.replace(/:[^:@/]+@/, ':wrong@'))).rejects.toThrow(
      /password is wrong/,
    );
    await expect(connectTill('http://example')).rejects.toThrow(/postgresql:\/\//);
    await admin('UPDATE opentill.schema_version SET version = 99');
    try {
      await expect(connectTill(urls.a1 ?? '')).rejects.toThrow(
        /schema 99, newer than this till knows/,
      );
    } finally {
      await admin('UPDATE opentill.schema_version SET version = $1', [latestShopSchema]);
    }
    const closed = `postgresql://x:y@127.0.0.1:1/none`;
    await expect(connectTill(closed)).rejects.toThrow(/cannot be reached/);
  });
});
