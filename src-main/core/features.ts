import type { Handlers, TillStatus } from '../../src-shared/contract';
import type { Db } from '../db/connection';
import type { Logger } from '../logging/logger';
import type { EventBus } from './event-bus';
import type { SettingsService } from '../settings/settings.service';
import type { CredentialsService } from '../credentials/credentials.service';
import type { ManagerPin } from '../settings/settings.ipc';
import { createDojoGateway, type DojoGateway } from './dojo-gateway';
import { createOrdersService } from '../orders/orders.service';
import { createOrdersHandlers } from '../orders/orders.ipc';
import { seedCatalogueIfEmpty } from '../orders/catalogue-seed';
import { createOutbox } from '../queue/outbox';
import { createConnectivityMonitor } from '../queue/connectivity-monitor';
import { isManagerPinSet, setManagerPin } from '../payments/manager-pin';

export type FeatureDeps = {
  db: Db;
  log: Logger;
  bus: EventBus;
  settings: SettingsService;
  credentials: CredentialsService;
  env: NodeJS.ProcessEnv;
  dataDir: string;
  tillId: string;
  simulatorTimeScale: number;
  sampleCataloguePath?: string;
  emitStatus: () => void;
};

export type Features = {
  handlers: Partial<Handlers>;
  managerPin: ManagerPin;
  gateway: DojoGateway;
  status(): TillStatus;
  testConnection(): Promise<{ ok: boolean; message: string; terminals: number | null }>;
  stop(): Promise<void>;
};

/** Wires the feature services (Dojo, orders, queue, payments, printing) into one core. */
export async function createFeatures(deps: FeatureDeps): Promise<Features> {
  const { db, log, bus, settings, credentials } = deps;
  seedCatalogueIfEmpty(db, { logger: log.child('catalogue'), ...(deps.sampleCataloguePath ? { csvPath: deps.sampleCataloguePath } : {}) });

  const gateway = await createDojoGateway({ credentials, settings, env: deps.env, log, simulatorTimeScale: deps.simulatorTimeScale });
  const connectivity = createConnectivityMonitor({
    probe: () => gateway.client().listTerminals(),
    logger: log,
    intervalMs: 30_000,
  });
  const outbox = createOutbox({ db, logger: log, connectivity });

  const orders = createOrdersService({
    db,
    logger: log,
    bus,
    tillId: () => settings.get().tillName || deps.tillId,
    currency: () => settings.get().currency,
    onOrderPaid: () => undefined,
  });

  const status = (): TillStatus => {
    const link = connectivity.snapshot();
    const queue = outbox.stats();
    return {
      mode: credentials.status().environment,
      dojo: { state: link.state, checkedAt: link.checkedAt, reason: link.reason },
      queue: { pending: queue.pending, failed: queue.dead },
      printer: { state: settings.get().printer === 'none' ? 'none' : 'unknown', pendingJobs: 0, reason: null },
      needsAttention: 0,
    };
  };
  connectivity.on('change', () => deps.emitStatus());
  outbox.on('changed', () => deps.emitStatus());
  credentials.onChange(() => {
    void connectivity.checkNow();
    deps.emitStatus();
  });

  connectivity.start();
  outbox.start();

  return {
    handlers: { ...createOrdersHandlers({ orders }) },
    managerPin: { isSet: () => isManagerPinSet(db), set: (pin, current) => setManagerPin(db, pin, current) },
    gateway,
    status,
    testConnection: () => gateway.testConnection(),
    async stop() {
      await outbox.stop();
      await connectivity.stop();
      await gateway.stop();
    },
  };
}
