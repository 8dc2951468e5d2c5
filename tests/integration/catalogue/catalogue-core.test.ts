import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { staffCore, type StaffCore } from '../staff/core-fixture';
import type { ModifierGroup, Product, ScanResult } from '../../../src-shared/domain/catalogue';
import type { Order } from '../../../src-shared/domain/orders';
import { scaleBarcode } from '../../../src-shared/domain/scale-barcodes';
import { daySummary } from '../../../src-main/reports/reports.queries';

let t: StaffCore | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function ok<T>(
  p: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>,
): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

async function setup() {
  t = await staffCore();
  const products = await ok(t.call<Product[]>('catalogue:list', {}));
  const byName = (name: string): Product => {
    const p = products.find((x) => x.name === name);
    if (!p) throw new Error(`no ${name}`);
    return p;
  };
  return { t, products, byName };
}

const modId = (p: Product, name: string): string => {
  for (const g of p.modifierGroups) for (const m of g.modifiers) if (m.name === name) return m.id;
  throw new Error(`no modifier ${name} on ${p.name}`);
};
const variantId = (p: Product, name: string): string => {
  const v = p.variants.find((x) => x.name === name);
  if (!v) throw new Error(`no variant ${name}`);
  return v.id;
};

describe('catalogue through the core: variants, modifiers, scale labels, eat-in VAT', () => {
  it('prices a large oat cappuccino with an extra shot, a croissant eaten in and a weighed cheese', async () => {
    const { t, byName } = await setup();
    const capp = byName('Cappuccino');
    const croissant = byName('Butter Croissant');
    const label = scaleBarcode('21', '00123', 245); // 245 g of Mature Cheddar at £18.00/kg
    const scan = await ok(t.call<ScanResult>('catalogue:scan', { barcode: label }));
    expect(scan.product.name).toBe('Mature Cheddar');
    expect(scan.scale).toMatchObject({
      kind: 'weight',
      grams: 245,
      pricePerKgMinor: 1800,
      priceMinor: 441,
    });

    const order = await ok(
      t.call<Order>('orders:create', {
        eatIn: true,
        lines: [
          {
            kind: 'product',
            productId: capp.id,
            variantId: variantId(capp, 'Large'),
            modifierIds: [modId(capp, 'Oat milk'), modId(capp, 'Extra shot')],
            quantity: 1,
          },
          { kind: 'product', productId: croissant.id, quantity: 1 },
          { kind: 'product', productId: scan.product.id, scaleBarcode: label, quantity: 1 },
        ],
      }),
    );
    // 3.80 + 0.40 + 0.50 = 4.70; croissant 2.10 at 20 % eaten in; cheese 4.41 at 0 %.
    expect(order.totalMinor).toBe(470 + 210 + 441);
    const [coffee, bun, cheese] = order.lines;
    expect(coffee).toMatchObject({
      name: 'Cappuccino (Large)',
      variantName: 'Large',
      unitPriceMinor: 380,
      lineTotalMinor: 470,
      vatRateBp: 2000,
      vatMinor: 78,
    });
    expect(coffee?.modifiers?.map((m) => [m.groupName, m.name, m.priceMinor])).toEqual([
      ['Milk', 'Oat milk', 40],
      ['Extras', 'Extra shot', 50],
    ]);
    expect(bun).toMatchObject({ vatRateBp: 2000, lineTotalMinor: 210, vatMinor: 35 });
    expect(cheese).toMatchObject({
      name: 'Mature Cheddar',
      weightGrams: 245,
      pricePerKgMinor: 1800,
      lineTotalMinor: 441,
      vatRateBp: 0,
    });
    expect(order.vatBreakdown).toEqual([
      { rateBp: 2000, grossMinor: 680, vatMinor: 113, netMinor: 567 },
      { rateBp: 0, grossMinor: 441, vatMinor: 0, netMinor: 441 },
    ]);
    // The same croissant taken away is zero-rated.
    const away = await ok(
      t.call<Order>('orders:create', {
        lines: [{ kind: 'product', productId: croissant.id, quantity: 1 }],
      }),
    );
    expect(away.lines[0]).toMatchObject({ vatRateBp: 0, vatMinor: 0 });
    // The order detail carries the same lines back, modifiers and weight included.
    const detail = await ok(t.call<Order>('orders:get', { orderId: order.id }));
    expect(detail.lines).toEqual(order.lines);
    expect(detail.eatIn).toBe(true);
  });

  it('scans a variant barcode straight to its variant, and a price label to its price', async () => {
    const { t, byName } = await setup();
    const capp = byName('Cappuccino');
    await ok(
      t.call('catalogue:upsert', {
        id: capp.id,
        name: capp.name,
        category: capp.category,
        priceMinor: capp.priceMinor,
        vatRateBp: capp.vatRateBp,
        variants: capp.variants.map((v) => ({
          id: v.id,
          name: v.name,
          priceMinor: v.priceMinor,
          ...(v.name === 'Large' ? { barcode: '5012345000084' } : {}),
        })),
      }),
    );
    const scan = await ok(t.call<ScanResult>('catalogue:scan', { barcode: '5012345000084' }));
    expect(scan.product.id).toBe(capp.id);
    expect(scan.variantId).toBe(variantId(capp, 'Large'));
    const priceLabel = scaleBarcode('22', '00200', 375);
    const pot = await ok(t.call<ScanResult>('catalogue:scan', { barcode: priceLabel }));
    expect(pot).toMatchObject({
      product: { name: 'Deli Salad Pot' },
      scale: { kind: 'price', priceMinor: 375 },
    });
    const order = await ok(
      t.call<Order>('orders:create', {
        lines: [
          { kind: 'product', productId: pot.product.id, scaleBarcode: priceLabel, quantity: 2 },
        ],
      }),
    );
    expect(order.totalMinor).toBe(750);
  });

  it('taxes a modifier with a VAT rate of its own under that rate', async () => {
    const { t, byName } = await setup();
    const group = await ok(
      t.call<ModifierGroup>('catalogue:upsert-modifier-group', {
        name: 'Side',
        minChoices: 0,
        maxChoices: 1,
        modifiers: [{ name: 'Cold slaw tub', priceMinor: 120, vatRateBp: 0 }],
      }),
    );
    const roll = byName('Bacon Roll (hot)');
    await ok(
      t.call('catalogue:upsert', {
        id: roll.id,
        name: roll.name,
        category: roll.category,
        priceMinor: roll.priceMinor,
        vatRateBp: roll.vatRateBp,
        modifierGroupIds: [group.id],
      }),
    );
    const order = await ok(
      t.call<Order>('orders:create', {
        lines: [
          {
            kind: 'product',
            productId: roll.id,
            modifierIds: [group.modifiers[0]?.id],
            quantity: 2,
          },
        ],
      }),
    );
    // 2 × 4.50 at 20 % and 2 × 1.20 at 0 %.
    expect(order.totalMinor).toBe(1140);
    expect(order.vatBreakdown).toEqual([
      { rateBp: 2000, grossMinor: 900, vatMinor: 150, netMinor: 750 },
      { rateBp: 0, grossMinor: 240, vatMinor: 0, netMinor: 240 },
    ]);
    expect(order.vatMinor).toBe(150);
    // Paid in cash, the day's figures count the slaw under 0 % too.
    const paid = await t.call('orders:pay-cash', {
      orderId: order.id,
      amountMinor: 1140,
      tenderedMinor: 1140,
      idempotencyKey: randomUUID(),
    });
    expect(paid.ok).toBe(true);
    const day = daySummary(t.core.db, new Date(Date.now() + 1000).toISOString(), 'GBP');
    expect(day.vatByRate).toEqual([
      { rateBp: 2000, grossMinor: 900, vatMinor: 150 },
      { rateBp: 0, grossMinor: 240, vatMinor: 0 },
    ]);
  });

  it('refuses bad input in plain words and writes nothing', async () => {
    const { t, byName } = await setup();
    const capp = byName('Cappuccino');
    const before = t.rows();
    const refused = async (channel: string, input: unknown) => {
      const r = await t.call(channel, input);
      expect(r.ok).toBe(false);
      return r.ok ? '' : r.error.message;
    };
    const line = (extra: object) => ({
      lines: [{ kind: 'product', productId: capp.id, quantity: 1, ...extra }],
    });
    expect(await refused('orders:create', line({ variantId: variantId(capp, 'Small') }))).toBe(
      'Cappuccino (Small) needs a choice of Milk.',
    );
    expect(await refused('orders:create', line({}))).toBe(
      'Cappuccino comes in Small, Regular, Large: choose one.',
    );
    expect(
      await refused(
        'orders:create',
        line({
          variantId: variantId(capp, 'Small'),
          modifierIds: [modId(capp, 'Oat milk'), modId(capp, 'Soy milk')],
        }),
      ),
    ).toBe('Cappuccino (Small): at most 1 choice of Milk.');
    expect(
      await refused('catalogue:upsert-modifier-group', {
        name: 'Sauces',
        minChoices: 3,
        maxChoices: 1,
        modifiers: [{ name: 'Ketchup', priceMinor: 0 }],
      }),
    ).toContain('the minimum number of choices (3) is more than the maximum (1)');
    const good = scaleBarcode('21', '00123', 245);
    const wrongCheck = good.slice(0, 12) + String((Number(good[12]) + 1) % 10);
    expect(await refused('catalogue:scan', { barcode: wrongCheck })).toBe(
      `Barcode ${wrongCheck} has a wrong check digit (last digit): scan the label again`,
    );
    const unknownPrefix = scaleBarcode('27', '00123', 245);
    expect(await refused('catalogue:scan', { barcode: unknownPrefix })).toBe(
      `Barcode ${unknownPrefix} starts with 27, which is not a scale-label prefix of this shop (21 weight, 22 price)`,
    );
    const zero = scaleBarcode('21', '00123', 0);
    expect(await refused('catalogue:scan', { barcode: zero })).toBe(
      `The scale label ${zero} shows a weight of 0 g: weigh the item again`,
    );
    const cheese = byName('Mature Cheddar');
    expect(
      await refused('orders:create', {
        lines: [{ kind: 'product', productId: cheese.id, quantity: 1 }],
      }),
    ).toBe('Mature Cheddar is sold by weight: scan the label printed by the scale.');
    expect(
      await refused('orders:create', {
        lines: [{ kind: 'product', productId: cheese.id, scaleBarcode: zero, quantity: 1 }],
      }),
    ).toBe(`The scale label ${zero} shows a weight of 0 g: weigh the item again`);
    expect(
      await refused('catalogue:upsert', {
        name: 'Pasty',
        category: 'Food',
        priceMinor: 300,
        vatRateBp: 1750,
      }),
    ).toBe(
      "Pasty: VAT 17.5 % is not one of this shop's VAT rates (Standard 20 %, Reduced 5 %, Zero 0 %). Add it in Settings, VAT rates, first.",
    );
    expect(
      await refused('orders:create', {
        lines: [
          { kind: 'custom', name: 'Misc', unitPriceMinor: 100, vatRateBp: 1300, quantity: 1 },
        ],
      }),
    ).toContain("VAT 13 % is not one of this shop's VAT rates");
    // A variant barcode that is already another product's.
    expect(
      await refused('catalogue:upsert', {
        id: capp.id,
        name: capp.name,
        category: capp.category,
        priceMinor: capp.priceMinor,
        vatRateBp: capp.vatRateBp,
        variants: [{ name: 'Small', priceMinor: 300, barcode: '5012345000015' }],
      }),
    ).toBe(
      'Cappuccino, Small: barcode 5012345000015 is already used by Still Water 500ml (Retail).',
    );
    expect(
      await refused('catalogue:set-vat-rates', { rates: [{ rateBp: 2000, name: 'Standard' }] }),
    ).toMatch(/^Reduced 5 % is still used by 1 product/);
    expect(t.rows()).toEqual(before);
    const after = await ok(t.call<Product[]>('catalogue:list', {}));
    expect(after.find((p) => p.id === capp.id)?.variants.map((v) => v.barcode)).toEqual([
      null,
      null,
      null,
    ]);
  });

  it("measures a cashier's discount against the sized, weighed line, not the catalogue price", async () => {
    const { t, byName } = await setup();
    const cheese = byName('Mature Cheddar');
    const latte = byName('Cappuccino');
    t.as('cashier');
    // £1.00 off 245 g of cheddar (£4.41) is 22.7 %: above a cashier's 10 %, whatever a kilo costs.
    const label = scaleBarcode('21', '00123', 245);
    const cheeseOff = await t.call('orders:create', {
      lines: [
        {
          kind: 'product',
          productId: cheese.id,
          scaleBarcode: label,
          quantity: 1,
          discount: { kind: 'amount', amountMinor: 100 },
        },
      ],
    });
    expect(cheeseOff).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } });
    // £0.40 off a large oat cappuccino (£4.20) is 9.5 %: within the limit (against the catalogue's
    // £3.40 it would be 11.8 %).
    const coffeeOff = await t.call<Order>('orders:create', {
      lines: [
        {
          kind: 'product',
          productId: latte.id,
          variantId: variantId(latte, 'Large'),
          modifierIds: [modId(latte, 'Oat milk')],
          quantity: 1,
          discount: { kind: 'amount', amountMinor: 40 },
        },
      ],
    });
    expect(coffeeOff.ok && coffeeOff.value.totalMinor).toBe(380 + 40 - 40);
  });

  it('takes a shop VAT rate list with names; products then use the new rate', async () => {
    const { t } = await setup();
    const rates = await ok(t.call('catalogue:vat-rates'));
    expect(rates).toEqual([
      { rateBp: 2000, name: 'Standard' },
      { rateBp: 500, name: 'Reduced' },
      { rateBp: 0, name: 'Zero' },
    ]);
    await ok(
      t.call('catalogue:set-vat-rates', {
        rates: [
          { rateBp: 2000, name: 'Standard' },
          { rateBp: 500, name: 'Reduced' },
          { rateBp: 0, name: 'Zero' },
          { rateBp: 1350, name: 'Second reduced' },
        ],
      }),
    );
    const pasty = await ok(
      t.call<Product>('catalogue:upsert', {
        name: 'Pasty',
        category: 'Food',
        priceMinor: 300,
        vatRateBp: 1350,
      }),
    );
    const order = await ok(
      t.call<Order>('orders:create', {
        lines: [{ kind: 'product', productId: pasty.id, quantity: 1 }],
      }),
    );
    expect(order.vatBreakdown).toEqual([
      { rateBp: 1350, grossMinor: 300, vatMinor: 36, netMinor: 264 },
    ]);
  });
});
