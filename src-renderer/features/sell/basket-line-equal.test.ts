import { describe, expect, it } from 'vitest';
import { previewBasket, type LineToPrice } from '../../../src-shared/domain/pricing';
import { samePriced } from './basket-line-equal';

const latte: LineToPrice = {
  name: 'Latte',
  unitPriceMinor: 340,
  vatRateBp: 2000,
  quantity: 1,
  modifiers: [
    { modifierId: 'm-oat', groupName: 'Milk', name: 'Oat', priceMinor: 40, vatRateBp: 2000 },
  ],
};
const cheese: LineToPrice = {
  name: 'Cheddar',
  unitPriceMinor: 441,
  vatRateBp: 0,
  quantity: 1,
  weightGrams: 245,
  pricePerKgMinor: 1800,
};

describe('a basket line shows the same priced form', () => {
  it('when the basket is priced again unchanged: new objects, same lines', () => {
    const a = previewBasket([latte, cheese], null).lines;
    const b = previewBasket([latte, cheese, { ...latte, name: 'Tea' }], null).lines;
    expect(a[0]).not.toBe(b[0]);
    expect(samePriced(a[0], b[0])).toBe(true);
    expect(samePriced(a[1], b[1])).toBe(true);
    expect(samePriced(undefined, undefined)).toBe(true);
  });

  it('not when what the line shows changed: name, price, VAT, weight, options', () => {
    const [base] = previewBasket([latte], null).lines;
    const changed: LineToPrice[] = [
      { ...latte, name: 'Flat white' },
      { ...latte, unitPriceMinor: 350 },
      { ...latte, vatRateBp: 0 },
      { ...latte, weightGrams: 100, pricePerKgMinor: 3400 },
      { ...latte, modifiers: [] },
      { ...latte, modifiers: [{ ...latte.modifiers![0]!, name: 'Soya' }] },
      { ...latte, modifiers: [{ ...latte.modifiers![0]!, priceMinor: 50 }] },
    ];
    for (const line of changed) {
      const [other] = previewBasket([line], null).lines;
      expect(samePriced(base, other), JSON.stringify(line)).toBe(false);
    }
    expect(samePriced(base, undefined)).toBe(false);
  });
});
