import type { StateCreator } from 'zustand';
import type { TillApi } from '../../src-shared/contract';
import type {
  PrinterStatus,
  PrintJob,
  ReceiptPreviewData,
  TestPrintResult,
} from '../../src-shared/contract/printing.contract';
import type { TillState } from './store';

export type PreviewKind = 'customer' | 'merchant' | 'refund';

export type PrinterSlice = {
  printer: PrinterStatus | null;
  /** Print jobs of the order on screen (sale complete, or the order detail). */
  jobs: { orderId: string; items: PrintJob[] } | null;
  preview: { title: string; data: ReceiptPreviewData } | null;
  printError: string | null;
  lastTestPrint: TestPrintResult | null;
  setPrinterStatus: (status: PrinterStatus) => void;
  loadPrinterStatus: () => Promise<void>;
  loadJobs: (orderId: string) => Promise<void>;
  jobChanged: (job: PrintJob) => void;
  reprintLatest: (orderId: string) => Promise<void>;
  showPreview: (kind: PreviewKind, id: string, title: string) => Promise<void>;
  closePreview: () => void;
  testPrint: () => Promise<void>;
};

export const createPrinterSlice =
  (till: TillApi): StateCreator<TillState, [], [], PrinterSlice> =>
  (set, get) => ({
    printer: null,
    jobs: null,
    preview: null,
    printError: null,
    lastTestPrint: null,
    // "Test page sent" (or its failure) stops being true when the printer's state says otherwise.
    setPrinterStatus: (printer) =>
      set((s) => ({
        printer,
        lastTestPrint:
          s.lastTestPrint &&
          printer.state !== 'unknown' &&
          s.lastTestPrint.ok !== (printer.state === 'ready')
            ? null
            : s.lastTestPrint,
      })),
    async loadPrinterStatus() {
      const r = await till['printing:status']();
      if (r.ok) set({ printer: r.value });
    },
    async loadJobs(orderId) {
      const r = await till['printing:jobs']({ orderId });
      if (r.ok) set({ jobs: { orderId, items: r.value }, printError: null });
      else set({ jobs: { orderId, items: [] }, printError: r.error.message });
    },
    jobChanged(job) {
      const jobs = get().jobs;
      if (jobs && job.orderId === jobs.orderId) void get().loadJobs(jobs.orderId);
    },
    async reprintLatest(orderId) {
      let items = get().jobs?.orderId === orderId ? (get().jobs?.items ?? []) : [];
      if (items.length === 0) {
        await get().loadJobs(orderId);
        items = get().jobs?.items ?? [];
      }
      const original =
        items.find((j) => j.kind === 'customer' && !j.reprintOf) ??
        items.find((j) => !j.reprintOf) ??
        items[0];
      if (!original) {
        set({ printError: 'No receipt was printed for this order yet' });
        return;
      }
      const r = await till['printing:reprint']({ jobId: original.id });
      if (!r.ok) {
        set({ printError: r.error.message });
        return;
      }
      set({ printError: null });
      get().say(
        r.value.status === 'failed' ? 'error' : 'ok',
        r.value.status === 'failed'
          ? `Reprint failed: ${r.value.lastError ?? 'printer problem'}`
          : 'Receipt sent to the printer',
      );
      await get().loadJobs(orderId);
    },
    async showPreview(kind, id, title) {
      const r = await till['printing:preview']({ kind, id });
      if (r.ok) set({ preview: { title, data: r.value }, printError: null });
      else set({ printError: r.error.message });
    },
    closePreview: () => set({ preview: null }),
    async testPrint() {
      const r = await till['printing:test']();
      set({ lastTestPrint: r.ok ? r.value : { ok: false, message: r.error.message, jobId: null } });
    },
  });
