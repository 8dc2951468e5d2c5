import { TillError } from '../errors';
import { formatMoney, MAX_AMOUNT_MINOR, vatFromGross, type CurrencyCode } from '../money';
import type { Discount, OrderLine, OrderLineModifier } from './orders';

/**
 * Basket pricing, shared by the core (which prices the order from catalogue prices: the truth) and
 * the renderer (the running totals the cashier sees), so the screen and the receipt cannot drift.
 * Line discounts first, then the basket discount apportioned by line value, VAT from each
 * VAT-inclusive line total. Integers only.
 */

/** A chosen modifier once its price is known. `vatRateBp` is already resolved (own or the line's). */
export type ModifierToPrice = {
  modifierId?: string | null | undefined;
  groupName: string;
  name: string;
  priceMinor: number;
  vatRateBp: number;
};

/** A basket line once its price is known (from the catalogue, or typed in for a custom line). */
export type LineToPrice = {
  productId?: string | null | undefined;
  name: string;
  /** Price of one, without its modifiers (for a weighed line: the price of the weight). */
  unitPriceMinor: number;
  vatRateBp: number;
  quantity: number;
  discount?: Discount | null | undefined;
  modifiers?: readonly ModifierToPrice[] | undefined;
  variantId?: string | null | undefined;
  variantName?: string | null | undefined;
  weightGrams?: number | null | undefined;
  pricePerKgMinor?: number | null | undefined;
  scaleBarcode?: string | null | undefined;
};

/** Price of one with its modifiers. */
export const unitWithModifiers = (
  line: Pick<LineToPrice, 'unitPriceMinor' | 'modifiers'>,
): number => line.unitPriceMinor + (line.modifiers ?? []).reduce((a, m) => a + m.priceMinor, 0);

/**
 * A line's total and VAT split over its parts: the product itself, then each modifier. Each
 * part's share of the discount follows its share of the price; VAT is taken per part at its own
 * rate when the rates differ, else once on the whole line (so a line with no differently taxed
 * modifier has exactly the VAT it had before modifiers existed).
 */
function splitLine(
  line: LineToPrice,
  lineTotalMinor: number,
): { vatMinor: number; modifiers: OrderLineModifier[] } {
  const mods = line.modifiers ?? [];
  const grosses = [
    line.unitPriceMinor * line.quantity,
    ...mods.map((m) => m.priceMinor * line.quantity),
  ];
  const gross = grosses.reduce((a, b) => a + b, 0);
  const totals = apportion(lineTotalMinor, grosses);
  if (gross > 0 && lineTotalMinor > 0 && totals.reduce((a, b) => a + b, 0) !== lineTotalMinor)
    throw new RangeError('apportion lost a minor unit');
  const sameRate = mods.every((m) => m.vatRateBp === line.vatRateBp);
  let vats: number[];
  if (sameRate) {
    const vat = vatFromGross(lineTotalMinor, line.vatRateBp);
    vats = apportion(vat, totals);
  } else {
    vats = totals.map((t, i) =>
      vatFromGross(t, i === 0 ? line.vatRateBp : (mods[i - 1]?.vatRateBp ?? line.vatRateBp)),
    );
  }
  return {
    vatMinor: vats.reduce((a, b) => a + b, 0),
    modifiers: mods.map((m, i) => ({
      modifierId: m.modifierId ?? null,
      groupName: m.groupName,
      name: m.name,
      priceMinor: m.priceMinor,
      vatRateBp: m.vatRateBp,
      totalMinor: totals[i + 1] ?? 0,
      vatMinor: vats[i + 1] ?? 0,
    })),
  };
}

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
    const gross = unitWithModifiers(line) * line.quantity;
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
    const split = splitLine(line, lineTotalMinor);
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
      vatMinor: split.vatMinor,
      variantId: line.variantId ?? null,
      variantName: line.variantName ?? null,
      weightGrams: line.weightGrams ?? null,
      pricePerKgMinor: line.pricePerKgMinor ?? null,
      scaleBarcode: line.scaleBarcode ?? null,
      modifiers: split.modifiers,
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

export type VatPartLine = Pick<OrderLine, 'vatRateBp' | 'vatMinor' | 'lineTotalMinor'> & {
  modifiers?:
    readonly Pick<OrderLineModifier, 'vatRateBp' | 'totalMinor' | 'vatMinor'>[] | undefined;
};

/** A line's amount and VAT per rate: the product part, then each modifier at its own rate. */
export function vatParts(
  line: VatPartLine,
): { rateBp: number; grossMinor: number; vatMinor: number }[] {
  const mods = line.modifiers ?? [];
  const base = {
    rateBp: line.vatRateBp,
    grossMinor: line.lineTotalMinor - mods.reduce((a, m) => a + m.totalMinor, 0),
    vatMinor: line.vatMinor - mods.reduce((a, m) => a + m.vatMinor, 0),
  };
  return [
    base,
    ...mods.map((m) => ({ rateBp: m.vatRateBp, grossMinor: m.totalMinor, vatMinor: m.vatMinor })),
  ];
}

/** Amount and VAT per rate over lines (modifiers at their own rates), highest rate first. */
export function vatByRate(
  lines: readonly VatPartLine[],
): { rateBp: number; grossMinor: number; vatMinor: number }[] {
  const byRate = new Map<number, { grossMinor: number; vatMinor: number }>();
  for (const l of lines)
    for (const p of vatParts(l)) {
      const r = byRate.get(p.rateBp) ?? { grossMinor: 0, vatMinor: 0 };
      r.grossMinor += p.grossMinor;
      r.vatMinor += p.vatMinor;
      byRate.set(p.rateBp, r);
    }
  return [...byRate.entries()].sort((a, b) => b[0] - a[0]).map(([rateBp, r]) => ({ rateBp, ...r }));
}

/** A line discount the core would refuse, in the cashier's words; null when fine. */
export function lineDiscountProblem(
  line: LineToPrice,
  discount: Discount,
  currency: CurrencyCode,
): string | null {
  const gross = unitWithModifiers(line) * line.quantity;
  const off = discountAmount(discount, gross);
  if (off > gross)
    return `The discount (${formatMoney(off, currency)}) is more than the price of ${line.name} (${formatMoney(gross, currency)}).`;
  return null;
}

/** "20%", "5%", "0%". */
export function vatLabel(rateBp: number): string {
  return `${rateBp / 100}%`;
}
