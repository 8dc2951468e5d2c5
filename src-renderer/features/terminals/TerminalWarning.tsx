import { useShallow } from 'zustand/react/shallow';
import { statusWords } from '../../store/terminals.slice';
import { useTillStore } from '../../store/store';

/** A strip under the top bar when the chosen terminal cannot take a payment now. */
export function TerminalWarning() {
  const { terminals, selected, select, payment } = useTillStore(
    useShallow((s) => ({
      terminals: s.terminals,
      selected: s.selectedTerminalId,
      select: s.selectTerminal,
      payment: s.payment,
    })),
  );
  const current = terminals.find((t) => t.id === selected);
  // While our own payment runs, InUse is expected.
  if (
    !current ||
    current.status === 'Available' ||
    (payment && !payment.attempt.isFinal && payment.attempt.terminalId === current.id)
  )
    return null;
  const others = terminals.filter((t) => t.id !== current.id && t.status === 'Available');
  return (
    <div className="terminal-warning" role="alert" aria-label="Terminal not available">
      <span>
        ⚠ Terminal TID {current.tid} is{' '}
        {(statusWords[current.status] ?? current.status).toLowerCase()}: it cannot take a card
        payment now.
      </span>
      {others.length > 0 ? (
        others.slice(0, 2).map((t) => (
          <button key={t.id} type="button" className="btn-small" onClick={() => void select(t.id)}>
            Use TID {t.tid}
          </button>
        ))
      ) : (
        <span>No other terminal is available; cash still works.</span>
      )}
    </div>
  );
}
