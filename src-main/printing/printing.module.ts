import type { Db } from '../db/connection';
import type { Logger } from '../logging/logger';
import type { EventBus } from '../platform/event-bus';
import type { FeatureModule } from '../platform/feature-module';
import { shopTillLabel } from '../orders/reference';
import type { SettingsService } from '../settings/settings.service';
import { createPrintService } from './print-service';
import { checkPrinterTarget, type PrinterPolicy } from './printer-policy';
import { createPrintingHandlers } from './printing.ipc';

/**
 * Receipts, slips and reports on paper through the durable print journal. Listens to "order paid"
 * (drawer kick, customer receipt, merchant copy) and "refund completed" (the refund slip); a
 * receipt is journalled after the payment commits, so printing never holds a payment up.
 */
export function createPrintingModule(deps: {
  db: Db;
  log: Logger;
  bus: EventBus;
  settings: SettingsService;
  printerPolicy: PrinterPolicy;
  /** PNG printed at the top of receipts; null for none. */
  logoPath?: string | null;
}) {
  const { settings } = deps;
  const printing = createPrintService({
    db: deps.db,
    logger: deps.log,
    getSettings: () => settings.get(),
    bus: deps.bus,
    // A till joined to a shop: its reports name it as the shop does, not "T1".
    shopTill: () => shopTillLabel(deps.db),
    // A test page is a connection the screen asks for: only where a saved printer may point.
    checkTestTarget: (target) => {
      if (!settings.overriddenByEnvironment().includes('printer'))
        checkPrinterTarget(target, deps.printerPolicy);
    },
    ...(deps.logoPath !== undefined ? { logoPath: deps.logoPath } : {}),
  });
  // A new printer setting is tried at once by waiting receipts, not after their backoff.
  settings.onChange(() => printing.onSettingsChanged());

  return {
    name: 'printing',
    service: printing,
    handlers: createPrintingHandlers(printing),
    listens: ['order:paid', 'refund:completed'],
    onOrderPaid: ({ orderId }: { orderId: string }) => void printing.onOrderCompleted(orderId),
    onRefundCompleted: ({ refundId }: { refundId: string }) =>
      void printing.onRefundCompleted(refundId),
    start: () => printing.start(),
    stop: () => printing.stop(),
    inProgress: () => ({ pendingPrintJobs: printing.status().pendingJobs }),
    status: () => {
      const { state, pendingJobs, reason, notPrinted } = printing.status();
      return { printer: { state, pendingJobs, reason, ...(notPrinted ? { notPrinted } : {}) } };
    },
  } satisfies FeatureModule<'pendingPrintJobs'> & Record<string, unknown>;
}
