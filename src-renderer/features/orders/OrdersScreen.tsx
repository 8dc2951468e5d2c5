import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { OrderListQuery } from '../../../src-shared/domain/orders';
import { useMoney } from '../../components/Money';
import { parseAmount } from '../../lib/input';
import { useTillStore } from '../../store/store';
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
  const money = useMoney();
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
      const a = parseAmount(text, { allowZero: true });
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
    void search(q);
  };

  return (
    <div className="two-col">
      <section className="panel" aria-label="Order history">
        <h2>Orders</h2>
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
            Total from (£)
            <input
              inputMode="decimal"
              value={form.min}
              onChange={(e) => setForm({ ...form, min: e.target.value })}
            />
          </label>
          <label>
            Total to (£)
            <input
              inputMode="decimal"
              value={form.max}
              onChange={(e) => setForm({ ...form, max: e.target.value })}
            />
          </label>
          <button type="submit">Search</button>
        </form>
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
      </section>
      <OrderDetailPanel />
    </div>
  );
}
