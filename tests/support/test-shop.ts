import { createShop, migrateShopDatabase, registerTill } from '../../src-main/shop/shop-admin';
import type { Core } from '../../src-main/core/core';
import { startTestPostgres, type TestPostgres } from './postgres';
import { waitFor } from './wait';

/**
 * A throwaway PostgreSQL with the shop schema, one shop and its tills registered (each with its
 * own role): what every two-till suite starts from. `urls` holds each till's connection URL.
 */
export async function startTestShop(
  name: string,
  tills: Record<string, string>,
): Promise<{ server: TestPostgres; shopId: string; urls: Record<string, string> }> {
  const server = await startTestPostgres();
  await migrateShopDatabase(server.adminUrl);
  const shopId = (await createShop(server.adminUrl, { name })).id;
  const urls: Record<string, string> = {};
  for (const [tillId, tillName] of Object.entries(tills))
    urls[tillId] = (
      await registerTill(server.adminUrl, { shopId, name: tillName, tillId })
    ).connectionUrl;
  return { server, shopId, urls };
}

/** The two counters most shop suites sell on. */
export const TWO_COUNTERS = { 'till-a': 'Front counter', 'till-b': 'Back counter' };

/** Resolves once the till is linked and its change log is empty: everything it wrote is in the shop. */
export const caughtUp = (t: { core: Pick<Core, 'status' | 'db'> }) =>
  waitFor(
    () =>
      t.core.status().shop?.state === 'connected' &&
      (t.core.db.prepare('SELECT count(*) AS n FROM change_log').get() as { n: number }).n === 0,
    'the till to have sent every change to the shop database',
    30_000,
  );
