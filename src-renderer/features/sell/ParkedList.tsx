import { useMoney } from '../../components/Money';
import { useTillStore } from '../../store/store';

export function ParkedList() {
  const parked = useTillStore((s) => s.parked);
  const resume = useTillStore((s) => s.resumeParked);
  const money = useMoney();
  if (parked.length === 0) return null;
  return (
    <details className="parked">
      <summary>Parked baskets ({parked.length})</summary>
      <ul>
        {parked.map((o) => (
          <li key={o.id}>
            <span>
              {o.reference} · {money(o.totalMinor)} ·{' '}
              {new Date(o.createdAt).toLocaleTimeString('en-GB', {
                hour: '2-digit',
                minute: '2-digit',
              })}
            </span>
            <button
              type="button"
              className="btn-small"
              aria-label={`Resume parked basket ${o.reference}`}
              onClick={() => void resume(o.id)}
            >
              Resume
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}
