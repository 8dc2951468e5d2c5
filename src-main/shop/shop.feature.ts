import type { Handlers, ShopLinkStatus } from '../../src-shared/contract';
import { TillError } from '../../src-shared/errors';
import type { EventBus } from '../platform/event-bus';
import type { SecretStore } from '../credentials/secret-store';
import type { Db } from '../db/connection';
import type { Logger } from '../logging/logger';
import { disableReplication, enableReplication, readReplicationState } from './change-log.repo';
import { createReplicator } from './replicator';
import { createSharedSync } from './shared-sync';
import { connectTill, describeShopError, ShopLinkError } from './shop-link';
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
}): ShopFeature {
  const log = deps.log.child('shop');
  const envUrl = () => deps.env.OPENTILL_SHOP_DATABASE_URL?.trim() || null;
  const url = () => envUrl() ?? deps.store.read();
  const replicator = createReplicator({ db: deps.db, log, url });
  const sync = createSharedSync({ db: deps.db, log, bus: deps.bus, url });
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
    };
  };

  const join = async (candidate: string): Promise<void> => {
    const { client, identity } = await connectTill(candidate);
    await client.end().catch(() => undefined);
    enableReplication(deps.db, identity.shopId);
    log.info('joined shop', { tillId: identity.tillId });
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
      if (fromEnv && !readReplicationState(deps.db).enabled) {
        void join(fromEnv).catch((error: unknown) =>
          log.warn('could not join the shop yet', { code: describeShopError(error).detailCode }),
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
    url,
  };
}
