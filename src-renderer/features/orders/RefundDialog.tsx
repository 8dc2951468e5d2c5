import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { PaymentAttempt } from '../../../src-shared/domain/payments';
import { Dialog } from '../../components/Dialog';
import { CurrencySign, useMoney } from '../../components/Money';
import { parseAmount } from '../../lib/input';
import { useTillStore } from '../../store/store';

/** Refund against a card sale: on the terminal (matched) or from Dojo's side (server-side). */
export function RefundDialog({
  attempt,
  refundable,
  onClose,
}: {
  attempt: PaymentAttempt;
  refundable: number;
  onClose: () => void;
}) {
  const { matched, server, terminalTid } = useTillStore(
    useShallow((s) => ({
      matched: s.startMatchedRefund,
      server: s.serverRefund,
      terminalTid: s.terminals.find((t) => t.id === s.selectedTerminalId)?.tid ?? null,
    })),
  );
  const problem = useTillStore((s) => s.paymentProblem?.message ?? null);
  const money = useMoney();
  const [amount, setAmount] = useState((refundable / 100).toFixed(2));
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const currency = useTillStore((s) => s.info?.currency ?? 'GBP');
  // One refund request at a time: both buttons stay busy until its result arrives.
  const [sending, setSending] = useState(false);
  const send = <T,>(request: Promise<T>): Promise<T> => {
    setSending(true);
    return request.finally(() => setSending(false));
  };

  const check = (): number | null => {
    const a = parseAmount(amount, { currency });
    if (!a.ok) return (setError(a.message), null);
    if (a.value > refundable)
      return (setError(`At most ${money(refundable)} can still be refunded on this payment`), null);
    setError(null);
    return a.value;
  };
  const partial = (v: number) => (v === refundable ? {} : { amountMinor: v });
  const why = reason.trim() ? { reason: reason.trim() } : {};

  return (
    <Dialog title="Refund" onClose={onClose}>
      <p>
        Card payment of {money(attempt.amountMinor)}
        {attempt.card?.last4 ? ` (card ending ${attempt.card.last4})` : ''}. Still refundable:{' '}
        <strong>{money(refundable)}</strong>
      </p>
      <label>
        Amount to refund (<CurrencySign />)
        <input
          data-autofocus
          inputMode="decimal"
          value={amount}
          aria-invalid={error ? true : undefined}
          onChange={(e) => setAmount(e.target.value)}
        />
      </label>
      <label>
        Reason (optional)
        <input value={reason} maxLength={200} onChange={(e) => setReason(e.target.value)} />
      </label>
      {(error ?? problem) && <p role="alert">{error ?? problem}</p>}
      <div className="button-row">
        <button
          type="button"
          disabled={sending}
          aria-busy={sending || undefined}
          onClick={() => {
            const v = check();
            if (v === null) return;
            void send(matched({ originalAttemptId: attempt.id, ...partial(v), ...why })).then(
              (ok) => ok && onClose(),
            );
          }}
        >
          Refund on terminal{terminalTid ? ` TID ${terminalTid}` : ''}
        </button>
        <button
          type="button"
          className="btn-secondary"
          disabled={sending}
          aria-busy={sending || undefined}
          onClick={() => {
            const v = check();
            if (v === null) return;
            void send(server({ originalAttemptId: attempt.id, ...partial(v), ...why })).then(
              (err) => (err ? setError(err) : onClose()),
            );
          }}
        >
          Refund without the card (server-side)
        </button>
      </div>
      <p className="muted">
        On the terminal the customer presents a card: the terminal accepts any card, so ask for the
        one they paid with
        {attempt.card?.last4 ? (
          <>
            {' '}
            (ending <strong>{attempt.card.last4}</strong>)
          </>
        ) : null}
        . Server-side sends the money back through Dojo to the card that paid, with no card present.
      </p>
    </Dialog>
  );
}
