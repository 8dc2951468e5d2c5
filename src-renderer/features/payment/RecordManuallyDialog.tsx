import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { PaymentAttempt } from '../../../src-shared/domain/payments';
import { Dialog } from '../../components/Dialog';
import { useMoney } from '../../components/Money';
import { pinProblem, type PinError } from '../../lib/pin-error';
import type { ManualOutcome } from '../../store/payment.slice';
import { useTillStore } from '../../store/store';
import { PinField } from '../../components/PinField';

type Props = { attempt: PaymentAttempt; tid: string; reason: string; onClose: () => void };

const time = (iso: string) =>
  new Date(iso).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });

/**
 * The way out of "the result cannot be confirmed" when checking again does not settle it: a
 * manager looks at the terminal or the Dojo dashboard and records what it shows, with a note.
 */
export function RecordManuallyDialog({ attempt, tid, reason, onClose }: Props) {
  const { record, busy, pinSet } = useTillStore(
    useShallow((s) => ({ record: s.recordManually, busy: s.paymentBusy, pinSet: s.managerPinSet })),
  );
  const money = useMoney();
  const [outcome, setOutcome] = useState<ManualOutcome | null>(null);
  const [note, setNote] = useState('');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<PinError | null>(null);
  const amount = money(attempt.amountMinor);

  /** Any edit lifts a lockout's hold on the submit button: the core decides whether it has passed. */
  const unlock = () => {
    if (error?.locked) setError(null);
  };

  const submit = async () => {
    if (!outcome)
      return setError(pinProblem('Choose what the terminal or Dojo shows: paid or not paid'));
    if (note.trim().length < 3)
      return setError(pinProblem('Write a short note saying what you saw (at least 3 characters)'));
    if (!/^\d{4,8}$/.test(pin))
      return setError(pinProblem('Enter the manager PIN (4 to 8 digits)'));
    const err = await record({ outcome, note: note.trim(), managerPin: pin });
    setPin('');
    setError(err);
    if (!err) onClose();
  };

  return (
    <Dialog title="Record payment manually" onClose={onClose} wide>
      <form
        className="record-manually"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <p>
          Card payment of <strong>{amount}</strong> on terminal TID {tid}, started at{' '}
          {time(attempt.createdAt)}.
        </p>
        <p className="muted">Why the till cannot confirm it: {reason}</p>
        <fieldset className="choice">
          <legend>What does the terminal or the Dojo dashboard show for this payment?</legend>
          <label className="check">
            <input
              type="radio"
              name="outcome"
              value="paid"
              data-autofocus
              checked={outcome === 'paid'}
              onChange={() => (setOutcome('paid'), unlock())}
            />
            Paid — the money was taken
          </label>
          <label className="check">
            <input
              type="radio"
              name="outcome"
              value="not-paid"
              checked={outcome === 'not-paid'}
              onChange={() => (setOutcome('not-paid'), unlock())}
            />
            Not paid — no money was taken
          </label>
        </fieldset>
        <div className="warning" role="note" aria-label="What recording does">
          <p>
            <strong>Paid</strong> completes the order as paid by card ({amount}). Choose it only if
            the terminal slip or Dojo shows the payment approved.
          </p>
          <p>
            <strong>Not paid</strong> ends this card attempt so the cashier can take the payment
            again. If the money was in fact taken, the customer pays twice.
          </p>
        </div>
        <label>
          Note: what you saw (required)
          <textarea
            rows={2}
            maxLength={200}
            placeholder="e.g. terminal slip says APPROVED, auth 123456"
            value={note}
            onChange={(e) => (setNote(e.target.value), unlock())}
          />
        </label>
        <PinField label="Manager PIN" value={pin} onChange={(v) => (setPin(v), unlock())} />
        {pinSet === false && (
          <p role="alert">No manager PIN is set yet: set one in Settings first.</p>
        )}
        {error && (
          <p role="alert" className={error.locked ? 'pin-locked' : undefined}>
            {error.message}
          </p>
        )}
        <div className="button-row">
          <button type="submit" className="btn-big" disabled={busy || error?.locked === true}>
            {outcome === 'paid'
              ? 'Record as paid'
              : outcome === 'not-paid'
                ? 'Record as not paid'
                : 'Record'}
          </button>
          <button type="button" className="btn-secondary btn-big" onClick={onClose}>
            Back
          </button>
        </div>
      </form>
    </Dialog>
  );
}
