// The order database after years of trading: 1,000,000 paid orders (~5,000 a day; see big-db.ts).
// Each figure sits beside the naive alternative, measured in the same run on the same file.
import {
  closeSync,
  fdatasyncSync,
  mkdtempSync,
  openSync,
  readSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { createCore } from '../../src-main/core/core';
import { openDatabase, type Db } from '../../src-main/db/connection';
import { checkpointPassive } from '../../src-main/db/checkpoints';
import {
  indexAllPendingReferences,
  indexPendingReferences,
  referenceSplits,
} from '../../src-main/db/reference-suffixes';
import { createEventBus } from '../../src-main/platform/event-bus';
import { fileSecretStore } from '../../src-main/credentials/secret-store';
import { silentLogger } from '../../src-main/logging/logger';
import { createOrdersService } from '../../src-main/orders/orders.service';
import { daySummary } from '../../src-main/reports/reports.queries';
import { bigDatabase } from './big-db';
import { percentile, timeSync, type BenchRow } from './bench-types';
import { soldAsIs } from '../../src-shared/domain/basket-lines';
import { runAs, type Actor } from '../../src-main/staff/actor';

const FEATURE = 'orders @1M';

/** The commit's p99 is a tail of milliseconds: timed before the 10,000-sale memory run starts. */
export const runsAlone = true;
const p50 = (s: number[]) => percentile(s, 50);

function service(db: Db) {
  return createOrdersService({
    db,
    logger: silentLogger,
    bus: createEventBus(),
    tillId: () => 'T1',
    currency: () => 'GBP',
    onOrderPaid: () => undefined,
  });
}

type CommitRun = {
  ms: number[];
  /** When each timed sale started (performance.now()), to see which a GC pause fell in. */
  startedAt: number[];
  frames: number[];
  checkpointMs: number[];
};

const emptyRun = (): CommitRun => ({ ms: [], startedAt: [], frames: [], checkpointMs: [] });

/**
 * How the cashier takes the cash: in one step from the basket ("Cash, exact" or a note key: the
 * order and its tender in one transaction) or in two (Take payment commits the order, then the
 * cash panel commits the tender).
 */
type CashSale = 'one step' | 'two steps';

/**
 * The WAL as SQLite keeps it: frames written so far (mxFrame, `-shm` offset 16), the page each
 * frame holds, and the salt that changes when the WAL starts again from its first frame.
 */
function walReader(file: string) {
  const shm = openSync(`${file}-shm`, 'r');
  const wal = openSync(`${file}-wal`, 'r');
  const word = Buffer.alloc(4);
  const read = (fd: number, at: number) => (readSync(fd, word, 0, 4, at), word);
  return {
    frames: () => read(shm, 16).readUInt32LE(0),
    salt: () => read(wal, 16).readUInt32BE(0),
    // A 32-byte file header; each frame a 24-byte header (page number first) and the page.
    pageOf: (frame: number) => read(wal, 32 + (frame - 1) * (24 + 4096)).readUInt32BE(0),
    close: () => [shm, wal].forEach((fd) => closeSync(fd)),
  };
}

/**
 * Durable cash sales (synchronous=FULL); the orders made are removed after.
 * `between` runs after each sale, untimed: the pause before the next customer.
 */
function commitSamples(
  db: Db,
  file: string,
  n: number,
  how: CashSale,
  between: () => number | null,
  warm = 5,
): CommitRun {
  const orders = service(db);
  const products = orders.catalogue.list().filter(soldAsIs);
  // Sold by a signed-in cashier, as at the counter: the order and tender name them.
  const cashier: Actor = { staffId: staffIdOf(db), approvedBy: null };
  const wal = walReader(file);
  const made: string[] = [];
  const run = emptyRun();
  for (let i = 0; i < n + warm; i++) {
    const lines = [0, 1, 2].map((k) => ({
      kind: 'product' as const,
      productId: products[(i + k * 7) % products.length]!.id,
      quantity: 1 + (k % 2),
    }));
    const before = wal.frames();
    const salt = wal.salt();
    const t = performance.now();
    const order = runAs(cashier, () => CASH_SALE[how](orders, lines));
    const ms = performance.now() - t;
    const after = wal.frames();
    // After a complete checkpoint the next commit writes the WAL again from its first frame.
    const first = wal.salt() === salt ? before + 1 : 1;
    if (i >= warm) {
      run.ms.push(ms);
      run.startedAt.push(t);
      run.frames.push(after - first + 1);
    }
    made.push(order.id);
    const checkpointMs = between();
    if (checkpointMs !== null && i >= warm) run.checkpointMs.push(checkpointMs);
  }
  // Keep the cached database as it was (the open day keeps its 5,000 orders).
  db.transaction(() => {
    for (const id of made) {
      db.prepare('DELETE FROM tenders WHERE order_id = ?').run(id);
      db.prepare('DELETE FROM order_lines WHERE order_id = ?').run(id);
      db.prepare('DELETE FROM orders WHERE id = ?').run(id);
    }
  })();
  indexAllPendingReferences(db);
  checkpointPassive(db);
  wal.close();
  return run;
}

const staffIdOf = (db: Db): string =>
  (db.prepare("SELECT id FROM staff WHERE role = 'manager' LIMIT 1").get() as { id: string }).id;

type Orders = ReturnType<typeof service>;
type SaleLines = Parameters<Orders['createOrder']>[0]['lines'];

const CASH_SALE: Record<CashSale, (orders: Orders, lines: SaleLines) => { id: string }> = {
  'one step': (orders, lines) => {
    const r = orders.sellCash({ basket: { lines }, tenderedMinor: 50_000 });
    return r.order;
  },
  'two steps': (orders, lines) => {
    const order = orders.createOrder({ lines });
    orders.payCash({
      orderId: order.id,
      amountMinor: order.totalMinor,
      tenderedMinor: order.totalMinor + 500,
    });
    return order;
  },
};

/**
 * The till before the reference suffixes moved to the pause (migration 020): 017's trigger, which
 * wrote every suffix inside the sale's transaction, made again for a block and removed after it.
 */
function withSuffixesInTheSale<T>(db: Db, block: () => T): T {
  // Made again from its own text: the cache is rebuilt if the schema differs from a new database's.
  const pending = db
    .prepare("SELECT sql FROM sqlite_schema WHERE name = 'orders_reference_pending_insert'")
    .pluck()
    .get() as string;
  db.exec('DROP TRIGGER orders_reference_pending_insert');
  db.exec(`CREATE TRIGGER bench_suffixes_in_the_sale AFTER INSERT ON orders BEGIN
    INSERT INTO order_reference_suffixes (suffix, head) ${referenceSplits('new.reference')};
  END`);
  try {
    return block();
  } finally {
    db.exec('DROP TRIGGER bench_suffixes_in_the_sale');
    db.exec(pending);
  }
}

/** The disk's floor: a bare 4 KiB write and fdatasync, beside the database file. */
function fsyncFloor(dir: string, n: number): number[] {
  const probe = join(dir, 'fsync-probe');
  const fd = openSync(probe, 'w');
  const page = Buffer.alloc(4096, 7);
  const out: number[] = [];
  try {
    for (let i = 0; i < n + 20; i++) {
      const t = performance.now();
      writeSync(fd, page, 0, page.length, (i % 64) * page.length);
      fdatasyncSync(fd);
      if (i >= 20) out.push(performance.now() - t);
    }
  } finally {
    closeSync(fd);
    rmSync(probe, { force: true });
  }
  return out;
}

/** The history query as it was before migration 009: `instr` over every reference. */
function naiveReferenceSearch(db: Db, fragment: string) {
  const page = db.prepare(
    `SELECT * FROM orders WHERE instr(reference, ?) > 0 ORDER BY created_at DESC, rowid DESC LIMIT 50`,
  );
  const count = db.prepare('SELECT count(*) AS n FROM orders WHERE instr(reference, ?) > 0');
  return () => {
    page.all(fragment.toUpperCase());
    count.get(fragment.toUpperCase());
  };
}

/** The same day-window history page with no index to use (a full read of the orders). */
function naiveDayPage(db: Db, from: string, to: string) {
  const page = db.prepare(
    `SELECT * FROM orders NOT INDEXED WHERE created_at >= ? AND created_at < ? ORDER BY created_at DESC, rowid DESC LIMIT 50`,
  );
  const count = db.prepare(
    'SELECT count(*) AS n FROM orders NOT INDEXED WHERE created_at >= ? AND created_at < ?',
  );
  return () => {
    page.all(from, to);
    count.get(from, to);
  };
}

async function startupSamples(dataDir: string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const core = await createCore({
      dataDir,
      env: {},
      secretStore: fileSecretStore(join(dataDir, 'dojo-api-key')),
      transport: 'websocket',
      version: 'bench',
    });
    out.push(performance.now() - t);
    await core.close();
  }
  return out;
}

