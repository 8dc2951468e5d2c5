import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { AppInfo, Handlers, TillStatus } from '../../src-shared/contract';
import { openDatabase, type Db } from '../db/connection';
import { createLogger, fileSink, type Logger, type LogSink } from '../logging/logger';
import { createDispatcher, type Dispatch } from '../ipc/dispatcher';
import { createKeyChanges } from '../credentials/key-change';
import { createIdempotencyGuard, withIdempotency } from '../ipc/idempotency';
import { createEventBus, type EventBus } from '../platform/event-bus';
import { createSettingsService, type SettingsService } from '../settings/settings.service';
import { readSetting, writeSetting } from '../platform/key-value';
import {
  createCredentialsService,
  type CredentialsService,
} from '../credentials/credentials.service';
import { fileSecretStore, type SecretStore } from '../credentials/secret-store';
import { createAppHandlers } from './app.ipc';
import { makeDataDirPrivate } from './private-files';
import { createSettingsHandlers } from '../settings/settings.ipc';
import { compose, type Composed, type ConnectivityTimings } from './compose';
import type { Simulator } from '../simulator/simulator';
import { requireManagerPin } from '../staff/manager-pin';
import type { TradingState } from '../updates/update-policy';
import {
  createUpdateService,
  type AutoUpdaterLike,
  type UpdateService,
} from '../updates/update-service';
import { createUpdatesHandlers } from '../updates/updates.ipc';
import type { PollingOptions } from '../payments/payment-poller';
import { createStaffService, type StaffService } from '../staff/staff.service';
import { createStaffHandlers } from '../staff/staff.ipc';
import { guardPermissions } from '../staff/permission-guard';
import { basketDiscountBp } from '../staff/discount-share';
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
 * Builds the whole till core in plain Node: database, settings, credentials, Dojo (real or the
 * training simulator), payments, orders, printing. Transports (Electron IPC, WebSocket) sit on
 * `dispatch` and `bus` and know nothing else.
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
  const settings = createSettingsService(db, options.env, log.child('settings'));
  const credentials = createCredentialsService(options.secretStore, options.env);
  const tillId = ensureTillId(db);
  const staff = createStaffService({
    db,
    logger: log,
    training: () => credentials.status().environment === 'training',
    onChange: () => bus.emit('staff:changed', staff.session()),
  });

  let features: Composed | undefined;
  const info = (): AppInfo => ({
    name: 'OpenTill',
    version: options.version,
    mode: credentials.status().environment,
    transport: options.transport,
    tillId,
    currency: settings.get().currency,
  });
  const status = (): TillStatus =>
    features?.status() ?? {
      mode: credentials.status().environment,
      dojo: { state: 'unknown', checkedAt: null, reason: null },
      queue: { pending: 0, failed: 0 },
      printer: { state: 'unknown', pendingJobs: 0, reason: null },
      needsAttention: 0,
    };

  try {
    features = await compose({
      db,
      log,
      bus,
      settings,
      credentials,
      staff,
      env: options.env,
      dataDir: options.dataDir,
      printerPolicy: printers,
      tillId,
      simulatorTimeScale: options.simulatorTimeScale ?? 1,
      ...(options.sampleCataloguePath ? { sampleCataloguePath: options.sampleCataloguePath } : {}),
      ...(options.logoPath !== undefined ? { logoPath: options.logoPath } : {}),
      ...(options.connectivity ? { connectivity: options.connectivity } : {}),
      ...(options.paymentPolling ? { paymentPolling: options.paymentPolling } : {}),
      shopSecretStore:
        options.shopSecretStore ?? fileSecretStore(join(options.dataDir, 'shop-database-url')),
    });
  } catch (error) {
    db.close();
    throw error;
  }

  const ready = features;
  const updates = createUpdateService({
    settings,
    log,
    currentVersion: options.version,
    updater: options.updater ?? null,
    tradingCounts: () => ready.tradingCounts(),
    requireManagerPin: (pin) => requireManagerPin(db, pin),
    ...options.updateTimings,
  });
  updates.onChange((s) => bus.emit('updates:changed', s));
  const handlers: Partial<Handlers> = withIdempotency(
    {
      ...createStaffHandlers(staff, ready.sharedStaff),
      ...createAppHandlers({ db, info, status }),
      ...createSettingsHandlers({
        settings,
        credentials,
        keyChanges: createKeyChanges(db, credentials),
        testConnection: () => ready.testConnection(),
        managerPin: ready.managerPin,
        printerPolicy: printers,
      }),
      ...ready.handlers,
      ...createUpdatesHandlers(updates),
    },
    createIdempotencyGuard(db, log.child('idempotency')),
  );
  // On a till joined to a shop, the shop's details (name, address, VAT number, footer) are the
  // shop's: they go to the shop database first, and are refused there when it cannot be reached.
  const updateSettings = handlers['settings:update'];
  if (updateSettings)
    handlers['settings:update'] = async (patch) => {
      await ready.publishShopSettings(patch);
      return updateSettings(patch);
    };
  // A closed day is a quiet moment: check for an update and install one once the counter is idle.
  const closeDay = handlers['reports:close-day'];
  if (closeDay)
    handlers['reports:close-day'] = async (input) => {
      const closure = await closeDay(input);
      updates.dayClosed();
      return closure;
    };
  updates.start();

  log.info('core started', {
    mode: info().mode,
    transport: options.transport,
    dataDir: options.dataDir,
  });
  return {
    // Every channel checks the signed-in person (and an approval) in the core, never only the UI.
    dispatch: createDispatcher(
      guardPermissions(handlers, {
        staff,
        basketDiscountBp: (basket) => basketDiscountBp(db, basket, settings.get().scaleBarcodes),
        orderStaff: (orderId) =>
          db
            .prepare<[string], { staff_id: string | null }>(
              'SELECT staff_id FROM orders WHERE id = ?',
            )
            .get(orderId)?.staff_id ?? null,
      }),
      log.child('ipc'),
    ),
    bus,
    db,
    log,
    settings,
    credentials,
    staff,
    info,
    status,
    simulator: () => ready.dojo.gateway.simulator(),
    updates,
    tradingState: () => updates.tradingState(),
    async close() {
      updates.stop();
      await ready.stop();
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
