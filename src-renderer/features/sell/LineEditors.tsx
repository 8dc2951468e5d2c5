import { useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { describeDiscount, parseDiscount, parseQuantity } from '../../lib/input';
import { useMoney } from '../../components/Money';
import { useTillStore } from '../../store/store';
import type { Discount } from '../../../src-shared/domain/orders';

export type Editing =
  | { kind: 'quantity'; key: string }
  | { kind: 'discount'; key: string }
  | { kind: 'basket-discount' }
  | null;

export function QuantityDialog({ lineKey, onClose }: { lineKey: string; onClose: () => void }) {
  const item = useTillStore((s) => s.items.find((i) => i.key === lineKey));
  const setQuantity = useTillStore((s) => s.setQuantity);
  const [text, setText] = useState(String(item?.quantity ?? 1));
  const [error, setError] = useState<string | null>(null);
  if (!item) return null;
  return (
    <Dialog title={`Quantity of ${item.name}`} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const q = parseQuantity(text);
          if (!q.ok) return setError(q.message);
          const problem = setQuantity(lineKey, q.value);
          if (problem) setError(problem);
          else onClose();
        }}
      >
        <label>
          Quantity
          <input
            data-autofocus
            inputMode="numeric"
            value={text}
            aria-invalid={error ? true : undefined}
            onChange={(e) => setText(e.target.value)}
          />
        </label>
        {error && <p role="alert">{error}</p>}
        <div className="button-row">
          <button type="submit">Set quantity</button>
          <button type="button" className="btn-secondary" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function DiscountDialog({
  lineKey,
  onClose,
}: {
  lineKey: string | null;
  onClose: () => void;
}) {
  const item = useTillStore((s) => (lineKey ? s.items.find((i) => i.key === lineKey) : undefined));
  const basketDiscount = useTillStore((s) => s.basketDiscount);
  const setLineDiscount = useTillStore((s) => s.setLineDiscount);
  const setBasketDiscount = useTillStore((s) => s.setBasketDiscount);
  const money = useMoney();
  const current: Discount | null = lineKey ? (item?.discount ?? null) : basketDiscount;
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const apply = (d: Discount | null) => {
    const problem = lineKey ? setLineDiscount(lineKey, d) : setBasketDiscount(d);
    if (problem) setError(problem);
    else onClose();
  };
  const title = lineKey ? `Discount on ${item?.name ?? 'line'}` : 'Discount on the whole basket';
  return (
    <Dialog title={title} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const d = parseDiscount(text);
          if (!d.ok) return setError(d.message);
          apply(d.value);
        }}
      >
        {current && <p>Current discount: {describeDiscount(current, money)}</p>}
        <label>
          Discount (an amount like 1.50, or a percentage like 10%)
          <input
            data-autofocus
            value={text}
            aria-invalid={error ? true : undefined}
            onChange={(e) => setText(e.target.value)}
          />
        </label>
        <div className="button-row">
          {['10%', '20%', '50%'].map((p) => (
            <button key={p} type="button" className="btn-secondary" onClick={() => setText(p)}>
              {p}
            </button>
          ))}
        </div>
        {error && <p role="alert">{error}</p>}
        <div className="button-row">
          <button type="submit">Apply discount</button>
          {current && (
            <button type="button" className="btn-secondary" onClick={() => apply(null)}>
              Remove discount
            </button>
          )}
          <button type="button" className="btn-secondary" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
