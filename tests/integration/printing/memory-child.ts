// Child process of memory.test.ts (run with --expose-gc, on its own so the test runner's own
// memory does not blur the figure): a whole core with a file printer in the receipts folder sells
// `warm` then `sales` cash sales through its IPC dispatcher, every receipt printed, and prints as
// one JSON line how many SQLite statements were prepared natively during the measured sales and
// the resident memory growth per measured sale (KiB, after GC; information only, it swings with
// the machine's load).
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createCore } from '../../../src-main/core/core';
import { fileSecretStore } from '../../../src-main/credentials/secret-store';
import { soldAsIs } from '../../../src-shared/domain/basket-lines';
import type { Product } from '../../../src-shared/domain/catalogue';
import { signInManager } from '../../support/staff';
import { waitFor } from '../../support/wait';

const [warm = 100, sales = 300] = process.argv.slice(2).map(Number);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
// Every statement better-sqlite3 prepares natively, whoever asks for it.
let nativePrepares = 0;
type Prepare = (this: Database.Database, source: string) => Database.Statement;
const proto = Database.prototype as unknown as { prepare: Prepare };
const nativePrepare = proto.prepare;
proto.prepare = function (source) {
  nativePrepares += 1;
  return nativePrepare.call(this, source);
};
const dir = mkdtempSync(join(tmpdir(), 'opentill-memory-'));
mkdirSync(join(dir, 'receipts'));
const receipts = join(dir, 'receipts', 'till.bin');
const core = await createCore({
  dataDir: dir,
  env: { OPENTILL_PRINTER: `file:${receipts}` },
  secretStore: fileSecretStore(join(dir, 'dojo-api-key')),
  transport: 'websocket',
  version: 'test',
  simulatorTimeScale: 0.02,
});
signInManager(core);
const call = async <T>(channel: string, input?: unknown): Promise<T> => {
  const r = await core.dispatch(channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
  return r.value as T;
};
const products = (await call<Product[]>('catalogue:list', {})).filter(soldAsIs);
const printed = () =>
  core.db
    .prepare<[], { n: number }>("SELECT count(*) AS n FROM print_jobs WHERE status = 'printed'")
    .get()?.n ?? 0;
let sold = 0;
const sell = async (n: number) => {
  for (let k = 0; k < n; k++) {
    sold += 1;
    const lines = Array.from({ length: 1 + (sold % 4) }, (_, j) => ({
      kind: 'product',
      productId: products[(sold * 7 + j * 3) % products.length]!.id,
      quantity: 1 + (j % 2),
    }));
    const order = await call<{ id: string; totalMinor: number }>('orders:create', { lines });
    await call('orders:pay-cash', {
      orderId: order.id,
      amountMinor: order.totalMinor,
      tenderedMinor: order.totalMinor + 1000,
      idempotencyKey: randomUUID(),
    });
  }
  // Each cash sale prints a drawer kick and a customer receipt.
  await waitFor(() => printed() === sold * 2, 'every receipt printed', 15_000);
};
/** Resident memory after the garbage collector ran and native finalizers had their turn. */
const settledRssKiB = async () => {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 10));
  }
  return process.memoryUsage().rss / 1024;
};

await sell(warm); // code compiled, caches filled, statements prepared
const before = await settledRssKiB();
const preparesBefore = nativePrepares;
await sell(sales);
const perSaleKiB = ((await settledRssKiB()) - before) / sales;
const preparedDuringSales = nativePrepares - preparesBefore;
const receiptBytes = statSync(receipts).size;
await core.close();
rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify({ preparedDuringSales, perSaleKiB, sales, receiptBytes }));
