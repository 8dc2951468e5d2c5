import type pg from 'pg';
import { productInputSchema } from '../../src-shared/domain/catalogue';
// eslint-disable-next-line opentill/no-foreign-repo -- catalogue rows from the shop are checked against the till's VAT rates; the orders feature's catalogue service takes this over (issue 10 item 2)
import { listVatRates } from '../orders/catalogue.repo';
import type { EventBus } from '../platform/event-bus';
import type { Db } from '../db/connection';
import type { Logger } from '../logging/logger';
import { backoffDelay, createBackgroundLoop, type Nap } from '../platform/backoff';
import { createEmitter } from '../platform/emitter';
import { readReplicationState, saveSharedCursor } from './change-log.repo';
import { asShopManager } from './shop-edits';
import { pullShopSettings, type SharedSettings } from './shop-settings';
import { pullShopStaff } from './shop-staff';
import { connectTill, describeShopError, type ShopLinkState } from './shop-link';

/**
 * Down: the shop's catalogue, staff and settings, each pulled by its own version cursor —
 * promptly when PostgreSQL NOTIFYs a change, and every `safetyPullMs` in case a notification was
 * missed — and kept in SQLite so the till starts, sells and signs people in with the shop
 * database down. A row that fails the till's own validation
 * is refused (logged, and named in the status) and never half-applied. A flood of notifications
 * costs one pull, not one per notification.
 */
export type SharedSyncStatus = {
  state: ShopLinkState;
  reason: string | null;
  refused: { id: string; reason: string }[];
  pulls: number;
};

export type ShopProductRow = {
  id: string;
  name: string;
  category: string;
  price_minor: string;
  vat_rate_bp: number;
  barcode: string | null;
  shortcut: string | null;
  sort_order: number;
  active: boolean;
  updated_at: Date;
  version: string;
};

export function applyShopProducts(
  db: Db,
  rows: readonly ShopProductRow[],
): { applied: number; refused: { id: string; reason: string }[] } {
  const refused: { id: string; reason: string }[] = [];
  let applied = 0;
  const clash = db.prepare<[string, string], { name: string }>(
    'SELECT name FROM products WHERE barcode = ? AND id <> ?',
  );
  const twin = db.prepare<[string, string, string], { name: string }>(
    'SELECT name FROM products WHERE lower(name) = lower(?) AND lower(category) = lower(?) AND id <> ?',
  );
  const put = db.prepare(
    `INSERT INTO products (id, name, category, price_minor, vat_rate_bp, barcode, shortcut, sort_order, active, created_at, updated_at)
     VALUES (@id, @name, @category, @price_minor, @vat_rate_bp, @barcode, @shortcut, @sort_order, @active, @now, @now)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, category = excluded.category,
       price_minor = excluded.price_minor, vat_rate_bp = excluded.vat_rate_bp, barcode = excluded.barcode,
       shortcut = excluded.shortcut, sort_order = excluded.sort_order, active = excluded.active,
       updated_at = excluded.updated_at`,
  );
  const variantClash = db.prepare<[string], { name: string }>(
    'SELECT name FROM product_variants WHERE barcode = ?',
  );
  const rates = new Set(listVatRates(db).map((r) => r.rateBp));
  db.transaction(() => {
    for (const row of rows) {
      const parsed = productInputSchema.safeParse({
        id: row.id,
        name: row.name,
        category: row.category,
        priceMinor: Number(row.price_minor),
        vatRateBp: row.vat_rate_bp,
        barcode: row.barcode,
        shortcut: row.shortcut,
        sortOrder: row.sort_order,
        active: row.active,
      });
      if (!parsed.success) {
        refused.push({ id: row.id, reason: parsed.error.issues[0]?.message ?? 'not valid' });
        continue;
      }
      const p = parsed.data;
      // The till's own VAT rate list is the rule (docs/CATALOGUE.md).
      if (!rates.has(p.vatRateBp)) {
        refused.push({
          id: row.id,
          reason: `VAT ${p.vatRateBp / 100} % is not one of this till's VAT rates`,
        });
        continue;
      }
      const barcodeOwner = p.barcode
        ? (clash.get(p.barcode, row.id) ?? variantClash.get(p.barcode))
        : undefined;
      if (barcodeOwner) {
        refused.push({
          id: row.id,
          reason: `barcode ${p.barcode} is already ${barcodeOwner.name}`,
        });
        continue;
      }
      const sameName = twin.get(p.name, p.category, row.id);
      if (sameName) {
        refused.push({
          id: row.id,
          reason: `another ${sameName.name} is already in ${p.category}`,
        });
        continue;
      }
      put.run({
        id: row.id,
        name: p.name,
        category: p.category,
        price_minor: p.priceMinor,
        vat_rate_bp: p.vatRateBp,
        barcode: p.barcode ?? null,
        shortcut: p.shortcut ?? null,
        sort_order: p.sortOrder ?? 0,
        active: p.active === false ? 0 : 1,
        now: row.updated_at.toISOString(),
      });
      applied += 1;
    }
  })();
  return { applied, refused };
}

