import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ReceiptChoice as Choice } from '../../../src-shared/domain/tenders';
import { useTillStore } from '../../store/store';

const labels: Record<Choice, string> = { print: 'Print', email: 'Email', none: 'No receipt' };

const printWords = {
  pending: 'Receipt waiting to print',
  printing: 'Receipt printing',
  printed: 'Receipt printed',
  failed: 'Receipt could not print',
} as const;

/**
 * "Receipt?" after payment: Print, Email (Dojo e-mails its receipt of a card payment) or No
 * receipt. The till's default is chosen until the cashier picks another; a printer that is down
 * says so here, with the other two on offer.
 */
export function ReceiptChoice({ orderId }: { orderId: string }) {
  const { receipt, load, choose, busy, printerState } = useTillStore(
    useShallow((s) => ({
      receipt: s.receipt,
      load: s.loadReceiptOptions,
      choose: s.chooseReceipt,
      busy: s.receiptBusy,
      printerState: s.status?.printer.state,
    })),
  );
  const [emailOpen, setEmailOpen] = useState(false);
  const [email, setEmail] = useState('');
  useEffect(() => {
    void load(orderId);
  }, [orderId, load, printerState]);
  const here = receipt?.options.orderId === orderId ? receipt : null;
  const o = here?.options;
  if (!o) return null;
  const showEmail = emailOpen || (o.choice === 'email' && !o.email.sentTo && o.email.possible);
  // With no printer set up, Print is not on offer, and the default does not pretend it printed.
  const noPrinter = printerState === 'none';
  const pressed = (c: Choice) => o.choice === c && !(c === 'print' && noPrinter && !o.chosen);
  return (
    <section className="receipt-choice" aria-label="Receipt choice">
      <div className="button-row" role="group" aria-label="Receipt">
        <strong>Receipt?</strong>
        {(['print', 'email', 'none'] as const).map((c) => (
          <button
            key={c}
            type="button"
            className={pressed(c) ? 'btn-small' : 'btn-secondary btn-small'}
            aria-pressed={pressed(c)}
            disabled={busy || (c === 'email' && !o.email.possible) || (c === 'print' && noPrinter)}
            onClick={() => {
              if (c === 'email') return setEmailOpen(true);
              setEmailOpen(false);
              void choose(orderId, c);
            }}
          >
            {labels[c]}
          </button>
        ))}
        <span className="muted">default: {labels[o.defaultChoice]}</span>
      </div>
      {!o.printer.usable && (
        <p className="warning" role="status" aria-label="Printer problem">
          {o.printer.reason} Email it (card payments) or choose No receipt.
        </p>
      )}
      {!o.email.possible && (
        <p className="muted" title={o.email.reason ?? undefined}>
          Cash and voucher sales cannot be e-mailed: Dojo e-mails card receipts only.
        </p>
      )}
      {showEmail && (
        <form
          className="email-receipt"
          onSubmit={(e) => {
            e.preventDefault();
            void choose(orderId, 'email', email).then((ok) => ok && setEmailOpen(false));
          }}
        >
          <label>
            Customer’s e-mail address
            <input
              type="text"
              inputMode="email"
              autoComplete="off"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              placeholder="name@example.com"
            />
          </label>
          <p className="muted">
            Dojo sends its own receipt of the card payment to this address (shop, amount, masked
            card, items and VAT). The till keeps only a masked copy of the address.
          </p>
          <button type="submit" className="btn-small" disabled={busy}>
            Send by e-mail
          </button>
        </form>
      )}
      {o.printStatus && <p className="muted">{printWords[o.printStatus]}</p>}
      {o.email.sentTo && !here.message && (
        <p className="muted">E-mail receipt sent to {o.email.sentTo}</p>
      )}
      {here.message && <p role="status">{here.message}</p>}
      {here.error && <p role="alert">{here.error}</p>}
    </section>
  );
}
