import { silentLogger } from '../../../src-main/logging/logger';
import { seedCatalogueIfEmpty } from '../../../src-main/orders/catalogue-seed';
import { enableReplication } from '../../../src-main/shop/change-log.repo';
import { createReplicator, type Replicator } from '../../../src-main/shop/replicator';
import { ordersFixture, tempDb, type TempDb } from '../orders/helpers';

/** One till for the shop tests: a real SQLite file, the orders service, and its replicator. */
export type TestTill = ReturnType<typeof ordersFixture> & {
  t: TempDb;
  replicator: Replicator;
  url: string | null;
  /** A paid cash order of `count` × the first product; returns the order id. */
  sell(count?: number): string;
  close(): Promise<void>;
};

export function openTill(tillId: string, url: string | null, shopId: string): TestTill {
  const t = tempDb(`opentill-${tillId}-`);
  seedCatalogueIfEmpty(t.db);
  const fixture = ordersFixture(t.db, { tillId });
  enableReplication(t.db, shopId);
  const till: TestTill = {
    ...fixture,
    t,
    url,
    replicator: createReplicator({
      db: t.db,
      log: silentLogger,
      url: () => till.url,
      idleMs: 50,
      backoff: { baseMs: 100, maxMs: 500 },
    }),
    sell(count = 1) {
      const product = fixture.catalogue.list()[0];
      if (!product) throw new Error('no products');
      const order = fixture.orders.createOrder({
        lines: [{ kind: 'product', productId: product.id, quantity: count }],
      });
      fixture.orders.payCash({
        orderId: order.id,
        amountMinor: order.totalMinor,
        tenderedMinor: order.totalMinor,
      });
      return order.id;
    },
    async close() {
      await till.replicator.stop();
      t.cleanup();
    },
  };
  return till;
}
