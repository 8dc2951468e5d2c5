import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventBus } from '../../../src-main/platform/event-bus';
import { silentLogger } from '../../../src-main/logging/logger';
import { createShop, migrateShopDatabase, registerTill } from '../../../src-main/shop/shop-admin';
import { createSharedSync, publishShopProduct } from '../../../src-main/shop/shared-sync';
import { startTestPostgres, withClient, type TestPostgres } from '../../support/postgres';
import { waitFor } from '../../support/wait';
import { openTill } from './shop-fixture';

let pgServer: TestPostgres;
let shopId: string;
const urls: Record<string, string> = {};

beforeAll(async () => {
  pgServer = await startTestPostgres();
  await migrateShopDatabase(pgServer.adminUrl);
  shopId = (await createShop(pgServer.adminUrl, { name: 'Deli' })).id;
  for (const tillId of ['c1', 'c2']) {
    urls[tillId] = (
      await registerTill(pgServer.adminUrl, { shopId, name: tillId, tillId })
    ).connectionUrl;
  }
}, 60_000);
afterAll(async () => pgServer?.stop());

describe("the shop's catalogue reaches every till (real PostgreSQL, LISTEN/NOTIFY)", () => {
  it('a product added through till A is on till B within seconds, and B keeps it offline', async () => {
    const a = openTill('c1', urls.c1 ?? null, shopId);
    const b = openTill('c2', urls.c2 ?? null, shopId);
    const bus = createEventBus();
    const changed: number[] = [];
    bus.subscribe((name, payload) => {
      if (name === 'catalogue:changed') changed.push((payload as { count: number }).count);
    });
    const syncB = createSharedSync({
      db: b.t.db,
      log: silentLogger,
      bus,
      url: () => b.url,
      safetyPullMs: 60_000,
    });
    syncB.start();
    await waitFor(() => syncB.status().state === 'connected', 'condition', 10_000);
    const id = randomUUID();
    const started = Date.now();
    await publishShopProduct(urls.c1 ?? '', {
      id,
      name: 'Smoked Cheddar',
      category: 'Deli',
      priceMinor: 450,
      vatRateBp: 0,
      barcode: '5000000000012',
    });
    await waitFor(() => b.catalogue.list().some((p) => p.id === id), 'condition', 5_000).catch(
      (e: unknown) => {
        throw new Error(`${String(e)} ${JSON.stringify(syncB.status())}`);
      },
    );
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(5_000);
    expect(b.catalogue.list().find((p) => p.id === id)).toMatchObject({
      name: 'Smoked Cheddar',
      priceMinor: 450,
      barcode: '5000000000012',
    });
    expect(changed.length).toBeGreaterThan(0);
    // A price change follows the same way.
    await publishShopProduct(urls.c1 ?? '', {
      id,
      name: 'Smoked Cheddar',
      category: 'Deli',
      priceMinor: 475,
      vatRateBp: 0,
    });
    await waitFor(
      () => b.catalogue.list().find((p) => p.id === id)?.priceMinor === 475,
      'condition',
      5_000,
    );

    // With PostgreSQL down the till still has (and sells from) the catalogue it pulled.
    await pgServer.halt('immediate');
    await waitFor(() => syncB.status().state === 'unreachable', 'condition', 10_000);
    expect(syncB.status().reason).toMatch(/cannot be reached|closed the connection/);
    expect(b.catalogue.list().some((p) => p.id === id)).toBe(true);
    await pgServer.start();
    await waitFor(() => syncB.status().state === 'connected', 'condition', 15_000);
    await syncB.stop();
    await a.close();
    await b.close();
  }, 60_000);

  it('a row that fails the till’s validation is refused by name, the rest apply; a NOTIFY flood costs few pulls', async () => {
    const b = openTill('c2', urls.c2 ?? null, shopId);
    const sync = createSharedSync({
      db: b.t.db,
      log: silentLogger,
      bus: createEventBus(),
      url: () => b.url,
    });
    sync.start();
    await waitFor(() => sync.status().state === 'connected', 'condition', 10_000);
    const bad = randomUUID();
    await withClient(pgServer.adminUrl, async (c) => {
      await c.query(
        `INSERT INTO opentill.products (shop_id, id, name, category, price_minor, vat_rate_bp) VALUES ($1, $2, $3, 'Deli', 100, 1234)`,
        [shopId, bad, 'Odd VAT'],
      );
    });
    await waitFor(() => sync.status().refused.some((r) => r.id === bad), 'condition', 5_000);
    expect(b.catalogue.list({ includeInactive: true }).some((p) => p.id === bad)).toBe(false);
    const pullsBefore = sync.status().pulls;
    await withClient(pgServer.adminUrl, async (c) => {
      for (let i = 0; i < 300; i++)
        await c.query("SELECT pg_notify('opentill_shared', $1)", [shopId]);
    });
    const good = randomUUID();
    await publishShopProduct(urls.c2 ?? '', {
      id: good,
      name: 'Olives',
      category: 'Deli',
      priceMinor: 300,
      vatRateBp: 0,
    });
    await waitFor(() => b.catalogue.list().some((p) => p.id === good), 'condition', 5_000);
    expect(sync.status().pulls - pullsBefore).toBeLessThan(30);
    await sync.stop();
    await b.close();
  }, 60_000);
});
