import type { OrderLine } from '../../../src-shared/domain/orders';

/**
 * Whether a basket line shows the same of two priced forms of it: its name, unit price, VAT rate,
 * weight and options. Pricing the basket again (every tap) makes new objects for every line; the
 * line's memo compares them with this, so only the line that changed renders again.
 */
export function samePriced(a: OrderLine | undefined, b: OrderLine | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  const am = a.modifiers ?? [];
  const bm = b.modifiers ?? [];
  return (
    a.name === b.name &&
    a.unitPriceMinor === b.unitPriceMinor &&
    a.vatRateBp === b.vatRateBp &&
    a.weightGrams === b.weightGrams &&
    a.pricePerKgMinor === b.pricePerKgMinor &&
    am.length === bm.length &&
    am.every(
      (m, i) =>
        m.modifierId === bm[i]?.modifierId &&
        m.name === bm[i]?.name &&
        m.priceMinor === bm[i]?.priceMinor,
    )
  );
}
