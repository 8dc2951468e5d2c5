import { memo, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { Kbd, useMoney } from '../../components/Money';
import {
  previewBasket,
  unitWithModifiers,
  vatByRate,
  vatLabel,
} from '../../../src-shared/domain/pricing';
import { describeDiscount } from '../../lib/input';
import { cashDue, cashRoundingStep } from '../../../src-shared/domain/cash-rounding';
import { useTillStore } from '../../store/store';
import { basketPreviewLines, type BasketItem } from '../../store/basket.slice';
import { formatKg } from '../../../src-shared/domain/scale-barcodes';
import type { OrderLine } from '../../../src-shared/domain/orders';
import { ProductOptionsDialog } from './ProductOptionsDialog';
import { DiscountDialog, QuantityDialog, type Editing } from './LineEditors';
import { ParkedList } from './ParkedList';
import { samePriced } from './basket-line-equal';
import { CardUnavailable, useDojoOffline } from './CardUnavailable';

export const sellKeys = {
  card: 'Alt+K',
  cash: 'Alt+C',
  cashExact: 'Alt+E',
  park: 'Alt+P',
  clear: 'Alt+X',
  search: 'Alt+S',
} as const;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The notes a customer hands over; the checkout's cash panel offers the same. */
export const notes: readonly number[] = [500, 1000, 2000, 5000];

export function BasketPanel() {
  const { items, basketDiscount, message, eatIn, setEatIn } = useTillStore(
    useShallow((s) => ({
      items: s.items,
      basketDiscount: s.basketDiscount,
      message: s.basketMessage,
      eatIn: s.eatIn,
      setEatIn: s.setEatIn,
    })),
  );
  const { clearBasket, parkBasket, beginCheckout, busy } = useTillStore(
    useShallow((s) => ({
      clearBasket: s.clearBasket,
      parkBasket: s.parkBasket,
      beginCheckout: s.beginCheckout,
      busy: s.checkoutBusy,
    })),
  );
  const payWholeByCard = useTillStore((s) => s.payWholeByCard);
  const sellCash = useTillStore((s) => s.sellCash);
  const cashStep = useTillStore((s) =>
    cashRoundingStep(s.info?.currency ?? 'GBP', s.settings?.cashRounding ?? 'none'),
  );
  const dojoOffline = useDojoOffline();
  const whyNoCard = useId();
  const money = useMoney();
  const totals = useMemo(
    () => previewBasket(basketPreviewLines(items, eatIn), basketDiscount),
    [items, basketDiscount, eatIn],
  );
  const vatRates = vatByRate(totals.lines);
  // What the customer pays in cash (rounded on a euro till set to round): the note keys cover it.
  const cashDueMinor = cashDue(totals.totalMinor, totals.totalMinor, cashStep).dueMinor;
  const [editing, setEditing] = useState<Editing>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const count = items.length;
  useEffect(() => {
    // Keep the newest line in view as the basket grows.
    listRef.current?.lastElementChild?.scrollIntoView({ block: 'nearest' });
  }, [count]);

  return (
    <section className="basket" aria-label="Basket">
      <header className="basket-head">
        <h2>Basket</h2>
        <div className="eat-in-toggle" role="group" aria-label="Eat in or take away">
          <button
            type="button"
            className={`btn-small ${eatIn ? 'btn-secondary' : ''}`}
            aria-pressed={!eatIn}
            onClick={() => setEatIn(false)}
          >
            Take away
          </button>
          <button
            type="button"
            className={`btn-small ${eatIn ? '' : 'btn-secondary'}`}
            aria-pressed={eatIn}
            onClick={() => setEatIn(true)}
          >
            Eat in
          </button>
        </div>
        <span className="muted">
          {items.length === 0
            ? 'Empty'
            : plural(
                items.reduce((a, i) => a + i.quantity, 0),
                'item',
              )}
        </span>
      </header>
      <ol ref={listRef} className="basket-lines" aria-label="Basket lines">
        {items.length === 0 && (
          <li className="basket-empty">Tap a product, scan a barcode or type a custom amount.</li>
        )}
        {items.map((item, i) => {
          const priced = totals.lines[i];
          return (
            <BasketLineRow
              key={item.key}
              item={item}
              priced={priced}
              grossMinor={priced ? unitWithModifiers(priced) * priced.quantity : 0}
              lineDiscountMinor={priced?.lineDiscountMinor ?? 0}
              onEdit={setEditing}
            />
          );
        })}
      </ol>
      <div className="basket-foot">
        <p
          className={`basket-message ${message?.kind === 'error' ? 'is-error' : ''}`}
          role={message?.kind === 'error' ? 'alert' : 'status'}
          aria-live="polite"
        >
          {message?.text ?? ''}
        </p>
        <dl className="totals" aria-label="Totals">
          <div>
            <dt>Subtotal</dt>
            <dd>{money(totals.subtotalMinor)}</dd>
          </div>
          {totals.discountMinor > 0 && (
            <div>
              <dt>
                Discounts
                {basketDiscount ? ` (basket ${describeDiscount(basketDiscount, money)})` : ''}
              </dt>
              <dd>−{money(totals.discountMinor)}</dd>
            </div>
          )}
          <div>
            <dt>
              VAT included
              {vatRates.length > 0
                ? ` (${vatRates.map((v) => `${vatLabel(v.rateBp)}: ${money(v.vatMinor)}`).join(', ')}${eatIn ? '; eaten in' : ''})`
                : ''}
            </dt>
            <dd>{money(totals.vatMinor)}</dd>
          </div>
          <div className="total-row">
            <dt>Total</dt>
            <dd aria-label="Basket total">{money(totals.totalMinor)}</dd>
          </div>
        </dl>
        <div className="basket-tools">
          <button
            type="button"
            className="btn-secondary"
            onClick={() => setEditing({ kind: 'basket-discount' })}
          >
            Basket discount
          </button>
          <button
            type="button"
            className="btn-secondary"
            aria-keyshortcuts={sellKeys.park}
            onClick={() => void parkBasket()}
          >
            Park <Kbd keys={sellKeys.park} />
          </button>
          <button
            type="button"
            className="btn-secondary btn-danger-outline"
            aria-keyshortcuts={sellKeys.clear}
            onClick={clearBasket}
          >
            Clear <Kbd keys={sellKeys.clear} />
          </button>
        </div>
        <div className="tender-buttons">
          <button
            type="button"
            className="btn-tender btn-card"
            disabled={busy || dojoOffline}
            aria-describedby={dojoOffline ? whyNoCard : undefined}
            aria-keyshortcuts={sellKeys.card}
            onClick={() => void payWholeByCard()}
          >
            Pay by card <Kbd keys={sellKeys.card} />
          </button>
          <button
            type="button"
            className="btn-tender btn-cash"
            disabled={busy}
            aria-keyshortcuts={sellKeys.cash}
            onClick={() => void beginCheckout()}
          >
            Cash <Kbd keys={sellKeys.cash} />
          </button>
        </div>
        <div className="quick-cash" role="group" aria-label="Sell for cash in one press">
          <button
            type="button"
            className="btn-quick btn-cash"
            disabled={busy}
            aria-busy={busy || undefined}
            aria-keyshortcuts={sellKeys.cashExact}
            onClick={() => void sellCash('exact')}
          >
            Cash, exact <Kbd keys={sellKeys.cashExact} />
          </button>
          {cashDueMinor > 0 &&
            notes
              .filter((n) => n >= cashDueMinor)
              .map((n) => (
                <button
                  key={n}
                  type="button"
                  className="btn-quick btn-note"
                  disabled={busy}
                  aria-busy={busy || undefined}
                  aria-label={`${money(n)} note, change ${money(n - cashDueMinor)}`}
                  onClick={() => void sellCash(n)}
                >
                  <span className="note-value">{money(n).replace(/[.,]00$/, '')}</span>
                  <span className="note-change">{money(n - cashDueMinor)} change</span>
                </button>
              ))}
        </div>
        <CardUnavailable id={whyNoCard} />
        <ParkedList />
      </div>
      {editing?.kind === 'quantity' && (
        <QuantityDialog lineKey={editing.key} onClose={() => setEditing(null)} />
      )}
      {editing?.kind === 'discount' && (
        <DiscountDialog lineKey={editing.key} onClose={() => setEditing(null)} />
      )}
      {editing?.kind === 'basket-discount' && (
        <DiscountDialog lineKey={null} onClose={() => setEditing(null)} />
      )}
      <ProductOptionsDialog />
    </section>
  );
}

type LineRowProps = {
  item: BasketItem;
  priced: OrderLine | undefined;
  grossMinor: number;
  lineDiscountMinor: number;
  onEdit: (editing: Editing) => void;
};

/**
 * One basket line. Memoised: adding to a long basket re-renders the line that changed, not all of
 * them (a full basket is 200 lines). Props are the item (a new object only when it changed), its
 * priced form (compared by what the line shows: pricing the basket again makes new objects), two
 * numbers and stable callbacks.
 */
const BasketLineRow = memo(
  function BasketLineRow({ item, priced, grossMinor, lineDiscountMinor, onEdit }: LineRowProps) {
    const changeQuantity = useTillStore((s) => s.changeQuantity);
    const removeLine = useTillStore((s) => s.removeLine);
    const editOptions = useTillStore((s) => s.editOptions);
    const money = useMoney();
    const name = priced?.name ?? item.name;
    const hasOptions =
      !!item.product &&
      (item.product.modifierGroups.length > 0 || item.product.variants.length > 0);
    return (
      <li className="basket-line" aria-label={`${item.name}, quantity ${item.quantity}`}>
        <div className="line-main">
          <span className="line-name">{name}</span>
          {(priced?.weightGrams || (priced?.modifiers ?? []).length > 0) && (
            <div className="line-subs">
              {priced?.weightGrams &&
                priced.pricePerKgMinor !== null &&
                priced.pricePerKgMinor !== undefined && (
                  <span className="line-sub">
                    {formatKg(priced.weightGrams)} × {money(priced.pricePerKgMinor)}/kg
                  </span>
                )}
              {(priced?.modifiers ?? []).length > 0 && (
                <ul className="line-modifiers" aria-label={`Options on ${name}`}>
                  {(priced?.modifiers ?? []).map((m) => (
                    <li key={m.modifierId ?? m.name} className="line-sub">
                      + {m.name}
                      {m.priceMinor > 0 ? ` ${money(m.priceMinor)}` : ''}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          )}
          <span className="line-meta">
            {money(priced?.unitPriceMinor ?? item.unitPriceMinor)} each ·{' '}
            {vatLabel(priced?.vatRateBp ?? item.vatRateBp)} VAT
            {item.discount && (
              <span className="line-discount"> · {describeDiscount(item.discount, money)}</span>
            )}
          </span>
        </div>
        <div className="qty">
          <button
            type="button"
            className="btn-qty"
            aria-label={`One fewer ${item.name}`}
            onClick={() => changeQuantity(item.key, -1)}
          >
            −
          </button>
          <button
            type="button"
            className="qty-value"
            aria-label={`Quantity of ${item.name}: ${item.quantity}. Change`}
            onClick={() => onEdit({ kind: 'quantity', key: item.key })}
          >
            {item.quantity}
          </button>
          <button
            type="button"
            className="btn-qty"
            aria-label={`One more ${item.name}`}
            onClick={() => changeQuantity(item.key, 1)}
          >
            +
          </button>
        </div>
        <span className="line-total" aria-label={`Line total for ${item.name}`}>
          {lineDiscountMinor > 0 && <s className="muted">{money(grossMinor)}</s>}{' '}
          {money(grossMinor - lineDiscountMinor)}
        </span>
        <div className="line-actions">
          {hasOptions && (
            <button
              type="button"
              className="btn-small"
              aria-label={`Options of ${name}`}
              onClick={() => editOptions(item.key)}
            >
              ⋯
            </button>
          )}
          <button
            type="button"
            className="btn-small"
            aria-label={`Discount on ${item.name}`}
            onClick={() => onEdit({ kind: 'discount', key: item.key })}
          >
            %
          </button>
          <button
            type="button"
            className="btn-small btn-danger"
            aria-label={`Remove ${item.name}`}
            onClick={() => removeLine(item.key)}
          >
            ✕
          </button>
        </div>
      </li>
    );
  },
  (prev: LineRowProps, next: LineRowProps) =>
    prev.item === next.item &&
    prev.grossMinor === next.grossMinor &&
    prev.lineDiscountMinor === next.lineDiscountMinor &&
    prev.onEdit === next.onEdit &&
    samePriced(prev.priced, next.priced),
);
