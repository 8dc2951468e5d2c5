import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { UpdateMode } from '../../../src-shared/contract/updates.contract';
import { PinField } from '../../components/PinField';
import { pinProblem, type PinError } from '../../lib/pin-error';
import { useTillStore } from '../../store/store';

const choices: { mode: UpdateMode; label: (version: string) => string; hint: string }[] = [
  {
    mode: 'automatic',
    label: () => 'Automatic (recommended)',
    hint: 'Downloads in the background; installs at start-up or right after the day is closed, never during a sale.',
  },
  {
    mode: 'pinned',
    label: (version) => `Stay on version ${version}`,
    hint: 'New versions are shown here but not installed.',
  },
  { mode: 'off', label: () => 'Off', hint: 'The till never looks for updates.' },
];

/** How this till takes new versions: a manager's choice, guarded by the manager PIN. */
export function UpdateSettings() {
  const { update, setMode, check } = useTillStore(
    useShallow((s) => ({
      update: s.update,
      setMode: s.setUpdateMode,
      check: s.checkForUpdate,
    })),
  );
  const [mode, setChoice] = useState<UpdateMode | null>(null);
  const [pin, setPin] = useState('');
  const [error, setError] = useState<PinError | null>(null);
  if (!update) return null;
  const chosen = mode ?? update.mode;
  const version = update.pinnedVersion ?? update.currentVersion;
  return (
    <section className="panel" aria-label="Updates">
      <h2>Updates</h2>
      <p>This till runs OpenTill {update.currentVersion}.</p>
      <p role="status" aria-label="Update status">
        {update.message}
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!/^\d{4,8}$/.test(pin)) return setError(pinProblem('Enter the manager PIN'));
          void setMode(chosen, pin).then((err) => {
            setError(err);
            if (!err) {
              setPin('');
              setChoice(null);
            }
          });
        }}
      >
        <fieldset className="choice">
          <legend>How this till updates</legend>
          {choices.map((c) => (
            <label key={c.mode} className="check">
              <input
                type="radio"
                name="update-mode"
                value={c.mode}
                checked={chosen === c.mode}
                onChange={() => (setChoice(c.mode), setError(null))}
              />
              <span>
                {c.label(version)}
                <small className="choice-hint">{c.hint}</small>
              </span>
            </label>
          ))}
        </fieldset>
        <PinField label="Manager PIN" value={pin} onChange={(v) => (setPin(v), setError(null))} />
        {error && (
          <p role="alert" className={error.locked ? 'pin-locked' : undefined}>
            {error.message}
          </p>
        )}
        <div className="button-row">
          <button type="submit" disabled={error?.locked === true}>
            Save update setting
          </button>
          <button
            type="button"
            disabled={update.phase === 'unsupported' || update.mode === 'off'}
            onClick={() => void check()}
          >
            Check for updates now
          </button>
        </div>
      </form>
    </section>
  );
}
