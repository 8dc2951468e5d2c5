import type { Db } from '../db/connection';
import type { Logger } from '../logging/logger';
import type { PrintJob, PrinterStatus } from '../../src-shared/contract/printing.contract';
import { parseReceiptDocument } from '../../src-shared/domain/receipt';
import { TillError } from '../../src-shared/errors';
import { printableDocument } from './charset';
import { renderEscPos, type PrinterProfile } from './escpos-renderer';
import {
  getPrintJob,
  jobCounts,
  markFailed,
  markPrinted,
  markPrinting,
  markRetry,
  nextPendingJob,
  requeueInterrupted,
  setJobDocument,
} from './print-jobs.repo';
import { describeTarget, parsePrinterTarget } from './printer-target';
import { sendToPrinter, type Transport } from './printer-transport';
import { backoffDelay } from '../platform/backoff';
import { errorText } from '../platform/error-text';
import { createEmitter } from '../platform/emitter';

export type PrinterConfig = { target: string; profile: PrinterProfile };

export type PrintWorkerEvents = {
  job: (job: PrintJob) => void;
  status: (status: PrinterStatus) => void;
};

export type PrintWorkerOptions = {
  db: Db;
  log: Logger;
  getConfig: () => PrinterConfig;
  transport?: Transport;
  loadLogo?: () => Buffer | null;
  backoff?: { baseMs: number; maxMs: number };
  /**
   * A drawer kick that could not fire within this time (default {@link DRAWER_MAX_AGE_MS}) is
   * dropped: a drawer springing open when the printer returns, with nobody at the till, is worse
   * than the cashier opening it with the key.
   */
  drawerMaxAgeMs?: number;
  connectTimeoutMs?: number;
};

/**
 * Drains the print journal, one job at a time, oldest first. A printer that is off, unplugged or
 * out of paper holds the queue and is retried with backoff; the receipts come out when it is back.
 */
export type PrintWorker = {
  start(): void;
  stop(): Promise<void>;
  /** Something new was queued (or the settings changed): try now instead of after the backoff. */
  kick(): void;
  /** The printer changed: its state is unknown until it answers. */
  forgetState(): void;
  status(): PrinterStatus;
  /**
   * A receipt that will never print (refused, or broken): the printer may be fine, but the status
   * must not say "ready" as if it had printed. Cleared by the next receipt that prints.
   */
  refused(title: string, why: string): void;
  on<E extends keyof PrintWorkerEvents>(event: E, listener: PrintWorkerEvents[E]): () => void;
};

/** A few seconds: long enough for a printer to answer a retry, too short to walk away. */
export const DRAWER_MAX_AGE_MS = 10_000;

