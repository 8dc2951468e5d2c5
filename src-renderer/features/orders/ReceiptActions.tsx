import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { PrintJob } from '../../../src-shared/contract/printing.contract';
import { Dialog } from '../../components/Dialog';
import { useTillStore } from '../../store/store';
import { ReceiptPreview } from '../receipt/ReceiptPreview';

/** Receipt preview (as it prints) and reprint of the exact journalled receipt. */
export function ReceiptActions({ orderId }: { orderId: string }) {
  const { reprint, showPreview, error } = useTillStore(
    useShallow((s) => ({
      reprint: s.reprintLatest,
      showPreview: s.showPreview,
      error: s.printError,
    })),
  );
  return (
    <div className="receipt-actions">
      <div className="button-row">
        <button
          type="button"
          className="btn-secondary"
          onClick={() => void showPreview('customer', orderId, 'Customer receipt')}
        >
          Show receipt
        </button>
        <button type="button" className="btn-secondary" onClick={() => void reprint(orderId)}>
          Reprint receipt
        </button>
      </div>
      {error && <p role="alert">{error}</p>}
    </div>
  );
}

const jobWords = (job: PrintJob, printerReason: string | null): string => {
  const what = job.kind === 'merchant' ? 'Merchant copy' : 'Receipt';
  switch (job.status) {
    case 'printed':
      return `${what} printed`;
    case 'pending':
    case 'printing':
      return `${what} not printed yet, waiting for the printer${
        (job.lastError ?? printerReason) ? `: ${job.lastError ?? printerReason}` : ''
      }`;
    case 'failed':
      return `${what} NOT printed: ${job.lastError ?? 'the printer refused it'}`;
  }
};

/**
 * What happened to this order's receipts, live: printed, waiting, or not printed and why — and
 * when characters the printer lacks were printed as a marker. A receipt never fails unseen.
 */
export function ReceiptStatus({ orderId }: { orderId: string }) {
  const { jobs, loadJobs, printerReason } = useTillStore(
    useShallow((s) => ({
      jobs: s.jobs?.orderId === orderId ? s.jobs.items : null,
      loadJobs: s.loadJobs,
      printerReason: s.status?.printer.reason ?? null,
    })),
  );
  useEffect(() => {
    void loadJobs(orderId);
  }, [orderId, loadJobs]);
  const shown = (jobs ?? []).filter((j) => j.kind !== 'drawer');
  if (shown.length === 0) return null;
  return (
    <ul className="receipt-status" aria-label="Receipts">
      {shown.map((j) => (
        <li
          key={j.id}
          role={j.status === 'failed' ? 'alert' : undefined}
          className={j.status === 'failed' || j.notice ? 'bad-text' : undefined}
        >
          {jobWords(j, printerReason)}
          {j.reprintOf ? ' (reprint)' : ''}
          {j.notice && <span className="muted"> — {j.notice}</span>}
        </li>
      ))}
    </ul>
  );
}

export function ReceiptPreviewDialog() {
  const { preview, close } = useTillStore(
    useShallow((s) => ({ preview: s.preview, close: s.closePreview })),
  );
  if (!preview) return null;
  return (
    <Dialog title={preview.title} onClose={close}>
      <div className="receipt-frame">
        <ReceiptPreview document={preview.data.document} columns={preview.data.columns} />
      </div>
    </Dialog>
  );
}
