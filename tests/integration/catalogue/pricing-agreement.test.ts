import { afterEach, describe, expect, it } from 'vitest';
import { staffCore, type StaffCore } from '../staff/core-fixture';
import type { Product } from '../../../src-shared/domain/catalogue';
import type { Order } from '../../../src-shared/domain/orders';
import { lineFromProduct, type LineChoice } from '../../../src-shared/domain/basket-lines';
import { previewBasket, vatByRate } from '../../../src-shared/domain/pricing';
import { scaleBarcode, weighedPrice } from '../../../src-shared/domain/scale-barcodes';

let t: StaffCore | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** A small seeded generator, so a failure names the basket that broke and can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  return {
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T,
    chance: (p: number) => next() < p,
  };
}

describe('shared pricing: the screen and the core agree', () => {
  it('over 60 random baskets with variants, modifiers (some with their own VAT), scale labels, discounts and eat-in', async () => {
    t = await staffCore();
    const core = t;
    const call: StaffCore['call'] = (channel, input) => core.call(channel, input);
    // A modifier group with a zero-rated choice and a zero price, so mixed rates are in the mix.
    const group = await call<{ id: string }>('catalogue:upsert-modifier-group', {
      name: 'Add-ons',
      minChoices: 0,
      maxChoices: 2,
      modifiers: [
        { name: 'Slaw tub', priceMinor: 133, vatRateBp: 0 },
        { name: 'Napkin', priceMinor: 0 },
        { name: 'Sauce', priceMinor: 27, vatRateBp: 500 },
      ],
    });
    if (!group.ok) throw new Error(group.error.message);
    const list = await call<Product[]>('catalogue:list', {});
    if (!list.ok) throw new Error('list');
    const roll = list.value.find((p) => p.name === 'Bacon Roll (hot)') as Product;
    const up = await call('catalogue:upsert', {
      id: roll.id,
      name: roll.name,
      category: roll.category,
      priceMinor: roll.priceMinor,
      vatRateBp: roll.vatRateBp,
      modifierGroupIds: [group.value.id],
    });
    expect(up.ok).toBe(true);
    const products = ((await call<Product[]>('catalogue:list', {})) as { value: Product[] }).value;

    for (let seed = 1; seed <= 60; seed++) {
      const r = rng(seed);
      const eatIn = r.chance(0.5);
      const choices: { product: Product; choice: LineChoice }[] = [];
      const n = r.int(1, 6);
      for (let i = 0; i < n; i++) {
        const product = r.pick(products);
        const choice: LineChoice = { quantity: r.int(1, 4) };
        if (product.variants.length > 0) choice.variantId = r.pick(product.variants).id;
        const mods: string[] = [];
        for (const g of product.modifierGroups) {
          const k = r.int(g.minChoices, Math.min(g.maxChoices, g.modifiers.length));
          const pool = [...g.modifiers];
          for (let j = 0; j < k; j++) mods.push(pool.splice(r.int(0, pool.length - 1), 1)[0]!.id);
        }
        choice.modifierIds = mods;
        if (product.soldBy === 'weight') {
          const grams = r.int(1, 2500);
          choice.scale = {
            kind: 'weight',
            code: scaleBarcode('21', product.plu as string, grams),
            grams,
            pricePerKgMinor: product.priceMinor,
            priceMinor: weighedPrice(grams, product.priceMinor),
          };
        }
        if (r.chance(0.25)) choice.discount = { kind: 'percent', percentBp: r.int(1, 5000) };
        choices.push({ product, choice });
      }
      const basketDiscount = r.chance(0.3)
        ? { kind: 'percent' as const, percentBp: r.int(1, 3000) }
        : undefined;
      const screen = previewBasket(
        choices.map((c) => lineFromProduct(c.product, c.choice, eatIn)),
        basketDiscount,
      );
      const res = await call<Order>('orders:create', {
        eatIn,
        ...(basketDiscount ? { discount: basketDiscount } : {}),
        lines: choices.map(({ product, choice }) => ({
          kind: 'product',
          productId: product.id,
          quantity: choice.quantity,
          ...(choice.variantId ? { variantId: choice.variantId } : {}),
          ...(choice.modifierIds?.length ? { modifierIds: choice.modifierIds } : {}),
          ...(choice.scale ? { scaleBarcode: choice.scale.code } : {}),
          ...(choice.discount ? { discount: choice.discount } : {}),
        })),
      });
      if (!res.ok) throw new Error(`seed ${seed}: ${res.error.message}`);
      const order = res.value;
      expect([seed, order.totalMinor, order.vatMinor, order.subtotalMinor]).toEqual([
        seed,
        screen.totalMinor,
        screen.vatMinor,
        screen.subtotalMinor,
      ]);
      expect([seed, order.lines]).toEqual([seed, screen.lines]);
      expect([seed, order.vatBreakdown.map(({ netMinor: _n, ...v }) => v)]).toEqual([
        seed,
        vatByRate(screen.lines),
      ]);
    }
  });
});
