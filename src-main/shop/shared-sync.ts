import type pg from 'pg';
import type { EventBus } from '../platform/event-bus';
import type { Db } from '../db/connection';
import type { Logger } from '../logging/logger';
import { backoffDelay, createBackgroundLoop, type Nap } from '../platform/backoff';
import { createEmitter } from '../platform/emitter';
import { readReplicationState, saveSharedCursor } from './change-log.repo';
import {
  applyShopCatalogue,
  publishShopProductWhole,
  readShopCatalogue,
  type ShopProductRow,
} from './shop-catalogue';
import { pullShopSettings, type SharedSettings } from './shop-settings';
import { pullShopStaff } from './shop-staff';
import { connectTill, describeShopError, type ShopLinkState } from './shop-link';

export type { ShopProductRow } from './shop-catalogue';

/**
 * Down: the shop's catalogue (shop-catalogue.ts), staff and settings, each pulled by its own version cursor —
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

  /** The whole catalogue after the cursor: one snapshot there, one transaction here. */
  async function pullCatalogue(client: pg.Client): Promise<void> {
    const { rows, last, count } = await readShopCatalogue(
      client,
      readReplicationState(db).sharedCursor,
    );
    if (count === 0) return;
    const { applied, refused, seen } = applyShopCatalogue(db, rows);
    saveSharedCursor(db, last);
    if (refused.length) {
      log.warn('shop catalogue rows refused', { count: refused.length });
    }
    set({ refused: keepRefused(seen, refused), pulls: status.pulls + 1 });
    if (applied) bus.emit('catalogue:changed', { count: countProducts(db) });
  }

  async function pull(client: pg.Client, shopId: string): Promise<void> {
    await pullCatalogue(client);
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
  product: Parameters<typeof publishShopProductWhole>[1],
  what = `${product.name}`,
): Promise<ShopProductRow> {
  const stored = (await publishShopProductWhole(url, product, what)).products[0];
  if (!stored) throw new Error('the shop stored no product row');
  return stored;
}
