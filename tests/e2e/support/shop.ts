import type { Page } from 'playwright-core';
import type { TestPostgres } from '../../support/postgres';
import { startTestShop } from '../../support/test-shop';
import { waitFor } from '../../support/wait';
import { ready } from './actions';
import { openTill, type Till } from './harness';

/** The status bar's shop link, as the cashier reads it. */
export const shopPill = (page: Page) => page.getByLabel('Shop database');

export type ShopTills = {
  /** The throwaway PostgreSQL the shop lives in (stop and start it to test an outage). */
  server: TestPostgres;
  shopId: string;
  /** Each till's connection URL (its own role), by till id: `till-a`, `till-b`. */
  urls: Record<string, string>;
  a: Till;
  b: Till;
  close(): Promise<void>;
};

/**
 * What every two-till browser suite starts from: a real PostgreSQL on loopback with one shop and
 * two registered tills, and two browser-mode tills (two data folders) joined to it through
 * OPENTILL_SHOP_DATABASE_URL — both on the sell screen and both showing "Shop: up to date", so
 * they have joined and write their references with the shop's prefix for them.
 */
export async function openShopTills(
  shopName = 'Corner',
  tills: { 'till-a': string; 'till-b': string } = { 'till-a': 'Front', 'till-b': 'Back' },
): Promise<ShopTills> {
  const shop = await startTestShop(shopName, tills);
  const opened: Till[] = [];
  try {
    for (const id of ['till-a', 'till-b'] as const)
      opened.push(await openTill({ env: { OPENTILL_SHOP_DATABASE_URL: shop.urls[id] } }));
    for (const till of opened) {
      await ready(till.page);
      await waitFor(
        async () => ((await shopPill(till.page).textContent()) ?? '') === 'Shop: up to date',
        'the till has joined the shop database',
        30_000,
        100,
      );
    }
  } catch (error) {
    for (const till of opened) await till.close().catch(() => undefined);
    await shop.server.stop().catch(() => undefined);
    throw error;
  }
  const [a, b] = opened as [Till, Till];
  return {
    server: shop.server,
    shopId: shop.shopId,
    urls: shop.urls,
    a,
    b,
    async close() {
      await a.close();
      await b.close();
      await shop.server.stop();
    },
  };
}
