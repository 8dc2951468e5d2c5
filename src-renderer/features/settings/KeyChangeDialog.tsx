import { useState } from 'react';
import type { TillMode } from '../../../src-shared/contract';
import { Dialog } from '../../components/Dialog';
import { PinField } from '../../components/PinField';
import type { PinError } from '../../lib/pin-error';

export type KeyChange = { kind: 'remove' } | { kind: 'replace'; key: string };

const newMode = (key: string): TillMode => (key.startsWith('sk_prod_') ? 'production' : 'sandbox');

/** What the change does to the money, in the words a manager needs before approving it. */
function consequence(change: KeyChange, now: TillMode): string {
  if (change.kind === 'remove')
    return 'Without a key this till becomes a TRAINING till: card payments go to the built-in simulator and are approved without any money moving. Real card payments stop until a key is set again.';
  const to = newMode(change.key);
  if (to === 'sandbox')
    return now === 'production'
      ? 'This live till becomes a TEST till: the new key is a Dojo sandbox key, so card payments are approved without any money moving.'
      : 'The new key is a Dojo sandbox key: card payments stay test payments, approved without any money moving.';
  return now === 'production'
    ? 'The new key is a live key: card payments go to the Dojo account of the new key, with real money.'
    : 'The new key is a LIVE key: from now on card payments take real money.';
}

/** Confirmation with the manager PIN for removing or replacing the Dojo key. */
export function KeyChangeDialog({
  change,
  mode,
  onConfirm,
  onClose,
}: {
  change: KeyChange;
  mode: TillMode;
  onConfirm: (managerPin: string) => Promise<PinError | null>;
  onClose: () => void;
}) {
  const [pin, setPin] = useState('');
  const [error, setError] = useState<PinError | null>(null);
  const [busy, setBusy] = useState(false);
  const verb = change.kind === 'remove' ? 'Remove' : 'Replace';
  return (
    <Dialog title={`${verb} the Dojo API key?`} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!/^\d{4,8}$/.test(pin))
            return setError({ message: 'A manager PIN is 4 to 8 digits', locked: false });
          setBusy(true);
          void onConfirm(pin).then((err) => {
            setBusy(false);
            if (err) setError(err);
            else onClose();
          });
        }}
      >
        <p className="warning">{consequence(change, mode)}</p>
        <p>Payments already taken stay as they are. A manager must approve this change.</p>
        <PinField
          label="Manager PIN"
          value={pin}
          onChange={(v) => {
            setPin(v);
            if (error?.locked !== true) setError(null);
          }}
        />
        {error && <p role="alert">{error.message}</p>}
        <div className="button-row">
          <button
            type="submit"
            className="btn-danger"
            disabled={busy || error?.locked === true}
            aria-busy={busy || undefined}
          >
            {verb} the key
          </button>
          <button type="button" className="btn-secondary" onClick={onClose}>
            Keep the current key
          </button>
        </div>
      </form>
    </Dialog>
  );
}
