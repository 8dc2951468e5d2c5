import { TillError } from '../../src-shared/errors';
import { formatMoney, MAX_AMOUNT_MINOR, vatFromGross, type CurrencyCode } from '../../src-shared/money';
import type { Discount, OrderLine } from '../../src-shared/domain/orders';

/** A basket line once its price is known (from the catalogue, or typed in for a custom line). */
export type LineToPrice = {
  productId: string | null;
  name: string;
  unitPriceMinor: number;
  vatRateBp: number;
  quantity: number;
  discount?: Discount | undefined;
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

function discountAmount(discount: Discount | undefined, ofMinor: number): number {
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
 * Prices a basket: line discounts, then the basket discount apportioned by line value so each
 * line's VAT (from its VAT-inclusive total) stays right. Refuses what cannot be sold.
 */
export function priceBasket(lines: readonly LineToPrice[], basketDiscount: Discount | undefined, currency: CurrencyCode): PricedBasket {
  if (lines.length === 0) throw new TillError('VALIDATION', 'The basket is empty: add something before taking payment.');
  const money = (m: number) => formatMoney(m, currency);
  const firstPass = lines.map((line) => {
    if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > 999) {
      throw new TillError('VALIDATION', `Quantity for ${line.name} must be a whole number from 1 to 999.`);
    }
    const gross = line.unitPriceMinor * line.quantity;
    if (gross > MAX_AMOUNT_MINOR) throw new TillError('VALIDATION', `${line.name} × ${line.quantity} is too large for one transaction.`);
    const lineDiscount = discountAmount(line.discount, gross);
    if (lineDiscount > gross) {
      throw new TillError('VALIDATION', `The discount on ${line.name} (${money(lineDiscount)}) is more than its price (${money(gross)}).`);
    }
    return { line, gross, lineDiscount, net: gross - lineDiscount };
  });
  const subtotal = firstPass.reduce((a, l) => a + l.gross, 0);
  if (subtotal > MAX_AMOUNT_MINOR) throw new TillError('VALIDATION', 'This basket is too large for one transaction.');
  const afterLines = firstPass.reduce((a, l) => a + l.net, 0);
  const basketDiscountMinor = discountAmount(basketDiscount, afterLines);
  if (basketDiscountMinor > afterLines) {
    throw new TillError(
      'VALIDATION',
      `The basket discount (${money(basketDiscountMinor)}) is more than the basket total (${money(afterLines)}).`,
    );
  }
  const shares = apportion(
    basketDiscountMinor,
    firstPass.map((l) => l.net),
  );
  const priced: OrderLine[] = firstPass.map(({ line, gross, lineDiscount }, i) => {
    const discountMinor = lineDiscount + (shares[i] ?? 0);
    const lineTotalMinor = gross - discountMinor;
    return {
      position: i + 1,
      productId: line.productId,
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