export async function bench(): Promise<BenchRow[]> {
  // OPENTILL_BENCH_ORDERS=20000 tries the module quickly on a smaller database.
  const big = await bigDatabase(Number(process.env.OPENTILL_BENCH_ORDERS ?? 1_000_000));
  const rows: BenchRow[] = [];
  if (big.builtSeconds !== null)
    rows.push({
      feature: FEATURE,
      name: 'build the 1,000,000-order database (first run only, then cached)',
      value: big.builtSeconds,
      unit: 's',
      note: `cached in ${dirname(big.file)}`,
    });

  if (big.migratedSeconds !== null)
    rows.push({
      feature: FEATURE,
      name: 'new migrations on the cached database (once, as a till upgrading)',
      value: big.migratedSeconds,
      unit: 's',
      note: 'e.g. the reference suffixes and the open day totals backfilled',
    });

  // Start-up first, on a cold database (as after a reboot of the till, as far as the OS allows).
  const startup = await startupSamples(dirname(big.file), 3);
  const emptyDir = mkdtempSync(join(tmpdir(), 'opentill-bench-empty-'));
  const emptyStartup = await startupSamples(emptyDir, 3);
  rmSync(emptyDir, { recursive: true, force: true });

  const db = openDatabase(big.file);
  try {
    const orders = service(db);
    const count = (db.prepare('SELECT count(*) AS n FROM orders').get() as { n: number }).n;
    const exact = big.sampleReference;
    const fragment = exact.slice(-4); // the daily number printed big on the receipt
    const list = (reference: string) => () => orders.list({ reference, pageSize: 50 });
    const exactRes = orders.list({ reference: exact });
    if (exactRes.total !== 1) throw new Error(`exact reference found ${exactRes.total} orders`);

    const exactTimes = timeSync(200, list(exact));
    const naiveExact = timeSync(5, naiveReferenceSearch(db, exact), 1);
    const fragTimes = timeSync(100, list(fragment));
    const naiveFrag = timeSync(5, naiveReferenceSearch(db, fragment), 1);
    const shortTimes = timeSync(5, list(fragment.slice(-2)), 1);
    const dayFrom = big.openDay.from;
    const dayTo = new Date(Date.parse(big.openDay.to) + 1).toISOString();
    const dayPage = () => orders.list({ from: dayFrom, to: dayTo, pageSize: 50, page: 3 });
    const dayTimes = timeSync(100, dayPage);
    const naiveDay = timeSync(3, naiveDayPage(db, dayFrom, dayTo), 1);
    const now = new Date().toISOString();
    const summary = daySummary(db, now, 'GBP');
    if (summary.ordersCount < 4_000)
      throw new Error(`the open day holds ${summary.ordersCount} paid orders, not ~5,000`);
    const eod = timeSync(20, () => daySummary(db, now, 'GBP'));
    // The naive alternative is the check itself: every line and tender of the day read.
    const recomputed = daySummary(db, now, 'GBP', 'recompute');
    if (JSON.stringify(recomputed) !== JSON.stringify(summary))
      throw new Error('the running day totals differ from the figures read from every row');
    const naiveEod = timeSync(3, () => daySummary(db, now, 'GBP', 'recompute'), 1);
    const suffixBytes = (
      db
        .prepare(
          "SELECT sum(pgsize) AS b FROM dbstat WHERE name = 'order_reference_suffixes' AND aggregate = TRUE",
        )
        .get() as { b: number }
    ).b;
    // The cash sale's commits, four ways in one run, in alternating blocks of 50 so that a change
    // in the machine's load (it is shared) falls on all alike: the till's one-step cash sale and
    // its two-step one, each with the reference suffixes and the WAL checkpoint in the pause after
    // the sale (as the connection's idle timer does it; the bench loop has no pauses, so the pause
    // is played after each sale, untimed); the two-step sale as the till did it before migration
    // 020 (every reference suffix in the sale's transaction); and that one with SQLite's own
    // checkpoints, inside whichever commit takes the WAL past 1,000 pages.
    const floorBefore = fsyncFloor(dirname(big.file), 500);
    const oneStep = emptyRun();
    const twoSteps = emptyRun();
    const before = emptyRun();
    const inCommit = emptyRun();
    const add = (to: CommitRun, run: CommitRun) =>
      (Object.keys(to) as (keyof CommitRun)[]).forEach((k) => to[k].push(...run[k]));
    const pause = () => {
      const t = performance.now();
      indexPendingReferences(db);
      checkpointPassive(db);
      return performance.now() - t;
    };
    const checkpointOnly = () => {
      const t = performance.now();
      checkpointPassive(db);
      return performance.now() - t;
    };
    // V8's garbage collections during the commits, to tell their pauses from the disk's.
    const gcs: PerformanceEntry[] = [];
    const gcWatch = new PerformanceObserver((list) => gcs.push(...list.getEntries()));
    gcWatch.observe({ entryTypes: ['gc'] });
    db.pragma('wal_autocheckpoint = 0');
    for (let block = 0; block < 10; block++) {
      add(oneStep, commitSamples(db, big.file, 50, 'one step', pause));
      add(twoSteps, commitSamples(db, big.file, 50, 'two steps', pause));
      withSuffixesInTheSale(db, () => {
        add(before, commitSamples(db, big.file, 50, 'two steps', checkpointOnly));
        checkpointPassive(db);
        db.pragma('wal_autocheckpoint = 1000');
        add(
          inCommit,
          commitSamples(db, big.file, 50, 'two steps', () => null),
        );
        checkpointPassive(db);
        db.pragma('wal_autocheckpoint = 0');
      });
    }
    // GC entries reach the observer a timer later, not at the next immediate (measured).
    await new Promise((resolve) => setTimeout(resolve, 100));
    gcWatch.disconnect();
    const gcFree = oneStep.ms.filter(
      (ms, k) =>
        !gcs.some(
          (g) =>
            g.startTime < oneStep.startedAt[k]! + ms &&
            g.startTime + g.duration > oneStep.startedAt[k]!,
        ),
    );
    const floorAfter = fsyncFloor(dirname(big.file), 500);
    const floor = [...floorBefore, ...floorAfter];
    const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;

    const sizeKiB = statSync(big.file).size / 1024;
    rows.push(
      {
        feature: FEATURE,
        name: 'cash sale in one step (order + cash tender, one durable commit) p50',
        value: p50(oneStep.ms),
        unit: 'ms',
        target: 2,
        naive: { value: p50(before.ms), what: 'two commits, suffixes in the sale (before 020)' },
      },
      {
        feature: FEATURE,
        name: 'cash sale in one step (order + cash tender, one durable commit) p99',
        value: percentile(oneStep.ms, 99),
        unit: 'ms',
        target: 2,
        naive: {
          value: percentile(before.ms, 99),
          what: 'two commits, suffixes in the sale (before 020)',
        },
        note: `500 sales, synchronous=FULL; reference suffixes and WAL checkpoint in the pause after each (max ${Math.max(...oneStep.ms).toFixed(1)} ms; before 020 max ${Math.max(...before.ms).toFixed(1)} ms)`,
      },
      {
        feature: FEATURE,
        name: 'the same p99, the sales no GC pause fell in',
        value: percentile(gcFree, 99),
        unit: 'ms',
        target: 2,
        note: `${oneStep.ms.length - gcFree.length} of ${oneStep.ms.length} sales had a V8 GC pause inside them (${gcs.length} GCs in the commit blocks); p50 ${p50(gcFree).toFixed(2)} ms`,
      },
      {
        feature: FEATURE,
        name: 'cash sale in two steps (Take payment, then Cash): both commits p99',
        value: percentile(twoSteps.ms, 99),
        unit: 'ms',
        naive: {
          value: percentile(inCommit.ms, 99),
          what: 'the same before 020, SQLite checkpointing inside a commit',
        },
        note: `p50 ${p50(twoSteps.ms).toFixed(2)} ms, max ${Math.max(...twoSteps.ms).toFixed(1)} ms; two waits of the cashier with a choice between them, each its own fsync; same blocks`,
      },
      {
        feature: FEATURE,
        name: 'WAL pages a cash sale writes: one step / two steps',
        value: mean(oneStep.frames),
        unit: 'pages',
        naive: { value: mean(before.frames), what: 'two steps before 020' },
        note: `${mean(oneStep.frames).toFixed(1)} / ${mean(twoSteps.frames).toFixed(1)}; 4 KiB each, all fsynced`,
      },
      {
        feature: FEATURE,
        name: 'the pause after a sale: its reference suffixes + WAL checkpoint p50 / p99',
        value: percentile(oneStep.checkpointMs, 99),
        unit: 'ms',
        note: `p50 ${p50(oneStep.checkpointMs).toFixed(2)} ms; off the sale's path; a sale arriving during it waits at most this`,
      },
      {
        feature: FEATURE,
        name: 'the disk: a 4 KiB write + fdatasync p50 / p99 (before and after the commits)',
        value: percentile(floor, 99),
        unit: 'ms',
        note: `p50 ${p50(floor).toFixed(2)} ms; p99 ${percentile(floorBefore, 99).toFixed(2)} ms before, ${percentile(floorAfter, 99).toFixed(2)} ms after; the floor under any durable commit`,
      },
      {
        feature: FEATURE,
        name: 'history: order by exact reference p50',
        value: p50(exactTimes),
        unit: 'ms',
        target: 1,
        naive: { value: p50(naiveExact), what: 'instr over every reference' },
        note: 'reference suffixes (migration 017); page + total',
      },
      {
        feature: FEATURE,
        name: `history: reference fragment "${fragment}" p50`,
        value: p50(fragTimes),
        unit: 'ms',
        target: 20,
        naive: { value: p50(naiveFrag), what: 'instr over every reference' },
        note: `${orders.list({ reference: fragment, pageSize: 1 }).total} matches; page of 50 + total`,
      },
      {
        feature: FEATURE,
        name: 'history: reference suffix index size per 1,000 orders',
        value: suffixBytes / 1024 / (count / 1000),
        unit: 'KiB',
        note: `${(suffixBytes / 2 ** 20).toFixed(0)} MiB in all (migration 017)`,
      },
      {
        feature: FEATURE,
        name: `history: 2-character fragment "${fragment.slice(-2)}" p50 (below the suffix index)`,
        value: p50(shortTimes),
        unit: 'ms',
        note: 'plain scan by design: matches a large share of all orders anyway',
      },
      {
        feature: FEATURE,
        name: 'history: a page of one day (date filter) p50',
        value: p50(dayTimes),
        unit: 'ms',
        target: 10,
        naive: { value: p50(naiveDay), what: 'no index on created_at' },
        note: 'page 3 of 50 + total',
      },
      {
        feature: FEATURE,
        name: `end-of-day figures, open day of ${summary.ordersCount} orders p50`,
        value: p50(eod),
        unit: 'ms',
        target: 50,
        naive: { value: p50(naiveEod), what: 'every line and tender of the day read' },
        note: 'running day totals (migration 018), equal to the recomputed figures',
      },
      {
        feature: FEATURE,
        name: 'core start-up on it (migration check, recovery scan, simulator) p50',
        value: p50(startup),
        unit: 'ms',
        target: 300,
        naive: { value: p50(emptyStartup), what: 'same start-up, empty database' },
        note: `3 starts; first (cold) ${startup[0]!.toFixed(0)} ms`,
      },
      {
        feature: FEATURE,
        name: 'file size per 1,000 orders',
        value: sizeKiB / (count / 1000),
        unit: 'KiB',
        note: `${(sizeKiB / 1024 / 1024).toFixed(2)} GiB for ${count} orders; mostly Dojo receipts and print journal`,
      },
    );
  } finally {
    db.close();
  }
  return rows;
}
