import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { Dialog } from '../../components/Dialog';
import { useMoney } from '../../components/Money';
import { useTillStore } from '../../store/store';

const when = (iso: string) =>
  new Date(iso).toLocaleString('en-GB', {
    day: '2-digit',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });

/**
 * Every card payment or refund whose result cannot be confirmed, from the core (so it survives a
 * reload and a restart): each can be checked again with Dojo or, for a sale, recorded by hand.
 */
export function PaymentsToCheck() {
  const { open, items, close, openAttempt, load, needsAttention, terminals } = useTillStore(
    useShallow((s) => ({
      open: s.toCheckOpen,
      items: s.toCheck,
      close: s.closeToCheck,
      openAttempt: s.openAttempt,
      load: s.loadToCheck,
      needsAttention: s.status?.needsAttention ?? 0,
      terminals: s.terminals,
    })),
  );
  const money = useMoney();
  // The count in the status bar moved: the list follows it.
  useEffect(() => {
    if (open) void load();
  }, [open, needsAttention, load]);
  if (!open) return null;
  return (
    <Dialog title="Payments to check" onClose={close} wide>
      <p className="muted">
        The till could not confirm these with Dojo. The money may have been taken: check each one
        again, or have a manager record what the terminal or the Dojo dashboard shows.
      </p>
      {items.length === 0 && <p>Nothing to check: every card payment has a known result.</p>}
      <ul className="to-check" aria-label="Payments to check">
        {items.map((a) => {
          const tid =
            a.terminalTid ?? terminals.find((t) => t.id === a.terminalId)?.tid ?? a.terminalId;
          const what = a.kind === 'sale' ? 'Card payment' : 'Card refund';
          const label = `${what} of ${money(a.amountMinor)}${a.orderReference ? ` for order ${a.orderReference}` : ''}`;
          return (
            <li key={a.id} aria-label={label}>
              <p>
                <strong>
                  {what} {money(a.amountMinor)}
                </strong>
                {a.orderReference ? ` · order ${a.orderReference}` : ''} · TID {tid} · started{' '}
                {when(a.createdAt)}
              </p>
              {a.state.kind === 'unconfirmed' && <p className="muted">{a.state.reason}</p>}
              <div className="button-row">
                <button type="button" onClick={() => void openAttempt(a.id, 'check')}>
                  Check again
                </button>
                {a.kind === 'sale' && (
                  <button
                    type="button"
                    className="btn-secondary"
                    onClick={() => void openAttempt(a.id, 'record')}
                  >
                    Record manually…
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </Dialog>
  );
}
