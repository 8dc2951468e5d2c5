import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { EventBus } from '../platform/event-bus';
import type { Db } from '../db/connection';
import type { Logger } from '../logging/logger';
import type { Settings } from '../../src-shared/contract/settings.contract';
import type {
  PrintJob,
  PrinterStatus,
  ReceiptPreviewData,
  TestPrintResult,
} from '../../src-shared/contract/printing.contract';
import { layoutDocument } from '../../src-shared/domain/receipt-layout';
import { paperColumns, type ReceiptDocument } from '../../src-shared/domain/receipt';
import { TillError } from '../../src-shared/errors';
import { printableDocument } from './charset';
import { checkDocumentPrintable, renderEscPos } from './escpos-renderer';
import * as journal from './print-jobs.repo';
import { createPrintWorker, type PrintWorkerOptions } from './print-worker';
import { loadOrderReceiptInput, loadRefundReceiptInput } from './receipt-data.queries';
import {
  asReprint,
  buildCustomerReceipt,
  buildDrawerKick,
  buildMerchantCopy,
  buildRefundReceipt,
  buildTestPrint,
  type ShopInfo,
} from './receipt-model';
import { parsePrinterTarget, printerTargetProblem } from './printer-target';
import { sendToPrinter, type Transport } from './printer-transport';
import { errorText } from '../platform/error-text';

export type PrintServiceDeps = {
  db: Db;
  logger: Logger;
  getSettings: () => Settings;
  bus?: EventBus;
  transport?: Transport;
  /** PNG of the shop logo; defaults to `assets/logo.png`. `null` prints without a logo. */
  logoPath?: string | null;
  worker?: Pick<PrintWorkerOptions, 'backoff' | 'drawerMaxAgeMs' | 'connectTimeoutMs'>;
  timeZone?: string;
  /** This till as the shop database knows it ("Front counter (TILL-A)"); null when not joined. */
  shopTill?: () => string | null;
  /** Throws when the test page may not go to this target (a file outside receipts, a port not allowed). */
  checkTestTarget?: (target: string) => void;
  /**
   * Whether the customer wants a printed receipt of this order (the receipt choice, or the till's
   * default until someone chooses). Absent: always.
   */
  customerReceipt?: (orderId: string) => boolean;
};

export type PrintService = ReturnType<typeof createPrintService>;

/** How far back a start looks for receipts a crash cut off (see catchUpReceipts). */
const RECEIPT_CATCH_UP_MS = 30 * 60_000;

const DEFAULT_LOGO = fileURLToPath(new URL('../../assets/logo.png', import.meta.url));

/** Another feature's own paper stands in for a sale's customer receipt (an exchange's receipt). */
export type CustomerReceiptStandIn = (orderId: string) => (() => PrintJob | null) | null;

