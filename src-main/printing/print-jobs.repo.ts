import type { Db } from '../db/connection';
import type { PrintJob, PrintJobStatus } from '../../src-shared/contract/printing.contract';
import {
  parseReceiptDocument,
  receiptKinds,
  type ReceiptDocument,
  type ReceiptKind,
} from '../../src-shared/domain/receipt';
import { replacedNotice } from '../../src-shared/domain/printable-text';

/** The print journal: every print is a durable `print_jobs` row holding its document as JSON. */
type JobRow = {
  id: string;
  order_id: string | null;
  refund_id: string | null;
  kind: string;
  printer: string;
  copies: number;
  document: string;
  status: PrintJobStatus;
  attempts: number;
  last_error: string | null;
  next_attempt_at: string | null;
  reprint_of: string | null;
  created_at: string;
  printed_at: string | null;
};

const kindOf = (k: string): ReceiptKind =>
  (receiptKinds as readonly string[]).includes(k) ? (k as ReceiptKind) : 'customer';

function headerOf(document: string): { title: string; notice: string | null } {
  try {
    const parsed = JSON.parse(document) as { title?: unknown; replaced?: unknown };
    const replaced = Array.isArray(parsed.replaced)
      ? parsed.replaced.filter((c): c is string => typeof c === 'string')
      : [];
    return {
      title: typeof parsed.title === 'string' ? parsed.title : 'Receipt',
      notice: replacedNotice(replaced),
    };
  } catch {
    return { title: 'Receipt', notice: null };
  }
}

export function toPrintJob(r: JobRow): PrintJob {
  const { title, notice } = headerOf(r.document);
  return {
    id: r.id,
    orderId: r.order_id,
    refundId: r.refund_id,
    kind: kindOf(r.kind),
    title,
    printer: r.printer,
    copies: r.copies,
    status: r.status,
    attempts: r.attempts,
    lastError: r.last_error,
    notice,
    nextAttemptAt: r.next_attempt_at,
    reprintOf: r.reprint_of,
    createdAt: r.created_at,
    printedAt: r.printed_at,
  };
}

export type NewPrintJob = {
  id: string;
  orderId: string | null;
  refundId: string | null;
  document: ReceiptDocument;
  printer: string;
  copies?: number;
  reprintOf?: string | null;
  status?: PrintJobStatus;
  lastError?: string | null;
  createdAt: string;
};

export function insertPrintJob(db: Db, j: NewPrintJob): PrintJob {
  db.prepare(
    `INSERT INTO print_jobs (id, order_id, refund_id, kind, printer, copies, document, status, attempts, last_error, next_attempt_at, reprint_of, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)`,
  ).run(
    j.id,
    j.orderId,
    j.refundId,
    j.document.kind,
    j.printer,
    j.copies ?? 1,
    JSON.stringify(j.document),
    j.status ?? 'pending',
    j.lastError ?? null,
    (j.status ?? 'pending') === 'pending' ? j.createdAt : null,
    j.reprintOf ?? null,
    j.createdAt,
  );
  return getPrintJob(db, j.id) as PrintJob;
}

const SELECT = `SELECT id, order_id, refund_id, kind, printer, copies, document, status, attempts, last_error, next_attempt_at, reprint_of, created_at, printed_at FROM print_jobs`;

export function getPrintJob(db: Db, id: string): PrintJob | null {
  const row = db.prepare<[string], JobRow>(`${SELECT} WHERE id = ?`).get(id);
  return row ? toPrintJob(row) : null;
}

export function getJobDocument(db: Db, id: string): ReceiptDocument | null {
  const row = db
    .prepare<[string], { document: string }>('SELECT document FROM print_jobs WHERE id = ?')
    .get(id);
  return row ? parseReceiptDocument(JSON.parse(row.document)) : null;
}

