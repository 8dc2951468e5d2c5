import { useShallow } from 'zustand/react/shallow';
import { useTillStore } from '../../store/store';

/** When the chosen terminal cannot take the payment: say so, offer the Available ones. */
export function OtherTerminals({
  amountMinor,
  onUse,
}: {
  amountMinor: number;
  onUse?: (terminalId: string) => void;
}) {
  const { terminals, selected, select, start, load } = useTillStore(
    useShallow((s) => ({
      terminals: s.terminals,
      selected: s.selectedTerminalId,
      select: s.selectTerminal,
      start: s.startCardSale,
      load: s.loadTerminals,
    })),
  );
  const others = terminals.filter((t) => t.id !== selected && t.status === 'Available');
  return (
    <div className="other-terminals">
      {others.length === 0 ? (
        <p>
          No other terminal is available right now. You can take cash, or try again in a moment.
        </p>
      ) : (
        <>
          <p>Use another terminal:</p>
          <div className="button-row">
            {others.map((t) => (
              <button
                key={t.id}
                type="button"
                onClick={() => {
                  void select(t.id);
                  if (onUse) onUse(t.id);
                  else if (amountMinor > 0) void start(amountMinor, t.id);
                }}
              >
                Use TID {t.tid}
              </button>
            ))}
          </div>
        </>
      )}
      <button type="button" className="btn-secondary" onClick={() => void load()}>
        Refresh terminals
      </button>
    </div>
  );
}
