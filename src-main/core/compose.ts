import type { AppInfo, Handlers, TillStatus } from '../../src-shared/contract';
import {
  createCredentialsService,
  type CredentialsService,
} from '../credentials/credentials.service';
import type { SecretStore } from '../credentials/secret-store';
import type { Db } from '../db/connection';
import type { Logger } from '../logging/logger';
import type { PollingOptions } from '../payments/payment-poller';
import { createIdempotencyGuard, withIdempotency } from '../ipc/idempotency';
import { errorText } from '../platform/error-text';
import { createCoreEvents, type EventBus } from '../platform/event-bus';
import type { FeatureModule, TradingCounts } from '../platform/feature-module';
import type { PrinterPolicy } from '../printing/printer-policy';
import { createSettingsService, type SettingsService } from '../settings/settings.service';
import type { StaffService } from '../staff/staff.service';
import type { AutoUpdaterLike, UpdateService } from '../updates/update-service';
import { createAppHandlers } from './app.ipc';
import { createBackupsModule } from '../backups/backups.module';
import { createCashModule } from '../cash/cash.module';
import { createDojoModule, type ConnectivityTimings, type DojoModule } from '../dojo/dojo.module';
import { createOrdersModule } from '../orders/orders.module';
import { createPaymentsModule } from '../payments/payments.module';
import { createPrintingModule } from '../printing/printing.module';
import { createQueueModule } from '../queue/queue.module';
import { createReceiptsModule } from '../receipts/receipts.module';
import { createReportsModule } from '../reports/reports.module';
import { createReturnsModule } from '../returns/returns.module';
import { createSettingsModule } from '../settings/settings.module';
import { createShopFeature } from '../shop/shop.feature';
import { createStaffModule } from '../staff/staff.module';
import { createTendersModule } from '../tenders/tenders.module';
import { createUpdatesModule } from '../updates/updates.module';

export type { ConnectivityTimings };

export type ComposeDeps = {
  db: Db;
  log: Logger;
  bus: EventBus;
  env: NodeJS.ProcessEnv;
  dataDir: string;
  /** Where the Dojo API key rests. */
  secretStore: SecretStore;
  printerPolicy: PrinterPolicy;
  tillId: string;
  version: string;
  transport: AppInfo['transport'];
  simulatorTimeScale: number;
  sampleCataloguePath?: string;
  /** PNG printed at the top of receipts; null for none. */
  logoPath?: string | null;
  /** Where the shop database's address rests (main only), like the Dojo key. */
  shopSecretStore: SecretStore;
  /** Connectivity monitor timings (tests shorten them); defaults: 30 s online, 2–60 s offline backoff. */
  connectivity?: ConnectivityTimings;
  /** Card payment polling (default: the payments service's own). */
  paymentPolling?: Partial<PollingOptions>;
  /** electron-updater's autoUpdater in a packaged desktop app; null elsewhere. */
  updater: AutoUpdaterLike | null;
  /** The start-up install window and the wait recheck (tests shorten them). */
  updateTimings?: { startUpWindowMs?: number; recheckMs?: number };
};

export type Composed = {
  /**
   * Every module's handlers, each behind the permission guard (the signed-in person, an approval)
   * and, for money-moving requests, the idempotency guard (a repeated key answers as the first).
   */
  handlers: Partial<Handlers>;
  settings: SettingsService;
  credentials: CredentialsService;
  staff: StaffService;
  updates: UpdateService;
  dojo: DojoModule;
  info(): AppInfo;
  status(): TillStatus;
  /** What an update must not interrupt, from each feature's work in progress. */
  tradingCounts(): TradingCounts;
  stop(): Promise<void>;
};

/**
 * The composition root: builds every feature module in order (each gets only what it needs from
 * the ones above it), subscribes the listeners, starts them; stops them in the reverse order.
 * Read top to bottom: what is built, then who listens to what.
 */