export function createPrintService(deps: PrintServiceDeps) {
  const { db } = deps;
  // Features that print their own paper in place of a sale receipt or a refund slip say so here
  // (returns: an exchange's receipt, a return's receipt); printing asks them, never the wiring.
  const customerStandIns: CustomerReceiptStandIn[] = [];
  const refundSlipStandIns: ((refundId: string) => boolean)[] = [];
  let receiptChoice = deps.customerReceipt;
  const standInFor = (orderId: string) => {
    for (const rule of customerStandIns) {
      const print = rule(orderId);
      if (print) return print;
    }
    return null;
  };
  const log = deps.logger.child('printing');
  const transport = deps.transport ?? sendToPrinter;
  let logo: Buffer | null | undefined;
  const loadLogo = (): Buffer | null => {
    if (logo !== undefined) return logo;
    const path = deps.logoPath === undefined ? DEFAULT_LOGO : deps.logoPath;
    try {
      logo = path ? readFileSync(path) : null;
    } catch (error) {
      log.warn('logo not found; printing without it', { path, error: (error as Error).message });
      logo = null;
    }
    return logo;
  };
  const config = () => {
    const s = deps.getSettings();
    return { target: s.printer, profile: { type: s.printerType, paperWidth: s.paperWidth } };
  };
  const shop = (): ShopInfo => {
    const s = deps.getSettings();
    const shopTillName = deps.shopTill?.() ?? null;
    return {
      name: s.shopName,
      address: s.shopAddress,
      vatNumber: s.vatNumber,
      footer: s.receiptFooter,
      tillName: s.tillName,
      ...(shopTillName ? { shopTillName } : {}),
      ...(deps.timeZone ? { timeZone: deps.timeZone } : {}),
    };
  };
  const columns = (): 32 | 48 => paperColumns[deps.getSettings().paperWidth];

  const worker = createPrintWorker({
    db,
    log,
    getConfig: config,
    transport,
    loadLogo,
    ...deps.worker,
  });
  worker.on('job', (job) => deps.bus?.emit('printing:job', job));
  worker.on('status', (status) => deps.bus?.emit('printing:status', status));

  const printerConfigured = (): boolean => {
    try {
      return parsePrinterTarget(deps.getSettings().printer).kind !== 'none';
    } catch {
      return true; // a malformed setting is the operator's to fix; keep the receipt meanwhile
    }
  };
  /** Why the printer setting cannot be used, or null. */
  const targetProblem = (): string | null => printerTargetProblem(deps.getSettings().printer);
  let lastTarget = deps.getSettings().printer;

  /**
   * Journals one document as it will print: a character the printer lacks (Dojo's text, data
   * saved before input was checked) becomes the visible marker and the job says so. Only a
   * document that cannot print at all is journalled as failed, and the status bar says so.
   */
  function enqueue(
    original: ReceiptDocument,
    link: { orderId?: string | null; refundId?: string | null; reprintOf?: string | null },
  ): PrintJob {
    const doc = printableDocument(original);
    let status: 'pending' | 'failed' = 'pending';
    let lastError: string | null = null;
    try {
      checkDocumentPrintable(layoutDocument(doc, columns()));
    } catch (error) {
      if (!(error instanceof TillError)) throw error;
      status = 'failed';
      lastError = error.message;
      log.warn('receipt refused', { title: doc.title, reason: error.message });
      worker.refused(doc.title, error.message);
    }
    if (doc.replaced?.length)
      log.warn('receipt printed with markers', { title: doc.title, count: doc.replaced.length });
    const job = journal.insertPrintJob(db, {
      id: randomUUID(),
      orderId: link.orderId ?? null,
      refundId: link.refundId ?? null,
      document: doc,
      printer: deps.getSettings().printer,
      reprintOf: link.reprintOf ?? null,
      status,
      lastError,
      createdAt: new Date().toISOString(),
    });
    deps.bus?.emit('printing:job', job);
    return job;
  }

  function merchantCopies(orderId: string, onlySigned: boolean): PrintJob[] {
    const input = loadOrderReceiptInput(db, orderId, shop());
    return input.cardPayments
      .filter((p) => !onlySigned || p.signatureTaken)
      .map((p) => enqueue(buildMerchantCopy(input, p), { orderId }));
  }

  /**
   * Journals the receipts of a paid order; never throws into the payment path (see `safely`).
   * The customer receipt only when one is wanted (the receipt choice); the drawer kick and the
   * merchant copy of a signed card payment always, once.
   */
  function enqueueOrder(orderId: string): PrintJob[] {
    if (!printerConfigured()) return [];
    const first = journal.jobsForOrder(db, orderId).filter((j) => j.reprintOf === null);
    if (first.some((j) => j.kind === 'customer')) return [];
    const wanted = (receiptChoice?.(orderId) ?? true) && !standInFor(orderId);
    // A first pass without the customer receipt already journalled the drawer and merchant copy.
    const settled = first.length > 0;
    if (settled && !wanted) return [];
    const input = loadOrderReceiptInput(db, orderId, shop());
    const jobs = db.transaction(() => {
      const out: PrintJob[] = [];
      if (!settled && input.tenders.some((t) => t.kind === 'cash'))
        out.push(
          enqueue(buildDrawerKick(new Date().toISOString(), input.order.reference), { orderId }),
        );
      if (wanted) out.push(enqueue(buildCustomerReceipt(input), { orderId }));
      if (!settled) out.push(...merchantCopies(orderId, true));
      return out;
    })();
    worker.kick();
    return jobs;
  }

  function enqueueRefund(refundId: string): PrintJob[] {
    if (!printerConfigured()) return [];
    if (journal.jobsForRefund(db, refundId).some((j) => j.reprintOf === null)) return [];
    const input = loadRefundReceiptInput(db, refundId, shop());
    const job = enqueue(buildRefundReceipt(input), { orderId: input.orderId, refundId });
    worker.kick();
    return [job];
  }

  /** A receipt problem must never fail a sale or a refund that has already happened. */
  function safely(what: string, id: string, run: () => PrintJob[]): PrintJob[] {
    try {
      return run();
    } catch (error) {
      log.error(`could not journal the ${what} receipt`, {
        id,
        error: errorText(error),
      });
      return [];
    }
  }

  /**
   * Receipts a crash cut off: a payment commits first and its receipt is journalled just after,
   * so a till killed in between (power, SIGKILL) has a paid order or a completed refund with no
   * receipt. At start, those completed in the last RECEIPT_CATCH_UP_MS are journalled now (once:
   * enqueueing is idempotent per order and refund). Older ones are not printed out of the blue;
   * they can be reprinted from the order.
   */
  function catchUpReceipts(): void {
    if (!printerConfigured()) return;
    const since = new Date(Date.now() - RECEIPT_CATCH_UP_MS).toISOString();
    const orders = db
      .prepare<[string], { id: string }>(
        `SELECT o.id FROM orders o WHERE o.status = 'paid' AND o.completed_at >= ?
           AND NOT EXISTS (SELECT 1 FROM print_jobs j WHERE j.order_id = o.id AND j.kind = 'customer')
         ORDER BY o.completed_at`,
      )
      .all(since);
    const refunds = db
      .prepare<[string], { id: string }>(
        `SELECT r.id FROM refunds r WHERE r.status = 'completed' AND r.updated_at >= ?
           AND NOT EXISTS (SELECT 1 FROM print_jobs j WHERE j.refund_id = r.id)
         ORDER BY r.updated_at`,
      )
      .all(since);
    // An order whose customer chose no printed receipt journals nothing here: not counted.
    const queuedOrders = orders.filter(
      ({ id }) => safely('order', id, () => enqueueOrder(id)).length > 0,
    ).length;
    for (const { id } of refunds) safely('refund', id, () => enqueueRefund(id));
    if (queuedOrders + refunds.length > 0)
      log.warn('receipts a restart found unjournalled were queued', {
        orders: queuedOrders,
        refunds: refunds.length,
      });
  }

  return {
    start: () => {
      catchUpReceipts();
      worker.start();
    },
    stop: () => worker.stop(),
    status: (): PrinterStatus => {
      // Never "ready" for a printer setting that cannot be used, whatever printed before.
      const problem = targetProblem();
      if (problem) return { ...worker.status(), state: 'offline', reason: problem };
      return printerConfigured()
        ? worker.status()
        : { ...worker.status(), state: 'none', reason: 'No receipt printer is set up' };
    },

    /**
     * After a sale is committed: drawer kick (cash), customer receipt, merchant copy when a
     * signature was taken. Only journal writes happen here; printing is the worker's, so a
     * completed payment never waits for paper. Calling it twice for one order prints once.
     */
    onOrderCompleted(orderId: string): PrintJob[] {
      return safely('order', orderId, () => enqueueOrder(orderId));
    },

    /**
     * The customer asked for a printed receipt after the sale (receipt choice "Print"): the
     * customer receipt is journalled unless one already is. Null when it already was.
     */
    printCustomerReceipt(orderId: string): PrintJob | null {
      const standIn = standInFor(orderId);
      if (standIn) return standIn();
      if (!printerConfigured())
        throw new TillError(
          'PRINTER_CONFIG',
          'No receipt printer is set up, so the receipt cannot be printed: e-mail it (card payments) or choose No receipt.',
        );
      const existing = journal
        .jobsForOrder(db, orderId)
        .find((j) => j.kind === 'customer' && j.reprintOf === null);
      if (existing) return null;
      const job = enqueue(buildCustomerReceipt(loadOrderReceiptInput(db, orderId, shop())), {
        orderId,
      });
      worker.kick();
      return job;
    },

    /** The customer receipt waiting to print leaves the journal (the customer wants none). */
    withdrawCustomerReceipt: (orderId: string): number =>
      journal.withdrawWaitingCustomerReceipt(db, orderId),

    onRefundCompleted(refundId: string): PrintJob[] {
      if (refundSlipStandIns.some((paysOwnPaper) => paysOwnPaper(refundId))) return [];
      return safely('refund', refundId, () => enqueueRefund(refundId));
    },

    /** A feature's own paper replaces the customer receipt of some orders (see CustomerReceiptStandIn). */
    standInForCustomerReceipt(rule: CustomerReceiptStandIn): void {
      customerStandIns.push(rule);
    },

    /** A feature prints its own paper for some refunds (a return's receipt): no refund slip for them. */
    standInForRefundSlip(rule: (refundId: string) => boolean): void {
      refundSlipStandIns.push(rule);
    },

    /** Whether a paid order's customer receipt prints follows this rule (the receipt choice). */
    followReceiptChoice(wanted: (orderId: string) => boolean): void {
      receiptChoice = wanted;
    },

    /** Printer settings changed: try waiting jobs now rather than after the backoff. */
    onSettingsChanged: (): void => {
      // Another printer: what the old one answered says nothing about it until it prints.
      const target = deps.getSettings().printer;
      if (target !== lastTarget) worker.forgetState();
      lastTarget = target;
      worker.kick();
    },

    printMerchantCopy(orderId: string): PrintJob[] {
      const jobs = merchantCopies(orderId, false);
      if (jobs.length === 0)
        throw new TillError(
          'NOT_FOUND',
          'This order has no card payment, so there is no merchant copy.',
        );
      worker.kick();
      return jobs;
    },

    reprint(jobId: string): PrintJob {
      const original = journal.getPrintJob(db, jobId);
      const doc = journal.getJobDocument(db, jobId);
      if (!original || !doc) throw new TillError('NOT_FOUND', 'That print job does not exist.');
      if (original.kind === 'drawer')
        throw new TillError('VALIDATION', 'A cash drawer opening cannot be reprinted.');
      // The job says whether its document is already a reprint (then it is printed as it is).
      const source = original.reprintOf === null ? asReprint(doc) : doc;
      const job = enqueue(source, {
        orderId: original.orderId,
        refundId: original.refundId,
        reprintOf: original.id,
      });
      worker.kick();
      return job;
    },

    /** Prints straight away (not queued) and reports the real reason when it cannot. */
    async testPrint(): Promise<TestPrintResult> {
      const { target, profile } = config();
      try {
        deps.checkTestTarget?.(target);
      } catch (error) {
        return { ok: false, message: (error as Error).message, jobId: null };
      }
      const doc = buildTestPrint(
        shop(),
        new Date().toISOString(),
        target,
        paperColumns[profile.paperWidth],
      );
      const job = journal.insertPrintJob(db, {
        id: randomUUID(),
        orderId: null,
        refundId: null,
        document: doc,
        printer: target,
        createdAt: new Date().toISOString(),
      });
      journal.markPrinting(db, job.id, target);
      try {
        const parsed = parsePrinterTarget(target);
        const bytes = await renderEscPos(doc, profile, { logoPng: loadLogo() });
        await transport(parsed, bytes, {
          statusQuery: profile.type === 'epson',
          title: doc.title,
          ...(deps.worker?.connectTimeoutMs
            ? { connectTimeoutMs: deps.worker.connectTimeoutMs }
            : {}),
        });
        journal.markPrinted(db, job.id, new Date().toISOString());
        worker.kick(); // the printer answers: anything waiting can go now
        return { ok: true, message: 'Test page sent to the printer.', jobId: job.id };
      } catch (error) {
        const message = errorText(error);
        journal.markFailed(db, job.id, message);
        return { ok: false, message, jobId: job.id };
      }
    },

    /** The shop header and paper width documents are laid out for (returns build their own). */
    shopInfo: (): ShopInfo => shop(),
    columns,
    /**
     * Journals a document another feature built (a return or exchange receipt) and prints it in
     * the background; null with no printer. Never throws into the money path (see `safely`).
     */
    printDocument(doc: ReceiptDocument, orderId: string | null): PrintJob | null {
      if (!printerConfigured()) return null;
      const [job] = safely(doc.kind, doc.reference ?? doc.title, () => {
        const j = enqueue(doc, { orderId });
        worker.kick();
        return [j];
      });
      return job ?? null;
    },

    jobsForOrder: (orderId: string): PrintJob[] => journal.jobsForOrder(db, orderId),
    jobsForRefund: (refundId: string): PrintJob[] => journal.jobsForRefund(db, refundId),
    recentJobs: (): PrintJob[] => journal.recentJobs(db),

    preview(id: string, kind: 'customer' | 'merchant' | 'refund'): ReceiptPreviewData {
      if (kind === 'refund')
        return {
          document: buildRefundReceipt(loadRefundReceiptInput(db, id, shop())),
          columns: columns(),
        };
      const input = loadOrderReceiptInput(db, id, shop());
      if (kind === 'customer') return { document: buildCustomerReceipt(input), columns: columns() };
      const payment = input.cardPayments[0];
      if (!payment)
        throw new TillError(
          'NOT_FOUND',
          'This order has no card payment, so there is no merchant copy.',
        );
      return { document: buildMerchantCopy(input, payment), columns: columns() };
    },

    /** A drawer kick on its own (float, no-sale, pay-in/out, cash refund); null with no printer. */
    openDrawer(reference: string | null): PrintJob | null {
      if (!printerConfigured()) return null;
      const job = enqueue(buildDrawerKick(new Date().toISOString(), reference), {});
      worker.kick();
      return job;
    },

    /**
     * Journals a report another feature built (X or Z report, the Dojo check) and prints it in the
     * background; null with no printer. Unlike `printDocument` an error is thrown, so a Z report
     * journalled inside the day close's transaction rolls the close back with it.
     */
    printReport(doc: ReceiptDocument): PrintJob | null {
      if (!printerConfigured()) return null;
      const job = enqueue(doc, {});
      worker.kick();
      return job;
    },
  };
}
