import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { Dialog } from '../../components/Dialog';
import { PinField } from '../../components/PinField';
import { useMoney } from '../../components/Money';
import { useTillStore } from '../../store/store';

type Props = { amountMinor: number; dojoOffline: boolean };

/**
 * Tenders the till does not take itself: a voucher (or other tender) with its reference, and,
 * only while Dojo is down, a card taken on another terminal — recorded "to match" and linked to
 * Dojo's record of it when Dojo is back. A cashier needs a supervisor's PIN for the latter.
 */
export function OtherTenders({ amountMinor, dojoOffline }: Props) {
  const [open, setOpen] = useState<'voucher' | 'card' | null>(null);
  return (
    <div className="other-tenders button-row">
      <button type="button" className="btn-secondary" onClick={() => setOpen('voucher')}>
        Voucher / other
      </button>
      {dojoOffline && (
        <button type="button" className="btn-secondary" onClick={() => setOpen('card')}>
          Card on another terminal
        </button>
      )}
      {open === 'voucher' && (
        <VoucherDialog amountMinor={amountMinor} onClose={() => setOpen(null)} />
      )}
      {open === 'card' && (
        <CardOtherDialog amountMinor={amountMinor} onClose={() => setOpen(null)} />
      )}
    </div>
  );
}

function VoucherDialog({ amountMinor, onClose }: { amountMinor: number; onClose: () => void }) {
  const pay = useTillStore((s) => s.payVoucher);
  const money = useMoney();
  const [reference, setReference] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Dialog title="Voucher or other tender" onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          void pay(amountMinor, reference.trim()).then((err) => {
            setBusy(false);
            setError(err);
            if (!err) onClose();
          });
        }}
      >
        <p>
          Pays <strong>{money(amountMinor)}</strong> of this order. No change is given on a voucher.
        </p>
        <label>
          Voucher number or reference
          <input
            data-autofocus
            value={reference}
            maxLength={40}
            onChange={(e) => setReference(e.target.value)}
          />
        </label>
        {error && <p role="alert">{error}</p>}
        <div className="button-row">
          <button type="submit" disabled={busy}>
            Take voucher {money(amountMinor)}
          </button>
          <button type="button" className="btn-secondary" onClick={onClose}>
            Back
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function CardOtherDialog({ amountMinor, onClose }: { amountMinor: number; onClose: () => void }) {
  const { pay, allowed } = useTillStore(
    useShallow((s) => ({
      pay: s.payCardOther,
      allowed: s.session?.permissions.includes('tender.card-other') ?? false,
    })),
  );
  const money = useMoney();
  const [last4, setLast4] = useState('');
  const [authCode, setAuthCode] = useState('');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const needsApproval = !allowed;
  return (
    <Dialog title="Card on another terminal" onClose={onClose} wide>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          void pay({ amountMinor, last4: last4.trim(), authCode, pin }).then((err) => {
            setBusy(false);
            setPin('');
            setError(err);
            if (!err) onClose();
          });
        }}
      >
        <p>
          Dojo cannot be reached. Take <strong>{money(amountMinor)}</strong> on a terminal used on
          its own (or a backup device), then record it here. The payment is marked{' '}
          <strong>to match</strong>: when Dojo is back the till looks for it in Dojo’s record and
          links it; what it cannot find is listed for the manager.
        </p>
        <div className="form-grid">
          <label>
            Last four digits of the card
            <input
              data-autofocus
              inputMode="numeric"
              maxLength={4}
              value={last4}
              onChange={(e) => setLast4(e.target.value)}
            />
          </label>
          <label>
            Auth code on the terminal slip (if any)
            <input maxLength={12} value={authCode} onChange={(e) => setAuthCode(e.target.value)} />
          </label>
        </div>
        {needsApproval && (
          <PinField label="Supervisor or manager PIN (allows it)" value={pin} onChange={setPin} />
        )}
        {error && <p role="alert">{error}</p>}
        <div className="button-row">
          <button type="submit" disabled={busy}>
            Record card {money(amountMinor)}
          </button>
          <button type="button" className="btn-secondary" onClick={onClose}>
            Back
          </button>
        </div>
      </form>
    </Dialog>
  );
}