export async function compose(deps: ComposeDeps): Promise<Composed> {
  const { db, log, bus } = deps;
  const events = createCoreEvents((error) =>
    log.error('core event listener failed', { error: errorText(error) }),
  );
  const modules: FeatureModule[] = [];
  const add = <M extends FeatureModule>(module: M): M => (modules.push(module), module);

  // The stores every feature reads: the till's settings and the Dojo key. Their requests are the
  // settings module's, built below once what they need (the shop, the connection test) is there.
  const settings = createSettingsService(db, deps.env, log.child('settings'));
  const credentials = createCredentialsService(deps.secretStore, deps.env);
  const idle: TillStatus = {
    mode: credentials.status().environment,
    dojo: { state: 'unknown', checkedAt: null, reason: null },
    queue: { pending: 0, failed: 0 },
    printer: { state: 'unknown', pendingJobs: 0, reason: null },
    needsAttention: 0,
  };
  // Each module reports its part; compose only merges them.
  const status = (): TillStatus =>
    modules.reduce<TillStatus>((all, m) => ({ ...all, ...m.status?.() }), idle);
  const emitStatus = () => bus.emit('status:changed', status());
  const info = (): AppInfo => ({
    name: 'OpenTill',
    version: deps.version,
    mode: credentials.status().environment,
    transport: deps.transport,
    tillId: deps.tillId,
    currency: settings.get().currency,
  });

  // --- What is built, in order -------------------------------------------------------------
  const dojo = add(
    await createDojoModule({
      credentials,
      settings,
      env: deps.env,
      log,
      simulatorTimeScale: deps.simulatorTimeScale,
      dataDir: deps.dataDir,
      ...(deps.connectivity ? { connectivity: deps.connectivity } : {}),
    }),
  );
  const queue = add(createQueueModule({ db, log, link: dojo.link }));
  const printing = add(
    createPrintingModule({
      db,
      log,
      bus,
      settings,
      printerPolicy: deps.printerPolicy,
      ...(deps.logoPath !== undefined ? { logoPath: deps.logoPath } : {}),
    }),
  );
  const reports = add(createReportsModule({ db, log, settings, printing: printing.service }));
  const shop = createShopFeature({
    db,
    log,
    bus,
    env: deps.env,
    store: deps.shopSecretStore,
    onStatus: emitStatus,
    onStaffChanged: () => events.emit('staff:shop-list-changed', {}),
    // Checked against the settings rules before this; a refusal here is logged, never a lost link.
    applySettings: (patch) => {
      try {
        settings.update(patch, 'shop database');
      } catch (error) {
        log.warn('shop settings not applied', { error: errorText(error) });
      }
    },
  });
  add({
    name: 'shop',
    emits: ['staff:shop-list-changed'],
    handlers: shop.handlers,
    start: () => shop.start(),
    stop: () => shop.stop(),
    status: () => {
      const { state, behind, reason } = shop.status();
      return { shop: { state, behind, reason } };
    },
  });
  const orders = add(
    createOrdersModule({
      db,
      log,
      bus,
      events,
      settings,
      tillId: deps.tillId,
      ...(deps.sampleCataloguePath ? { sampleCataloguePath: deps.sampleCataloguePath } : {}),
      sharedCatalogue: shop.catalogue,
    }),
  );
  const payments = add(
    createPaymentsModule({
      db,
      log,
      bus,
      events,
      settings,
      credentials,
      dojo,
      orders: orders.service,
      outbox: queue.outbox,
      env: deps.env,
      ...(deps.paymentPolling ? { polling: deps.paymentPolling } : {}),
      emitStatus,
    }),
  );
  const receipts = add(
    createReceiptsModule({ db, log, dojo, settings, printing: printing.service }),
  );
  const tenders = add(
    createTendersModule({
      db,
      log,
      bus,
      dojo,
      orders: orders.service,
      receipts: receipts.service,
    }),
  );
  const cash = add(
    createCashModule({
      db,
      log,
      settings,
      dojo,
      printing: printing.service,
      reports: reports.service,
      orders: orders.service,
      tenders: tenders.service,
      emitStatus,
    }),
  );
  const returns = add(
    createReturnsModule({
      db,
      log,
      bus,
      settings,
      tillId: deps.tillId,
      dojo,
      orders: orders.service,
      payments: payments.service,
      cash: cash.service,
      printing: printing.service,
      receipts: receipts.service,
      shop,
    }),
  );
  // Each day close leaves a copy of the database behind it (wraps the cash close).
  add(
    createBackupsModule({
      db,
      log,
      dataDir: deps.dataDir,
      settings,
      events,
      closeDay: cash.handlers['reports:close-day'],
    }),
  );
  const staff = add(
    createStaffModule({
      db,
      log,
      bus,
      training: () => credentials.status().environment === 'training',
      shared: shop.staff,
      settings,
      orderStaff: (orderId) => orders.service.staffOf(orderId),
    }),
  );
  add(
    createSettingsModule({
      db,
      settings,
      credentials,
      printerPolicy: deps.printerPolicy,
      joinedToShop: () => shop.staff.joined(),
      publishShopSettings: (patch) => shop.publishSettings(patch),
      testConnection: () => payments.testConnection(),
    }),
  );
  // Each count has one owner (declared in its module's type); a count without one fails here.
  const tradingCounts = (): TradingCounts => ({
    ...payments.inProgress(),
    ...printing.inProgress(),
  });
  const updates = add(
    createUpdatesModule({
      db,
      log,
      bus,
      settings,
      currentVersion: deps.version,
      updater: deps.updater,
      tradingCounts,
      ...(deps.updateTimings ? { timings: deps.updateTimings } : {}),
    }),
  );

  // The till's identity and status, as the screens ask for them.
  add({ name: 'app', handlers: createAppHandlers({ db, info, status }) });

  // --- Who listens to what -----------------------------------------------------------------
  // Order paid (orders, once per order): printing journals the receipts first, then an exchange's
  // new order gets its exchange receipt (returns).
  events.on('order:paid', printing.onOrderPaid);
  events.on('order:paid', returns.onOrderPaid);
  // Refund completed (payments): the return it pays settles; printing prints a refund slip unless
  // the return's receipt stands for it.
  events.on('refund:completed', returns.onRefundCompleted);
  events.on('refund:completed', printing.onRefundCompleted);
  // The day is closed and its copy made (backups): a quiet moment to check for an update.
  events.on('day:closed', updates.onDayClosed);
  // A joined till's staff list arrived from the shop: whoever it shuts out is signed out.
  events.on('staff:shop-list-changed', staff.onShopListChanged);
  // Dojo's link changed: the status, then cards taken elsewhere are matched before the pending
  // close checks run (the checks then see those cards as matched).
  dojo.link.on('change', () => {
    emitStatus();
    tenders.linkChanged();
    cash.linkChanged();
  });
  queue.outbox.on('changed', emitStatus);
  settings.onChange(emitStatus);
  credentials.onChange(emitStatus);
  bus.subscribe((name) => {
    if (name === 'printing:status' || name === 'payments:progress') emitStatus();
    // The change log (shop replication) pushes each commit now rather than at its idle tick.
    if (name === 'orders:changed') shop.wake();
    if (name === 'payments:progress') returns.onAttemptFinal();
  });

  for (const module of modules) module.start?.();

  const handlers = Object.assign({}, ...modules.map((m) => m.handlers ?? {})) as Partial<Handlers>;
  return {
    handlers: staff.guard(
      withIdempotency(handlers, createIdempotencyGuard(db, log.child('idempotency'))),
    ),
    settings,
    credentials,
    staff: staff.service,
    updates: updates.service,
    dojo,
    info,
    status,
    tradingCounts,
    async stop() {
      for (const module of [...modules].reverse()) await module.stop?.();
    },
  };
}
