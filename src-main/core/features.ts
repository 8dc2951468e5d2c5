import type { Handlers, TillStatus } from '../../src-shared/contract';
import { TillError } from '../../src-shared/errors';
import type { Db } from '../db/connection';
import type { Logger } from '../logging/logger';
import type { EventBus } from '../platform/event-bus';
import type { SettingsService } from '../settings/settings.service';
import type { CredentialsService } from '../credentials/credentials.service';
import type { ManagerPin } from '../settings/settings.ipc';
import { createDojoGateway, type DojoGateway } from '../dojo/dojo-gateway';
import { createOrdersService } from '../orders/orders.service';
import { createOrdersHandlers } from '../orders/orders.ipc';
import { seedCatalogueIfEmpty } from '../orders/catalogue-seed';
import { createOutbox } from '../queue/outbox';
import { createConnectivityMonitor, type ConnectivityOptions } from '../queue/connectivity-monitor';
import { isManagerPinSet, setManagerPin } from '../staff/manager-pin';
import { createPaymentsService } from '../payments/payments.service';
import { createPaymentsHandlers } from '../payments/payments.ipc';
import { dojoUnreachableNow } from '../payments/terminal-guard';
import type { PollingOptions } from '../payments/payment-poller';
import { createPrintService } from '../printing/print-service';
import { checkPrinterTarget, type PrinterPolicy } from '../printing/printer-policy';
import { createPrintingHandlers } from '../printing/printing.ipc';
import { createReportsService } from '../reports/reports.service';
import { createReportsHandlers } from '../reports/reports.ipc';
import { createBackupService } from '../backups/backup.service';
import { createBackupsHandlers } from '../backups/backups.ipc';
import { createQueueHandlers } from '../queue/queue.ipc';
import type { SecretStore } from '../credentials/secret-store';
import { createShopFeature } from '../shop/shop.feature';
import type { SharedStaff } from '../staff/shared-staff';
import type { SettingsChange } from '../shop/shop-settings';
import { createShopReturns, type ShopReturns } from '../shop/shop-returns';
import { createCashService } from '../cash/cash.service';
import { createCashHandlers } from '../cash/cash.ipc';
import { createReturnsService, type ReturnsService } from '../returns/returns.service';
import { createReversals } from '../returns/reversal';
import { createReturnsHandlers } from '../returns/returns.ipc';
import { createReceiptChoiceService } from '../receipts/receipt-choice.service';
import { createOtherTendersService } from '../tenders/other-tenders.service';
import { createTendersHandlers } from '../tenders/tenders.ipc';
import { errorText } from '../platform/error-text';

export type FeatureDeps = {
  db: Db;
  log: Logger;
  bus: EventBus;
  settings: SettingsService;
  credentials: CredentialsService;
  env: NodeJS.ProcessEnv;
  dataDir: string;
  printerPolicy: PrinterPolicy;
  tillId: string;
  simulatorTimeScale: number;
  sampleCataloguePath?: string;
  /** PNG printed at the top of receipts; null for none. */
  logoPath?: string | null;
  emitStatus: () => void;
  /** Where the shop database's address rests (main only), like the Dojo key. */
  shopSecretStore: SecretStore;
  /** The shop's staff list changed this till's copy (the staff service signs out who left). */
  onStaffChanged?: () => void;
  /** Connectivity monitor timings (tests shorten them); defaults: 30 s online, 2–60 s offline backoff. */
  connectivity?: ConnectivityTimings;
  /** Card payment polling (default: the payments service's own). */
  paymentPolling?: Partial<PollingOptions>;
};

export type ConnectivityTimings = Pick<
  ConnectivityOptions,
  'intervalMs' | 'offlineBaseMs' | 'maxBackoffMs' | 'timeoutMs'
>;

export type Features = {
  handlers: Partial<Handlers>;
  managerPin: ManagerPin;
  gateway: DojoGateway;
  /** A joined till's staff edits go to the shop (docs/SHOP-DATABASE.md). */
  sharedStaff: SharedStaff;
  /** A joined till's change of the shop's details goes to the shop first. */
  publishShopSettings(patch: SettingsChange): Promise<void>;
  status(): TillStatus;
  testConnection(): Promise<{ ok: boolean; message: string; terminals: number | null }>;
  stop(): Promise<void>;
};

