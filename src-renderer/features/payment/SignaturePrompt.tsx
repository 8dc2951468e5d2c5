import { useEffect, useState } from 'react';
import { useTillStore } from '../../store/store';

/** Dojo accepts the signature on its own at the deadline: the countdown says how long is left. */
export function SignaturePrompt({
  deadlineAt,
  last4,
}: {
  deadlineAt: string;
  last4: string | null;
}) {
  const decide = useTillStore((s) => s.decideSignature);
  const busy = useTillStore((s) => s.paymentBusy);
  const deadline = Date.parse(deadlineAt);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, []);
  const left = Math.max(0, Math.ceil((deadline - now) / 1000));
  return (
    <section className="signature" aria-label="Signature check">
      <h3>Check the customer’s signature</h3>
      <p>
        Compare the signature on the slip with the one on the card
        {last4 ? (
          <>
            {' '}
            ending <strong>{last4}</strong>
          </>
        ) : null}
        .
      </p>
      <p className="countdown" role="timer" aria-label="Seconds left to decide">
        {left} s
      </p>
      <p className="muted">
        If you do nothing, the terminal accepts the signature when the time runs out.
      </p>
      <div className="button-row">
        <button
          type="button"
          className="btn-ok btn-big"
          disabled={busy}
          onClick={() => void decide(true)}
        >
          Accept signature
        </button>
        <button
          type="button"
          className="btn-danger btn-big"
          disabled={busy}
          onClick={() => void decide(false)}
        >
          Reject signature
        </button>
      </div>
    </section>
  );
}
