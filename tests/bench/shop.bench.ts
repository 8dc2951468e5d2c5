// The shop database (PostgreSQL on loopback, a throwaway cluster): 50 tills, each a replicator
// with its own role and SQLite file. Catch-up: every till pushes a backlog of BENCH_SHOP_ORDERS
// (default 5,000) paid orders at once → orders ingested per second, beside the naive alternative
// (one INSERT per row, one transaction per order) measured on the same data in the same run.
// Steady state: the tills together sell 50 orders a second → replication lag from the SQLite
// commit to PostgreSQL's commit, p50/p95. PostgreSQL's CPU is read from /proc.
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../src-main/db/connection';
import { createEventBus } from '../../src-main/platform/event-bus';
import { silentLogger } from '../../src-main/logging/logger';
import { seedCatalogueIfEmpty } from '../../src-main/orders/catalogue-seed';
import { createOrdersService } from '../../src-main/orders/orders.service';
import { enableReplication, readBatch, readBatchRows } from '../../src-main/shop/change-log.repo';
import { createReplicator, type Replicator } from '../../src-main/shop/replicator';
import { createShop, migrateShopDatabase, registerTill } from '../../src-main/shop/shop-admin';
import { connectTill } from '../../src-main/shop/shop-link';
import { startTestPostgres, withClient } from '../support/postgres';
import { percentile, type BenchRow } from './bench-types';
import { soldAsIs } from '../../src-shared/domain/basket-lines';

const FEATURE = 'shop database';
const TILLS = 50;
const ORDERS = Number(process.env.BENCH_SHOP_ORDERS ?? 5_000);
const STEADY_SECONDS = 20;
const NAIVE_ORDERS = 1_000;

function ordersService(db: Db, tillId: string) {
  return createOrdersService({
    db,
    logger: silentLogger,
    bus: createEventBus(),
    tillId: () => tillId,
    currency: () => 'GBP',
    onOrderPaid: () => undefined,
  });
}

function sell(orders: ReturnType<typeof ordersService>, productIds: string[], i: number): void {
  const order = orders.createOrder({
    lines: [
      {
        kind: 'product',
        productId: productIds[i % productIds.length] ?? '',
        quantity: 1 + (i % 3),
      },
      { kind: 'product', productId: productIds[(i * 7) % productIds.length] ?? '', quantity: 1 },
    ],
  });
  orders.payCash({
    orderId: order.id,
    amountMinor: order.totalMinor,
    tenderedMinor: order.totalMinor,
  });
}

/** One till's worth of paid orders, built through the orders service once, then copied per till. */
function buildTemplate(dir: string): string {
  const file = join(dir, 'template.db');
  const db = openDatabase(file);
  db.pragma('synchronous = OFF');
  seedCatalogueIfEmpty(db);
  const orders = ordersService(db, 'template');
  const ids = orders.catalogue
    .list()
    .filter(soldAsIs)
    .map((p) => p.id);
  for (let i = 0; i < ORDERS; i++) sell(orders, ids, i);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return file;
}

/** A till's copy of the template with ids of its own (ids are unique across the shop). */
function tillCopy(template: string, dir: string, n: number, shopId: string): Db {
  const file = join(dir, `till-${n}.db`);
  copyFileSync(template, file);
  const db = openDatabase(file);
  db.pragma('synchronous = OFF');
  db.pragma('foreign_keys = OFF');
  const suffix = `-t${n}`;
  db.transaction(() => {
    db.prepare('UPDATE orders SET id = id || ?, reference = reference || ?').run(suffix, suffix);
    db.prepare('UPDATE order_lines SET order_id = order_id || ?').run(suffix);
    db.prepare('UPDATE tenders SET id = id || ?, order_id = order_id || ?').run(suffix, suffix);
  })();
  db.pragma('foreign_keys = ON');
  enableReplication(db, shopId);
  // Fifty tills share one process and one disk here, where each real till has its own: with
  // every sale fsynced twice the sales alone would hold the event loop the replicators need.
  // The lag measured starts after the sale's commit, so its own flush is not part of it.
  db.pragma('synchronous = NORMAL');
  return db;
}

