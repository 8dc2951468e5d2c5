// Orders benchmarks on real database files: commit latency under synchronous=FULL vs NORMAL
// (what durability costs on a new database), a 5,000-row CSV import, the outbox. History search
// and commits at 1,000,000 orders: orders-1m.bench.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../src-main/db/connection';
import { createEventBus } from '../../src-main/platform/event-bus';
import { silentLogger } from '../../src-main/logging/logger';
import { seedCatalogueIfEmpty } from '../../src-main/orders/catalogue-seed';
import { importCatalogueCsv } from '../../src-main/orders/csv-import';
import { createOrdersService } from '../../src-main/orders/orders.service';
import { createOutbox } from '../../src-main/queue/outbox';
import type { BenchRow } from './bench-types';
import { soldAsIs } from '../../src-shared/domain/basket-lines';

const FEATURE = 'orders';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function timeMs(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function withDb<T>(synchronous: 'FULL' | 'NORMAL', fn: (db: Db) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'opentill-bench-orders-'));
  const db = openDatabase(join(dir, 'opentill.db'), { synchronous });
  try {
    return fn(db);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function service(db: Db, now?: () => Date) {
  seedCatalogueIfEmpty(db);
  return createOrdersService({
    db,
    logger: silentLogger,
    bus: createEventBus(),
    tillId: () => 'T1',
    currency: () => 'GBP',
    onOrderPaid: () => {},
    ...(now ? { now } : {}),
  });
}

function commitLatency(
  synchronous: 'FULL' | 'NORMAL',
  count: number,
): { p50: number; p95: number } {
  return withDb(synchronous, (db) => {
    const orders = service(db);
    const products = orders.catalogue.list().filter(soldAsIs);
    const samples: number[] = [];
    for (let i = 0; i < count; i++) {
      const lines = [0, 1, 2].map((k) => ({
        kind: 'product' as const,
        productId: products[(i + k * 7) % products.length]!.id,
        quantity: 1 + (k % 2),
      }));
      samples.push(
        timeMs(() => {
          const order = orders.createOrder({
            lines,
            discount: { kind: 'percent', percentBp: 1000 },
          });
          orders.payCash({
            orderId: order.id,
            amountMinor: order.totalMinor,
            tenderedMinor: order.totalMinor + 500,
          });
        }),
      );
    }
    samples.sort((a, b) => a - b);
    return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
  });
}

function csvImport(rows: number): number {
  const lines = ['name,category,price,vat,barcode,shortcut'];
  for (let i = 0; i < rows; i++)
    lines.push(
      `Product ${i},Category ${i % 20},${1 + (i % 50)}.${String(i % 100).padStart(2, '0')},${[20, 5, 0][i % 3]},,`,
    );
  const csv = lines.join('\n');
  return withDb('FULL', (db) => timeMs(() => importCatalogueCsv(db, csv)));
}

async function outboxDrain(items: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'opentill-bench-outbox-'));
  const db = openDatabase(join(dir, 'opentill.db'));
  try {
    const outbox = createOutbox({ db, logger: silentLogger });
    outbox.registerHandler('noop', () => Promise.resolve());
    for (let i = 0; i < items; i++)
      outbox.enqueue({ kind: 'noop', idempotencyKey: `k${i}`, payload: { i } });
    const start = process.hrtime.bigint();
    await outbox.drainOnce();
    return Number(process.hrtime.bigint() - start) / 1e6 / items;
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function bench(): Promise<BenchRow[]> {
  const full = commitLatency('FULL', 400);
  const normal = commitLatency('NORMAL', 400);
  return [
    {
      feature: FEATURE,
      name: 'commit order + cash tender, synchronous=FULL (p50)',
      value: full.p50,
      unit: 'ms',
      target: 20,
    },
    {
      feature: FEATURE,
      name: 'commit order + cash tender, synchronous=FULL (p95)',
      value: full.p95,
      unit: 'ms',
      target: 50,
    },
    {
      feature: FEATURE,
      name: 'commit order + cash tender, synchronous=NORMAL (p50)',
      value: normal.p50,
      unit: 'ms',
      note: 'not used: loses the last commits on power cut',
    },
    {
      feature: FEATURE,
      name: 'commit order + cash tender, synchronous=NORMAL (p95)',
      value: normal.p95,
      unit: 'ms',
    },
    {
      feature: FEATURE,
      name: 'CSV import, 5,000 rows',
      value: csvImport(5000),
      unit: 'ms',
      target: 2000,
    },
    {
      feature: FEATURE,
      name: 'outbox drain, per item (no-op handler, FULL)',
      value: await outboxDrain(500),
      unit: 'ms',
      target: 20,
    },
  ];
}
