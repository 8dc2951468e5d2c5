import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase, type Db } from '../../src-main/db/connection';
import { advanceAttempt, insertAttempt } from '../../src-main/payments/attempts.repo';
import { startSimulator } from '../../src-main/simulator/simulator';
import type { BenchRow } from './bench-types';
import { paymentsAgainst } from '../support/payments-service';

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    0.5,
  );

function newOrder(db: Db, total: number): string {
  const id = randomUUID();
  const now = new Date().toISOString();
  db.prepare(
    `INSERT INTO orders (id, reference, status, currency, subtotal_minor, vat_minor, total_minor, till_id, created_at, updated_at)
     VALUES (?, ?, 'open', 'GBP', ?, 0, ?, 'T1', ?, ?)`,
  ).run(id, `B-${id.slice(0, 8)}`, total, total, now, now);
  return id;
}

/** Commit latency of the attempt row (docs/PAYMENTS.md rule 1 commits before every Dojo call) and one journal update. */
function commitLatency(dir: string, synchronous: 'FULL' | 'NORMAL', n: number): number[] {
  const db = openDatabase(path.join(dir, `commit-${synchronous}.db`), { synchronous });
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const orderId = newOrder(db, 1000);
    const id = randomUUID();
    const t = performance.now();
    insertAttempt(
      db,
      {
        id,
        orderId,
        kind: 'sale',
        amountMinor: 1000,
        currency: 'GBP',
        terminalId: 'tm_1',
        paymentIntentId: null,
      },
      { source: 'till', type: 'attempt-created', detail: { amountMinor: 1000 } },
    );
    samples.push(performance.now() - t);
    advanceAttempt(db, id, { type: 'intent-create-failed', error: 'bench', code: 'INTERNAL' });
  }
  db.close();
  return samples.sort((a, b) => a - b);
}

/** One chip-and-PIN sale at real terminal speed (~8 s) with the production polling settings. */
async function realisticSale(dir: string): Promise<BenchRow> {
  const sim = await startSimulator({ timeScale: 1 });
  const db = openDatabase(path.join(dir, 'realistic.db'));
  const service = paymentsAgainst(db, sim.url);
  await service.start();
  const t = performance.now();
  const started = await service.startSale({
    orderId: newOrder(db, 1000),
    terminalId: 'tm_sandbox_65f0a1c0e1d2c3b4a5960001',
  });
  await service.settled(started.id, 60_000);
  const ms = performance.now() - t;
  const polls = service.pollCount(started.id);
  await service.stop();
  await sim.close();
  db.close();
  return {
    feature: 'payments',
    name: 'polls per sale at real speed (default polling)',
    value: polls,
    unit: 'polls',
    target: 20,
    note: `sale took ${(ms / 1000).toFixed(1)} s`,
  };
}

export async function bench(): Promise<BenchRow[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'opentill-paybench-'));
  const rows: BenchRow[] = [];
  try {
    for (const sync of ['FULL', 'NORMAL'] as const) {
      const s = commitLatency(dir, sync, 300);
      rows.push(
        {
          feature: 'payments',
          name: `attempt commit p50 (synchronous=${sync})`,
          value: percentile(s, 0.5),
          unit: 'ms',
          target: 5,
        },
        {
          feature: 'payments',
          name: `attempt commit p95 (synchronous=${sync})`,
          value: percentile(s, 0.95),
          unit: 'ms',
          target: 20,
        },
      );
    }

    const sim = await startSimulator({ timeScale: 0.01 });
    const db = openDatabase(path.join(dir, 'sales.db'));
    const service = paymentsAgainst(db, sim.url, {
      polling: { fastMs: 5, slowMs: 20, idleAfterMs: 500, maxBackoffMs: 100 },
    });
    await service.start();
    // What the till does when it opens (and its background refresh keeps doing): the terminal
    // listing is known, so a sale does not read the terminal first.
    await service.listTerminals();
    const times: number[] = [];
    const polls: number[] = [];
    const requests: number[] = [];
    const saleCalls: number[] = [];
    for (let i = 0; i < 20; i++) {
      const before = sim.control.records().requests.length;
      const t = performance.now();
      const started = await service.startSale({
        orderId: newOrder(db, 1000),
        terminalId: 'tm_sandbox_65f0a1c0e1d2c3b4a5960001',
      });
      const done = await service.settled(started.id);
      times.push(performance.now() - t);
      if (done.state.kind !== 'succeeded')
        throw new Error(`bench sale ended ${JSON.stringify(service.get(started.id))}`);
      polls.push(service.pollCount(started.id));
      const made = sim.control.records().requests.slice(before);
      requests.push(made.length);
      // The sale's own calls besides its session polls; the terminal listing refreshed in the
      // background (every few seconds, sale or not) is not the sale's.
      saleCalls.push(
        made.filter(
          (r) =>
            !(r.method === 'GET' && /^\/terminal-sessions\/[^/]+$/.test(r.path)) &&
            !(r.method === 'GET' && r.path === '/terminals'),
        ).length,
      );
    }
    await service.stop();
    await sim.close();
    db.close();
    rows.push(
      {
        feature: 'payments',
        name: 'sale end-to-end vs simulator (timeScale 0.01 = ~80 ms of terminal time, p50)',
        value: median(times),
        unit: 'ms',
        target: 250,
      },
      {
        feature: 'payments',
        name: 'polls per sale (p50, 5 ms fast poll)',
        value: median(polls),
        unit: 'polls',
        note: 'session GETs incl. the final one',
      },
      {
        feature: 'payments',
        name: 'Dojo calls per sale besides session polls (max of 20 sales)',
        value: Math.max(...saleCalls),
        unit: 'calls',
        target: 3,
        note: 'intent create, session create, the intent read after; no terminal read before a sale',
      },
      {
        feature: 'payments',
        name: 'Dojo requests per sale, all (p50)',
        value: median(requests),
        unit: 'requests',
        note: 'the 3 calls + session polls + any background terminal listing in the sale',
      },
    );
    rows.push(await realisticSale(dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
