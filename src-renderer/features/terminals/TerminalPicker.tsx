import { useShallow } from 'zustand/react/shallow';
import { statusWords } from '../../store/terminals.slice';
import { useTillStore } from '../../store/store';
import { useDojoOffline } from '../sell/CardUnavailable';

/** Top-bar terminal choice with live status; warns when the chosen one cannot take a payment. */
export function TerminalPicker() {
  const { terminals, selected, error, select } = useTillStore(
    useShallow((s) => ({
      terminals: s.terminals,
      selected: s.selectedTerminalId,
      error: s.terminalsError,
      select: s.selectTerminal,
    })),
  );
  const current = terminals.find((t) => t.id === selected);
  const status = current?.status ?? null;
  // The list is Dojo's last word; while Dojo cannot be reached, the terminal's state is not known.
  const dojoOffline = useDojoOffline();
  return (
    <div className="terminal-picker">
      <label className="inline-label">
        <span>Card terminal</span>
        <select
          value={selected ?? ''}
          onChange={(e) => void select(e.target.value)}
          className={`status-${status ?? 'none'}`}
        >
          {!current && (
            <option value="">
              {terminals.length === 0 ? 'No terminals found' : 'Choose a terminal'}
            </option>
          )}
          {terminals.map((t) => (
            <option key={t.id} value={t.id}>
              TID {t.tid} — {statusWords[t.status] ?? t.status}
              {t.isDefault ? ' (default)' : ''}
            </option>
          ))}
        </select>
      </label>
      {current && dojoOffline && (
        <span
          className="pill pill-busy"
          aria-label="Terminal status"
          title="Dojo cannot be reached, so the terminal's state is not known"
        >
          Not known
        </span>
      )}
      {current && !dojoOffline && (
        <span
          className={`pill pill-${status === 'Available' ? 'online' : status === 'Offline' ? 'offline' : 'busy'}`}
          aria-label="Terminal status"
        >
          {statusWords[current.status] ?? current.status}
        </span>
      )}
      {error && (
        <span className="pill pill-offline terminal-error" role="alert" title={error}>
          {error}
        </span>
      )}
    </div>
  );
}
