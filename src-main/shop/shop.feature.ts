import type { Handlers, ShopLinkStatus } from '../../src-shared/contract';
import { TillError } from '../../src-shared/errors';
import type { EventBus } from '../platform/event-bus';
import type { SecretStore } from '../credentials/secret-store';
import type { Db } from '../db/connection';
import type { Logger } from '../logging/logger';
import { disableReplication, enableReplication, readReplicationState } from './change-log.repo';
import { createReplicator } from './replicator';
import type { SharedCatalogue } from '../orders/shared-catalogue';
import { applyShopStaff, type SharedStaff } from '../staff/shared-staff';
import {
  forgetSettingsCursor,
  publishShopSettings,
  sharedPart,
  type SettingsChange,
  type SharedSettings,
} from './shop-settings';
import { forgetStaffCursor, publishShopStaff, seedShopStaff } from './shop-staff';
import { createSharedSync } from './shared-sync';
import {
  applyShopCatalogue,
  publishShopModifierGroup,
  publishShopProductWhole,
  publishShopVatRates,
  type CatalogueRows,
} from './shop-catalogue';
import { connectTill, describeShopError, ShopLinkError } from './shop-link';
import {
  adoptShopReferencePrefix,
  adoptShopTillName,
  shopReferencePrefix,
  shopTillName,
} from '../orders/reference';
import { chooseShopReferencePrefix, readShopTillName } from './shop-reference';
import { getShopOrder, searchShopOrders, shopEndOfDay, withShopReader } from './shop-orders';

/**
 * The shop database, as one feature of the core: where its address lives (OPENTILL_SHOP_DATABASE_URL
 * wins, else a secret store like the Dojo key's — main only, never in a log or over IPC), the
 * replicator (up), the catalogue sync (down), their status, and the three channels Settings uses.
 * With no address the till works alone and none of this runs.
 */
export type ShopFeature = {
  handlers: Pick<
    Handlers,
    | 'shop:status'
    | 'shop:connect'
    | 'shop:disconnect'
    | 'shop:search-orders'
    | 'shop:get-order'
    | 'shop:end-of-day'
  >;
  status(): ShopLinkStatus;
  start(): void;
  stop(): Promise<void>;
  /** A commit happened: push it now rather than at the next idle tick. */
  wake(): void;
  /** The catalogue editor's way to the shop's catalogue while this till is joined. */
  catalogue: SharedCatalogue;
  /** The staff screen's way to the shop's staff list while this till is joined. */
  staff: SharedStaff;
  /**
   * A settings change on a joined till: its shop part (name, address, VAT number, footer) goes to
   * the shop first; refused in plain words, nothing saved, when the shop database is down.
   */
  publishSettings(patch: SettingsChange): Promise<void>;
  /** The shop database's address (main only), or null when the till works alone. */
  url(): string | null;
};

