import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { OrderListQuery } from '../../../src-shared/domain/orders';
import { CurrencySign, useMoney } from '../../components/Money';
import { parseAmount } from '../../lib/input';
import { useTillStore } from '../../store/store';
import { ReturnDialog } from '../returns/ReturnDialog';
import { OrderDetailPanel } from './OrderDetailPanel';

const statusWords: Record<string, string> = {
  open: 'Open',
  parked: 'Parked',
  awaiting_card: 'Awaiting card',
  paid: 'Paid',
  voided: 'Voided',
};

export function OrdersScreen() {
  const { page, error, search, open, selected } = useTillStore(
    useShallow((s) => ({
      page: s.orderPage,
      error: s.ordersError,
      search: s.searchOrders,
      open: s.openOrder,
      selected: s.selectedOrder?.id,
    })),
  );
  const shop = useTillStore(
    useShallow((s) => ({
      joined: (s.status?.shop?.state ?? 'off') !== 'off',
      page: s.shopOrders,
      error: s.shopOrdersError,
      search: s.searchShopOrders,
      open: s.openShopOrder,
      selected: s.shopOrder?.orderId,
    })),
  );
  const [scope, setScope] = useState<'till' | 'shop'>('till');
  const wholeShop = scope === 'shop' && shop.joined;
  const money = useMoney();
  const currency = useTillStore((s) => s.info?.currency ?? 'GBP');
  const [form, setForm] = useState({ reference: '', date: '', min: '', max: '' });
  const [formError, setFormError] = useState<string | null>(null);
  useEffect(() => {
    void search({});
  }, [search]);

  const submit = () => {
    const q: OrderListQuery = {};
    if (form.reference.trim()) q.reference = form.reference.trim();
    if (form.date) {
      const from = new Date(`${form.date}T00:00:00`);
      if (Number.isNaN(from.getTime())) return setFormError('Pick a date from the calendar');
      const to = new Date(from);
      to.setDate(to.getDate() + 1);
      q.from = from.toISOString();
      q.to = to.toISOString();
    }
    for (const [key, text, label] of [
      ['minTotalMinor', form.min, 'Smallest total'],
      ['maxTotalMinor', form.max, 'Largest total'],
    ] as const) {
      if (!text.trim()) continue;
      const a = parseAmount(text, { allowZero: true, currency });
      if (!a.ok) return setFormError(`${label}: ${a.message}`);
      q[key] = a.value;
    }
    if (
      q.minTotalMinor !== undefined &&
      q.maxTotalMinor !== undefined &&
      q.minTotalMinor > q.maxTotalMinor
    ) {
      return setFormError('The smallest total is more than the largest');
    }
    setFormError(null);
    void (wholeShop ? shop.search(q) : search(q));
  };
  const chooseScope = (next: 'till' | 'shop') => {
    setScope(next);
    if (next === 'shop') void shop.search({});
  };

  return (
    <div className="two-col">
      <section className="panel" aria-label="Order history">
        <header className="orders-head">
          <h2>Orders</h2>
          {shop.joined && (
            <div className="segmented" role="group" aria-label="Whose orders">
              <button type="button" aria-pressed={!wholeShop} onClick={() => chooseScope('till')}>
                This till
              </button>
              <button type="button" aria-pressed={wholeShop} onClick={() => chooseScope('shop')}>
                Whole shop
              </button>
            </div>
          )}
        </header>
        <form
          className="search-form"
          role="search"
          aria-label="Find orders"
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <label>
            Reference
            <input
              value={form.reference}
              placeholder="0042"
              onChange={(e) => setForm({ ...form, reference: e.target.value })}
            />
          </label>
          <label>
            Date
            <input
              type="date"
              value={form.date}
              onChange={(e) => setForm({ ...form, date: e.target.value })}
            />
          </label>
          <label>
            Total from (<CurrencySign />)
            <input
              inputMode="decimal"
              value={form.min}
              onChange={(e) => setForm({ ...form, min: e.target.value })}
            />
          </label>
          <label>
            Total to (<CurrencySign />)
            <input
              inputMode="decimal"
              value={form.max}
              onChange={(e) => setForm({ ...form, max: e.target.value })}
            />
          </label>
          <button type="submit">Search</button>
        </form>
        {wholeShop ? (
          <ShopResults />
        ) : (
          <>
            {(formError ?? error) && <p role="alert">{formError ?? error}</p>}
            <p className="muted">
              {page ? `${page.total} order${page.total === 1 ? '' : 's'}` : 'Loading…'}
            </p>
            <table aria-label="Orders">
              <thead>
                <tr>
                  <th>Reference</th>
                  <th>Time</th>
                  <th className="num">Total</th>
                  <th>Status</th>
                </tr>
              </thead>
              <tbody>
                {page?.items.map((o) => (
                  <tr key={o.id} className={o.id === selected ? 'selected' : ''}>
                    <td>
                      <button
                        type="button"
                        className="link-button"
                        aria-label={`Open order ${o.reference}`}
                        onClick={() => void open(o.id)}
                      >
                        {o.reference}
                      </button>
                    </td>
                    <td>
                      {new Date(o.createdAt).toLocaleString('en-GB', {
                        day: '2-digit',
                        month: 'short',
                        hour: '2-digit',
                        minute: '2-digit',
                      })}
                    </td>
                    <td className="num">{money(o.totalMinor)}</td>
                    <td>
                      <span className={`status-tag status-${o.status}`}>
                        {statusWords[o.status] ?? o.status}
                      </span>
                      {o.refundedMinor > 0 && (
                        <span className="status-tag"> refunded {money(o.refundedMinor)}</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
      {wholeShop ? <ShopOrderPanel /> : <OrderDetailPanel />}
    </div>
  );
}

const shortTime = (iso: string) =>
  new Date(iso).toLocaleString('en-GB', {
    day: '2-digit',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });

/** Every till's orders from the shop database (the search form above filters them). */
function ShopResults() {
  const money = useMoney();
  const { page, error, open, selected } = useTillStore(
    useShallow((s) => ({
      page: s.shopOrders,
      error: s.shopOrdersError,
      open: s.openShopOrder,
      selected: s.shopOrder?.orderId,
    })),
  );
  return (
    <>
      {error && <p role="alert">{error}</p>}
      <p className="muted">
        {page
          ? `${page.orders.length}${page.hasMore ? '+' : ''} order${page.orders.length === 1 ? '' : 's'} in the whole shop${page.hasMore ? ' (the newest 50; narrow the search)' : ''}`
          : !error && 'Loading…'}
      </p>
      <table aria-label="Shop orders">
        <thead>
          <tr>
            <th>Till</th>
            <th>Reference</th>
            <th>Time</th>
            <th className="num">Total</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          {page?.orders.map((o) => (
            <tr key={o.orderId} className={o.orderId === selected ? 'selected' : ''}>
              <td>{o.tillName}</td>
              <td>
                <button
                  type="button"
                  className="link-button"
                  aria-label={`Open order ${o.reference} of ${o.tillName}`}
                  onClick={() => void open(o.orderId)}
                >
                  {o.reference}
                </button>
              </td>
              <td>{shortTime(o.completedAt ?? o.createdAt)}</td>
              <td className="num">{money(o.totalMinor)}</td>
              <td>
                <span className={`status-tag status-${o.status}`}>
                  {statusWords[o.status] ?? o.status}
                </span>
                {o.refundedMinor > 0 && (
                  <span className="status-tag"> refunded {money(o.refundedMinor)}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/**
 * Another till's order: lines, payments and refunds as its till recorded them. Its items can be
 * returned here (the returns screen, checked against what every till already returned); refunds by
 * amount are taken on its own till.
 */
function ShopOrderPanel() {
  const money = useMoney();
  const { order, returnable, reopen } = useTillStore(
    useShallow((s) => ({
      order: s.shopOrder,
      returnable: s.shopOrderReturns,
      reopen: s.openShopOrder,
    })),
  );
  const [returning, setReturning] = useState(false);
  if (!order) {
    return (
      <section className="panel" aria-label="Shop order">
        <p className="muted">
          Pick an order to see it. Items of another till’s order can be returned here.
        </p>
      </section>
    );
  }
  const canReturn = (returnable?.lines ?? []).some((l) => l.returnable > 0);
  const returnedAt = (position: number) =>
    returnable?.lines.find((l) => l.position === position)?.returned ?? 0;
  return (
    <section className="panel" aria-label={`Shop order ${order.reference}`}>
      <h2>
        {order.reference} · {order.tillName}
      </h2>
      <p className="muted">
        {statusWords[order.status] ?? order.status} ·{' '}
        {shortTime(order.completedAt ?? order.createdAt)} · items can be returned here; refunds by
        amount are taken on this order’s own till
      </p>
      {canReturn && (
        <div className="button-row">
          <button type="button" onClick={() => setReturning(true)}>
            Return items…
          </button>
        </div>
      )}
      <table aria-label="Shop order lines">
        <thead>
          <tr>
            <th>Item</th>
            <th className="num">Qty</th>
            <th className="num">Returned</th>
            <th className="num">Amount</th>
          </tr>
        </thead>
        <tbody>
          {order.lines.map((l) => (
            <tr key={l.position}>
              <td>{l.name}</td>
              <td className="num">{l.quantity}</td>
              <td className="num">{returnedAt(l.position)}</td>
              <td className="num">{money(l.lineTotalMinor)}</td>
            </tr>
          ))}
          <tr className="sum-row">
            <td>Total</td>
            <td />
            <td />
            <td className="num">{money(order.totalMinor)}</td>
          </tr>
        </tbody>
      </table>
      {returning && returnable && (
        <ReturnDialog
          order={{ id: order.orderId, reference: order.reference, tenders: order.tenders }}
          lines={returnable.lines}
          soldAt={order.tillName}
          onClose={() => {
            setReturning(false);
            void reopen(order.orderId);
          }}
        />
      )}
      <h3>Payments</h3>
      <ul aria-label="Shop order payments">
        {order.tenders.map((t) => (
          <li key={t.id}>
            {t.kind === 'cash'
              ? 'Cash'
              : t.kind === 'voucher'
                ? 'Voucher'
                : `Card${t.kind === 'card_other' ? ' (other terminal)' : ''}${t.cardLast4 ? ` ····${t.cardLast4}` : ''}`}{' '}
            {money(t.amountMinor)}
          </li>
        ))}
        {order.tenders.length === 0 && <li className="muted">None</li>}
      </ul>
      {order.refunds.length > 0 && (
        <>
          <h3>Refunds</h3>
          <ul aria-label="Shop order refunds">
            {order.refunds.map((r) => (
              <li key={r.id}>
                {money(r.amountMinor)} · {r.status}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
