import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { pinProblem, type PinError } from '../../lib/pin-error';
import { useTillStore } from '../../store/store';
import { PinField } from '../../components/PinField';

export function ManagerPinSettings() {
  const { pinSet, setPin } = useTillStore(
    useShallow((s) => ({ pinSet: s.managerPinSet, setPin: s.setManagerPin })),
  );
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<PinError | null>(null);
  /** A lockout keeps Save disabled until the next edit; the core has the last word. */
  const unlock = () => {
    if (error?.locked) setError(null);
  };
  return (
    <section className="panel" aria-label="Manager PIN">
      <h2>Manager PIN</h2>
      <p>
        {pinSet
          ? 'A manager PIN is set. It approves refunds without a sale.'
          : 'No manager PIN yet: refunds without a sale are refused until one is set.'}
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!/^\d{4,8}$/.test(next))
            return setError(pinProblem('A manager PIN is 4 to 8 digits'));
          if (next !== again) return setError(pinProblem('The two new PINs are different'));
          void setPin(next, pinSet ? current : undefined).then((err) => {
            setError(err);
            if (!err) {
              setCurrent('');
              setNext('');
              setAgain('');
            }
          });
        }}
      >
        {pinSet && (
          <PinField
            label="Current PIN"
            value={current}
            onChange={(v) => (setCurrent(v), unlock())}
          />
        )}
        <div className="form-grid">
          <PinField label="New PIN" value={next} onChange={(v) => (setNext(v), unlock())} />
          <PinField label="New PIN again" value={again} onChange={(v) => (setAgain(v), unlock())} />
        </div>
        {error && (
          <p role="alert" className={error.locked ? 'pin-locked' : undefined}>
            {error.message}
          </p>
        )}
        <button type="submit" disabled={error?.locked === true}>
          Save manager PIN
        </button>
      </form>
    </section>
  );
}
