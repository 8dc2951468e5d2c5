import { TillError } from '../errors';
import { formatMoney, MAX_AMOUNT_MINOR, vatFromGross, type CurrencyCode } from '../money';
import type { Discount, OrderLine } from './orders';

/**
 * Basket pricing, shared by the core (which prices the order from catalogue prices: the truth) and
 * the renderer (the running totals the cashier sees), so the screen and the receipt cannot drift.
 * Line discounts first, then the basket discount apportioned by line value, VAT from each
 * VAT-inclusive line total. Integers only.
 */

/** A basket line once its price is known (from the catalogue, or typed in for a custom line). */
export type LineToPrice = {
  productId?: string | null | undefined;
  name: string;
  unitPriceMinor: number;
  vatRateBp: number;
  quantity: number;
  discount?: Discount | null | undefined;
};

export type PricedBasket = {
  lines: OrderLine[];
  /** Sum of quantity × unit price, before any discount. */
  subtotalMinor: number;
  basketDiscountMinor: number;
  /** Line discounts plus the basket discount. */
  discountMinor: number;
  totalMinor: number;
  vatMinor: number;
};

/** Percentage of an amount, half-up, integers only. */
export function percentOf(amountMinor: number, percentBp: number): number {
  return Math.floor((amountMinor * percentBp * 2 + 10_000) / 20_000);
}

export function discountAmount(discount: Discount | null | undefined, ofMinor: number): number {
  if (!discount) return 0;
  return discount.kind === 'amount' ? discount.amountMinor : percentOf(ofMinor, discount.percentBp);
}

/**
 * Splits `amount` across `weights` in proportion, in integers: floor shares first, then the
 * remainder onto the largest weight (ties: earliest), spilling to the next largest only if a share
 * would exceed its weight — so no line is ever discounted below zero.
 */
export function apportion(amount: number, weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  if (amount === 0 || total === 0) return weights.map(() => 0);
  if (amount > total) throw new RangeError('Cannot apportion more than the total');
  const shares = weights.map((w) => Math.floor((amount * w) / total));
  let rest = amount - shares.reduce((a, b) => a + b, 0);
  const byWeight = weights.map((w, i) => ({ w, i })).sort((a, b) => b.w - a.w || a.i - b.i);
  for (const { w, i } of byWeight) {
    if (rest === 0) break;
    const take = Math.min(rest, w - (shares[i] ?? 0));
    shares[i] = (shares[i] ?? 0) + take;
    rest -= take;
  }
  return shares;
}

/**
 * `strict` (the core) refuses what cannot be sold with a TillError; `lenient` (the screen, while
 * the basket is being built) caps discounts at what they apply to and never throws.
 */
type Mode = { kind: 'strict'; currency: CurrencyCode } | { kind: 'lenient' };