/** The document as it will print (characters the printer lacks already replaced by the marker). */
export function setJobDocument(db: Db, id: string, document: ReceiptDocument): void {
  db.prepare('UPDATE print_jobs SET document = ? WHERE id = ?').run(JSON.stringify(document), id);
}

/** Oldest waiting job first: receipts come out in the order the sales happened. */
export function nextPendingJob(db: Db): (PrintJob & { document: string }) | null {
  const row = db
    .prepare<[], JobRow>(`${SELECT} WHERE status = 'pending' ORDER BY created_at, rowid LIMIT 1`)
    .get();
  return row ? { ...toPrintJob(row), document: row.document } : null;
}

/** Claims a pending job; false if someone else already did. */
export function markPrinting(db: Db, id: string, printer: string): boolean {
  return (
    db
      .prepare(
        `UPDATE print_jobs SET status = 'printing', attempts = attempts + 1, printer = ? WHERE id = ? AND status = 'pending'`,
      )
      .run(printer, id).changes === 1
  );
}

export function markPrinted(db: Db, id: string, at: string): void {
  db.prepare(
    `UPDATE print_jobs SET status = 'printed', printed_at = ?, last_error = NULL, next_attempt_at = NULL WHERE id = ?`,
  ).run(at, id);
}

export function markRetry(db: Db, id: string, error: string, nextAttemptAt: string): void {
  db.prepare(
    `UPDATE print_jobs SET status = 'pending', last_error = ?, next_attempt_at = ? WHERE id = ?`,
  ).run(error, nextAttemptAt, id);
}

export function markFailed(db: Db, id: string, error: string): void {
  db.prepare(
    `UPDATE print_jobs SET status = 'failed', last_error = ?, next_attempt_at = NULL WHERE id = ?`,
  ).run(error, id);
}

/** After a crash or restart: a job left `printing` never finished, so it goes back in the queue. */
export function requeueInterrupted(db: Db): number {
  return db.prepare(`UPDATE print_jobs SET status = 'pending' WHERE status = 'printing'`).run()
    .changes;
}

/**
 * The customer chose no printed receipt after all: a customer receipt of the order still waiting
 * (not printing or printed, never reprinted) leaves the journal. Returns how many left.
 */
export function withdrawWaitingCustomerReceipt(db: Db, orderId: string): number {
  return db
    .prepare(
      `DELETE FROM print_jobs WHERE order_id = ? AND kind = 'customer' AND reprint_of IS NULL
         AND status IN ('pending', 'failed')
         AND NOT EXISTS (SELECT 1 FROM print_jobs r WHERE r.reprint_of = print_jobs.id)`,
    )
    .run(orderId).changes;
}

export function jobsForOrder(db: Db, orderId: string): PrintJob[] {
  return db
    .prepare<[string], JobRow>(`${SELECT} WHERE order_id = ? ORDER BY created_at, rowid`)
    .all(orderId)
    .map(toPrintJob);
}

export function jobsForRefund(db: Db, refundId: string): PrintJob[] {
  return db
    .prepare<[string], JobRow>(`${SELECT} WHERE refund_id = ? ORDER BY created_at, rowid`)
    .all(refundId)
    .map(toPrintJob);
}

export function recentJobs(db: Db, limit = 50): PrintJob[] {
  return db
    .prepare<[number], JobRow>(`${SELECT} ORDER BY created_at DESC, rowid DESC LIMIT ?`)
    .all(limit)
    .map(toPrintJob);
}

/** Counted through the `print_jobs_pending` index (status first): never a read of the journal. */
export const JOB_COUNTS_SQL = `SELECT
  (SELECT count(*) FROM print_jobs WHERE status IN ('pending', 'printing')) AS pending,
  (SELECT count(*) FROM print_jobs WHERE status = 'failed') AS failed`;

export function jobCounts(db: Db): { pending: number; failed: number } {
  const r = db.prepare<[], { pending: number; failed: number }>(JOB_COUNTS_SQL).get();
  return r ?? { pending: 0, failed: 0 };
}
