import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { cashReasons } from '../../../src-shared/domain/cash';
import { parseMajorUnits } from '../../../src-shared/money';
import { CurrencySign, useMoney } from '../../components/Money';
import { useTillStore } from '../../store/store';
import { CashCountForm, countOf } from './CashCountForm';
import { CashFigures } from './CashFigures';

/** The till day and the drawer: open with a float, pay in and out, no sale, expected cash. */
export function DrawerScreen() {
  const { day, cash, loadDay, openDay, pay, noSale, currency } = useTillStore(
    useShallow((s) => ({
      day: s.day,
      cash: s.cash,
      loadDay: s.loadDay,
      openDay: s.openDay,
      pay: s.payInOut,
      noSale: s.noSale,
      currency: s.info?.currency ?? 'GBP',
    })),
  );
  const money = useMoney();
  const [float, setFloat] = useState<Record<number, string>>({});
  const [direction, setDirection] = useState<'in' | 'out'>('out');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState<string>('petty cash');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void loadDay();
  }, [loadDay]);

  const submitPay = async () => {
    const parsed = parseMajorUnits(amount, currency);
    if (!parsed.ok) return setError(parsed.message);
    const minor = parsed.minor;
    const problem = await pay({
      direction,
      amountMinor: minor,
      reason,
      ...(note.trim() ? { note: note.trim() } : {}),
    });
    setError(problem);
    if (!problem) {
      setAmount('');
      setNote('');
    }
  };

  return (
    <div className="drawer-screen">
      <section className="panel" aria-label="Till day">
        <h2>Till day</h2>
        {day ? (
          <p>
            Open since{' '}
            {new Date(day.openedAt).toLocaleString('en-GB', {
              dateStyle: 'medium',
              timeStyle: 'short',
            })}
            {day.openedByName ? ` by ${day.openedByName}` : ''}, float{' '}
            <strong>{money(day.floatMinor)}</strong>.
          </p>
        ) : (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void openDay(countOf(float)).then((p) => {
                setError(p);
                if (!p) setFloat({});
              });
            }}
          >
            <p>The day is not open. Count the float in the drawer to open it.</p>
            <CashCountForm label="Float" counts={float} onChange={setFloat} />
            <button type="submit" className="btn-ok">
              Open the day with this float
            </button>
          </form>
        )}
        {error && (
          <p role="alert" className="field-error">
            {error}
          </p>
        )}
      </section>
      <section className="panel" aria-label="Pay in or out">
        <h2>Pay in or out</h2>
        <form
          className="form-grid"
          onSubmit={(e) => {
            e.preventDefault();
            void submitPay();
          }}
        >
          <div role="radiogroup" aria-label="Direction" className="button-row">
            <label>
              <input
                type="radio"
                checked={direction === 'out'}
                onChange={() => setDirection('out')}
              />{' '}
              Pay out
            </label>
            <label>
              <input
                type="radio"
                checked={direction === 'in'}
                onChange={() => setDirection('in')}
              />{' '}
              Pay in
            </label>
          </div>
          <label>
            Amount (<CurrencySign />)
            <input inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />
          </label>
          <label>
            Reason
            <select value={reason} onChange={(e) => setReason(e.target.value)}>
              {cashReasons.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </label>
          <label>
            Note
            <input value={note} maxLength={200} onChange={(e) => setNote(e.target.value)} />
          </label>
          <button type="submit" className="btn-ok">
            Record {direction === 'in' ? 'pay-in' : 'pay-out'}
          </button>
        </form>
        <h2>No sale</h2>
        <button
          type="button"
          className="btn-secondary"
          onClick={() => void noSale().then(setError)}
        >
          Open drawer (no sale)
        </button>
      </section>
      <section className="panel" aria-label="Cash in the drawer">
        <h2>Cash in the drawer</h2>
        {cash ? (
          <CashFigures cash={cash} />
        ) : (
          <p className="muted">A supervisor or manager sees the expected cash.</p>
        )}
      </section>
    </div>
  );
}
