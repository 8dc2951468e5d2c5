import { useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { useMoney } from '../../components/Money';
import { parseAmount } from '../../lib/input';

const PERCENTS = [10, 12.5, 15];

/**
 * The tip offer before a card payment (Settings → tip offer on): percent buttons, an amount of the
 * customer's own, or no tip. The tip goes to Dojo as the payment's tipsAmount, apart from the sale.
 */
export function TipOffer({
  saleMinor,
  onPay,
  onClose,
}: {
  saleMinor: number;
  onPay: (tipMinor: number) => void;
  onClose: () => void;
}) {
  const money = useMoney();
  const [custom, setCustom] = useState('');
  const [error, setError] = useState<string | null>(null);
  const payCustom = () => {
    const parsed = parseAmount(custom, { allowZero: true });
    if (!parsed.ok) return setError(parsed.message);
    if (parsed.value > saleMinor)
      return setError(`A tip cannot be more than the sale (${money(saleMinor)})`);
    onPay(parsed.value);
  };
  return (
    <Dialog title="Add a tip?" onClose={onClose}>
      <p>
        Sale <strong>{money(saleMinor)}</strong>. The tip is paid on the card with it and kept apart
        from the sale.
      </p>
      <div className="button-row" role="group" aria-label="Tip">
        <button type="button" data-autofocus className="btn-secondary" onClick={() => onPay(0)}>
          No tip
        </button>
        {PERCENTS.map((p) => {
          const tip = Math.round((saleMinor * p) / 100);
          return (
            <button key={p} type="button" onClick={() => onPay(tip)}>
              {p}% ({money(tip)})
            </button>
          );
        })}
      </div>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          payCustom();
        }}
      >
        <label>
          Another amount (£)
          <input
            inputMode="decimal"
            value={custom}
            onChange={(e) => {
              setCustom(e.target.value);
              setError(null);
            }}
          />
        </label>
        {error && <p role="alert">{error}</p>}
        <button type="submit" className="btn-secondary">
          Pay with this tip
        </button>
      </form>
    </Dialog>
  );
}
