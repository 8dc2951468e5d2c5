import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { AppInfo, TillStatus } from '../../src-shared/contract';
import { openDatabase, type Db } from '../db/connection';
import { createLogger, fileSink, type Logger, type LogSink } from '../logging/logger';
import { createDispatcher, type Dispatch } from '../ipc/dispatcher';
import { createEventBus, type EventBus } from '../platform/event-bus';
import type { SettingsService } from '../settings/settings.service';
import { readSetting, writeSetting } from '../platform/key-value';
import type { CredentialsService } from '../credentials/credentials.service';
import { fileSecretStore, type SecretStore } from '../credentials/secret-store';
import { makeDataDirPrivate } from './private-files';
import { compose, type Composed, type ConnectivityTimings } from './compose';
import type { Simulator } from '../simulator/simulator';
import type { TradingState } from '../updates/update-policy';
import type { AutoUpdaterLike, UpdateService } from '../updates/update-service';
import type { PollingOptions } from '../payments/payment-poller';
import type { StaffService } from '../staff/staff.service';
import { printerPolicy } from '../printing/printer-policy';
import { holdYoungGeneration } from '../platform/young-generation';

export type CoreOptions = {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  secretStore: SecretStore;
  /** Where the shop database's address rests; a 0600 file in the data folder by default. */
  shopSecretStore?: SecretStore;
  transport: AppInfo['transport'];
  version: string;
  /** Extra log sinks (console in browser mode, memory in tests). The data-dir log file is always on. */
  logSinks?: LogSink[];
  /** Simulator speed in training mode (1 = realistic). Tests pass a small number. */
  simulatorTimeScale?: number;
  /** Packaged apps pass the catalogue from their resources folder. */
  sampleCataloguePath?: string;
  logoPath?: string | null;
  /** How often Dojo is probed (tests shorten it to see the link drop and come back quickly). */
  connectivity?: ConnectivityTimings;
  /** electron-updater's autoUpdater in a packaged desktop app; absent elsewhere. */
  updater?: AutoUpdaterLike | null;
  /** Tests shorten these: the start-up install window (10 min) and the wait recheck (15 s). */
  updateTimings?: { startUpWindowMs?: number; recheckMs?: number };
  /** How live card payments are polled (the bench compares with a fixed poller); default tuned. */
  paymentPolling?: Partial<PollingOptions>;
};

export type Core = {
  dispatch: Dispatch;
  bus: EventBus;
  db: Db;
  log: Logger;
  settings: SettingsService;
  credentials: CredentialsService;
  /** Staff accounts and who is signed in (tests sign in the training demo manager through it). */
  staff: StaffService;
  info(): AppInfo;
  status(): TillStatus;
  /** The built-in Dojo simulator while in training mode (tests drive its control API). */
  simulator(): Simulator | null;
  updates: UpdateService;
  /** What an update must not interrupt: basket, card payments, refunds, print jobs. */
  tradingState(): TradingState;
  close(): Promise<void>;
};

/**
 * Builds the whole till core in plain Node. This file only opens the log and the database, builds
 * the event bus, hands them to the composition root (core/compose.ts, which builds every feature
 * module: settings, staff, Dojo, payments, orders, printing, updates, …, and guards their
 * handlers) and puts the one dispatcher in front of those handlers. Transports (Electron IPC,
 * WebSocket) sit on `dispatch` and `bus` and know nothing else.
 */
export async function createCore(options: CoreOptions): Promise<Core> {
  // Before the first sale: V8's young generation would grow to 64 MiB and stay (see there). The
  // entries hold it earlier still, before their modules load (platform/hold-young-generation.ts).
  holdYoungGeneration();
  makeDataDirPrivate(options.dataDir);
  // Read first: a bad OPENTILL_PRINTER_PORTS stops the start with its reason, before anything opens.
  const printers = printerPolicy(options.dataDir, options.env);
  const log = createLogger([
    fileSink(join(options.dataDir, 'logs', 'opentill.log')),
    ...(options.logSinks ?? []),
  ]);
  const db = openDatabase(join(options.dataDir, 'opentill.db'));
  const bus = createEventBus((error) =>
    log.error('event listener failed', { error: String(error) }),
  );

  let composed: Composed;
  try {
    composed = await compose({
      db,
      log,
      bus,
      env: options.env,
      dataDir: options.dataDir,
      secretStore: options.secretStore,
      printerPolicy: printers,
      tillId: ensureTillId(db),
      version: options.version,
      transport: options.transport,
      simulatorTimeScale: options.simulatorTimeScale ?? 1,
      ...(options.sampleCataloguePath ? { sampleCataloguePath: options.sampleCataloguePath } : {}),
      ...(options.logoPath !== undefined ? { logoPath: options.logoPath } : {}),
      ...(options.connectivity ? { connectivity: options.connectivity } : {}),
      ...(options.paymentPolling ? { paymentPolling: options.paymentPolling } : {}),
      shopSecretStore:
        options.shopSecretStore ?? fileSecretStore(join(options.dataDir, 'shop-database-url')),
      updater: options.updater ?? null,
      ...(options.updateTimings ? { updateTimings: options.updateTimings } : {}),
    });
  } catch (error) {
    db.close();
    throw error;
  }
  const { settings, staff, updates } = composed;

  log.info('core started', {
    mode: composed.info().mode,
    transport: options.transport,
    dataDir: options.dataDir,
  });
  return {
    // The modules' handlers come guarded (who is signed in, a repeated idempotency key).
    dispatch: createDispatcher(composed.handlers, log.child('ipc')),
    bus,
    db,
    log,
    settings,
    credentials: composed.credentials,
    staff,
    info: () => composed.info(),
    status: () => composed.status(),
    simulator: () => composed.dojo.gateway.simulator(),
    updates,
    tradingState: () => updates.tradingState(),
    async close() {
      await composed.stop();
      db.close();
      log.info('core stopped');
    },
  };
}

function ensureTillId(db: Db): string {
  const existing = readSetting(db, 'till.id');
  if (typeof existing === 'string') return existing;
  const id = `till-${randomUUID().slice(0, 8)}`;
  writeSetting(db, 'till.id', id);
  return id;
}