function price(
  lines: readonly LineToPrice[],
  basketDiscount: Discount | null | undefined,
  mode: Mode,
): PricedBasket {
  const strict = mode.kind === 'strict';
  const money = (m: number) => formatMoney(m, mode.kind === 'strict' ? mode.currency : 'GBP');
  if (strict && lines.length === 0)
    throw new TillError('VALIDATION', 'The basket is empty: add something before taking payment.');
  const firstPass = lines.map((line) => {
    if (strict && (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > 999)) {
      throw new TillError(
        'VALIDATION',
        `Quantity for ${line.name} must be a whole number from 1 to 999.`,
      );
    }
    const gross = line.unitPriceMinor * line.quantity;
    if (strict && gross > MAX_AMOUNT_MINOR)
      throw new TillError(
        'VALIDATION',
        `${line.name} × ${line.quantity} is too large for one transaction.`,
      );
    const wanted = discountAmount(line.discount, gross);
    if (strict && wanted > gross) {
      throw new TillError(
        'VALIDATION',
        `The discount on ${line.name} (${money(wanted)}) is more than its price (${money(gross)}).`,
      );
    }
    const lineDiscount = Math.min(wanted, gross);
    return { line, gross, lineDiscount, net: gross - lineDiscount };
  });
  const subtotal = firstPass.reduce((a, l) => a + l.gross, 0);
  if (strict && subtotal > MAX_AMOUNT_MINOR)
    throw new TillError('VALIDATION', 'This basket is too large for one transaction.');
  const afterLines = firstPass.reduce((a, l) => a + l.net, 0);
  const wantedBasketDiscount = discountAmount(basketDiscount, afterLines);
  if (strict && wantedBasketDiscount > afterLines) {
    throw new TillError(
      'VALIDATION',
      `The basket discount (${money(wantedBasketDiscount)}) is more than the basket total (${money(afterLines)}).`,
    );
  }
  const basketDiscountMinor = Math.min(wantedBasketDiscount, afterLines);
  const shares = apportion(
    basketDiscountMinor,
    firstPass.map((l) => l.net),
  );
  const priced: OrderLine[] = firstPass.map(({ line, gross, lineDiscount }, i) => {
    const discountMinor = lineDiscount + (shares[i] ?? 0);
    const lineTotalMinor = gross - discountMinor;
    return {
      position: i + 1,
      productId: line.productId ?? null,
      name: line.name,
      quantity: line.quantity,
      unitPriceMinor: line.unitPriceMinor,
      lineDiscountMinor: lineDiscount,
      discountMinor,
      lineDiscount: line.discount ?? null,
      vatRateBp: line.vatRateBp,
      lineTotalMinor,
      vatMinor: vatFromGross(lineTotalMinor, line.vatRateBp),
    };
  });
  const totalMinor = priced.reduce((a, l) => a + l.lineTotalMinor, 0);
  return {
    lines: priced,
    subtotalMinor: subtotal,
    basketDiscountMinor,
    discountMinor: subtotal - totalMinor,
    totalMinor,
    vatMinor: priced.reduce((a, l) => a + l.vatMinor, 0),
  };
}

/** Prices a basket for an order; refuses (TillError VALIDATION, in plain words) what cannot be sold. */
export function priceBasket(
  lines: readonly LineToPrice[],
  basketDiscount: Discount | null | undefined,
  currency: CurrencyCode,
): PricedBasket {
  return price(lines, basketDiscount, { kind: 'strict', currency });
}

/**
 * The running totals while a basket is being built: the same arithmetic, but never throws (an
 * empty basket is zero; a discount larger than what it applies to is capped). The core still
 * refuses such a basket when the order is created.
 */
export function previewBasket(
  lines: readonly LineToPrice[],
  basketDiscount: Discount | null | undefined,
): PricedBasket {
  return price(lines, basketDiscount, { kind: 'lenient' });
}

/** VAT per rate, highest rate first. */
export function vatByRate(
  lines: readonly Pick<OrderLine, 'vatRateBp' | 'vatMinor'>[],
): { rateBp: number; vatMinor: number }[] {
  const byRate = new Map<number, number>();
  for (const l of lines) byRate.set(l.vatRateBp, (byRate.get(l.vatRateBp) ?? 0) + l.vatMinor);
  return [...byRate.entries()]
    .sort((a, b) => b[0] - a[0])
    .map(([rateBp, vatMinor]) => ({ rateBp, vatMinor }));
}

/** A line discount the core would refuse, in the cashier's words; null when fine. */
export function lineDiscountProblem(
  line: LineToPrice,
  discount: Discount,
  currency: CurrencyCode,
): string | null {
  const gross = line.unitPriceMinor * line.quantity;
  const off = discountAmount(discount, gross);
  if (off > gross)
    return `The discount (${formatMoney(off, currency)}) is more than the price of ${line.name} (${formatMoney(gross, currency)}).`;
  return null;
}

/** "20%", "5%", "0%". */
export function vatLabel(rateBp: number): string {
  return `${rateBp / 100}%`;
}