export function createPrintWorker(o: PrintWorkerOptions): PrintWorker {
  const log = o.log;
  const transport = o.transport ?? sendToPrinter;
  const backoff = o.backoff ?? { baseMs: 1000, maxMs: 30_000 };
  const events = createEmitter<{ job: PrintJob; status: PrinterStatus }>((error) =>
    log.error('print worker listener failed', { error: errorText(error) }),
  );
  let controller: AbortController | null = null;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let failures = 0;
  let state: PrinterStatus['state'] = 'unknown';
  let reason: string | null = null;
  /** The last receipt that will never print, until the next one that does. */
  let notPrinted: string | null = null;

  const status = (): PrinterStatus => ({
    state,
    reason,
    pendingJobs: jobCounts(o.db).pending,
    failedJobs: jobCounts(o.db).failed,
    ...(notPrinted ? { notPrinted } : {}),
  });
  const emitJob = (id: string) => {
    const job = getPrintJob(o.db, id);
    if (job) events.emit('job', job);
  };
  const setState = (next: PrinterStatus['state'], why: string | null) => {
    const changed = next !== state || why !== reason;
    state = next;
    reason = why;
    if (changed) events.emit('status', status());
  };

  const refused = (title: string, why: string) => {
    notPrinted = `${title} was not printed: ${why}`;
    events.emit('status', status());
  };

  const schedule = (ms: number) => {
    if (!controller || controller.signal.aborted) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      if (!running) running = drain().finally(() => (running = null));
    }, ms);
  };

  const delay = (): number => backoffDelay(failures, { ...backoff, jitter: [0.8, 1.2] });

  /** Prints one job; returns false when the printer is unavailable and the queue should wait. */
  async function printOne(
    job: PrintJob & { document: string },
    signal: AbortSignal,
  ): Promise<boolean> {
    const config = o.getConfig();
    let targetText = config.target;
    try {
      const target = parsePrinterTarget(config.target);
      targetText = target.kind === 'none' ? 'none' : config.target;
      if (target.kind === 'none')
        throw new TillError(
          'PRINTER_CONFIG',
          'No receipt printer is set up. Choose one in Settings.',
          { retryable: true },
        );
      if (
        job.kind === 'drawer' &&
        Date.now() - Date.parse(job.createdAt) > (o.drawerMaxAgeMs ?? DRAWER_MAX_AGE_MS)
      ) {
        markFailed(
          o.db,
          job.id,
          'The cash drawer was not opened: the printer was unavailable at the time of the sale.',
        );
        emitJob(job.id);
        return true;
      }
      if (!markPrinting(o.db, job.id, targetText)) return true;
      emitJob(job.id);
      const stored = parseReceiptDocument(JSON.parse(job.document));
      // Journalled before input was checked, or by an older version: print it with markers,
      // and keep the document as printed so the journal and the screen say what was replaced.
      const doc = printableDocument(stored);
      if ((doc.replaced?.length ?? 0) !== (stored.replaced?.length ?? 0)) {
        setJobDocument(o.db, job.id, doc);
        log.warn('receipt printed with markers', { job: job.id, count: doc.replaced?.length });
      }
      const bytes = await renderEscPos(doc, config.profile, {
        logoPng: o.loadLogo?.() ?? null,
        copies: job.copies,
      });
      await transport(target, bytes, {
        statusQuery: config.profile.type === 'epson',
        signal,
        title: doc.title,
        ...(o.connectTimeoutMs ? { connectTimeoutMs: o.connectTimeoutMs } : {}),
      });
      markPrinted(o.db, job.id, new Date().toISOString());
      log.info('printed', { job: job.id, kind: job.kind, printer: describeTarget(target) });
      failures = 0;
      if (notPrinted) {
        notPrinted = null;
        if (state === 'ready' && reason === null) events.emit('status', status());
      }
      setState('ready', null);
      emitJob(job.id);
      return true;
    } catch (error) {
      const message = errorText(error);
      if (error instanceof TillError && error.code === 'PRINT_UNREPRESENTABLE') {
        markFailed(o.db, job.id, message);
        log.warn('print refused', { job: job.id, reason: message });
        refused(job.title, message);
        emitJob(job.id);
        return true;
      }
      if (!(error instanceof TillError)) {
        // A document we cannot render will never print; keep it in the journal for a look.
        const why = `This receipt could not be prepared for printing: ${message}`;
        markFailed(o.db, job.id, why);
        log.error('print job broken', { job: job.id, error: message });
        refused(job.title, why);
        emitJob(job.id);
        return true;
      }
      failures++;
      const wait = delay();
      markRetry(o.db, job.id, message, new Date(Date.now() + wait).toISOString());
      log.warn('printer unavailable', { job: job.id, reason: message, retryInMs: wait });
      setState(error.code === 'PRINTER_CONFIG' ? 'none' : 'offline', message);
      emitJob(job.id);
      schedule(wait);
      return false;
    }
  }

  async function drain(): Promise<void> {
    const signal = controller?.signal;
    while (signal && !signal.aborted) {
      const job = nextPendingJob(o.db);
      if (!job) return;
      if (!(await printOne(job, signal))) return;
    }
  }

  return {
    start() {
      if (controller) return;
      controller = new AbortController();
      const requeued = requeueInterrupted(o.db);
      if (requeued) log.info('requeued interrupted print jobs', { count: requeued });
      schedule(0);
    },
    async stop() {
      controller?.abort();
      controller = null;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
    kick() {
      failures = Math.min(failures, 1);
      if (!running) schedule(0);
    },
    forgetState: () => setState('unknown', null),
    status,
    refused,
    on: (event, listener) =>
      events.on(event, listener as (payload: Parameters<typeof listener>[0]) => void),
  };
}
