import { previewBasket, type LineToPrice } from '../../src-shared/domain/pricing';
import type { Basket } from '../../src-shared/domain/orders';
import type { Db } from '../db/connection';
import {
  defaultScaleBarcodeRules,
  type ScaleBarcodeRule,
} from '../../src-shared/domain/scale-barcodes';
import { resolveScan } from '../orders/scan';

/** The price a scale label gives, or null when it cannot be read (the order refuses it then). */
function labelPrice(db: Db, code: string, rules: readonly ScaleBarcodeRule[]): number | null {
  try {
    return resolveScan(db, code, rules).scale?.priceMinor ?? null;
  } catch {
    return null;
  }
}

/**
 * The largest discount in a basket as a share of what it applies to (basis points): the whole
 * basket's, or any one line's. Prices come from the catalogue, as the order will; an unknown
 * product prices at zero here and is refused by the orders feature.
 */
export function basketDiscountBp(
  db: Db,
  basket: Basket,
  scaleRules: readonly ScaleBarcodeRule[] = defaultScaleBarcodeRules,
): number {
  const price = db.prepare<[string], { price_minor: number; vat_rate_bp: number; name: string }>(
    'SELECT price_minor, vat_rate_bp, name FROM products WHERE id = ?',
  );
  const variantPrice = db.prepare<[string, string], { price_minor: number }>(
    'SELECT price_minor FROM product_variants WHERE id = ? AND product_id = ?',
  );
  const modifierPrice = db.prepare<[string], { price_minor: number }>(
    'SELECT price_minor FROM modifiers WHERE id = ?',
  );
  const lines: LineToPrice[] = basket.lines.map((l) => {
    if (l.kind === 'custom')
      return {
        name: l.name,
        unitPriceMinor: l.unitPriceMinor,
        vatRateBp: l.vatRateBp,
        quantity: l.quantity,
        discount: l.discount,
      };
    const p = price.get(l.productId);
    // Variant and modifier prices count, as they will on the order (a weighed line: its price
    // comes from the label, priced by the orders feature; the catalogue price stands in here).
    const v = l.variantId ? variantPrice.get(l.variantId, l.productId) : undefined;
    // A scale label's price (weight × price per kg, or the price in the code): a discount on
    // 245 g of cheese is measured against the cheese, not against a kilo of it.
    const labelled = l.scaleBarcode ? labelPrice(db, l.scaleBarcode, scaleRules) : null;
    const mods = (l.modifierIds ?? []).reduce(
      (a, id) => a + (modifierPrice.get(id)?.price_minor ?? 0),
      0,
    );
    return {
      name: p?.name ?? '?',
      unitPriceMinor: (labelled ?? v?.price_minor ?? p?.price_minor ?? 0) + mods,
      vatRateBp: p?.vat_rate_bp ?? 0,
      quantity: l.quantity,
      discount: l.discount,
    };
  });
  const priced = previewBasket(lines, basket.discount);
  // A ratio, not money: kept unrounded so that 10.01 % on a small price is not seen as 10 %.
  const share = (off: number, of: number) => (of > 0 ? (off * 10_000) / of : 0);
  const percents = [basket.discount, ...basket.lines.map((l) => l.discount)].map((d) =>
    d?.kind === 'percent' ? d.percentBp : 0,
  );
  return Math.max(
    ...percents,
    share(priced.discountMinor, priced.subtotalMinor),
    ...priced.lines.map((l) => share(l.lineDiscountMinor, l.unitPriceMinor * l.quantity)),
  );
}
