// A till database after years of trading (1,000,000 paid orders, ~5,000 a day), built once and
// cached under .bench-cache/ (gitignored), keyed by GENERATOR_VERSION.
//
// Rows are what the till itself writes: a real core (training simulator, a file printer) makes a
// handful of sales of each kind — cash, chip and PIN, contactless, a card sale refunded on the
// terminal — and every row each one added, in every table, becomes a template. The generator then
// copies templates with fresh ids, references and times (bulk inserts, one transaction a day, the
// schema the migrations made, its triggers firing as for any order) and closes each day but
// the last as the operator would. A sample of the copies is then read back through the till's own
// reads (order detail, receipt data, history search) and compared with its template.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createCore } from '../../src-main/core/core';
import { signInManager } from '../support/staff';
import { openDatabase, type Db } from '../../src-main/db/connection';
import { fileSecretStore } from '../../src-main/credentials/secret-store';
import { silentLogger } from '../../src-main/logging/logger';
import { createEventBus } from '../../src-main/platform/event-bus';
import { createOrdersService } from '../../src-main/orders/orders.service';
import { localDay } from '../../src-main/orders/reference';
import { daySummary, insertClosure } from '../../src-main/reports/reports.queries';
import { loadOrderReceiptInput } from '../../src-main/printing/receipt-data.queries';
import type { OrderDetail } from '../../src-shared/domain/orders';
import type { PaymentAttempt } from '../../src-shared/domain/payments';
import { soldAsIs } from '../../src-shared/domain/basket-lines';
import type { Product } from '../../src-shared/domain/catalogue';

export const GENERATOR_VERSION = 1;
const repoRoot = join(import.meta.dirname, '..', '..');
export const cacheRoot = join(repoRoot, '.bench-cache');

export type BigDb = {
  /** The cached database; open a copy when the measure writes. */
  file: string;
  orders: number;
  perDay: number;
  /** Seconds it took to build now, or null when it came from the cache. */
  builtSeconds: number | null;
  /** Seconds the migrations took on the cached database (new ones since it was built), or null. */
  migratedSeconds: number | null;
  /** The open (not yet closed) day: its first and last order times. */
  openDay: { from: string; to: string };
  /** A reference from the middle of the data, and a fragment cashiers type (the daily number). */
  sampleReference: string;
};

type Meta = Omit<BigDb, 'file' | 'builtSeconds' | 'migratedSeconds'> & {
  version: number;
  seconds: number;
};