/** CPU seconds used by PostgreSQL's processes (live ones, plus reaped children of the postmaster). */
function postgresCpuSeconds(): number {
  const tick = 100;
  let total = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      if (!/^Name:\s+postgres/m.test(status)) continue;
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      // utime, stime, cutime, cstime are fields 14–17 (1-based) of /proc/pid/stat.
      const [utime, stime, cutime, cstime] = [11, 12, 13, 14].map((i) => Number(fields[i] ?? 0));
      total += ((utime ?? 0) + (stime ?? 0) + (cutime ?? 0) + (cstime ?? 0)) / tick;
    } catch {
      // the process ended while we read it
    }
  }
  return total;
}

async function naiveIngest(url: string, db: Db): Promise<number> {
  const { client, identity } = await connectTill(url);
  try {
    const batch = readBatch(db, 0, NAIVE_ORDERS * 2);
    if (!batch) return 0;
    const rows = readBatchRows(db, batch.keys);
    const started = performance.now();
    let orders = 0;
    for (const order of rows.orders.slice(0, NAIVE_ORDERS)) {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO opentill.orders (shop_id, till_id, id, reference, status, currency, subtotal_minor, discount_minor,
           vat_minor, total_minor, paid_minor, change_minor, refunded_minor, note, created_at, updated_at, completed_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17) ON CONFLICT (id) DO NOTHING`,
        [
          identity.shopId,
          identity.tillId,
          `naive-${String(order.id)}`,
          order.reference,
          order.status,
          order.currency,
          order.subtotal_minor,
          order.discount_minor,
          order.vat_minor,
          order.total_minor,
          order.paid_minor,
          order.change_minor,
          order.refunded_minor,
          order.note,
          order.created_at,
          order.updated_at,
          order.completed_at,
        ],
      );
      for (const line of rows.order_lines.filter((l) => l.order_id === order.id)) {
        await client.query(
          `INSERT INTO opentill.order_lines VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) ON CONFLICT DO NOTHING`,
          [
            identity.shopId,
            identity.tillId,
            `naive-${String(order.id)}`,
            line.position,
            line.product_id,
            line.name,
            line.quantity,
            line.unit_price_minor,
            line.discount_minor,
            line.vat_rate_bp,
            line.line_total_minor,
            line.vat_minor,
          ],
        );
      }
      await client.query('COMMIT');
      orders += 1;
    }
    return orders / ((performance.now() - started) / 1000);
  } finally {
    await client.end();
  }
}

export async function bench(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'opentill-bench-shop-'));
  const server = await startTestPostgres();
  const replicators: Replicator[] = [];
  const dbs: Db[] = [];
  try {
    await migrateShopDatabase(server.adminUrl);
    const shop = await createShop(server.adminUrl, { name: 'Bench shop' });
    const urls: string[] = [];
    for (let n = 0; n < TILLS; n++) {
      urls.push(
        (
          await registerTill(server.adminUrl, {
            shopId: shop.id,
            name: `Till ${n}`,
            tillId: `bench-${n}`,
          })
        ).connectionUrl,
      );
    }
    const template = buildTemplate(dir);
    for (let n = 0; n < TILLS; n++) dbs.push(tillCopy(template, dir, n, shop.id));

    // The naive alternative first, on a spare copy (its rows carry other ids).
    const spare = tillCopy(template, dir, TILLS, shop.id);
    const naivePerSecond = await naiveIngest(urls[0] ?? '', spare);
    spare.close();

    // Catch-up: every till pushes its whole backlog at once.
    const cpuBefore = postgresCpuSeconds();
    const started = performance.now();
    for (let n = 0; n < TILLS; n++) {
      const db = dbs[n] as Db;
      const url = urls[n] ?? '';
      const r = createReplicator({ db, log: silentLogger, url: () => url });
      replicators.push(r);
      r.start();
    }
    const results = await Promise.all(replicators.map((r) => r.drained(600_000)));
    const catchUpSeconds = (performance.now() - started) / 1000;
    const cpuCatchUp = postgresCpuSeconds() - cpuBefore;
    if (results.some((ok) => !ok)) throw new Error('a till did not catch up');
    const landed = await withClient(server.adminUrl, (c) =>
      c.query<{ n: string }>(
        "SELECT count(*) AS n FROM opentill.orders WHERE id NOT LIKE 'naive-%'",
      ),
    );
    const ingested = Number(landed.rows[0]?.n ?? 0);
    if (ingested !== TILLS * ORDERS)
      throw new Error(`expected ${TILLS * ORDERS} orders, found ${ingested}`);
    const perSecond = ingested / catchUpSeconds;

    // Steady state: 50 orders a second across the shop (each till one a second, staggered).
    const lags: number[] = [];
    const pending = dbs.map(() => [] as { seq: number; at: number }[]);
    replicators.forEach((r, n) =>
      r.on('acked', ({ seq, at }) => {
        const waiting = pending[n] ?? [];
        while (waiting.length && (waiting[0]?.seq ?? Infinity) <= seq) {
          lags.push(at - (waiting.shift()?.at ?? at));
        }
      }),
    );
    const services = dbs.map((db, n) => ordersService(db, `bench-${n}`));
    const productIds =
      services[0]?.catalogue
        .list()
        .filter(soldAsIs)
        .map((p) => p.id) ?? [];
    const cpuSteadyBefore = postgresCpuSeconds();
    const steadyStart = performance.now();
    let sold = 0;
    for (let tick = 0; tick < STEADY_SECONDS * TILLS; tick++) {
      const n = tick % TILLS;
      const due = steadyStart + (tick * 1000) / TILLS;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const db = dbs[n] as Db;
      sell(services[n] as ReturnType<typeof ordersService>, productIds, tick);
      const seq = (db.prepare('SELECT max(seq) AS s FROM change_log').get() as { s: number }).s;
      pending[n]?.push({ seq, at: performance.now() });
      replicators[n]?.wake();
      sold += 1;
    }
    await Promise.all(replicators.map((r) => r.drained(60_000)));
    const steadySeconds = (performance.now() - steadyStart) / 1000;
    const cpuSteady = postgresCpuSeconds() - cpuSteadyBefore;
    return [
      {
        feature: FEATURE,
        name: `catch-up ingest, ${TILLS} tills × ${ORDERS} orders at once`,
        value: Math.round(perSecond),
        unit: 'orders/s',
        target: 1_000,
        higherIsBetter: true,
        naive: {
          value: Math.round(naivePerSecond),
          what: 'one INSERT per row, one transaction per order',
        },
        note: `${ingested} orders in ${catchUpSeconds.toFixed(1)} s`,
      },
      {
        feature: FEATURE,
        name: `PostgreSQL CPU during catch-up`,
        value: Number((cpuCatchUp / catchUpSeconds).toFixed(2)),
        unit: 'cores',
        note: `${cpuCatchUp.toFixed(1)} CPU s over ${catchUpSeconds.toFixed(1)} s`,
      },
      {
        feature: FEATURE,
        name: `replication lag p50 at ${TILLS} orders/s across ${TILLS} tills`,
        value: Math.round(percentile(lags, 50)),
        unit: 'ms',
        note: `${sold} orders in ${steadySeconds.toFixed(1)} s, ${lags.length} lags measured`,
      },
      {
        feature: FEATURE,
        name: `replication lag p95 at ${TILLS} orders/s across ${TILLS} tills`,
        value: Math.round(percentile(lags, 95)),
        unit: 'ms',
        target: 2_000,
      },
      {
        feature: FEATURE,
        name: 'PostgreSQL CPU at steady state',
        value: Number((cpuSteady / steadySeconds).toFixed(2)),
        unit: 'cores',
      },
    ];
  } finally {
    await Promise.all(replicators.map((r) => r.stop()));
    for (const db of dbs) db.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
