// Child process for the power-cut suite: a burst of order creations through the real dispatcher
// (as the UI sends them), printing `ack <id> <total> <lines>` as soon as each answer is ok — the
// moment the UI would show the order as saved. The parent kills this process mid-burst.
import { createEventBus } from '../../../src-main/platform/event-bus';
import { openDatabase } from '../../../src-main/db/connection';
import { createDispatcher } from '../../../src-main/ipc/dispatcher';
import { silentLogger } from '../../../src-main/logging/logger';
import { createOrdersHandlers } from '../../../src-main/orders/orders.ipc';
import { createOrdersService } from '../../../src-main/orders/orders.service';

const [dbFile, sync, countText] = process.argv.slice(2) as [string, 'FULL' | 'NORMAL', string];
const db = openDatabase(dbFile, { synchronous: sync });
const orders = createOrdersService({
  db,
  logger: silentLogger,
  bus: createEventBus(),
  tillId: () => 'T1',
  currency: () => 'GBP',
  onOrderPaid: () => undefined,
});
const dispatch = createDispatcher(createOrdersHandlers({ orders }), silentLogger);

async function main(): Promise<void> {
  const count = Number(countText);
  process.stdout.write('ready\n');
  const started = performance.now();
  for (let i = 1; i <= count; i++) {
    const lines = 1 + (i % 3);
    const basket = {
      lines: Array.from({ length: lines }, (_, j) => ({
        kind: 'custom' as const,
        name: `Power cut ${i}.${j}`,
        unitPriceMinor: 100 + ((i * 7 + j) % 900),
        vatRateBp: 2000,
        quantity: 1 + (j % 2),
      })),
    };
    const r = await dispatch('orders:create', basket);
    if (!r.ok) throw new Error(r.error.message);
    const order = r.value as { id: string; totalMinor: number };
    // Synchronous on Linux pipes: the line is out before the next order is written.
    process.stdout.write(`ack ${order.id} ${order.totalMinor} ${lines}\n`);
  }
  process.stdout.write(`done ${(performance.now() - started).toFixed(1)}\n`);
  db.close();
}

void main();
