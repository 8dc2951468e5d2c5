import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../../src-main/db/connection';
import { createEventBus } from '../../../src-main/platform/event-bus';
import { silentLogger } from '../../../src-main/logging/logger';
import { createOrdersService } from '../../../src-main/orders/orders.service';
import type { EventName, PayloadOf } from '../../../src-shared/contract';

export type TempDb = { dir: string; file: string; db: Db; reopen(): Db; cleanup(): void };

/** A real SQLite file in its own temp folder. */
export function tempDb(prefix = 'opentill-orders-'): TempDb {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const file = join(dir, 'opentill.db');
  const t: TempDb = {
    dir,
    file,
    db: openDatabase(file),
    reopen() {
      if (t.db.open) t.db.close();
      t.db = openDatabase(file);
      return t.db;
    },
    cleanup() {
      if (t.db.open) t.db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return t;
}

export type Emitted = { name: EventName; payload: unknown };

export function ordersFixture(db: Db, options: { tillId?: string; now?: () => Date } = {}) {
  const bus = createEventBus();
  const events: Emitted[] = [];
  bus.subscribe(
    <E extends EventName>(name: E, payload: PayloadOf<E>) => void events.push({ name, payload }),
  );
  const paid: { orderId: string; cash: boolean }[] = [];
  const orders = createOrdersService({
    db,
    logger: silentLogger,
    bus,
    tillId: () => options.tillId ?? 'T1',
    currency: () => 'GBP',
    onOrderPaid: (orderId, info) => void paid.push({ orderId, ...info }),
    ...(options.now ? { now: options.now } : {}),
  });
  return { orders, catalogue: orders.catalogue, bus, events, paid };
}

export const SAMPLE_CSV = 'assets/catalogue/sample-catalogue.csv';
