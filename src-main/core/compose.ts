import type { Handlers, TillStatus } from '../../src-shared/contract';
import type { CredentialsService } from '../credentials/credentials.service';
import type { SecretStore } from '../credentials/secret-store';
import type { Db } from '../db/connection';
import type { Logger } from '../logging/logger';
import type { PollingOptions } from '../payments/payment-poller';
import { errorText } from '../platform/error-text';
import { createCoreEvents, type EventBus } from '../platform/event-bus';
import type { FeatureModule, TradingCounts } from '../platform/feature-module';
import type { PrinterPolicy } from '../printing/printer-policy';
import type { SettingsService } from '../settings/settings.service';
import type { ManagerPin } from '../settings/settings.ipc';
import type { SettingsChange } from '../shop/shop-settings';
import type { SharedStaff } from '../staff/shared-staff';
import type { StaffService } from '../staff/staff.service';
import { settingsManagerPin } from '../staff/manager-pin';
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
import { createShopFeature } from '../shop/shop.feature';
import { createTendersModule } from '../tenders/tenders.module';

export type { ConnectivityTimings };

export type ComposeDeps = {
  db: Db;
  log: Logger;
  bus: EventBus;
  settings: SettingsService;
  credentials: CredentialsService;
  staff: StaffService;
  env: NodeJS.ProcessEnv;
  dataDir: string;
  printerPolicy: PrinterPolicy;
  tillId: string;
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
};

export type Composed = {
  handlers: Partial<Handlers>;
  managerPin: ManagerPin;
  dojo: DojoModule;
  /** A joined till's staff edits go to the shop (docs/SHOP-DATABASE.md). */
  sharedStaff: SharedStaff;
  /** A joined till's change of the shop's details goes to the shop first. */
  publishShopSettings(patch: SettingsChange): Promise<void>;
  status(): TillStatus;
  /** What an update must not interrupt, from each feature's work in progress. */
  tradingCounts(): TradingCounts;
  testConnection(): Promise<{ ok: boolean; message: string; terminals: number | null }>;
  stop(): Promise<void>;
};

/**
 * The composition root: builds every feature module in order (each gets only what it needs from
 * the ones above it), subscribes the listeners, starts them; stops them in the reverse order.
 * Read top to bottom: what is built, then who listens to what.
 */
export async function compose(deps: ComposeDeps): Promise<Composed> {
  const { db, log, bus, settings, credentials } = deps;
  const events = createCoreEvents((error) =>
    log.error('core event listener failed', { error: errorText(error) }),
  );
  const modules: FeatureModule[] = [];
  const add = <M extends FeatureModule>(module: M): M => (modules.push(module), module);
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
    onStaffChanged: () => deps.staff.sharedListChanged(),
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
      closeDay: cash.handlers['reports:close-day'],
    }),
  );

  // --- Who listens to what -----------------------------------------------------------------
  // Order paid (orders, once per order): printing journals the receipts first, then an exchange's
  // new order gets its exchange receipt (returns).
  events.on('order:paid', printing.onOrderPaid);
  events.on('order:paid', returns.onOrderPaid);
  // Refund completed (payments): the return it pays settles; printing prints a refund slip unless
  // the return's receipt stands for it.
  events.on('refund:completed', returns.onRefundCompleted);
  events.on('refund:completed', printing.onRefundCompleted);
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

  return {
    handlers: Object.assign({}, ...modules.map((m) => m.handlers ?? {})) as Partial<Handlers>,
    managerPin: settingsManagerPin(db, () => shop.staff.joined()),
    dojo,
    sharedStaff: shop.staff,
    publishShopSettings: (patch) => shop.publishSettings(patch),
    status,
    // Each count has one owner (declared in its module's type); a count without one fails here.
    tradingCounts: () => ({ ...payments.inProgress(), ...printing.inProgress() }),
    testConnection: () => payments.testConnection(),
    async stop() {
      for (const module of [...modules].reverse()) await module.stop?.();
    },
  };
}
