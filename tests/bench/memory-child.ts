// Child process of memory.bench.ts (run with --expose-gc): a whole core in training mode — the
// simulator at high time scale, a file printer, every receipt journalled and printed — takes
// 10,000 sales through its IPC dispatcher (19 in 20 cash, 1 in 20 card) and reports its RSS after
// 1,000 and after 10,000, and the simulator's state file. Prints one JSON line.
// First, as in the till's entries: V8's young generation held before the modules load.
import '../../src-main/platform/hold-young-generation';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { youngGenerationBytes } from '../../src-main/platform/young-generation';
import { createCore } from '../../src-main/core/core';
import { signInManager } from '../support/staff';
import { fileSecretStore } from '../../src-main/credentials/secret-store';
import type { PaymentAttempt } from '../../src-shared/domain/payments';
import { soldAsIs } from '../../src-shared/domain/basket-lines';
import type { Product } from '../../src-shared/domain/catalogue';

const TERMINAL = 'tm_sandbox_65f0a1c0e1d2c3b4a5960001';
const total = Number(process.argv[2] ?? 10_000);
/** `grow`: V8's default young generation, for the bench's naive column (see young-generation.ts). */
const letYoungGenerationGrow = process.argv[3] === 'grow';
const dir = mkdtempSync(join(tmpdir(), 'opentill-bench-memory-'));
const core = await createCore({
  dataDir: dir,
  env: { OPENTILL_PRINTER: `file:${join(dir, 'receipts.bin')}` },
  secretStore: fileSecretStore(join(dir, 'dojo-api-key')),
  transport: 'websocket',
  version: 'bench',
  simulatorTimeScale: 0.02,
  // Production polling would make each card sale last ≥ 1 s; memory does not depend on the pace.
  paymentPolling: { fastMs: 5, slowMs: 20, idleAfterMs: 500, maxBackoffMs: 100 },
});
if (letYoungGenerationGrow) setFlagsFromString('--semi-space-growth-factor=2');
// RSS does not depend on the disk flush: commits without an fsync each (synchronous=NORMAL, still
// WAL) take the 10,000 sales in a fraction of the time (the bench's critical path, beside the
// others). What a durable commit costs is measured in orders.bench.ts and orders-1m.bench.ts.
core.db.pragma('synchronous = NORMAL');
// Every core action needs a signed-in member of staff.
signInManager(core);
const call = async <T>(channel: string, input?: unknown): Promise<T> => {
  const r = await core.dispatch(channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
  return r.value as T;
};
const products = (await call<Product[]>('catalogue:list', {})).filter(soldAsIs);
const gc = (globalThis as { gc?: () => void }).gc;
const rssMiB = () => {
  gc?.();
  gc?.();
  return process.memoryUsage().rss / 2 ** 20;
};
/** V8's young generation: held at its size at start (the core does it; 64 MiB+ if let grow). */
const newSpaceMiB = () => youngGenerationBytes() / 2 ** 20;
/** Where the RSS is: the JS heap in use, and memory outside it (SQLite, buffers). */
const breakdown = (at: string): Record<string, number> => {
  const m = process.memoryUsage();
  return {
    [`heapUsed${at}`]: m.heapUsed / 2 ** 20,
    [`heapTotal${at}`]: m.heapTotal / 2 ** 20,
    [`external${at}`]: m.external / 2 ** 20,
  };
};
const out: Record<string, number> = {};
out.rssAtStart = rssMiB();
let cardFailed = 0;
const started = Date.now();
for (let i = 1; i <= total; i++) {
  const lines = Array.from({ length: 1 + (i % 4) }, (_, k) => ({
    kind: 'product',
    productId: products[(i * 7 + k * 3) % products.length]!.id,
    quantity: 1 + (k % 2),
  }));
  const order = await call<{ id: string; totalMinor: number }>('orders:create', { lines });
  if (i % 20 === 0) {
    // The simulator picks the card scenario from the pence; these are all plain chip and PIN.
    core.simulator()?.control.forceScenario('chip-pin');
    const a = await call<PaymentAttempt>('payments:start-sale', {
      orderId: order.id,
      terminalId: TERMINAL,
      idempotencyKey: randomUUID(),
    });
    for (let n = 0; ; n++) {
      const now = await call<PaymentAttempt>('payments:get', { attemptId: a.id });
      // A loaded machine may starve the simulator's scaled clock: a sale that ends otherwise is
      // counted, and its order paid in cash, so the day's work is the same.
      if (now.isFinal || now.state.kind === 'unconfirmed') {
        if (now.state.kind !== 'succeeded') {
          cardFailed += 1;
          if (now.state.kind === 'unconfirmed')
            await call('payments:record-manually', {
              attemptId: a.id,
              outcome: 'not-paid',
              managerPin: '1234',
              note: 'bench: not paid',
            }).catch(() => undefined);
        }
        break;
      }
      if (n > 4000) throw new Error(`card sale did not finish: ${JSON.stringify(now.state)}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  } else {
    await call('orders:pay-cash', {
      orderId: order.id,
      amountMinor: order.totalMinor,
      tenderedMinor: order.totalMinor + 1000,
      idempotencyKey: randomUUID(),
    });
  }
  if (i === 1000) {
    out.rssAt1000 = rssMiB();
    out.newSpaceAt1000 = newSpaceMiB();
    Object.assign(out, breakdown('At1000'));
  }
}
// Let the print worker and the simulator's state file catch up before the last reading.
await new Promise((r) => setTimeout(r, 1500));
out.rssAtEnd = rssMiB();
out.newSpaceAtEnd = newSpaceMiB();
Object.assign(out, breakdown('AtEnd'));
out.seconds = (Date.now() - started) / 1000;
const sim = core.simulator()?.control.records();
const stateWrites = core.simulator()?.stateFileWrites();
out.stateFileSaves = stateWrites?.saves ?? -1;
out.stateFileBytesWritten = stateWrites?.bytes ?? -1;
out.simSessionsKept = sim?.sessions.length ?? -1;
out.simIntentsKept = sim?.paymentIntents.length ?? -1;
await core.close();
out.stateFileBytes = statSync(join(dir, 'training-simulator.json')).size;
out.sales = total;
out.cardFailed = cardFailed;
rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify(out));
