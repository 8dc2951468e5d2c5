import { Fragment, useState } from 'react';
import { tenderText } from '../checkout/tender-text';
import { useShallow } from 'zustand/react/shallow';
import { useMoney } from '../../components/Money';
import { formatKg } from '../../../src-shared/domain/scale-barcodes';
import { vatLabel } from '../../../src-shared/domain/pricing';
import { stateWords } from '../../store/payment.slice';
import { useTillStore } from '../../store/store';
import { ReceiptActions } from './ReceiptActions';
import { RefundDialog } from './RefundDialog';
import { OrderReturns } from '../returns/OrderReturns';

const when = (iso: string) => new Date(iso).toLocaleString('en-GB');
/** A manager's note (recorded by hand) is the one journal detail worth reading on screen. */
const noteOf = (detail: Record<string, unknown> | null): string | null =>
  typeof detail?.note === 'string' ? detail.note : null;
const kindWords = {
  sale: 'Card sale',
  matched_refund: 'Card refund (matched)',
  unlinked_refund: 'Card refund (unlinked)',
} as const;

export function OrderDetailPanel() {
  const { order, refunds, attempts, close, openAttempt } = useTillStore(
    useShallow((s) => ({
      order: s.selectedOrder,
      refunds: s.selectedRefunds,
      attempts: s.selectedAttempts,
      close: s.closeOrder,
      openAttempt: s.openAttempt,
    })),
  );
  const money = useMoney();
  /** The attempt being refunded, by id: the dialog follows the core's figures as they refresh. */
  const [refundingId, setRefundingId] = useState<string | null>(null);
  // What is still refundable comes from the core (the same figure its refund cap enforces).
  const refundableAttempts = attempts.filter((a) => (a.refundableMinor ?? 0) > 0);
  const refunding = attempts.find((a) => a.id === refundingId) ?? null;
  if (!order) {
    return (
      <section className="panel" aria-label="Order detail">
        <p className="muted">Choose an order to see its lines, payments and refunds.</p>
      </section>
    );
  }
  return (
    <section className="panel" aria-label="Order detail">
      <header className="basket-head" style={{ padding: 0 }}>
        <h2>Order {order.reference}</h2>
        <button type="button" className="btn-secondary btn-small" onClick={close}>
          Close
        </button>
      </header>
      <p className="muted">
        {when(order.createdAt)} · {order.status}
        {order.staffName ? ` · by ${order.staffName}` : ''}
        {order.refundedMinor > 0 ? ` · refunded ${money(order.refundedMinor)}` : ''}
      </p>
      <table aria-label="Order lines">
        <thead>
          <tr>
            <th>Item</th>
            <th className="num">Qty</th>
            <th>VAT</th>
            <th className="num">Amount</th>
          </tr>
        </thead>
        <tbody>
          {order.lines.map((l) => (
            <tr key={l.position}>
              <td>
                {l.name}
                {l.discountMinor > 0 && <span className="muted"> (−{money(l.discountMinor)})</span>}
                {l.weightGrams && l.pricePerKgMinor !== null && l.pricePerKgMinor !== undefined ? (
                  <div className="line-sub">
                    {formatKg(l.weightGrams)} × {money(l.pricePerKgMinor)}/kg
                  </div>
                ) : null}
                {(l.modifiers ?? []).map((m, i) => (
                  <div key={i} className="line-sub">
                    + {m.name}
                    {m.priceMinor > 0 ? ` ${money(m.priceMinor * l.quantity)}` : ''}
                    {m.vatRateBp !== l.vatRateBp ? ` (VAT ${vatLabel(m.vatRateBp)})` : ''}
                  </div>
                ))}
              </td>
              <td className="num">{l.quantity}</td>
              <td>{vatLabel(l.vatRateBp)}</td>
              <td className="num">{money(l.lineTotalMinor)}</td>
            </tr>
          ))}
          {order.vatBreakdown.map((v) => (
            <tr key={v.rateBp} className="muted">
              <td colSpan={3}>
                VAT {vatLabel(v.rateBp)} on {money(v.grossMinor)}
              </td>
              <td className="num">{money(v.vatMinor)}</td>
            </tr>
          ))}
          <tr>
            <td colSpan={3}>
              <strong>Total</strong> (VAT {money(order.vatMinor)}
              {order.eatIn ? ', eaten in' : ''})
            </td>
            <td className="num">
              <strong>{money(order.totalMinor)}</strong>
            </td>
          </tr>
        </tbody>
      </table>

      <h3 style={{ marginTop: 12 }}>Payments</h3>
      <ul aria-label="Tenders">
        {order.tenders.length === 0 && <li className="muted">None</li>}
        {order.tenders.map((t) => (
          <li key={t.id}>
            {tenderText(t, money)}
            {t.changeMinor ? `, change ${money(t.changeMinor)}` : ''}
          </li>
        ))}
      </ul>

      <h3>Card attempts</h3>
      {attempts.length === 0 && <p className="muted">None</p>}
      {attempts.map((a) => {
        const refundable = a.refundableMinor ?? 0;
        return (
          <Fragment key={a.id}>
            <details className="attempt">
              <summary>
                {kindWords[a.kind]} {money(a.amountMinor)} — {stateWords(a.state)}
                {refundable > 0 && refundable < a.amountMinor
                  ? ` · ${money(refundable)} still refundable`
                  : ''}
              </summary>
              <ol className="journal" aria-label="Attempt journal">
                {a.events.map((e) => (
                  <li key={e.id}>
                    {new Date(e.at).toLocaleTimeString('en-GB')} · {e.source} · {e.type}
                    {noteOf(e.detail) !== null && <> · “{noteOf(e.detail)}”</>}
                  </li>
                ))}
              </ol>
            </details>
            {a.state.kind === 'unconfirmed' && (
              <div className="button-row">
                <button
                  type="button"
                  aria-label={`Check again: card ${a.kind === 'sale' ? 'payment' : 'refund'} of ${money(a.amountMinor)}`}
                  onClick={() => void openAttempt(a.id, 'check')}
                >
                  Check again
                </button>
                {a.kind === 'sale' && (
                  <button
                    type="button"
                    className="btn-secondary"
                    aria-label={`Record manually: card payment of ${money(a.amountMinor)}`}
                    onClick={() => void openAttempt(a.id, 'record')}
                  >
                    Record manually…
                  </button>
                )}
              </div>
            )}
          </Fragment>
        );
      })}
      {refundableAttempts.length > 0 && (
        <div className="button-row">
          {refundableAttempts.map((a) => (
            <button
              key={a.id}
              type="button"
              aria-label={`Refund card payment of ${money(a.amountMinor)}`}
              onClick={() => setRefundingId(a.id)}
            >
              Refund {money(a.refundableMinor ?? 0)} card
            </button>
          ))}
        </div>
      )}

      <OrderReturns order={order} attempts={attempts} onRefundInstead={setRefundingId} />

      <h3>Refunds</h3>
      <ul aria-label="Refunds">
        {refunds.length === 0 && <li className="muted">None</li>}
        {refunds.map((r) => (
          <li key={r.id}>
            {r.kind} {money(r.amountMinor)} — {r.status}
            {r.reason ? ` (${r.reason})` : ''}
            {r.lastError ? ` · ${r.lastError}` : ''}
          </li>
        ))}
      </ul>
      <ReceiptActions orderId={order.id} />
      {refunding && (
        <RefundDialog
          attempt={refunding}
          refundable={refunding.refundableMinor ?? 0}
          onClose={() => setRefundingId(null)}
        />
      )}
    </section>
  );
}