export type SharedSync = {
  start(): void;
  stop(): Promise<void>;
  status(): SharedSyncStatus;
  /** Pull now (tests; Settings' "Check now"). */
  pullNow(): void;
  on: ReturnType<typeof createEmitter<{ status: SharedSyncStatus }>>['on'];
};

export function createSharedSync(options: {
  db: Db;
  log: Logger;
  bus: EventBus;
  url: () => string | null;
  safetyPullMs?: number;
  backoff?: { baseMs: number; maxMs: number };
  /** The shop's staff list changed this till's copy (someone may have been switched off). */
  onStaffChanged?: () => void;
  /** The shop's settings (name, address, VAT number, footer) for this till's settings. */
  applySettings?: (patch: SharedSettings) => void;
}): SharedSync {
  const { db, log, bus } = options;
  const safetyPullMs = options.safetyPullMs ?? 60_000;
  const backoff = options.backoff ?? { baseMs: 1_000, maxMs: 30_000 };
  const events = createEmitter<{ status: SharedSyncStatus }>();
  const runner = createBackgroundLoop(run, () => set({ state: 'off' }));
  const wake = () => runner.wake();
  let status: SharedSyncStatus = { state: 'off', reason: null, refused: [], pulls: 0 };
  let pending = true;

  const set = (next: Partial<SharedSyncStatus>) => {
    status = { ...status, ...next };
    events.emit('status', status);
  };

  /** Refused rows named in the status: those seen again in this pull are replaced. */
  const keepRefused = (seen: readonly string[], refused: { id: string; reason: string }[]) => [
    ...status.refused.filter((r) => !seen.includes(r.id)),
    ...refused,
  ];

  async function pullProducts(client: pg.Client): Promise<void> {
    for (;;) {
      const cursor = readReplicationState(db).sharedCursor;
      const result = await client.query<ShopProductRow>(
        `SELECT id, name, category, price_minor, vat_rate_bp, barcode, shortcut, sort_order, active, updated_at, version
           FROM opentill.products WHERE shop_id = opentill.current_shop() AND version > $1
          ORDER BY version LIMIT 500`,
        [cursor],
      );
      const last = result.rows[result.rows.length - 1];
      if (!last) return;
      const { applied, refused } = applyShopProducts(db, result.rows);
      saveSharedCursor(db, Number(last.version));
      if (refused.length) {
        log.warn('shop catalogue rows refused', { count: refused.length });
      }
      set({
        refused: keepRefused(
          result.rows.map((x) => x.id),
          refused,
        ),
        pulls: status.pulls + 1,
      });
      if (applied) bus.emit('catalogue:changed', { count: countProducts(db) });
      if (result.rows.length < 500) return;
    }
  }

  async function pull(client: pg.Client, shopId: string): Promise<void> {
    await pullProducts(client);
    // Staff: their own cursor, the same rules (docs/SHOP-DATABASE.md).
    const staff = await pullShopStaff(client, db, shopId);
    if (staff.refused.length) log.warn('shop staff rows refused', { count: staff.refused.length });
    if (staff.seen.length) set({ refused: keepRefused(staff.seen, staff.refused) });
    if (staff.applied) options.onStaffChanged?.();
    if (options.applySettings) {
      const settings = await pullShopSettings(client, db, shopId, options.applySettings);
      if (settings.seen.length) set({ refused: keepRefused(settings.seen, settings.refused) });
    }
  }

  async function run(signal: AbortSignal, nap: Nap): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      const url = options.url();
      const shopId = readReplicationState(db).shopId;
      if (!url || !shopId) {
        set({ state: 'off', reason: null });
        await nap(1_000);
        continue;
      }
      let client: pg.Client | null = null;
      try {
        const link = await connectTill(url);
        client = link.client;
        // Stopping must not wait on the network: ending the connection breaks any query in flight.
        const open = client;
        signal.addEventListener('abort', () => void open.end().catch(() => undefined), {
          once: true,
        });
        client.on('notification', (message) => {
          if (message.channel === 'opentill_shared' && message.payload === link.identity.shopId) {
            pending = true;
            wake();
          }
        });
        let lost: Error | null = null;
        client.on('error', (error: Error) => {
          lost = error;
          wake();
        });
        await client.query('LISTEN opentill_shared');
        failures = 0;
        set({ state: 'connected', reason: null });
        pending = true;
        while (!signal.aborted && !lost) {
          if (pending) {
            pending = false;
            await pull(client, link.identity.shopId);
          }
          // A notification that came during the pull could not wake a nap that had not begun:
          // pull again at once instead of sleeping until the safety pull.
          if (!pending) await nap(safetyPullMs);
          // A burst of notifications lands here once: let it settle before pulling.
          if (pending) await new Promise((r) => setTimeout(r, 50));
          else pending = true;
          if (options.url() !== url) break;
        }
        if (lost) throw lost as Error;
      } catch (error) {
        if (signal.aborted) break;
        const described = describeShopError(error);
        failures += 1;
        log.warn('shop catalogue link failed', { code: described.detailCode, failures });
        set({ state: described.state, reason: described.message });
        await nap(backoffDelay(failures, backoff));
      } finally {
        await client?.end().catch(() => undefined);
      }
    }
  }

  return {
    start: () => runner.start(),
    stop: () => runner.stop(),
    status: () => status,
    pullNow() {
      pending = true;
      wake();
    },
    on: events.on,
  };
}

