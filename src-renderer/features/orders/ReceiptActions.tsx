import { useShallow } from 'zustand/react/shallow';
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
