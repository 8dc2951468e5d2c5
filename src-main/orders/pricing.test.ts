import { describe, expect, it } from 'vitest';
// The shared pricing lives in src-shared (no test runner there); the core is its first user.
import { TillError } from '../../src-shared/errors';
import { vatFromGross } from '../../src-shared/money';
import type { Discount } from '../../src-shared/domain/orders';
import {
  apportion,
  lineDiscountProblem,
  percentOf,
  previewBasket,
  priceBasket,
  vatByRate,
  type LineToPrice,
} from '../../src-shared/domain/pricing';

/** Deterministic PRNG so a failing random basket can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const line = (
  unitPriceMinor: number,
  quantity = 1,
  vatRateBp = 2000,
  discount?: Discount,
): LineToPrice => ({
  productId: null,
  name: `Item ${unitPriceMinor}`,
  unitPriceMinor,
  vatRateBp,
  quantity,
  discount,
});

describe('apportion', () => {
  it('splits in proportion with the remainder on the largest line', () => {
    expect(apportion(100, [630, 108])).toEqual([86, 14]);
    expect(apportion(10, [10, 10, 10])).toEqual([4, 3, 3]);
    expect(apportion(0, [5, 5])).toEqual([0, 0]);
  });

  it('spills the remainder when the largest line has no room left, never going below zero', () => {
    // floor shares [1,0,0,0,0] leave 4 over; the 2p line can take only 1 more.
    const shares = apportion(5, [2, 1, 1, 1, 1]);
    expect(shares.reduce((a, b) => a + b, 0)).toBe(5);
    shares.forEach((s, i) => expect(s).toBeLessThanOrEqual([2, 1, 1, 1, 1][i] as number));
  });

  it('refuses to apportion more than the total', () => {
    expect(() => apportion(11, [5, 5])).toThrow(RangeError);
  });
});

describe('priceBasket', () => {
  it('computes VAT per line from VAT-inclusive prices across mixed rates', () => {
    const p = priceBasket(
      [line(340, 2, 2000), line(425, 1, 0), line(699, 1, 500)],
      undefined,
      'GBP',
    );
    expect(p.subtotalMinor).toBe(680 + 425 + 699);
    expect(p.lines.map((l) => l.vatMinor)).toEqual([113, 0, 33]);
    expect(p.vatMinor).toBe(146);
    expect(p.totalMinor).toBe(1804);
  });

  it('handles awkward rounding: 1p lines, thirds, half-pennies of VAT', () => {
    // 3 × 1p at 20 %: VAT on 3p is 0.5p → rounds half-up to 1p.
    expect(priceBasket([line(1, 3)], undefined, 'GBP').vatMinor).toBe(1);
    // £10 basket, 3 equal lines, 1p off: the one remainder penny lands on the first largest line.
    const p = priceBasket(
      [line(333), line(333), line(334)],
      { kind: 'amount', amountMinor: 1 },
      'GBP',
    );
    expect(p.lines.map((l) => l.discountMinor)).toEqual([0, 0, 1]);
    expect(p.totalMinor).toBe(999);
  });

  it('applies line percentage discounts half-up and a basket percentage after them', () => {
    expect(percentOf(125, 1000)).toBe(13); // 12.5p → 13p
    const p = priceBasket(
      [line(125, 1, 2000, { kind: 'percent', percentBp: 1000 })],
      { kind: 'percent', percentBp: 5000 },
      'GBP',
    );
    expect(p.lines[0]?.lineDiscountMinor).toBe(13);
    expect(p.basketDiscountMinor).toBe(56); // 50 % of 112
    expect(p.totalMinor).toBe(56);
    expect(p.discountMinor).toBe(69);
  });

  it('allows a discount equal to the price (free item) and keeps VAT at zero', () => {
    const p = priceBasket(
      [line(300, 1, 2000, { kind: 'amount', amountMinor: 300 })],
      undefined,
      'GBP',
    );
    expect(p.totalMinor).toBe(0);
    expect(p.vatMinor).toBe(0);
  });

  it('refuses a line discount above the price, with the amounts', () => {
    expect(() =>
      priceBasket([line(320, 1, 2000, { kind: 'amount', amountMinor: 500 })], undefined, 'GBP'),
    ).toThrow('The discount on Item 320 (£5.00) is more than its price (£3.20).');
  });

  it('refuses a basket discount above the basket total', () => {
    expect(() => priceBasket([line(320)], { kind: 'amount', amountMinor: 321 }, 'GBP')).toThrow(
      'The basket discount (£3.21) is more than the basket total (£3.20).',
    );
  });

  it('refuses an empty basket and bad quantities', () => {
    expect(() => priceBasket([], undefined, 'GBP')).toThrow('The basket is empty');
    for (const q of [0, -1, 1.5, 1000]) {
      const error = (() => {
        try {
          priceBasket([line(100, q)], undefined, 'GBP');
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(error).toBeInstanceOf(TillError);
      expect((error as TillError).message).toBe(
        'Quantity for Item 100 must be a whole number from 1 to 999.',
      );
    }
  });

  it('refuses a basket too large for one transaction', () => {
    expect(() => priceBasket([line(10_000_000, 2)], undefined, 'GBP')).toThrow(
      'too large for one transaction',
    );
  });

  it('keeps the sums right over 5,000 random baskets', () => {
    const random = rng(42);
    const rates = [2000, 500, 0];
    const int = (n: number) => Math.floor(random() * n);
    for (let round = 0; round < 5000; round++) {
      const lines: LineToPrice[] = Array.from({ length: 1 + int(8) }, () => {
        const price = 1 + int(2000);
        const qty = 1 + int(5);
        const roll = random();
        const discount: Discount | undefined =
          roll < 0.2
            ? { kind: 'amount', amountMinor: 1 + int(price * qty) }
            : roll < 0.4
              ? { kind: 'percent', percentBp: 1 + int(10_000) }
              : undefined;
        return line(price, qty, rates[int(3)], discount);
      });
      const afterLines = lines.reduce((a, l) => {
        const gross = l.unitPriceMinor * l.quantity;
        const d = l.discount
          ? l.discount.kind === 'amount'
            ? l.discount.amountMinor
            : percentOf(gross, l.discount.percentBp)
          : 0;
        return a + gross - d;
      }, 0);
      const roll = random();
      const basketDiscount: Discount | undefined =
        roll < 0.3 && afterLines > 0
          ? { kind: 'amount', amountMinor: 1 + int(afterLines) }
          : roll < 0.6
            ? { kind: 'percent', percentBp: 1 + int(10_000) }
            : undefined;
      const p = priceBasket(lines, basketDiscount, 'GBP');
      const sum = (f: (l: (typeof p.lines)[number]) => number) =>
        p.lines.reduce((a, l) => a + f(l), 0);
      expect(sum((l) => l.lineTotalMinor)).toBe(p.totalMinor);
      expect(sum((l) => l.vatMinor)).toBe(p.vatMinor);
      expect(sum((l) => l.discountMinor)).toBe(p.discountMinor);
      expect(p.subtotalMinor - p.discountMinor).toBe(p.totalMinor);
      expect(sum((l) => l.discountMinor - l.lineDiscountMinor)).toBe(p.basketDiscountMinor);
      for (const l of p.lines) {
        expect(Number.isInteger(l.lineTotalMinor) && l.lineTotalMinor >= 0).toBe(true);
        expect(l.vatMinor).toBe(vatFromGross(l.lineTotalMinor, l.vatRateBp));
        expect(l.vatMinor).toBeLessThanOrEqual(l.lineTotalMinor);
      }
      // The basket discount is shared by value: no line's share strays more than a few pence from exact.
      const nets = p.lines.map((l) => l.lineTotalMinor + l.discountMinor - l.lineDiscountMinor);
      const net = nets.reduce((a, b) => a + b, 0);
      p.lines.forEach((l, i) => {
        const exact = net === 0 ? 0 : (p.basketDiscountMinor * (nets[i] as number)) / net;
        expect(Math.abs(l.discountMinor - l.lineDiscountMinor - exact)).toBeLessThan(
          p.lines.length,
        );
      });
    }
  });
});

describe('previewBasket (the running totals on screen)', () => {
  it('gives exactly what the core prices for a basket the core accepts', () => {
    const random = rng(7);
    const int = (n: number) => Math.floor(random() * n);
    for (let round = 0; round < 1000; round++) {
      const lines = Array.from({ length: 1 + int(6) }, () => {
        const price = 1 + int(1500);
        const qty = 1 + int(4);
        const discount: Discount | undefined =
          random() < 0.3 ? { kind: 'percent', percentBp: 1 + int(10_000) } : undefined;
        return line(price, qty, [2000, 500, 0][int(3)], discount);
      });
      const basketDiscount: Discount | undefined =
        random() < 0.5 ? { kind: 'percent', percentBp: 1 + int(10_000) } : undefined;
      expect(previewBasket(lines, basketDiscount)).toEqual(
        priceBasket(lines, basketDiscount, 'GBP'),
      );
    }
  });

  it('is zero for an empty basket and caps discounts instead of throwing', () => {
    expect(previewBasket([], null)).toMatchObject({
      lines: [],
      subtotalMinor: 0,
      totalMinor: 0,
      vatMinor: 0,
    });
    const capped = previewBasket([line(320, 1, 2000, { kind: 'amount', amountMinor: 500 })], null);
    expect(capped.lines[0]?.lineDiscountMinor).toBe(320);
    expect(capped.totalMinor).toBe(0);
    const basket = previewBasket([line(320)], { kind: 'amount', amountMinor: 999 });
    expect(basket.basketDiscountMinor).toBe(320);
    expect(basket.totalMinor).toBe(0);
  });

  it('sums VAT per rate, highest first, and words a line discount the core would refuse', () => {
    const p = previewBasket([line(340, 2, 2000), line(699, 1, 500), line(120, 1, 2000)], null);
    expect(vatByRate(p.lines)).toEqual([
      { rateBp: 2000, grossMinor: 680 + 120, vatMinor: 113 + 20 },
      { rateBp: 500, grossMinor: 699, vatMinor: 33 },
    ]);
    expect(lineDiscountProblem(line(340), { kind: 'amount', amountMinor: 500 }, 'GBP')).toBe(
      'The discount (£5.00) is more than the price of Item 340 (£3.40).',
    );
    expect(lineDiscountProblem(line(340), { kind: 'amount', amountMinor: 340 }, 'GBP')).toBeNull();
  });
});
