import { z } from 'zod';
import type { EndOfDaySummary, ReceiptDocument, ReceiptKind } from '../domain/receipt';
import { channel, event } from './define';
import { approvalSchema } from '../domain/staff';

// Owned by the printing feature. Channels are named '<domain>:<verb>'.

export type PrintJobStatus = 'pending' | 'printing' | 'printed' | 'failed';

/** One row of the print journal as the UI sees it (the document itself stays in main). */
export type PrintJob = {
  id: string;
  orderId: string | null;
  refundId: string | null;
  kind: ReceiptKind;
  title: string;
  printer: string;
  copies: number;
  status: PrintJobStatus;
  attempts: number;
  lastError: string | null;
  /** Set when the receipt printed with a marker in place of characters the printer lacks. */
  notice: string | null;
  nextAttemptAt: string | null;
  reprintOf: string | null;
  createdAt: string;
  printedAt: string | null;
};

export type PrinterStatus = {
  state: 'ready' | 'offline' | 'none' | 'unknown';
  reason: string | null;
  pendingJobs: number;
  failedJobs: number;
  /** The last receipt that will never print and why, until the next receipt prints. */
  notPrinted?: string;
};

export type TestPrintResult = { ok: boolean; message: string; jobId: string | null };

/** A document plus the paper it is laid out for: the preview draws exactly these columns. */
export type ReceiptPreviewData = { document: ReceiptDocument; columns: 32 | 48 };

export type EndOfDayReport = ReceiptPreviewData & { summary: EndOfDaySummary };

export type DayClosure = EndOfDayReport & {
  closureId: string;
  closedAt: string;
  job: PrintJob | null;
};

const id = z.string().trim().min(1).max(100);

export const printingChannels = {
  'printing:test': channel<TestPrintResult>()(
    z.object({ approval: approvalSchema.optional() }).strict().optional(),
  ),
  'printing:status': channel<PrinterStatus>()(z.undefined()),
  /** A new job printing that exact receipt again (marked REPRINT, never re-opening the drawer). */
  'printing:reprint': channel<PrintJob>()(z.object({ jobId: id }).strict()),
  'printing:merchant-copy': channel<PrintJob[]>()(z.object({ orderId: id }).strict()),
  /** Jobs of an order or of a refund; with neither, the 50 most recent. */
  'printing:jobs': channel<PrintJob[]>()(
    z.object({ orderId: id.optional(), refundId: id.optional() }).strict().optional(),
  ),
  'printing:preview': channel<ReceiptPreviewData>()(
    z.object({ kind: z.enum(['customer', 'merchant', 'refund']), id }).strict(),
  ),
} as const;

export const printingEvents = {
  'printing:job': event<PrintJob>(),
  'printing:status': event<PrinterStatus>(),
} as const;