export function createShopFeature(deps: {
  db: Db;
  log: Logger;
  bus: EventBus;
  env: NodeJS.ProcessEnv;
  store: SecretStore;
  onStatus: () => void;
  /** The shop's staff list changed this till's copy. */
  onStaffChanged?: () => void;
  /** The shop's settings arrived: this till's settings take them. */
  applySettings?: (patch: SharedSettings) => void;
}): ShopFeature {
  const log = deps.log.child('shop');
  const envUrl = () => deps.env.OPENTILL_SHOP_DATABASE_URL?.trim() || null;
  const url = () => envUrl() ?? deps.store.read();
  const replicator = createReplicator({ db: deps.db, log, url });
  const sync = createSharedSync({
    db: deps.db,
    log,
    bus: deps.bus,
    url,
    onStaffChanged: () => deps.onStaffChanged?.(),
    ...(deps.applySettings ? { applySettings: deps.applySettings } : {}),
  });
  replicator.on('status', () => deps.onStatus());
  sync.on('status', () => deps.onStatus());

  const status = (): ShopLinkStatus => {
    const up = replicator.status();
    const down = sync.status();
    // The worse of the two links is what the cashier needs to know.
    const rank = { refused: 4, unreachable: 3, connecting: 2, connected: 1, off: 0 } as const;
    const worst = rank[down.state] > rank[up.state] ? down : up;
    return {
      state: url() ? (worst.state === 'off' ? 'connecting' : worst.state) : 'off',
      behind: up.behind,
      reason: worst.reason,
      source: envUrl() ? 'environment' : url() ? 'settings' : 'none',
      refusedRows: down.refused,
      referencePrefix: url() ? shopReferencePrefix(deps.db) : null,
    };
  };

  const applyOwnEdit = (rows: CatalogueRows) => {
    const { refused } = applyShopCatalogue(deps.db, rows);
    if (refused.length) log.warn('own shop edit refused locally', { count: refused.length });
  };

  const join = async (candidate: string): Promise<void> => {
    const { client, identity } = await connectTill(candidate);
    let prefix: string;
    let tillName: string | null;
    try {
      prefix = await chooseShopReferencePrefix(client, identity.tillId);
      tillName = await readShopTillName(client, identity.tillId);
    } finally {
      await client.end().catch(() => undefined);
    }
    // This till's accounts join the shop's staff list (once; docs/SHOP-DATABASE.md).
    const added = await seedShopStaff(candidate, deps.db);
    enableReplication(deps.db, identity.shopId);
    // New orders take the shop's prefix for this till; the ones already written keep theirs.
    adoptShopReferencePrefix(deps.db, prefix);
    // Its X and Z reports name it as the shop does ("Front counter (TILL-A)").
    adoptShopTillName(deps.db, tillName);
    forgetStaffCursor(deps.db);
    forgetSettingsCursor(deps.db);
    log.info('joined shop', { tillId: identity.tillId, staffAdded: added, prefix });
  };

  /**
   * A till that joined before references took the shop's prefix (or before it kept the shop's
   * name for itself) takes them at its next start.
   */
  const adoptPrefixLater = async (address: string): Promise<void> => {
    const { client, identity } = await connectTill(address);
    try {
      const prefix = await chooseShopReferencePrefix(client, identity.tillId);
      const tillName = await readShopTillName(client, identity.tillId);
      if (url() === address) {
        adoptShopReferencePrefix(deps.db, prefix);
        adoptShopTillName(deps.db, tillName);
      }
    } finally {
      await client.end().catch(() => undefined);
    }
  };

  return {
    handlers: {
      'shop:status': () => status(),
      'shop:connect': async ({ url: candidate }) => {
        if (envUrl()) {
          throw new TillError(
            'VALIDATION',
            'The shop database is set by the OPENTILL_SHOP_DATABASE_URL environment variable; change it there.',
          );
        }
        try {
          await join(candidate);
        } catch (error) {
          // Already in plain words (the staff list could not be shared, nothing was joined).
          if (error instanceof TillError) throw error;
          const described = error instanceof ShopLinkError ? error : describeShopError(error);
          throw new TillError('VALIDATION', described.message, {
            retryable: described.state === 'unreachable',
          });
        }
        deps.store.write(candidate);
        replicator.wake();
        sync.pullNow();
        deps.onStatus();
        return status();
      },
      'shop:disconnect': () => {
        if (envUrl()) {
          throw new TillError(
            'VALIDATION',
            'The shop database is set by the OPENTILL_SHOP_DATABASE_URL environment variable; change it there.',
          );
        }
        deps.store.clear();
        disableReplication(deps.db);
        adoptShopReferencePrefix(deps.db, null);
        adoptShopTillName(deps.db, null);
        deps.onStatus();
        return status();
      },
      // Reads across the shop: a fresh connection each, as this till (RLS: this shop only).
      'shop:search-orders': (query) => withShopReader(url(), (c) => searchShopOrders(c, query)),
      'shop:get-order': ({ orderId }) => withShopReader(url(), (c) => getShopOrder(c, orderId)),
      'shop:end-of-day': (period) => withShopReader(url(), (c) => shopEndOfDay(c, period ?? {})),
    },
    status,
    start() {
      // An address set in the environment joins on start (headless tills, tests).
      const fromEnv = envUrl();
      const address = url();
      if (fromEnv && !readReplicationState(deps.db).enabled) {
        void join(fromEnv).catch((error: unknown) =>
          log.warn('could not join the shop yet', { code: describeShopError(error).detailCode }),
        );
      } else if (address && (!shopReferencePrefix(deps.db) || !shopTillName(deps.db))) {
        void adoptPrefixLater(address).catch((error: unknown) =>
          log.warn('could not take the shop’s reference prefix yet', {
            code: describeShopError(error).detailCode,
          }),
        );
      }
      replicator.start();
      sync.start();
    },
    async stop() {
      await replicator.stop();
      await sync.stop();
    },
    wake: () => replicator.wake(),
    catalogue: {
      // An address is set (in Settings or the environment): the till is the shop's, even while
      // the shop database is down — its catalogue must not fork from the other tills'.
      joined: () => url() !== null,
      // The shop's answer becomes this till's copy at once, by the same rules as a pull.
      async publish(product) {
        applyOwnEdit(await publishShopProductWhole(url(), product));
      },
      async publishModifierGroup(group) {
        applyOwnEdit(await publishShopModifierGroup(url(), group));
      },
      async publishVatRates(rates) {
        applyOwnEdit(await publishShopVatRates(url(), rates));
      },
    },
    async publishSettings(patch) {
      if (url() === null) return;
      await publishShopSettings(url(), sharedPart(patch));
    },
    staff: {
      joined: () => url() !== null,
      async publish(record, options) {
        const row = await publishShopStaff(url(), record, options ?? {});
        const { refused } = applyShopStaff(deps.db, [row]);
        if (refused.length) log.warn('own staff edit refused locally', { count: refused.length });
      },
    },
    url,
  };
}
