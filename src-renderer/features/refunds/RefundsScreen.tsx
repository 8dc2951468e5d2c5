import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { CurrencySign, useMoney } from '../../components/Money';
import { parseAmount } from '../../lib/input';
import { pinProblem, type PinError } from '../../lib/pin-error';
import { useTillStore } from '../../store/store';
import { PinField } from '../../components/PinField';

/**
 * A refund with no sale to match (the customer's card, a custom amount). It needs a manager's
 * PIN; refunds of a sale go from the order (Orders → the order → Refund).
 */
export function RefundsScreen() {
  const { start, busy, pinSet, go, tid } = useTillStore(
    useShallow((s) => ({
      start: s.startUnlinkedRefund,
      busy: s.paymentBusy,
      pinSet: s.managerPinSet,
      go: s.go,
      tid: s.terminals.find((t) => t.id === s.selectedTerminalId)?.tid ?? null,
    })),
  );
  const money = useMoney();
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<PinError | null>(null);
  const currency = useTillStore((s) => s.info?.currency ?? 'GBP');
  /** A lockout keeps the refund button disabled until the next edit; the core has the last word. */
  const unlock = () => {
    if (error?.locked) setError(null);
  };

  const submit = async () => {
    const a = parseAmount(amount, { currency });
    if (!a.ok) return setError(pinProblem(a.message));
    if (!/^\d{4,8}$/.test(pin))
      return setError(pinProblem('Enter the manager PIN (4 to 8 digits)'));
    const err = await start({
      amountMinor: a.value,
      managerPin: pin,
      ...(reason.trim() ? { reason: reason.trim() } : {}),
    });
    setPin('');
    setError(err);
    if (!err) {
      setAmount('');
      setReason('');
    }
  };
  const parsed = parseAmount(amount, { currency });

  return (
    <div className="narrow">
      <section className="panel" aria-label="Unlinked refund">
        <h2>Refund without a sale</h2>
        <p>
          To refund a sale, open it from{' '}
          <button type="button" className="link-button" onClick={() => go('orders')}>
            Orders
          </button>{' '}
          and use Refund there. This screen sends money to a card with no sale to match, so a
          manager must approve it.
        </p>
        {pinSet === false && (
          <p role="alert">No manager PIN is set yet: set one in Settings first.</p>
        )}
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <label>
            Amount to refund (<CurrencySign />)
            <input
              inputMode="decimal"
              value={amount}
              aria-invalid={error && !parsed.ok ? true : undefined}
              onChange={(e) => (setAmount(e.target.value), unlock())}
            />
          </label>
          <label>
            Reason
            <input
              value={reason}
              maxLength={200}
              onChange={(e) => (setReason(e.target.value), unlock())}
            />
          </label>
          <PinField label="Manager PIN" value={pin} onChange={(v) => (setPin(v), unlock())} />
          {error && (
            <p role="alert" className={error.locked ? 'pin-locked' : undefined}>
              {error.message}
            </p>
          )}
          <button
            type="submit"
            className="btn-big"
            disabled={busy || error?.locked === true}
            aria-busy={busy || undefined}
          >
            Refund {parsed.ok ? money(parsed.value) : ''} to card{tid ? ` on TID ${tid}` : ''}
          </button>
        </form>
      </section>
    </div>
  );
}
