import { useMoney } from '../../components/Money';
import { useTillStore } from '../../store/store';
import { useDojoOffline } from './CardUnavailable';

/** Orders parked while Dojo was unreachable; each is charged by card once the link is back. */
export function AwaitingCardList() {
  const awaiting = useTillStore((s) => s.awaitingCard);
  const charge = useTillStore((s) => s.chargeAwaiting);
  const offline = useDojoOffline();
  const money = useMoney();
  if (awaiting.length === 0) return null;
  return (
    <section className="awaiting-card" aria-label="Awaiting card payment">
      <h3>
        Awaiting card payment ({awaiting.length})
        {offline && <span className="muted"> — charge them when Dojo is back</span>}
      </h3>
      <ul>
        {awaiting.map((o) => (
          <li key={o.id}>
            <span>
              {o.reference} · {money(o.remainingMinor)}
              {o.paidMinor > 0 ? ` left of ${money(o.totalMinor)}` : ''} ·{' '}
              {new Date(o.createdAt).toLocaleTimeString('en-GB', {
                hour: '2-digit',
                minute: '2-digit',
              })}
            </span>
            <button
              type="button"
              className="btn-small"
              disabled={offline}
              aria-label={`Charge order ${o.reference} by card`}
              onClick={() => void charge(o.id)}
            >
              Charge by card
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