function countProducts(db: Db): number {
  return db.prepare<[], { n: number }>('SELECT count(*) AS n FROM products').get()?.n ?? 0;
}

/**
 * A manager's catalogue edit on a joined till goes to the shop: the till uses the manager right
 * (`opentill_manager`) for this one transaction only, and every till (this one included) pulls
 * the change back through NOTIFY. Answers the row as the shop stored it (with its version).
 */
export async function publishShopProduct(
  url: string,
  product: {
    id: string;
    name: string;
    category: string;
    priceMinor: number;
    vatRateBp: number;
    barcode?: string | null;
    shortcut?: string | null;
    sortOrder?: number;
    active?: boolean;
  },
  what = `${product.name}`,
): Promise<ShopProductRow> {
  return asShopManager(url, what, async (client) => {
    const result = await client.query<ShopProductRow>(
      `INSERT INTO opentill.products (shop_id, id, name, category, price_minor, vat_rate_bp, barcode, shortcut, sort_order, active)
       VALUES (opentill.current_shop(), $1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (shop_id, id) DO UPDATE SET name = EXCLUDED.name, category = EXCLUDED.category,
         price_minor = EXCLUDED.price_minor, vat_rate_bp = EXCLUDED.vat_rate_bp, barcode = EXCLUDED.barcode,
         shortcut = EXCLUDED.shortcut, sort_order = EXCLUDED.sort_order, active = EXCLUDED.active
       RETURNING id, name, category, price_minor, vat_rate_bp, barcode, shortcut, sort_order, active, updated_at, version`,
      [
        product.id,
        product.name,
        product.category,
        product.priceMinor,
        product.vatRateBp,
        product.barcode ?? null,
        product.shortcut ?? null,
        product.sortOrder ?? 0,
        product.active ?? true,
      ],
    );
    const row = result.rows[0];
    if (!row) throw new Error('the shop stored no product row');
    return row;
  });
}
