import { formatMoney, MAX_AMOUNT_MINOR, vatFromGross, type CurrencyCode } from '../../src-shared/money';
import type { Discount } from '../../src-shared/domain/orders';

/**
 * The running totals the cashier sees while building a basket. The core prices the order again
 * from catalogue prices when it is created (the truth); this mirrors its rules (line discounts,
 * then the basket discount apportioned by line value, VAT from each VAT-inclusive line total) so
 * the numbers on screen match the receipt.
 */
export type PriceableLine = { name: string; unitPriceMinor: number; vatRateBp: number; quantity: number; discount: Discount | null };

export type PricedLine = { grossMinor: number; lineDiscountMinor: number; discountMinor: number; totalMinor: number; vatMinor: number };

export type BasketTotals = {
  lines: PricedLine[];
  subtotalMinor: number;
  discountMinor: number;
  basketDiscountMinor: number;
  vatMinor: number;
  totalMinor: number;
  vatByRate: { rateBp: number; vatMinor: number }[];
};

export function percentOf(amountMinor: number, percentBp: number): number {
  return Math.floor((amountMinor * percentBp * 2 + 10_000) / 20_000);
}

export function discountAmount(discount: Discount | null | undefined, ofMinor: number): number {
  if (!discount) return 0;
  return discount.kind === 'amount' ? discount.amountMinor : percentOf(ofMinor, discount.percentBp);
}

function apportion(amount: number, weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  if (amount === 0 || total === 0) return weights.map(() => 0);
  const shares = weights.map((w) => Math.floor((amount * w) / total));
  let rest = amount - shares.reduce((a, b) => a + b, 0);
  const byWeight = weights.map((w, i) => ({ w, i })).sort((a, b) => b.w - a.w || a.i - b.i);
  for (const { w, i } of byWeight) {
    if (rest <= 0) break;
    const take = Math.min(rest, w - (shares[i] ?? 0));
    shares[i] = (shares[i] ?? 0) + take;
    rest -= take;
  }
  return shares;
}

/** A line discount the core would refuse, in the cashier's words; null when fine. */
export function lineDiscountProblem(line: PriceableLine, discount: Discount, currency: CurrencyCode): string | null {
  const gross = line.unitPriceMinor * line.quantity;
  const off = discountAmount(discount, gross);
  if (off > gross) return `The discount (${formatMoney(off, currency)}) is more than the price of ${line.name} (${formatMoney(gross, currency)}).`;
  return null;
}

export function priceBasket(lines: readonly PriceableLine[], basketDiscount: Discount | null): BasketTotals {
  const first = lines.map((line) => {
    const gross = line.unitPriceMinor * line.quantity;
    const lineDiscount = Math.min(discountAmount(line.discount, gross), gross);
    return { gross, lineDiscount, net: gross - lineDiscount };
  });
  const subtotalMinor = first.reduce((a, l) => a + l.gross, 0);
  const afterLines = first.reduce((a, l) => a + l.net, 0);
  const basketDiscountMinor = Math.min(discountAmount(basketDiscount, afterLines), afterLines);
  const shares = apportion(
    basketDiscountMinor,
    first.map((l) => l.net),
  );
  const priced = first.map((l, i): PricedLine => {
    const discountMinor = l.lineDiscount + (shares[i] ?? 0);
    const totalMinor = l.gross - discountMinor;
    return { grossMinor: l.gross, lineDiscountMinor: l.lineDiscount, discountMinor, totalMinor, vatMinor: vatFromGross(totalMinor, lines[i]?.vatRateBp ?? 0) };
  });
  const vatByRate = new Map<number, number>();
  priced.forEach((p, i) => {
    const rate = lines[i]?.vatRateBp ?? 0;
    vatByRate.set(rate, (vatByRate.get(rate) ?? 0) + p.vatMinor);
  });
  const totalMinor = priced.reduce((a, l) => a + l.totalMinor, 0);
  return {
    lines: priced,
    subtotalMinor,
    discountMinor: subtotalMinor - totalMinor,
    basketDiscountMinor,
    vatMinor: priced.reduce((a, l) => a + l.vatMinor, 0),
    totalMinor,
    vatByRate: [...vatByRate.entries()].sort((a, b) => b[0] - a[0]).map(([rateBp, vatMinor]) => ({ rateBp, vatMinor })),
  };
}

export const tooLarge = (totalMinor: number) => totalMinor > MAX_AMOUNT_MINOR;

export function vatLabel(rateBp: number): string {
  return `${rateBp / 100}%`;
}
