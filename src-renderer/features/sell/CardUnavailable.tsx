import { useShallow } from 'zustand/react/shallow';
import { cardUnavailableWords } from '../../store/awaiting.slice';
import { useTillStore } from '../../store/store';

/** True while the connectivity monitor says Dojo cannot be reached: card payment is off. */
export const useDojoOffline = () => useTillStore((s) => s.status?.dojo.state === 'offline');

/**
 * Why "Pay by card" is off, next to it, with what to do instead: cash stays on; the order can be
 * parked for card payment later. `id` is what the card button's aria-describedby points at. The
 * technical reason is on the status bar's Dojo pill.
 */
export function CardUnavailable({ id }: { id: string }) {
  const offline = useDojoOffline();
  const { parkForCard, checkDojoAgain, checking } = useTillStore(
    useShallow((s) => ({
      parkForCard: s.parkForCard,
      checkDojoAgain: s.checkDojoAgain,
      checking: s.dojoChecking,
    })),
  );
  if (!offline) return null;
  return (
    <div className="warning card-unavailable" role="status" aria-label="Card payments unavailable">
      <p id={id}>{cardUnavailableWords}</p>
      <div className="card-unavailable-actions">
        <button type="button" className="btn-secondary" onClick={() => void parkForCard()}>
          Park for card payment
        </button>
        <button
          type="button"
          className="btn-secondary"
          disabled={checking}
          onClick={() => void checkDojoAgain()}
        >
          {checking ? 'Checking Dojo…' : 'Check Dojo again'}
        </button>
      </div>
    </div>
  );
}
