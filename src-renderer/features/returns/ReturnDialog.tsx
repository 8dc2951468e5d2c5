import { useEffect, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { PayoutInput, ReturnableLine, ReturnQuote } from '../../../src-shared/domain/returns';
import { Dialog } from '../../components/Dialog';
import { useMoney } from '../../components/Money';
import { parseAmount } from '../../lib/input';
import { useTillStore } from '../../store/store';
import { soldAsIs } from '../../../src-shared/domain/basket-lines';

type Mode = 'cash' | 'card-terminal' | 'card-online' | 'split';
type NewItem = { productId: string; name: string; priceMinor: number; quantity: number };

const modeWords: Record<Mode, string> = {
  cash: 'Cash from the drawer',
  'card-terminal': 'To the card, on the terminal',
  'card-online': 'To the card, without the card (online)',
  split: 'Split: some cash, the rest to the card on the terminal',
};

/** What the dialog needs of the order: this till's, or another till's from the shop database. */
export type ReturnableOrder = {
  id: string;
  reference: string;
  tenders: readonly { kind: string }[];
};

/**
 * Return items of a paid order (and optionally exchange them for others): pick lines and
 * quantities, a reason, and how the money goes back. The core prices it (`returns:quote`) and
 * checks everything again when it is confirmed. Another till's order (`soldAt`, the till's name)
 * is returned here for cash from this drawer or to its card without the card present; it is not
 * exchanged (docs/SHOP-DATABASE.md "Returns across tills").
 */
export function ReturnDialog({
  order,
  lines,
  soldAt,
  onClose,
}: {
  order: ReturnableOrder;
  lines: ReturnableLine[];
  soldAt?: string;
  onClose: () => void;
}) {
  const { quoteReturn, createReturn, products, terminalId } = useTillStore(
    useShallow((s) => ({
      quoteReturn: s.quoteReturn,
      createReturn: s.createReturn,
      products: s.products,
      terminalId: s.selectedTerminalId,
    })),
  );
  const money = useMoney();
  const [qty, setQty] = useState<Record<number, number>>({});
  const [reason, setReason] = useState('');
  const [exchange, setExchange] = useState(false);
  const [items, setItems] = useState<NewItem[]>([]);
  const [search, setSearch] = useState('');
  const paidByCard = order.tenders.some((t) => t.kind === 'card');
  const acrossTills = soldAt !== undefined;
  const [mode, setMode] = useState<Mode>(
    paidByCard ? (acrossTills ? 'card-online' : 'card-terminal') : 'cash',
  );
  const [splitCash, setSplitCash] = useState('');
  const [quoted, setQuote] = useState<ReturnQuote | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const chosen = useMemo(
    () =>
      Object.entries(qty)
        .map(([position, quantity]) => ({ position: Number(position), quantity }))
        .filter((l) => l.quantity > 0),
    [qty],
  );
  const basket = useMemo(
    () =>
      exchange && items.length > 0
        ? {
            lines: items.map((i) => ({
              kind: 'product' as const,
              productId: i.productId,
              quantity: i.quantity,
            })),
          }
        : undefined,
    [exchange, items],
  );

  // The core prices what is chosen (its share of the sale, VAT, the new basket) as it changes.
  useEffect(() => {
    if (chosen.length === 0) return;
    let live = true;
    void quoteReturn({
      orderId: order.id,
      lines: chosen,
      ...(basket ? { exchange: basket } : {}),
    }).then((r) => {
      if (!live) return;
      if (r.ok) {
        setQuote(r.quote);
        setError(null);
      } else {
        setQuote(null);
        setError(r.message);
      }
    });
    return () => {
      live = false;
    };
  }, [order.id, chosen, basket, quoteReturn]);

  // Nothing chosen: the last quote no longer stands.
  const quote = chosen.length > 0 ? quoted : null;
  const owed = Math.max(0, quote?.owedBackMinor ?? 0);
  const toPay = Math.max(0, -(quote?.owedBackMinor ?? 0));
  const card = quote?.cards.find((c) => c.refundableMinor > 0) ?? null;
  const cardOk = card !== null;

  function payouts(): PayoutInput[] | string {
    if (owed === 0) return [];
    if (mode === 'cash') return [{ method: 'cash', amountMinor: owed }];
    if (!card) return 'This order has no card payment left to refund: give the money back in cash.';
    if (mode === 'card-online')
      return [{ method: 'card', amountMinor: owed, attemptId: card.attemptId }];
    if (!terminalId) return 'Choose a card terminal first (top right).';
    if (mode === 'card-terminal')
      return [{ method: 'card', amountMinor: owed, attemptId: card.attemptId, terminalId }];
    const c = parseAmount(splitCash);
    if (!c.ok) return c.message;
    if (c.value <= 0 || c.value >= owed)
      return `Cash must be more than nothing and less than the ${money(owed)} owed.`;
    return [
      { method: 'cash', amountMinor: c.value },
      { method: 'card', amountMinor: owed - c.value, attemptId: card.attemptId, terminalId },
    ];
  }

  async function confirm() {
    if (chosen.length === 0) return setError('Choose at least one item to return.');
    if (reason.trim().length < 2) return setError('Give a reason for the return.');
    if (exchange && items.length === 0)
      return setError('An exchange needs something new: add an item, or untick the exchange.');
    const p = payouts();
    if (typeof p === 'string') return setError(p);
    setBusy(true);
    const problem = await createReturn({
      orderId: order.id,
      lines: chosen,
      reason: reason.trim(),
      payouts: p,
      ...(exchange ? { exchange: { lines: basket?.lines ?? [] } } : {}),
    });
    setBusy(false);
    if (problem) setError(problem);
    else onClose();
  }

  // The new basket takes a product as it is: one with sizes, choices or a weight is sold as a
  // sale of its own (the core refuses it here in the sale's words).
  const found = search.trim()
    ? products
        .filter((p) => soldAsIs(p) && p.name.toLowerCase().includes(search.trim().toLowerCase()))
        .slice(0, 8)
    : [];
  const add = (p: { id: string; name: string; priceMinor: number }) =>
    setItems((list) => {
      const have = list.find((i) => i.productId === p.id);
      return have
        ? list.map((i) => (i.productId === p.id ? { ...i, quantity: i.quantity + 1 } : i))
        : [...list, { productId: p.id, name: p.name, priceMinor: p.priceMinor, quantity: 1 }];
    });

  return (
    <Dialog
      title={`Return items of ${order.reference}${acrossTills ? ` (sold at ${soldAt})` : ''}`}
      onClose={onClose}
      wide
    >
      <table aria-label="Items to return">
        <thead>
          <tr>
            <th>Item</th>
            <th className="num">Sold</th>
            <th className="num">Returned</th>
            <th className="num">Return now</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => (
            <tr key={l.position}>
              <td>{l.name}</td>
              <td className="num">{l.sold}</td>
              <td className="num">{l.returned}</td>
              <td className="num">
                <input
                  type="number"
                  min={0}
                  max={l.returnable}
                  disabled={l.returnable === 0}
                  aria-label={`Return quantity of ${l.name}`}
                  value={qty[l.position] ?? 0}
                  style={{ width: '5em' }}
                  onChange={(e) =>
                    setQty((q) => ({
                      ...q,
                      [l.position]: Math.max(0, Math.trunc(Number(e.target.value) || 0)),
                    }))
                  }
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <label>
        Reason
        <input
          value={reason}
          maxLength={200}
          placeholder="Faulty, wrong size, changed mind…"
          onChange={(e) => setReason(e.target.value)}
        />
      </label>
      {!acrossTills && (
        <label className="check">
          <input
            type="checkbox"
            checked={exchange}
            onChange={(e) => setExchange(e.target.checked)}
          />{' '}
          Exchange for other items
        </label>
      )}
      {exchange && (
        <fieldset aria-label="New items">
          <legend>New items</legend>
          <label>
            Find a product
            <input value={search} onChange={(e) => setSearch(e.target.value)} />
          </label>
          <div className="button-row">
            {found.map((p) => (
              <button
                key={p.id}
                type="button"
                className="btn-secondary btn-small"
                aria-label={`Add ${p.name}`}
                onClick={() => add(p)}
              >
                {p.name} {money(p.priceMinor)}
              </button>
            ))}
          </div>
          <ul aria-label="New basket">
            {items.length === 0 && <li className="muted">Nothing yet</li>}
            {items.map((i) => (
              <li key={i.productId}>
                {i.quantity} × {i.name} {money(i.priceMinor * i.quantity)}{' '}
                <button
                  type="button"
                  className="btn-secondary btn-small"
                  aria-label={`Remove ${i.name}`}
                  onClick={() => setItems((l) => l.filter((x) => x.productId !== i.productId))}
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
        </fieldset>
      )}
      {quote && (
        <dl className="return-summary" aria-label="Return summary">
          <dt>Value returned</dt>
          <dd>
            {money(quote.returnMinor)} (VAT {money(quote.vatMinor)})
          </dd>
          {exchange && (
            <>
              <dt>New items</dt>
              <dd>{money(quote.newTotalMinor)}</dd>
            </>
          )}
          <dt>{toPay > 0 ? 'Customer pays' : 'To give back'}</dt>
          <dd>
            <strong>{money(toPay > 0 ? toPay : owed)}</strong>
          </dd>
        </dl>
      )}
      {quote && owed > 0 && (
        <fieldset aria-label="Pay back">
          <legend>Pay back</legend>
          {(!cardOk
            ? (['cash'] as const)
            : acrossTills
              ? (['cash', 'card-online'] as const)
              : (['cash', 'card-terminal', 'card-online', 'split'] as const)
          ).map((m) => (
            <label key={m} className="check">
              <input type="radio" name="payback" checked={mode === m} onChange={() => setMode(m)} />{' '}
              {modeWords[m]}
              {m !== 'cash' && card?.last4 ? ` (card ending ${card.last4})` : ''}
            </label>
          ))}
          {mode === 'split' && (
            <label>
              Cash part (£)
              <input
                inputMode="decimal"
                value={splitCash}
                onChange={(e) => setSplitCash(e.target.value)}
              />
            </label>
          )}
          {!cardOk && (
            <p className="muted">No card payment left to refund on this order: cash only.</p>
          )}
          {acrossTills && (
            <p className="muted">
              Sold at {soldAt}: the cash comes out of this till’s drawer; a card refund goes to the
              original card through Dojo. What every till already returned is checked first.
            </p>
          )}
        </fieldset>
      )}
      {toPay > 0 && (
        <p className="muted">
          The new items cost more: after confirming, take the {money(toPay)} difference by card or
          cash.
        </p>
      )}
      {error && <p role="alert">{error}</p>}
      <div className="button-row">
        <button
          type="button"
          disabled={busy || !quote}
          aria-busy={busy || undefined}
          onClick={() => void confirm()}
        >
          {exchange ? 'Confirm exchange' : 'Confirm return'}
        </button>
        <button type="button" className="btn-secondary" onClick={onClose}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
