import type { Db } from '../db/connection';
import type { Logger } from '../logging/logger';
import type { FeatureModule } from '../platform/feature-module';
import type { ConnectivityMonitor } from './connectivity-monitor';
import { createOutbox } from './outbox';
import { createQueueHandlers } from './queue.ipc';

/** The durable outbox of external work and the queue screen (waiting and dead items). */
export function createQueueModule(deps: { db: Db; log: Logger; link: ConnectivityMonitor }) {
  const outbox = createOutbox({ db: deps.db, logger: deps.log, connectivity: deps.link });
  return {
    name: 'queue',
    outbox,
    handlers: createQueueHandlers({ db: deps.db, outbox }),
    start: () => outbox.start(),
    stop: () => outbox.stop(),
    status: () => {
      const { pending, dead } = outbox.stats();
      return { queue: { pending, failed: dead } };
    },
  } satisfies FeatureModule & Record<string, unknown>;
}
