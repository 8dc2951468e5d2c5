import { parseMajorUnits, type CurrencyCode } from '../../src-shared/money';
import type { Discount } from '../../src-shared/domain/orders';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** An amount typed by a person; refuses letters, negatives and zero with plain words (in the till's currency). */
export function parseAmount(
  text: string,
  opts: { allowZero?: boolean; currency?: CurrencyCode } = {},
): Parsed<number> {
  if (/[a-z]/i.test(text.replace(/^[£€]/, '')))
    return { ok: false, message: 'Amounts are numbers only, like 4.50' };
  const parsed = parseMajorUnits(text, opts.currency);
  if (!parsed.ok) return parsed;
  if (parsed.minor === 0 && !opts.allowZero)
    return { ok: false, message: 'Amount must be more than zero' };
  return { ok: true, value: parsed.minor };
}

export function parseQuantity(text: string): Parsed<number> {
  const t = text.trim();
  if (t === '') return { ok: false, message: 'Enter a quantity' };
  if (t.startsWith('-')) return { ok: false, message: 'Quantity cannot be negative' };
  if (!/^\d+$/.test(t)) return { ok: false, message: 'Quantity must be a whole number, like 2' };
  const n = Number(t);
  if (n < 1) return { ok: false, message: 'Quantity must be at least 1' };
  if (n > 999) return { ok: false, message: 'Quantity cannot be more than 999' };
  return { ok: true, value: n };
}

/** "10%" or "12.5 %" → percent; "1.50" or "£1.50" → amount off. */
export function parseDiscount(text: string): Parsed<Discount> {
  const t = text.trim();
  if (t === '') return { ok: false, message: 'Enter a discount, like 10% or 1.50' };
  if (t.startsWith('-')) return { ok: false, message: 'A discount cannot be negative' };
  const pct = /^(\d{1,3})(?:[.,](\d{1,2}))?\s*%$/.exec(t);
  if (pct) {
    const bp = Number(pct[1]) * 100 + Number((pct[2] ?? '').padEnd(2, '0'));
    if (bp <= 0) return { ok: false, message: 'Percentage must be more than zero' };
    if (bp > 10_000) return { ok: false, message: 'A discount cannot be more than 100%' };
    return { ok: true, value: { kind: 'percent', percentBp: bp } };
  }
  if (t.includes('%')) return { ok: false, message: 'Percentages look like 10% or 12.5%' };
  const amount = parseAmount(t);
  if (!amount.ok)
    return {
      ok: false,
      message:
        amount.message === 'Amounts are numbers only, like 4.50'
          ? 'A discount is an amount like 1.50 or a percentage like 10%'
          : amount.message,
    };
  return { ok: true, value: { kind: 'amount', amountMinor: amount.value } };
}

export function describeDiscount(d: Discount, format: (m: number) => string): string {
  return d.kind === 'amount' ? `${format(d.amountMinor)} off` : `${d.percentBp / 100}% off`;
}