/** Wires the feature services (Dojo, orders, queue, payments, printing, reports) into one core. */
export async function createFeatures(deps: FeatureDeps): Promise<Features> {
  const { db, log, bus, settings, credentials } = deps;
  seedCatalogueIfEmpty(db, {
    logger: log.child('catalogue'),
    ...(deps.sampleCataloguePath ? { csvPath: deps.sampleCataloguePath } : {}),
  });

  const gateway = await createDojoGateway({
    credentials,
    settings,
    env: deps.env,
    log,
    simulatorTimeScale: deps.simulatorTimeScale,
    dataDir: deps.dataDir,
  });
  const connectivity = createConnectivityMonitor({
    probe: () => gateway.client().listTerminals(),
    logger: log,
    intervalMs: 30_000,
    ...deps.connectivity,
  });
  // A call the till made that could not reach Dojo flips the status within seconds instead of at
  // the next 30 s probe; one that got an answer while we think Dojo is away brings it back early.
  // While offline, failures do not poke: the monitor's own backoff paces the probes.
  gateway.onCall((outcome) => {
    if (
      outcome === 'unreachable'
        ? connectivity.state !== 'offline'
        : connectivity.state === 'offline'
    )
      connectivity.poke();
  });
  const outbox = createOutbox({ db, logger: log, connectivity });

  const printing = createPrintService({
    db,
    logger: log,
    getSettings: () => settings.get(),
    bus,
    // A test page is a connection the screen asks for: only where a saved printer may point.
    checkTestTarget: (target) => {
      if (!settings.overriddenByEnvironment().includes('printer'))
        checkPrinterTarget(target, deps.printerPolicy);
    },
    ...(deps.logoPath !== undefined ? { logoPath: deps.logoPath } : {}),
  });
  // The X and Z reports and the day closure; the paper goes through the print journal.
  const reports = createReportsService({
    db,
    logger: log,
    currency: () => settings.get().currency,
    printing,
  });
  // A receipt is journalled after the payment commits; printing never holds a payment up. An
  // exchange's new order prints the exchange receipt (both sides) instead (returns feature).
  let returns: ReturnsService | null = null;
  let acrossTillsLate: ShopReturns | null = null;
  const printReceipts = (orderId: string) => {
    printing.onOrderCompleted(orderId);
    returns?.onOrderPaid(orderId);
  };

  const orders = createOrdersService({
    db,
    logger: log,
    bus,
    tillId: () => settings.get().tillName || deps.tillId,
    currency: () => settings.get().currency,
    scaleRules: () => settings.get().scaleBarcodes,
    cashRounding: () => settings.get().cashRounding,
    onOrderPaid: (orderId) => printReceipts(orderId),
  });

  const payments = createPaymentsService({
    db,
    logger: log,
    bus,
    dojo: () => gateway.client(),
    currency: () => settings.get().currency,
    defaultTerminal: {
      get: () => settings.get().defaultTerminalId,
      set: (terminalId) => void settings.update({ defaultTerminalId: terminalId }),
    },
    // Orders are read, and card tenders applied, through the orders service: its one order-paid
    // hook (printReceipts above) follows card and cash sales alike.
    orders,
    // A refund that pays a return prints the return receipt, not a refund slip (returns' rule).
    onRefundCompleted: (refundId) => {
      returns?.onRefundSettled(refundId);
      printing.onRefundCompleted(refundId);
    },
    outbox,
    online: () => connectivity.state !== 'offline',
    env: deps.env,
    ...(deps.paymentPolling ? { polling: deps.paymentPolling } : {}),
  });

  const otherTenders = createOtherTendersService({
    db,
    logger: log,
    dojo: () => gateway.client(),
    applyTender: (tender, withTender) => orders.applyTender(tender, withTender),
    getOrderSummary: (orderId) => {
      const order = orders.findSummary(orderId);
      if (!order) throw new TillError('NOT_FOUND', 'That order does not exist.');
      return order;
    },
    // The same rule as card work (payments/terminal-guard.ts).
    dojoUnreachable: () => dojoUnreachableNow(connectivity),
    onMatched: (run) => {
      for (const t of run.matched)
        bus.emit('orders:changed', { orderId: t.orderId, reference: t.reference, status: 'paid' });
    },
  });
  // The drawer and the till day: returns and returns across tills pay cash out of it.
  const cash = createCashService({
    db,
    logger: log,
    currency: () => settings.get().currency,
    printing,
    reports,
    dojo: () => gateway.client(),
    onCheckCompleted: () => deps.emitStatus(),
    orders,
    tenders: otherTenders,
  });

  returns = createReturnsService({
    db,
    logger: log,
    bus,
    currency: () => settings.get().currency,
    tillId: () => settings.get().tillName || deps.tillId,
    orders,
    payments,
    cash,
    printing,
    // An exchange receipt follows the new order's receipt choice, like a sale receipt.
    receiptWanted: (orderId) => receipts.wantsPrinted(orderId),
    // Joined to a shop: other tills' returns of this till's order count too (shop-returns.ts).
    elsewhere: (orderId) => acrossTillsLate?.elsewhere(orderId) ?? null,
  });
  const reversals = createReversals({
    db,
    logger: log,
    bus,
    dojo: () => gateway.client(),
    orders,
  });
  const followReturns = returns;
  const receipts = createReceiptChoiceService({
    db,
    logger: log,
    dojo: () => gateway.client(),
    getSettings: () => settings.get(),
    // An exchange's new order has the exchange receipt (returns feature) for its customer receipt.
    printing,
  });
  printing.followReceiptChoice((orderId) => receipts.wantsPrinted(orderId));
  // Cards taken on another terminal during an outage are looked for as soon as Dojo is back.
  const matchWaiting = () => {
    if (connectivity.state === 'online' && otherTenders.hasWaiting())
      void otherTenders
        .matchNow()
        .catch((error: unknown) =>
          log.warn('matching cards taken elsewhere failed', { error: String(error) }),
        );
  };

  const backups = createBackupService({
    db,
    dataDir: deps.dataDir,
    keep: () => settings.get().backupKeep,
    logger: log,
  });
  const printingHandlers = createPrintingHandlers(printing);
  const shop = createShopFeature({
    db,
    log,
    bus,
    env: deps.env,
    store: deps.shopSecretStore,
    onStatus: () => deps.emitStatus(),
    onStaffChanged: () => deps.onStaffChanged?.(),
    // Checked against the settings rules before this; a refusal here is logged, never a lost link.
    applySettings: (patch) => {
      try {
        settings.update(patch, 'shop database');
      } catch (error) {
        log.warn('shop settings not applied', { error: errorText(error) });
      }
    },
  });
  const returnsOwn = returns;
  // Another till's order is returned here against what every till already took back of it.
  const acrossTills = createShopReturns({
    db,
    log,
    url: () => shop.url(),
    currency: () => settings.get().currency,
    returns: { get: (id) => returnsOwn.get(id), written: (id) => returnsOwn.written(id) },
    serverRefund: (input) => payments.serverRefund(input),
    openDrawer: (reference) => printing.openDrawer(reference),
    cash,
    announce: (orderId) => orders.announceChange(orderId),
    linkUp: () => shop.status().state === 'connected',
  });
  acrossTillsLate = acrossTills;
  const returnsHandlers = createReturnsHandlers(returns, reversals, acrossTills);

  const cashHandlers = createCashHandlers(cash, (check) => void reports.printDojoCheck(check));
  const closeDay = cashHandlers['reports:close-day'];
  // A three-way check left pending at close (Dojo away) runs as soon as Dojo answers again.
  const runPendingChecks = () => {
    if (connectivity.state === 'online')
      void cash
        .runPending()
        .catch((error: unknown) =>
          log.warn('pending Dojo checks failed', { error: String(error) }),
        );
  };

  const status = (): TillStatus => {
    const link = connectivity.snapshot();
    const shopLink = shop.status();
    const queue = outbox.stats();
    return {
      mode: credentials.status().environment,
      dojo: { state: link.state, checkedAt: link.checkedAt, reason: link.reason },
      queue: { pending: queue.pending, failed: queue.dead },
      printer: (({ state, pendingJobs, reason, notPrinted }) => ({
        state,
        pendingJobs,
        reason,
        ...(notPrinted ? { notPrinted } : {}),
      }))(printing.status()),
      needsAttention: payments.needsAttention(),
      shop: { state: shopLink.state, behind: shopLink.behind, reason: shopLink.reason },
    };
  };
  connectivity.on('change', () => {
    deps.emitStatus();
    // Matched first: the close's check then sees those cards as matched.
    matchWaiting();
    runPendingChecks();
  });
  outbox.on('changed', () => deps.emitStatus());
  // The terminal list every screen shows follows the Dojo setup: after a key or a partner id
  // changes, or a connection test, it is read again and pushed (terminals:status), so a fixed
  // setting never leaves "No terminals found" on screen until a reload.
  const refreshTerminals = () =>
    void payments.listTerminals().catch((error: unknown) =>
      log.warn('terminal list after a Dojo setting change failed', {
        error: errorText(error),
      }),
    );
  let dojoIds = `${settings.get().softwareHouseId}\u0000${settings.get().resellerId}`;
  // A new printer setting is tried at once by waiting receipts, not after their backoff.
  settings.onChange((next) => {
    printing.onSettingsChanged();
    deps.emitStatus();
    const ids = `${next.softwareHouseId}\u0000${next.resellerId}`;
    if (ids !== dojoIds) refreshTerminals();
    dojoIds = ids;
  });
  credentials.onChange(() => {
    void connectivity.checkNow();
    deps.emitStatus();
    refreshTerminals();
  });

  bus.subscribe((name) => {
    if (name === 'printing:status' || name === 'payments:progress') deps.emitStatus();
    if (name === 'orders:changed') shop.wake();
    // A terminal refund that ended (approved or not) settles the return it pays.
    if (name === 'payments:progress') followReturns.onAttemptFinal();
  });

  connectivity.start();
  outbox.start();
  printing.start();
  shop.start();
  // Recovery (docs/PAYMENTS.md rule 8) runs in the background: card sales are refused until it has
  // finished, but a slow or unreachable Dojo must not keep the till (and cash sales) from opening.
  const recovery = payments
    .start()
    .then(() => deps.emitStatus())
    .catch((error: unknown) => log.error('payment recovery failed', { error: String(error) }));

  return {
    handlers: {
      ...createOrdersHandlers({ orders, shared: shop.catalogue }),
      ...createPaymentsHandlers(payments, () => connectivity),
      ...printingHandlers,
      ...createReportsHandlers(reports),
      ...cashHandlers,
      ...returnsHandlers,
      // Each day close leaves a copy of the database behind it. The day is closed whatever
      // happens to the copy: a failed backup is logged, and Settings can make one by hand.
      'reports:close-day': async (input) => {
        const closure = await closeDay(input);
        await backups.create('day-close').catch(() => undefined);
        return closure;
      },
      ...createBackupsHandlers(backups),
      ...createQueueHandlers({ db, outbox }),
      ...shop.handlers,
      ...createTendersHandlers(otherTenders, receipts),
    },
    managerPin: {
      isSet: () => isManagerPinSet(db),
      set: (pin, current) => {
        // The old one-PIN form writes this till's copy only: on a joined till that would fork
        // the shop's staff list.
        if (shop.staff.joined())
          throw new TillError(
            'VALIDATION',
            'This till is joined to a shop: its staff are the shop’s. Change a PIN in Staff (Reset PIN) so that every till of the shop knows it.',
          );
        setManagerPin(db, pin, current);
      },
    },
    gateway,
    sharedStaff: shop.staff,
    publishShopSettings: (patch) => shop.publishSettings(patch),
    status,
    async testConnection() {
      const result = await gateway.testConnection();
      if (result.ok) refreshTerminals();
      return result;
    },
    async stop() {
      await recovery;
      await shop.stop();
      await cash.runPending().catch(() => undefined);
      await payments.stop();
      await printing.stop();
      await outbox.stop();
      await connectivity.stop();
      await gateway.stop();
    },
  };
}
