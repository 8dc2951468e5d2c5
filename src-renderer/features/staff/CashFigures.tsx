import type { CashCountResult, CashSummary } from '../../../src-shared/domain/cash';
import type { DojoCheck, DojoCheckItem } from '../../../src-shared/domain/dojo-check';
import { useMoney } from '../../components/Money';

/** Float to expected cash; with a count, counted and over/short. */
export function CashFigures({
  cash,
  count,
}: {
  cash: CashSummary;
  count?: CashCountResult | null | undefined;
}) {
  const money = useMoney();
  const minus = (m: number) => (m > 0 ? `−${money(m)}` : money(0));
  const signed = (m: number) => (m < 0 ? `−${money(-m)}` : m > 0 ? `+${money(m)}` : money(0));
  return (
    <>
      <table aria-label="Cash drawer" className="cash-table">
        <tbody>
          <tr>
            <td>Float</td>
            <td className="num">{money(cash.floatMinor)}</td>
          </tr>
          <tr>
            <td>Cash taken</td>
            <td className="num">{money(cash.cashTakenMinor)}</td>
          </tr>
          <tr>
            <td>Change given</td>
            <td className="num">{minus(cash.changeMinor)}</td>
          </tr>
          <tr>
            <td>Cash refunds</td>
            <td className="num">{minus(cash.cashRefundedMinor)}</td>
          </tr>
          <tr>
            <td>Pay-ins</td>
            <td className="num">{money(cash.payInsMinor)}</td>
          </tr>
          <tr>
            <td>Pay-outs</td>
            <td className="num">{minus(cash.payOutsMinor)}</td>
          </tr>
          <tr className="sum-row">
            <td>Expected cash</td>
            <td className="num" aria-label="Expected cash">
              {money(cash.expectedMinor)}
            </td>
          </tr>
          {count && (
            <>
              <tr className="sum-row">
                <td>Counted</td>
                <td className="num" aria-label="Counted cash">
                  {money(count.countedMinor)}
                </td>
              </tr>
              <tr className="sum-row">
                <td>
                  {count.overShortMinor < 0
                    ? 'Short'
                    : count.overShortMinor > 0
                      ? 'Over'
                      : 'Over/short'}
                </td>
                <td className="num" aria-label="Over or short">
                  {signed(count.overShortMinor)}
                </td>
              </tr>
            </>
          )}
          <tr>
            <td>No-sale drawer opens</td>
            <td className="num">{cash.noSales}</td>
          </tr>
        </tbody>
      </table>
      {cash.movements.some((m) => m.kind !== 'no-sale') && (
        <table aria-label="Cash movements" className="cash-table">
          <caption>Movements</caption>
          <tbody>
            {cash.movements
              .filter((m) => m.kind !== 'no-sale')
              .map((m) => (
                <tr key={m.id}>
                  <td>
                    {m.kind === 'pay-in'
                      ? 'Pay-in'
                      : m.kind === 'pay-out'
                        ? 'Pay-out'
                        : 'Cash refund'}
                    {m.reason ? ` · ${m.reason}` : ''}
                    {m.note ? `: ${m.note}` : ''}
                    {m.staffName ? ` (${m.staffName})` : ''}
                  </td>
                  <td className="num">
                    {m.kind === 'pay-in' ? money(m.amountMinor) : minus(m.amountMinor)}
                  </td>
                </tr>
              ))}
          </tbody>
        </table>
      )}
      {cash.byStaff.length > 0 && (
        <table aria-label="Per staff member" className="cash-table">
          <caption>Per staff member</caption>
          <thead>
            <tr>
              <th>Name</th>
              <th className="num">Orders</th>
              <th className="num">Cash</th>
              <th className="num">Card</th>
              <th className="num">Refunds</th>
            </tr>
          </thead>
          <tbody>
            {cash.byStaff.map((p) => (
              <tr key={p.staffId ?? 'none'}>
                <td>{p.name}</td>
                <td className="num">{p.orders}</td>
                <td className="num">{money(p.cashMinor)}</td>
                <td className="num">{money(p.cardMinor)}</td>
                <td className="num">{minus(p.refundsMinor)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** The three-way card check: matched, in Dojo only, in the till only; or pending. */
export function DojoCheckView({ check }: { check: DojoCheck | null | undefined }) {
  const money = useMoney();
  if (!check) return null;
  if (check.status === 'pending' || !check.result)
    return (
      <p role="status" aria-label="Card check with Dojo">
        Card check with Dojo: <strong>pending</strong> —{' '}
        {check.lastError ?? 'Dojo could not be reached'}. It runs when Dojo is back.
      </p>
    );
  const r = check.result;
  const items = (title: string, list: DojoCheckItem[]) => (
    <table aria-label={title} className="cash-table">
      <caption>
        {title} ({list.length})
      </caption>
      <tbody>
        {list.length === 0 && (
          <tr>
            <td className="muted">None</td>
          </tr>
        )}
        {list.map((i) => (
          <tr key={`${i.paymentIntentId}-${i.kind}-${i.reference}-${i.at}`}>
            <td>{i.reference}</td>
            <td>{i.kind}</td>
            <td>
              {new Date(i.at).toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'short' })}
            </td>
            <td>{i.card ?? '—'}</td>
            <td className="num">{money(i.amountMinor)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <section aria-label="Card check with Dojo">
      <h3>Card check with Dojo</h3>
      <p>
        Matched: <strong>{r.matched.count}</strong> for{' '}
        <strong>{money(r.matched.amountMinor)}</strong>
      </p>
      {items('In Dojo, not in the till', r.dojoOnly)}
      {items('In the till, not captured at Dojo', r.tillOnly)}
      {r.toMatch &&
        r.toMatch.length > 0 &&
        items('Card on another terminal, still to match', r.toMatch)}
    </section>
  );
}
