import { denominations, type CashCount } from '../../../src-shared/domain/cash';
import { useMoney } from '../../components/Money';
import { useTillStore } from '../../store/store';

/** How many of each note and coin, with the total as people type. */
export function CashCountForm({
  label,
  counts,
  onChange,
}: {
  label: string;
  counts: Record<number, string>;
  onChange: (counts: Record<number, string>) => void;
}) {
  const money = useMoney();
  const currency = useTillStore((s) => s.info?.currency ?? 'GBP');
  const d = denominations[currency];
  const total = countOf(counts).reduce((a, c) => a + c.valueMinor * c.quantity, 0);
  const row = (v: number) => (
    <label key={v} className="count-row">
      <span>{money(v)}</span>
      <input
        inputMode="numeric"
        aria-label={`Number of ${money(v)}`}
        value={counts[v] ?? ''}
        onChange={(e) => onChange({ ...counts, [v]: e.target.value })}
      />
    </label>
  );
  return (
    <fieldset className="cash-count" aria-label={label}>
      <legend>{label}</legend>
      <div className="count-columns">
        <div>
          <h4>Notes</h4>
          {d.notes.map(row)}
        </div>
        <div>
          <h4>Coins</h4>
          {d.coins.map(row)}
        </div>
      </div>
      <p className="count-total" aria-label="Counted total">
        Total <strong>{money(total)}</strong>
      </p>
    </fieldset>
  );
}

/**
 * The count as the core takes it. What is typed goes through as a number (a fraction or a minus
 * sign too): the core refuses it in plain words rather than the form quietly rounding.
 */
export function countOf(counts: Record<number, string>): CashCount {
  return Object.entries(counts)
    .filter(([, q]) => q.trim() !== '')
    .map(([v, q]) => ({ valueMinor: Number(v), quantity: Number(q) }));
}