/** Returns the cached database for this generator version, building it first when missing. */
export async function bigDatabase(orders = 1_000_000, perDay = 5_000): Promise<BigDb> {
  const dir = join(cacheRoot, `orders-${orders}-v${GENERATOR_VERSION}`);
  const file = join(dir, 'opentill.db');
  const metaFile = join(dir, 'meta.json');
  if (existsSync(metaFile) && existsSync(file)) {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as Meta;
    if (meta.version === GENERATOR_VERSION && meta.orders === orders && meta.perDay === perDay) {
      const migrated = sameSchemaAsMigrations(file);
      if (migrated.same)
        return { ...meta, file, builtSeconds: null, migratedSeconds: migrated.seconds };
    }
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const started = performance.now();
  const { templates, shared } = await captureTemplates(join(dir, 'templates'));
  const building = join(dir, 'building.db');
  const result = generate(building, templates, shared, orders, perDay);
  verifySample(building, templates, result.samples);
  renameSync(building, file);
  rmSync(join(dir, 'templates'), { recursive: true, force: true });
  const seconds = (performance.now() - started) / 1000;
  const meta: Meta = {
    version: GENERATOR_VERSION,
    orders,
    perDay,
    openDay: result.openDay,
    sampleReference: result.sampleReference,
    seconds,
  };
  writeFileSync(metaFile, JSON.stringify(meta, null, 2));
  return { ...meta, file, builtSeconds: seconds, migratedSeconds: null };
}

/**
 * The cached file, brought up to date by the migrations (as the till would on start), has exactly
 * the schema a new database gets. Otherwise a migration changed since the build: build again.
 */
function sameSchemaAsMigrations(file: string): { same: boolean; seconds: number | null } {
  const schema = (db: Db) =>
    JSON.stringify(
      db
        .prepare(
          "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%' ORDER BY type, name",
        )
        .all(),
    );
  const raw = new Database(file, { readonly: true });
  const versionBefore = raw.pragma('user_version', { simple: true }) as number;
  raw.close();
  const started = performance.now();
  const cached = openDatabase(file);
  const migrated = (performance.now() - started) / 1000;
  const fresh = openDatabase(':memory:');
  try {
    const version = cached.pragma('user_version', { simple: true }) as number;
    return {
      same: schema(cached) === schema(fresh),
      seconds: version > versionBefore ? migrated : null,
    };
  } finally {
    cached.close();
    fresh.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Templates: real sales through a real core.

/** Tables whose new rows belong to one sale (settings, catalogue and counters do not). */
const SALE_TABLES = [
  'orders',
  'order_lines',
  'payment_attempts',
  'payment_attempt_events',
  'tenders',
  'refunds',
  'print_jobs',
  'audit_log',
  'outbox',
] as const;

type Row = Record<string, unknown>;
type Template = {
  kind: string;
  /** How often this kind of sale happens, relative to the others. */
  weight: number;
  orderId: string;
  reference: string;
  createdAt: string;
  rows: { table: string; row: Row }[];
  detail: OrderDetail;
};

const TERMINAL = 'tm_sandbox_65f0a1c0e1d2c3b4a5960001';

type Captured = { templates: Template[]; shared: { table: string; row: Row }[] };

async function captureTemplates(dir: string): Promise<Captured> {
  mkdirSync(dir, { recursive: true });
  const core = await createCore({
    dataDir: dir,
    env: { OPENTILL_PRINTER: `file:${join(dir, 'printer.bin')}` },
    secretStore: fileSecretStore(join(dir, 'dojo-api-key')),
    transport: 'websocket',
    version: 'bench',
    simulatorTimeScale: 0.01,
  });
  try {
    // Every core action needs a signed-in member of staff.
    signInManager(core);
    const call = async <T>(channel: string, input?: unknown): Promise<T> => {
      const r = await core.dispatch(channel, input);
      if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
      return r.value as T;
    };
    const products = (await call<Product[]>('catalogue:list', {})).filter(soldAsIs);
    const basket = (n: number, seed: number, pence: number | null) => {
      const lines = Array.from({ length: n }, (_, i) => ({
        kind: 'product' as const,
        productId: products[(seed * 7 + i * 3) % products.length]!.id,
        quantity: 1 + ((seed + i) % 3),
      }));
      // The simulator picks the card scenario from the pence: a custom line sets them.
      if (pence !== null)
        lines.push({
          kind: 'custom',
          name: 'Counter item',
          unitPriceMinor: 100 + pence,
          vatRateBp: 2000,
          quantity: 1,
        } as never);
      return { lines };
    };
    const settle = async (attemptId: string) => {
      for (let i = 0; i < 600; i++) {
        const a = await call<PaymentAttempt>('payments:get', { attemptId });
        if (a.isFinal) return a;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('template sale did not settle');
    };
    const quiet = async () => {
      // Receipts are printed by the worker after the sale: wait until none is pending.
      for (let i = 0; i < 400; i++) {
        const pending = core.db
          .prepare("SELECT count(*) AS n FROM print_jobs WHERE status IN ('pending', 'printing')")
          .get() as { n: number };
        if (pending.n === 0) return;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error('template receipts did not print');
    };
    const templates: Template[] = [];
    const capture = async (kind: string, weight: number, run: () => Promise<string>) => {
      const before = maxRowids(core.db);
      const orderId = await run();
      await quiet();
      const rows: { table: string; row: Row }[] = [];
      for (const table of SALE_TABLES) {
        for (const row of core.db
          .prepare(`SELECT * FROM ${table} WHERE rowid > ? ORDER BY rowid`)
          .all(before[table] ?? 0) as Row[])
          rows.push({ table, row });
      }
      const order = rows.find((r) => r.table === 'orders')!.row;
      const detail = await call<OrderDetail>('orders:get', { orderId });
      templates.push({
        kind,
        weight,
        orderId,
        reference: String(order.reference),
        createdAt: String(order.created_at),
        rows,
        detail,
      });
    };
    const cashSale = (n: number, seed: number) => async () => {
      const o = await call<{ id: string; totalMinor: number }>(
        'orders:create',
        basket(n, seed, null),
      );
      const handed = Math.ceil(o.totalMinor / 500) * 500;
      await call('orders:pay-cash', {
        orderId: o.id,
        amountMinor: o.totalMinor,
        tenderedMinor: handed,
        idempotencyKey: randomUUID(),
      });
      return o.id;
    };
    const cardSale = (n: number, seed: number, pence: number) => async () => {
      const o = await call<{ id: string }>('orders:create', basket(n, seed, pence));
      const a = await call<PaymentAttempt>('payments:start-sale', {
        orderId: o.id,
        terminalId: TERMINAL,
        idempotencyKey: randomUUID(),
      });
      const done = await settle(a.id);
      if (done.state.kind !== 'succeeded') throw new Error(`template card sale ${done.state.kind}`);
      return o.id;
    };
    const refunded = (n: number, seed: number) => async () => {
      const orderId = await cardSale(n, seed, 3)();
      const [sale] = await call<PaymentAttempt[]>('payments:list-for-order', { orderId });
      const r = await call<{ attempt: PaymentAttempt }>('refunds:matched', {
        originalAttemptId: sale!.id,
        terminalId: TERMINAL,
        reason: 'changed mind',
        idempotencyKey: randomUUID(),
      });
      const done = await settle(r.attempt.id);
      if (done.state.kind !== 'succeeded') throw new Error(`template refund ${done.state.kind}`);
      return orderId;
    };
    // ~40 % cash, ~59 % card (chip and PIN, contactless), ~1 % refunded on the terminal.
    for (const [n, seed] of [
      [1, 1],
      [2, 2],
      [3, 3],
      [5, 4],
    ] as const)
      await capture(`cash ${n} lines`, 10, cashSale(n, seed));
    for (const [n, seed, pence] of [
      [1, 5, 0],
      [2, 6, 3],
      [3, 7, 0],
      [4, 8, 3],
    ] as const)
      await capture(`card ${n + 1} lines`, 14.75, cardSale(n, seed, pence));
    await capture('card, refunded', 1, refunded(2, 9));
    // The catalogue and settings the sales were made with (the till id, the product ids).
    const shared = (['settings', 'staff', 'products'] as const).flatMap((table) =>
      (core.db.prepare(`SELECT * FROM ${table}`).all() as Row[]).map((row) => ({ table, row })),
    );
    return { templates, shared };
  } finally {
    await core.close();
  }
}

function maxRowids(db: Db): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of SALE_TABLES)
    out[t] = (db.prepare(`SELECT coalesce(max(rowid), 0) AS m FROM ${t}`).get() as { m: number }).m;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Copying templates.

const ISO = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g;
/** Columns holding ids that must be fresh in each copy (TEXT; integer keys are left to SQLite). */
const ID_COLUMNS = new Set([
  'id',
  'order_id',
  'attempt_id',
  'original_attempt_id',
  'payment_intent_id',
  'session_id',
  'dojo_refund_id',
  'refund_id',
  'reprint_of',
]);

type Part = string | { id: number } | { ref: true } | { ts: number };
type Compiled = {
  table: string;
  columns: string[];
  /** Per column: a fixed value, or parts to join. */
  values: unknown[];
};
type CompiledTemplate = { weight: number; ids: string[]; rows: Compiled[] };

function compile(t: Template, db: Db): CompiledTemplate {
  const ids: string[] = [];
  for (const { table, row } of t.rows)
    for (const [col, v] of Object.entries(row))
      if (ID_COLUMNS.has(col) && typeof v === 'string' && !ids.includes(v)) {
        if (col === 'id' && isIntegerPk(db, table)) continue;
        ids.push(v);
      }
  const base = Date.parse(t.createdAt);
  const tokens = [...ids, t.reference].sort((a, b) => b.length - a.length);
  const tokenRe = new RegExp(
    `${tokens.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')}|${ISO.source}`,
    'g',
  );
  const rows = t.rows.map(({ table, row }): Compiled => {
    const columns = Object.keys(row).filter((c) => !(c === 'id' && isIntegerPk(db, table)));
    return {
      table,
      columns,
      values: columns.map((c) => {
        const v = row[c];
        if (typeof v !== 'string') return v;
        const parts: Part[] = [];
        let last = 0;
        for (const m of v.matchAll(tokenRe)) {
          if (m.index > last) parts.push(v.slice(last, m.index));
          const s = m[0];
          if (s === t.reference) parts.push({ ref: true });
          else if (ids.includes(s)) parts.push({ id: ids.indexOf(s) });
          else parts.push({ ts: Date.parse(s) - base });
          last = m.index + s.length;
        }
        if (parts.length === 0) return v;
        if (last < v.length) parts.push(v.slice(last));
        return { parts };
      }),
    };
  });
  return { weight: t.weight, ids, rows };
}

const integerPk = new Map<string, boolean>();
function isIntegerPk(db: Db, table: string): boolean {
  let v = integerPk.get(table);
  if (v === undefined) {
    const cols = db.prepare(`SELECT name, type, pk FROM pragma_table_info('${table}')`).all() as {
      name: string;
      type: string;
      pk: number;
    }[];
    v = cols.some((c) => c.name === 'id' && c.pk === 1 && c.type.toUpperCase() === 'INTEGER');
    integerPk.set(table, v);
  }
  return v;
}

/** A fresh id of the same shape: a UUID for a UUID, else the same prefix and length. */
function freshId(like: string): string {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-/.test(like)) return randomUUID();
  const keep = Math.max(0, like.length - 16);
  return like.slice(0, keep) + randomBytes(8).toString('hex');
}

/** A small deterministic PRNG, so two builds of one version hold the same kinds of sale. */
function mulberry32(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Sample = { orderId: string; template: number };

function generate(
  file: string,
  templates: Template[],
  shared: { table: string; row: Row }[],
  total: number,
  perDay: number,
): { samples: Sample[]; openDay: { from: string; to: string }; sampleReference: string } {
  openDatabase(file).close(); // the schema exactly as the migrations make it
  const db = new Database(file);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -400000');
  db.pragma('foreign_keys = ON');
  db.transaction(() => {
    for (const { table, row } of shared) {
      const cols = Object.keys(row);
      db.prepare(
        `INSERT OR REPLACE INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
      ).run(Object.values(row));
    }
  })();
  const compiled = templates.map((t) => compile(t, db));
  const inserts = new Map<string, Database.Statement>();
  const insertFor = (c: Compiled) => {
    const key = `${c.table}(${c.columns.join(',')})`;
    let s = inserts.get(key);
    if (!s) {
      s = db.prepare(
        `INSERT INTO ${c.table} (${c.columns.join(', ')}) VALUES (${c.columns.map(() => '?').join(', ')})`,
      );
      inserts.set(key, s);
    }
    return s;
  };
  const weights = compiled.map((c) => c.weight);
  const sum = weights.reduce((a, b) => a + b, 0);
  const random = mulberry32(GENERATOR_VERSION * 7919);
  const pick = () => {
    let r = random() * sum;
    for (let i = 0; i < weights.length; i++) if ((r -= weights[i]!) < 0) return i;
    return weights.length - 1;
  };
  const prefix = templates[0]!.reference.replace(/-\d{8}-\d+$/, '');
  const days = Math.ceil(total / perDay);
  // The last day ends an hour ago, so every order and closure is in the past.
  const lastDayStart = new Date(Date.now() - 3_600_000 - 12 * 3_600_000);
  const firstDay = new Date(lastDayStart.getTime() - (days - 1) * 86_400_000);
  const seqUpsert = db.prepare(
    'INSERT INTO order_sequences (till_id, day, last_seq) VALUES (?, ?, ?) ON CONFLICT (till_id, day) DO UPDATE SET last_seq = excluded.last_seq',
  );
  const samples: Sample[] = [];
  let made = 0;
  const openDay = { from: '', to: '' };
  let sampleReference = '';
  for (let d = 0; d < days; d++) {
    const dayStart = firstDay.getTime() + d * 86_400_000;
    const count = Math.min(perDay, total - made);
    const step = (12 * 3_600_000) / count; // trading hours: 12 h
    const day = localDay(new Date(dayStart));
    db.transaction(() => {
      for (let i = 0; i < count; i++) {
        const ti = pick();
        const t = compiled[ti]!;
        const at = dayStart + Math.floor(i * step);
        const ids = t.ids.map(freshId);
        const reference = `${prefix}-${day}-${String(i + 1).padStart(4, '0')}`;
        for (const row of t.rows) {
          const values = row.values.map((v) =>
            v !== null && typeof v === 'object' && 'parts' in v
              ? (v as { parts: Part[] }).parts
                  .map((p) =>
                    typeof p === 'string'
                      ? p
                      : 'id' in p
                        ? ids[p.id]
                        : 'ref' in p
                          ? reference
                          : new Date(at + p.ts).toISOString(),
                  )
                  .join('')
              : v,
          );
          insertFor(row).run(values);
        }
        if (i % 997 === 13) samples.push({ orderId: ids[0]!, template: ti });
        if (d === Math.floor(days / 2) && i === 42) sampleReference = reference;
        if (d === days - 1 && i === 0) openDay.from = new Date(at).toISOString();
        if (d === days - 1 && i === count - 1) openDay.to = new Date(at).toISOString();
      }
      seqUpsert.run(prefix, day, count);
      // The operator closes every day but the last (the bench's open day), an hour after trading.
      if (d < days - 1) {
        const closedAt = new Date(dayStart + 13 * 3_600_000).toISOString();
        insertClosure(db, randomUUID(), daySummary(db, closedAt, 'GBP'), 'operator', closedAt);
      }
    })();
    made += count;
    if (d % 20 === 19) console.error(`  generated ${made} orders`);
  }
  // No ANALYZE: a till's own database has no statistics either, so the plans are the same.
  db.pragma('journal_mode = WAL');
  db.close();
  return { samples, openDay, sampleReference };
}

// ---------------------------------------------------------------------------------------------
// Verification through the till's own reads.

const normalise = (value: unknown): unknown =>
  JSON.parse(
    JSON.stringify(value)
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>')
      .replace(ISO, '<time>')
      .replace(/[A-Z0-9-]+-\d{8}-\d{4,}/g, '<reference>')
      .replace(/\b(pi|ts|rf|cp|tx|rv)_[A-Za-z0-9_-]+/g, '<dojo-id>'),
  ) as unknown;

function verifySample(file: string, templates: Template[], samples: Sample[]): void {
  const db = openDatabase(file);
  try {
    const orders = createOrdersService({
      db,
      logger: silentLogger,
      bus: createEventBus(),
      tillId: () => 'bench',
      currency: () => 'GBP',
      onOrderPaid: () => undefined,
    });
    const shop = { name: 'Bench', address: '', vatNumber: '', footer: '', tillName: 'Till 1' };
    for (const s of samples.filter((_, k) => k % 5 === 0)) {
      const got = orders.getDetail(s.orderId);
      const want = templates[s.template]!.detail;
      const a = JSON.stringify(normalise(got));
      const b = JSON.stringify(normalise(want));
      if (a !== b)
        throw new Error(
          `generated order ${s.orderId} does not read back like its template (${templates[s.template]!.kind}):\n${a}\n${b}`,
        );
      loadOrderReceiptInput(db, s.orderId, shop);
      const found = orders.list({ reference: got.reference }).items.map((o) => o.id);
      if (found.length !== 1 || found[0] !== s.orderId)
        throw new Error(`history search does not find ${got.reference}`);
    }
  } finally {
    db.close();
  }
}
