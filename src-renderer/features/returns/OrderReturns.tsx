import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { OrderDetail } from '../../../src-shared/domain/orders';
import type { PaymentAttempt } from '../../../src-shared/domain/payments';
import type { ReturnPayout, ReturnRecord } from '../../../src-shared/domain/returns';
import { Dialog } from '../../components/Dialog';
import { useMoney } from '../../components/Money';
import { useTillStore } from '../../store/store';
import { ReturnDialog } from './ReturnDialog';

const time = (iso: string) => new Date(iso).toLocaleString('en-GB');
const sameDay = (iso: string) => new Date(iso).toDateString() === new Date().toDateString();

const payoutWords: Record<ReturnPayout['method'], string> = {
  cash: 'cash',
  'card-terminal': 'card (terminal)',
  'card-server': 'card (online)',
  exchange: 'towards new items',
};
const statusWords: Record<ReturnRecord['status'], string> = {
  pending: 'waiting for the card refund',
  completed: 'done',
  failed: 'failed',
};

/**
 * On an order's detail: what was returned (when, by whom, how the money went back) and reversed,
 * with the return receipts; the buttons to return or exchange items and to reverse a card sale
 * taken by mistake today.
 */
export function OrderReturns({
  order,
  attempts,
  onRefundInstead,
}: {
  order: OrderDetail;
  attempts: PaymentAttempt[];
  onRefundInstead: (attemptId: string) => void;
}) {
  const { data, showReceipt, reprint, settleOwed } = useTillStore(
    useShallow((s) => ({
      data: s.orderReturns,
      showReceipt: s.showReturnReceipt,
      reprint: s.reprintReturn,
      settleOwed: s.settleOwedInCash,
    })),
  );
  const [owedNote, setOwedNote] = useState('');
  const [owedError, setOwedError] = useState<string | null>(null);
  /** A pending return whose card refund failed: what it still owes the customer. */
  const owedOf = (r: ReturnRecord) =>
    r.status === 'pending' &&
    r.payouts.some((p) => p.refundId && p.status === 'failed') &&
    !r.payouts.some((p) => p.refundId && p.status !== 'failed')
      ? r.payouts
          .filter((p) => p.refundId && p.status === 'failed')
          .reduce((a, p) => a + p.amountMinor, 0)
      : 0;
  const money = useMoney();
  const [returning, setReturning] = useState(false);
  const [reversing, setReversing] = useState<PaymentAttempt | null>(null);
  const reversed = (data?.reversals ?? []).some((r) => r.status !== 'failed');
  const canReturn =
    order.status === 'paid' && !reversed && (data?.lines ?? []).some((l) => l.returnable > 0);
  const reversible = attempts.filter(
    (a) =>
      a.kind === 'sale' &&
      a.state.kind === 'succeeded' &&
      a.refundableMinor === a.amountMinor &&
      sameDay(a.createdAt) &&
      (data?.returns ?? []).every((r) => r.status === 'failed'),
  );

  return (
    <>
      {(canReturn || reversible.length > 0) && (
        <div className="button-row">
          {canReturn && (
            <button type="button" onClick={() => setReturning(true)}>
              Return or exchange items…
            </button>
          )}
          {reversible.map((a) => (
            <button
              key={a.id}
              type="button"
              className="btn-secondary"
              aria-label={`Reverse card payment of ${money(a.amountMinor)}`}
              onClick={() => setReversing(a)}
            >
              Reverse {money(a.amountMinor)} card payment
            </button>
          ))}
        </div>
      )}

      <h3>Returns</h3>
      <ul aria-label="Returns">
        {(data?.returns.length ?? 0) === 0 && <li className="muted">None</li>}
        {data?.returns.map((r, i) => (
          <li key={r.id}>
            {r.kind === 'exchange' ? 'Exchange' : 'Return'} {time(r.createdAt)}
            {r.staffName ? ` by ${r.staffName}` : ''}:{' '}
            {r.lines.map((l) => `${l.quantity} × ${l.name}`).join(', ')} — {money(r.totalMinor)}
            {r.payouts.length > 0 &&
              ` (${r.payouts.map((p) => `${payoutWords[p.method]} ${money(p.amountMinor)}`).join(', ')})`}
            {r.exchangeReference ? ` · new order ${r.exchangeReference}` : ''} ·{' '}
            {statusWords[r.status]}
            {r.lastError ? `: ${r.lastError}` : ''} · “{r.reason}”
            {owedOf(r) > 0 && (
              <span className="button-row">
                <input
                  aria-label={`Note for paying return ${i + 1} in cash`}
                  placeholder="Note (why cash)"
                  maxLength={200}
                  value={owedNote}
                  onChange={(e) => setOwedNote(e.target.value)}
                />
                <button
                  type="button"
                  className="btn-small"
                  aria-label={`Pay owed ${money(owedOf(r))} of return ${i + 1} in cash`}
                  onClick={() =>
                    void settleOwed(r.id, owedNote.trim() || undefined).then((problem) => {
                      setOwedError(problem);
                      if (!problem) setOwedNote('');
                    })
                  }
                >
                  Pay the owed {money(owedOf(r))} in cash
                </button>
                {owedError && <span role="alert">{owedError}</span>}
              </span>
            )}
            {r.status === 'completed' && (
              <span className="button-row">
                <button
                  type="button"
                  className="btn-secondary btn-small"
                  aria-label={`Show return receipt ${i + 1}`}
                  onClick={() =>
                    void showReceipt(
                      r.id,
                      `${r.kind === 'exchange' ? 'Exchange' : 'Return'} receipt ${order.reference}`,
                    )
                  }
                >
                  Show receipt
                </button>
                <button
                  type="button"
                  className="btn-secondary btn-small"
                  aria-label={`Reprint return receipt ${i + 1}`}
                  onClick={() => void reprint(r.id)}
                >
                  Reprint
                </button>
              </span>
            )}
          </li>
        ))}
      </ul>

      {(data?.reversals.length ?? 0) > 0 && (
        <>
          <h3>Reversals</h3>
          <ul aria-label="Reversals">
            {data?.reversals.map((v) => (
              <li key={v.id}>
                Card payment of {money(v.amountMinor)}{' '}
                {v.status === 'completed'
                  ? 'reversed'
                  : v.status === 'failed'
                    ? 'not reversed'
                    : 'being reversed'}{' '}
                {time(v.createdAt)}
                {v.staffName ? ` by ${v.staffName}` : ''}
                {v.lastError ? `: ${v.lastError}` : ''}
              </li>
            ))}
          </ul>
        </>
      )}

      {returning && data && (
        <ReturnDialog order={order} lines={data.lines} onClose={() => setReturning(false)} />
      )}
      {reversing && (
        <ReverseDialog
          attempt={reversing}
          onClose={() => setReversing(null)}
          onRefundInstead={() => {
            setReversing(null);
            onRefundInstead(reversing.id);
          }}
        />
      )}
    </>
  );
}

