import { CurrencySign } from '../../components/Money';
import { useId, useState } from 'react';
import { printableTextProblem } from '../../../src-shared/domain/printable-text';
import { parseAmount } from '../../lib/input';
import { useTillStore } from '../../store/store';

/** A line for something not in the catalogue: an amount, one of the shop's VAT rates, optional name. */
export function CustomAmount() {
  const addCustom = useTillStore((s) => s.addCustom);
  const vatRates = useTillStore((s) => s.vatRates);
  const currency = useTillStore((s) => s.info?.currency ?? 'GBP');
  const [amount, setAmount] = useState('');
  const [name, setName] = useState('');
  const [vat, setVat] = useState<number>(2000);
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();

  const add = () => {
    const parsed = parseAmount(amount, { currency });
    if (!parsed.ok) {
      setError(parsed.message);
      return;
    }
    const title = name.trim() || 'Custom item';
    if (title.length > 80) {
      setError(`A description has at most 80 characters (this one has ${title.length})`);
      return;
    }
    // It is printed on the receipt: refuse here what the printer cannot print, naming it.
    const unprintable = printableTextProblem(title, 'The description');
    if (unprintable) {
      setError(unprintable);
      return;
    }
    const problem = addCustom({ name: title, unitPriceMinor: parsed.value, vatRateBp: vat });
    if (problem) setError(problem);
    else {
      setAmount('');
      setName('');
      setError(null);
    }
  };

  return (
    <form
      className="custom-amount"
      aria-label="Custom amount line"
      onSubmit={(e) => {
        e.preventDefault();
        add();
      }}
    >
      <label className="field-amount">
        Custom amount (<CurrencySign />)
        <input
          inputMode="decimal"
          placeholder="0.00"
          value={amount}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          onChange={(e) => {
            setAmount(e.target.value);
            setError(null);
          }}
        />
      </label>
      <label className="field-name">
        Description
        <input
          placeholder="Custom item"
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            setError(null);
          }}
        />
      </label>
      <label className="field-vat">
        VAT
        <select value={vat} onChange={(e) => setVat(Number(e.target.value))}>
          {vatRates.map((r) => (
            <option key={r.rateBp} value={r.rateBp}>
              {r.name} {r.rateBp / 100}%
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="btn-secondary">
        Add to basket
      </button>
      {error && (
        <p id={errorId} role="alert" className="field-error">
          {error}
        </p>
      )}
    </form>
  );
}
