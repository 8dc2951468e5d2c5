import { useId, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { CurrencySign, Kbd, useMoney } from '../../components/Money';
import { parseAmount } from '../../lib/input';
import { useTillStore } from '../../store/store';
import { notes, sellKeys } from '../sell/BasketPanel';
import { OtherTerminals } from '../terminals/OtherTerminals';
import { CardUnavailable, useDojoOffline } from '../sell/CardUnavailable';
import { SaleComplete } from './SaleComplete';
import { OtherTenders } from './OtherTenders';
import { TipOffer } from './TipOffer';
import { tenderText } from './tender-text';
import { cashDue, cashRoundingStep } from '../../../src-shared/domain/cash-rounding';

/** Tenders for a committed order: the remaining balance is always on screen. */
export function CheckoutPanel() {
  const checkout = useTillStore((s) => s.checkout);
  const { payCash, abandon, error, setError, busy } = useTillStore(
    useShallow((s) => ({
      payCash: s.payCash,
      abandon: s.abandonCheckout,
      error: s.checkoutError,
      setError: s.setCheckoutError,
      busy: s.checkoutBusy,
    })),
  );
  const { startCardSale, problem, paymentBusy, clearProblem } = useTillStore(
    useShallow((s) => ({
      startCardSale: s.startCardSale,
      problem: s.paymentProblem,
      paymentBusy: s.paymentBusy,
      clearProblem: s.clearPaymentProblem,
    })),
  );
  const money = useMoney();
  const currency = useTillStore((s) => s.info?.currency ?? 'GBP');
  const dojoOffline = useDojoOffline();
  const { tipOffer, tipFor, setTipFor } = useTillStore(
    useShallow((s) => ({
      tipOffer: s.settings?.tipOffer ?? false,
      tipFor: s.tipPrompt,
      setTipFor: s.setTipPrompt,
    })),
  );
  const cashRounding = useTillStore((s) => s.settings?.cashRounding ?? 'none');
  const whyNoCard = useId();
  const order = checkout?.order;
  const remaining = order?.remainingMinor ?? 0;
  const [payNow, setPayNow] = useState((remaining / 100).toFixed(2));
  const [handed, setHanded] = useState('');
  const [seenRemaining, setSeenRemaining] = useState(remaining);
  if (seenRemaining !== remaining) {
    // A tender went through: offer the new remainder, forget the last cash handed over.
    setSeenRemaining(remaining);
    setPayNow((remaining / 100).toFixed(2));
    setHanded('');
  }

  if (!checkout || !order) return null;
  if (order.status === 'paid' || remaining === 0) return <SaleComplete />;

  const part = parseAmount(payNow, { currency });
  const partMinor = part.ok ? part.value : 0;
  const partProblem = !part.ok
    ? part.message
    : partMinor > remaining
      ? `That is more than the ${money(remaining)} still to pay`
      : null;
  // Cash that settles the order is rounded on a euro till set to round (the core does the same).
  const { dueMinor, roundingMinor } = cashDue(
    partMinor,
    remaining,
    cashRoundingStep(order.currency, cashRounding),
  );
  const tendered = handed.trim() === '' ? null : parseAmount(handed, { currency });
  const changeMinor = tendered?.ok ? tendered.value - dueMinor : 0;

  const takeCash = async (handedMinor: number) => {
    if (partProblem) return setError(partProblem);
    if (handedMinor < dueMinor)
      return setError(
        `Cash handed over (${money(handedMinor)}) is less than the ${money(dueMinor)} ${roundingMinor ? 'due in cash' : 'to pay'}`,
      );
    await payCash(partMinor, handedMinor);
  };
  const payCard = () => {
    if (partProblem) return setError(partProblem);
    setError(null);
    clearProblem();
    if (tipOffer) return setTipFor(partMinor);
    void startCardSale(partMinor);
  };

  return (
    <section className="checkout" aria-label="Take payment">
      <header className="basket-head">
        <div>
          <h2>Take payment</h2>
          <span className="muted order-ref">Order {order.reference}</span>
        </div>
        {order.status === 'awaiting_card' ? (
          <button type="button" className="btn-secondary btn-small" onClick={() => void abandon()}>
            Back to waiting list
          </button>
        ) : (
          <button
            type="button"
            className="btn-secondary btn-small"
            disabled={order.paidMinor > 0}
            onClick={() => void abandon()}
          >
            Back to basket
          </button>
        )}
      </header>
      <dl className="balance" aria-label="Balance">
        <div>
          <dt>Total</dt>
          <dd>{money(order.totalMinor)}</dd>
        </div>
        <div>
          <dt>Paid</dt>
          <dd>{money(order.paidMinor)}</dd>
        </div>
        <div className="remaining">
          <dt>Still to pay</dt>
          <dd aria-label="Still to pay">{money(remaining)}</dd>
        </div>
      </dl>
      {order.tenders.length > 0 && (
        <ul className="tender-list" aria-label="Payments taken">
          {order.tenders.map((t) => (
            <li key={t.id}>
              {tenderText(t, money)}
              {t.changeMinor > 0 && ` (change ${money(t.changeMinor)})`}
            </li>
          ))}
        </ul>
      )}
      {checkout.lastChangeMinor > 0 && (
        <p className="change-banner" role="status">
          Give change: {money(checkout.lastChangeMinor)}
        </p>
      )}
      <label className="pay-now">
        Amount to pay now (<CurrencySign />) — lower it to split
        <input
          inputMode="decimal"
          value={payNow}
          aria-invalid={partProblem ? true : undefined}
          onChange={(e) => {
            setPayNow(e.target.value);
            if (error) setError(null); // "less than … to pay" is about the old figures
          }}
        />
      </label>
      {partProblem && <p role="alert">{partProblem}</p>}

      <div className="tender-block">
        <button
          type="button"
          className="btn-tender btn-card"
          disabled={paymentBusy || dojoOffline}
          aria-busy={paymentBusy || undefined}
          aria-describedby={dojoOffline ? whyNoCard : undefined}
          aria-keyshortcuts={sellKeys.card}
          onClick={payCard}
        >
          Pay by card {part.ok ? money(partMinor) : ''} <Kbd keys={sellKeys.card} />
        </button>
        <CardUnavailable id={whyNoCard} />
        <OtherTenders amountMinor={partMinor} dojoOffline={dojoOffline} />
        {tipFor !== null && (
          <TipOffer
            saleMinor={tipFor}
            onClose={() => setTipFor(null)}
            onPay={(tip) => {
              setTipFor(null);
              void startCardSale(tipFor, undefined, tip);
            }}
          />
        )}
        {problem && !dojoOffline && (
          <div className="warning" role="alert">
            <p>{problem.message}</p>
            <OtherTerminals amountMinor={partMinor} />
          </div>
        )}
      </div>

      <form
        className="tender-block"
        aria-label="Cash"
        onSubmit={(e) => {
          e.preventDefault();
          if (!tendered) return void takeCash(dueMinor);
          if (!tendered.ok) return setError(tendered.message);
          void takeCash(tendered.value);
        }}
      >
        <div className="cash-row">
          <label>
            Cash handed over (<CurrencySign />)
            {/* The cashier's next key press is the cash amount (Enter takes it): start here. */}
            <input
              autoFocus
              inputMode="decimal"
              placeholder={(dueMinor / 100).toFixed(2)}
              value={handed}
              onChange={(e) => {
                setHanded(e.target.value);
                if (error) setError(null);
              }}
            />
          </label>
          <div className="notes">
            <button
              type="button"
              className="btn-secondary"
              aria-label="Exact cash"
              disabled={busy}
              aria-busy={busy || undefined}
              onClick={() => void takeCash(dueMinor)}
            >
              Exact
            </button>
            {notes
              .filter((n) => n >= dueMinor || n === notes[notes.length - 1])
              .map((n) => (
                <button
                  key={n}
                  type="button"
                  className="btn-secondary"
                  aria-label={`Customer handed ${money(n)}`}
                  onClick={() => {
                    setHanded((n / 100).toFixed(2));
                    if (error) setError(null);
                  }}
                >
                  {money(n)}
                </button>
              ))}
          </div>
        </div>
        {roundingMinor !== 0 && (
          <p className="cash-due" aria-label="Cash due">
            Cash due: <strong>{money(dueMinor)}</strong>{' '}
            <span className="muted">
              ({money(partMinor)} rounded to the nearest {money(5)})
            </span>
          </p>
        )}
        <div className="cash-row">
          <p className="change-due" aria-label="Change due">
            Change due:{' '}
            <strong>{tendered?.ok && changeMinor >= 0 ? money(changeMinor) : money(0)}</strong>
          </p>
          <button
            type="submit"
            className="btn-tender btn-cash"
            disabled={busy}
            aria-busy={busy || undefined}
          >
            Take cash
          </button>
        </div>
      </form>
      {error && <p role="alert">{error}</p>}
    </section>
  );
}