function ReverseDialog({
  attempt,
  onClose,
  onRefundInstead,
}: {
  attempt: PaymentAttempt;
  onClose: () => void;
  onRefundInstead: () => void;
}) {
  const reverse = useTillStore((s) => s.reversePayment);
  const money = useMoney();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Dialog title="Reverse card payment" onClose={onClose}>
      <p>
        Undoes the whole card payment of <strong>{money(attempt.amountMinor)}</strong>
        {attempt.card?.last4 ? ` (card ending ${attempt.card.last4})` : ''} at Dojo, as if it was
        never taken. Only for a payment taken today by mistake, before any refund; no card is
        needed.
      </p>
      <label>
        Reason (optional)
        <input value={reason} maxLength={200} onChange={(e) => setReason(e.target.value)} />
      </label>
      {error && <p role="alert">{error}</p>}
      <div className="button-row">
        <button
          type="button"
          disabled={busy}
          aria-busy={busy || undefined}
          onClick={() => {
            setBusy(true);
            void reverse(attempt.id, reason.trim() || undefined).then((problem) => {
              setBusy(false);
              if (problem) setError(problem);
              else onClose();
            });
          }}
        >
          Reverse {money(attempt.amountMinor)}
        </button>
        {error && (
          <button type="button" className="btn-secondary" onClick={onRefundInstead}>
            Refund instead…
          </button>
        )}
        <button type="button" className="btn-secondary" onClick={onClose}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
