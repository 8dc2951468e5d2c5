import type { Product } from './catalogue';
import type { Discount } from './orders';
import type { LineToPrice, ModifierToPrice } from './pricing';

/** What the cashier chose for one product line, before any price is known. */
export type LineChoice = {
  variantId?: string | null | undefined;
  modifierIds?: readonly string[] | undefined;
  quantity: number;
  discount?: Discount | null | undefined;
  /** From a scale label: the price the label gives (weight × price per kg, or the price itself). */
  scale?:
    | { kind: 'weight'; code: string; grams: number; pricePerKgMinor: number; priceMinor: number }
    | { kind: 'price'; code: string; priceMinor: number }
    | null
    | undefined;
};

/**
 * The screen's version of what the core does in `resolveLine`: the same names, prices and VAT
 * rates from the same catalogue figures, so the running total the cashier sees is the total the
 * order gets (a property test holds the two together). The core re-reads every figure from its
 * own catalogue; nothing priced here is ever sent.
 */
export function lineFromProduct(product: Product, choice: LineChoice, eatIn: boolean): LineToPrice {
  const vatRateBp =
    eatIn && product.eatInVatRateBp !== null ? product.eatInVatRateBp : product.vatRateBp;
  const variant = product.variants.find((v) => v.id === choice.variantId) ?? null;
  const chosen = choice.modifierIds ?? [];
  const modifiers: ModifierToPrice[] = [];
  for (const group of product.modifierGroups)
    for (const m of group.modifiers)
      if (chosen.includes(m.id))
        modifiers.push({
          modifierId: m.id,
          groupName: group.name,
          name: m.name,
          priceMinor: m.priceMinor,
          vatRateBp: m.vatRateBp ?? vatRateBp,
        });
  const scale = choice.scale ?? null;
  return {
    productId: product.id,
    name: variant ? `${product.name} (${variant.name})` : product.name,
    unitPriceMinor: scale ? scale.priceMinor : (variant?.priceMinor ?? product.priceMinor),
    vatRateBp,
    quantity: choice.quantity,
    discount: choice.discount ?? null,
    modifiers,
    variantId: variant?.id ?? null,
    variantName: variant?.name ?? null,
    weightGrams: scale?.kind === 'weight' ? scale.grams : null,
    pricePerKgMinor: scale?.kind === 'weight' ? scale.pricePerKgMinor : null,
    scaleBarcode: scale?.code ?? null,
  };
}

/** The groups of a product the cashier still has to choose in, in plain words; null when fine. */
export function missingChoice(product: Product, modifierIds: readonly string[]): string | null {
  for (const g of product.modifierGroups) {
    const n = g.modifiers.filter((m) => modifierIds.includes(m.id)).length;
    if (n < g.minChoices)
      return g.minChoices === 1
        ? `Choose a ${g.name.toLowerCase()} option`
        : `Choose at least ${g.minChoices} of ${g.name}`;
    if (n > g.maxChoices) return `Choose at most ${g.maxChoices} of ${g.name}`;
  }
  return null;
}

/** A product added by one tap with nothing to choose: no variant, no modifier group, no scale label. */
export const soldAsIs = (p: Product): boolean =>
  p.variants.length === 0 && p.modifierGroups.length === 0 && p.soldBy === 'unit';
