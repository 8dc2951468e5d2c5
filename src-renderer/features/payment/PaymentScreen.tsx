import { useEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { Dialog } from '../../components/Dialog';
import { useMoney } from '../../components/Money';
import { promptText } from '../../../src-shared/domain/payments';
import { stateWords } from '../../store/payment.slice';
import { useTillStore } from '../../store/store';
import { OtherTerminals } from '../terminals/OtherTerminals';
import { RecordManuallyDialog } from './RecordManuallyDialog';
import { SignaturePrompt } from './SignaturePrompt';

const time = (iso: string) => new Date(iso).toLocaleTimeString('en-GB');

/** An unconfirmed result must not read as an invitation to take the money another way. */
const closeWords = (kind: string, refund: boolean) =>
  kind === 'succeeded'
    ? 'Continue'
    : kind === 'unconfirmed'
      ? 'Close and check later'
      : refund
        ? 'Close'
        : 'Choose another way to pay';

/** The customer is paying (or being refunded) on the terminal: live prompt, timeline, result. */
export function PaymentScreen() {
  const { payment, problem, busy, terminals, coreLink, dojoOffline, orderAttempts } = useTillStore(
    useShallow((s) => ({
      payment: s.payment,
      problem: s.paymentProblem,
      busy: s.paymentBusy,
      terminals: s.terminals,
      coreLink: s.coreLink,
      dojoOffline: s.status?.dojo.state === 'offline',
      orderAttempts: s.selectedAttempts,
    })),
  );
  const { cancel, checkAgain, retry, close, dismissRecord } = useTillStore(
    useShallow((s) => ({
      cancel: s.cancelPayment,
      checkAgain: s.checkAgain,
      retry: s.retrySale,
      close: s.closePayment,
      dismissRecord: s.dismissRecordOnOpen,
    })),
  );
  const money = useMoney();
  /** The attempt whose manual record dialog is open (an id, so it never carries over to the next payment). */
  const [recordingFor, setRecordingFor] = useState<string | null>(null);
  // Keyboard safety: while the customer pays, focus sits on the prompt (never on "Cancel payment",
  // where a habitual Enter would cancel); once a result is in, on its main action.
  const primaryRef = useRef<HTMLButtonElement>(null);
  const stateKind = payment?.attempt.state.kind;
  useEffect(() => {
    primaryRef.current?.focus();
  }, [stateKind]);
  if (!payment) return null;
  const { attempt, prompt, timeline, manual } = payment;
  const state = attempt.state;
  const tid =
    attempt.terminalTid ??
    terminals.find((t) => t.id === attempt.terminalId)?.tid ??
    attempt.terminalId;
  const refund = attempt.kind !== 'sale';
  const title = refund ? 'Card refund' : 'Card payment';
  const live = !attempt.isFinal && state.kind !== 'unconfirmed';
  // The terminal may still be working, but the till cannot hear it: say that, not the last prompt.
  const linkLost = live && (payment.linkLost === true || dojoOffline);
  const cancellable =
    state.kind === 'creating_intent' ||
    state.kind === 'creating_session' ||
    state.kind === 'in_progress';
  const card = attempt.card;
  // A terminal refund can go to any card the customer presents: say so when it is not the card
  // that paid (both known by their last four digits).
  const paidWith =
    attempt.kind === 'matched_refund'
      ? orderAttempts.find(
          (a) => a.kind === 'sale' && a.paymentIntentId === attempt.paymentIntentId,
        )?.card
      : null;
  const otherCard =
    state.kind === 'succeeded' && card?.last4 && paidWith?.last4 && card.last4 !== paidWith.last4
      ? { refunded: card.last4, paid: paidWith.last4 }
      : null;
  const byHand =
    (state.kind === 'succeeded' && manual?.outcome === 'paid') ||
    (state.kind === 'failed' && manual?.outcome === 'not-paid');
  // Shown instead of the payment dialog, not over it: one modal at a time keeps focus and Esc simple.
  // Also opened straight from "payments to check" or an order's detail to record it by hand.
  if ((recordingFor === attempt.id || payment.recordOnOpen) && state.kind === 'unconfirmed')
    return (
      <RecordManuallyDialog
        attempt={attempt}
        tid={tid}
        reason={state.reason}
        onClose={() => {
          setRecordingFor(null);
          dismissRecord();
        }}
      />
    );

  const headline = (() => {
    if (linkLost) return 'The link to Dojo is lost — the result will come when it is back';
    switch (state.kind) {
      case 'in_progress':
        return promptText(prompt) ?? 'Waiting for the customer at the terminal';
      case 'signature_may_follow':
        return 'Payment approved — a signature check may follow';
      case 'succeeded':
        return byHand
          ? 'Recorded as paid by a manager'
          : refund
            ? 'Refund approved'
            : 'Payment approved';
      case 'declined':
        return 'Declined';
      case 'canceled':
        return refund ? 'Refund cancelled' : 'Payment cancelled';
      case 'failed':
        return byHand
          ? 'Recorded as not paid: take the payment again'
          : refund
            ? 'The refund did not start'
            : 'The payment did not start';
      case 'unconfirmed':
        return 'The result cannot be confirmed';
      case 'creating_intent':
      case 'creating_session':
      case 'signature_required':
      case 'cancel_requested':
      case 'confirming':
        return stateWords(state, refund);
    }
  })();

  return (
    <Dialog title={title} onClose={() => void close()} dismissable={!live} wide>
      <div className={`payment payment-${state.kind}`}>
        <div className="payment-top">
          <p className="big-amount" aria-label="Amount">
            {money(attempt.amountMinor)}
          </p>
          <p className="muted">on terminal TID {tid}</p>
        </div>
        <p
          className="payment-prompt"
          tabIndex={-1}
          data-autofocus
          role="status"
          aria-live="assertive"
          aria-label="Terminal prompt"
        >
          {headline}
        </p>
        {coreLink !== 'connected' && (
          <p className="payment-link-lost" role="alert" aria-label="Till core link lost">
            The link to the till core is down, so this screen may be out of date. The payment goes
            on at the terminal; its result shows here when the link is back.
          </p>
        )}

        {state.kind === 'signature_required' && state.decided === null && (
          <SignaturePrompt deadlineAt={state.deadlineAt} last4={card?.last4 ?? null} />
        )}

        {linkLost && (
          <p className="link-lost">
            The terminal may still be taking this {refund ? 'refund' : 'payment'}. Keep the customer
            here and do not take the money another way: the till keeps trying and shows the result
            as soon as Dojo answers.
          </p>
        )}
        {state.kind === 'signature_may_follow' && (
          <p className="signature-may-follow">
            The payment went through on the terminal. Keep the customer here: the terminal may still
            ask you to check their signature.
          </p>
        )}
        {((state.kind === 'succeeded' && !byHand) || state.kind === 'signature_may_follow') && (
          <dl className="card-result" aria-label="Card details">
            <div>
              <dt>Card</dt>
              <dd>{card?.cardType ?? '—'}</dd>
            </div>
            <div>
              <dt>Last four digits</dt>
              <dd>{card?.last4 ?? '—'}</dd>
            </div>
            <div>
              <dt>Auth code</dt>
              <dd>{card?.authCode ?? '—'}</dd>
            </div>
          </dl>
        )}
        {otherCard && (
          <p className="warning" role="note">
            Refunded to a different card (ending {otherCard.refunded}) from the one that paid
            (ending {otherCard.paid}).
          </p>
        )}
        {(state.kind === 'declined' ||
          state.kind === 'canceled' ||
          state.kind === 'failed' ||
          state.kind === 'unconfirmed') && <p className="payment-reason">{state.reason}</p>}
        {state.kind === 'unconfirmed' && (
          <p>
            The terminal may have taken the money. Do not take the payment again: check again until
            the result is known.
          </p>
        )}
        {state.kind === 'failed' && !refund && !byHand && (
          <OtherTerminals amountMinor={attempt.amountMinor} />
        )}
        {problem && <p role="alert">{problem.message}</p>}

        <div className="button-row payment-actions">
          {cancellable && (
            <button
              type="button"
              className="btn-danger btn-big"
              disabled={busy}
              onClick={() => void cancel()}
            >
              {refund ? 'Cancel refund' : 'Cancel payment'}
            </button>
          )}
          {state.kind === 'cancel_requested' && (
            <button type="button" className="btn-danger btn-big" disabled>
              Cancelling…
            </button>
          )}
          {state.kind === 'unconfirmed' && (
            <button
              ref={primaryRef}
              type="button"
              className="btn-big"
              disabled={busy}
              onClick={() => void checkAgain()}
            >
              Check again
            </button>
          )}
          {state.kind === 'unconfirmed' && !refund && (
            <button
              type="button"
              className="btn-secondary btn-big"
              disabled={busy}
              onClick={() => setRecordingFor(attempt.id)}
            >
              Record manually…
            </button>
          )}
          {((state.kind === 'declined' && !refund) || (state.kind === 'failed' && byHand)) && (
            <button
              ref={primaryRef}
              type="button"
              className="btn-big"
              disabled={busy}
              onClick={() => void retry()}
            >
              Try again
            </button>
          )}
          {!live && (
            <button
              ref={state.kind === 'succeeded' || state.kind === 'canceled' ? primaryRef : undefined}
              type="button"
              className={state.kind === 'succeeded' ? 'btn-ok btn-big' : 'btn-secondary btn-big'}
              onClick={() => void close()}
            >
              {closeWords(state.kind, refund)}
            </button>
          )}
        </div>

        <details className="timeline" open>
          <summary>What happened</summary>
          <ol aria-label="Payment timeline">
            {timeline.map((e, i) => (
              <li key={i}>
                <time>{time(e.at)}</time> {e.text}
              </li>
            ))}
          </ol>
        </details>
      </div>
    </Dialog>
  );
}
