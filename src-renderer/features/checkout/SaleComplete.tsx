import { useEffect, useRef } from 'react';
import { useMoney } from '../../components/Money';
import { useTillStore } from '../../store/store';
import { ReceiptActions, ReceiptStatus } from '../orders/ReceiptActions';
import { ReceiptChoice } from './ReceiptChoice';
import { tenderText } from './tender-text';

/**
 * How long "New sale" waits before it takes the focus: the Enter that took the cash is often
 * pressed twice, and the second press must not clear "Give change" before anyone has read it.
 */
export const NEXT_SALE_GUARD_MS = 1500;

export function SaleComplete() {
  const checkout = useTillStore((s) => s.checkout);
  const newSale = useTillStore((s) => s.newSale);
  const paymentOpen = useTillStore((s) => s.payment !== null);
  const money = useMoney();
  const newSaleRef = useRef<HTMLButtonElement>(null);
  // Enter starts the next sale — but only once no payment dialog is open, so focus never leaves
  // a dialog the cashier is still reading, and only after a short guard (see above).
  useEffect(() => {
    if (paymentOpen) return;
    const timer = setTimeout(() => newSaleRef.current?.focus(), NEXT_SALE_GUARD_MS);
    return () => clearTimeout(timer);
  }, [paymentOpen]);
  if (!checkout) return null;
  const { order } = checkout;
  const change = order.changeMinor;
  // Cash taken: the change is said even when there is none, so nobody counts coins for nothing.
  const cash = checkout.soldForCash === true || order.tenders.some((t) => t.kind === 'cash');
  return (
    <section className="checkout sale-complete" aria-label="Sale complete">
      <h2>Sale complete</h2>
      <p className="muted">Order {order.reference}</p>
      <p className="big-amount" aria-label="Total paid">
        {money(order.totalMinor)} paid
      </p>
      {(change > 0 || cash) && (
        <p className="change-banner" role="status">
          Give change: {money(change)}
        </p>
      )}
      <ul className="tender-list" aria-label="Payments taken">
        {order.tenders.map((t) => (
          <li key={t.id}>{tenderText(t, money)}</li>
        ))}
      </ul>
      <ReceiptChoice orderId={order.id} />
      <ReceiptStatus orderId={order.id} />
      <ReceiptActions orderId={order.id} />
      <button
        ref={newSaleRef}
        type="button"
        className="btn-tender btn-card"
        onClick={() => void newSale()}
      >
        New sale
      </button>
    </section>
  );
}
