import type { ReactNode } from 'react';
import { useMoney } from '../../components/Money';

export type CountAmountRow = { key: string; name: ReactNode; count: number; amountMinor: number };

/**
 * The report's common table: one row per tender, terminal or person with a count and an amount,
 * "None yet" when empty, and any extra rows (a rounding line, a total) after the rows.
 */
export function CountAmountTable({
  label,
  caption,
  nameHead,
  countHead = 'Payments',
  rows,
  children,
}: {
  label: string;
  caption: string;
  nameHead: string;
  countHead?: string;
  rows: readonly CountAmountRow[];
  children?: ReactNode;
}) {
  const money = useMoney();
  return (
    <table aria-label={label}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th>{nameHead}</th>
          <th className="num">{countHead}</th>
          <th className="num">Amount</th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 && <EmptyRow cols={3} />}
        {rows.map((r) => (
          <tr key={r.key}>
            <td>{r.name}</td>
            <td className="num">{r.count}</td>
            <td className="num">{money(r.amountMinor)}</td>
          </tr>
        ))}
        {children}
      </tbody>
    </table>
  );
}

export function EmptyRow({ cols }: { cols: number }) {
  return (
    <tr>
      <td colSpan={cols} className="muted">
        None yet
      </td>
    </tr>
  );
}
