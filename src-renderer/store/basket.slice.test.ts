import { describe, expect, it } from 'vitest';
import type { TillApi } from '../../src-shared/contract';
import type { Product } from '../../src-shared/domain/catalogue';
import { previewBasket } from '../../src-shared/domain/pricing';
import { scaleBarcode } from '../../src-shared/domain/scale-barcodes';
import { basketPreviewLines } from './basket.slice';
import { createTillStore } from './store';

const offline = () =>
  Promise.resolve({
    ok: false as const,
    error: { code: 'INTERNAL' as const, message: 'offline', retryable: false },
  });
const till = new Proxy({} as TillApi, {
  get: (_t, key) => (key === 'on' ? () => () => undefined : offline),
});

const base = {
  category: 'Coffee',
  barcode: null,
  shortcut: null,
  sortOrder: 0,
  active: true,
  createdAt: '',
  updatedAt: '',
  sku: null,
  plu: null,
  eatInVatRateBp: null,
  soldBy: 'unit' as const,
  variants: [],
  modifierGroups: [],
};
const latte: Product = {
  ...base,
  id: '00000000-0000-4000-8000-000000000001',
  name: 'Latte',
  priceMinor: 340,
  vatRateBp: 2000,
  variants: [
    { id: 'v-reg', name: 'Regular', priceMinor: 340, barcode: null, sku: null, active: true },
    { id: 'v-large', name: 'Large', priceMinor: 380, barcode: null, sku: null, active: true },
  ],
  modifierGroups: [
    {
      id: 'g-milk',
      name: 'Milk',
      minChoices: 1,
      maxChoices: 1,
      modifiers: [
        { id: 'm-whole', name: 'Whole milk', priceMinor: 0, vatRateBp: null, active: true },
        { id: 'm-oat', name: 'Oat milk', priceMinor: 40, vatRateBp: null, active: true },
      ],
    },
  ],
};
const croissant: Product = {
  ...base,
  id: '00000000-0000-4000-8000-000000000002',
  name: 'Croissant',
  category: 'Bakery',
  priceMinor: 210,
  vatRateBp: 0,
  eatInVatRateBp: 2000,
};
const cheese: Product = {
  ...base,
  id: '00000000-0000-4000-8000-000000000003',
  name: 'Cheddar',
  category: 'Deli',
  priceMinor: 1800,
  vatRateBp: 0,
  soldBy: 'weight',
  plu: '00123',
};

describe('basket: variants, modifiers, scale labels and eat-in on screen', () => {
  it('asks for the size and a required milk, merges the same choice and keeps others apart', () => {
    const store = createTillStore(till);
    const s = () => store.getState();
    s().addProduct(latte);
    expect(s().items).toEqual([]);
    expect(s().choosing).toMatchObject({ product: { id: latte.id }, variantId: null });
    expect(s().confirmChoice()).toBe('Choose Regular, Large');
    s().setChoosing({ ...s().choosing!, variantId: 'v-large' });
    expect(s().confirmChoice()).toBe('Choose a milk option');
    expect(s().items).toEqual([]);
    s().setChoosing({ ...s().choosing!, modifierIds: ['m-oat'] });
    expect(s().confirmChoice()).toBeNull();
    expect(s().choosing).toBeNull();
    s().addProduct(latte, { variantId: 'v-large', modifierIds: ['m-oat'] });
    s().addProduct(latte, { variantId: 'v-large', modifierIds: ['m-whole'] });
    expect(s().items.map((i) => [i.name, i.quantity, i.modifierIds])).toEqual([
      ['Latte (Large)', 2, ['m-oat']],
      ['Latte (Large)', 1, ['m-whole']],
    ]);
    // Changing a line's options after adding it.
    s().editOptions(s().items[1]!.key);
    s().setChoosing({ ...s().choosing!, variantId: 'v-reg', modifierIds: ['m-oat'] });
    expect(s().confirmChoice()).toBeNull();
    expect(s().items[1]).toMatchObject({ name: 'Latte (Regular)', modifierIds: ['m-oat'] });
    const totals = previewBasket(basketPreviewLines(s().items, s().eatIn), null);
    expect(totals.totalMinor).toBe(2 * 420 + 380);
  });

  it('sends choices, never prices; a weighed product needs its label; eat-in changes the VAT', () => {
    const store = createTillStore(till);
    const s = () => store.getState();
    s().addProduct(cheese);
    expect(s().basketMessage).toEqual({
      kind: 'error',
      text: 'Cheddar is sold by weight: scan the label printed by the scale',
    });
    const code = scaleBarcode('21', '00123', 245);
    s().addProduct(cheese, {
      modifierIds: [],
      scale: { kind: 'weight', code, grams: 245, pricePerKgMinor: 1800, priceMinor: 441 },
    });
    s().addProduct(croissant);
    s().addProduct(latte, { variantId: 'v-reg', modifierIds: ['m-whole'] });
    s().setEatIn(true);
    const sent = s().basketForCore();
    expect(sent).toEqual({
      ok: true,
      basket: {
        eatIn: true,
        lines: [
          { kind: 'product', productId: cheese.id, quantity: 1, scaleBarcode: code },
          { kind: 'product', productId: croissant.id, quantity: 1 },
          {
            kind: 'product',
            productId: latte.id,
            quantity: 1,
            variantId: 'v-reg',
            modifierIds: ['m-whole'],
          },
        ],
      },
    });
    const lines = previewBasket(basketPreviewLines(s().items, true), null).lines;
    expect(lines.map((l) => [l.name, l.vatRateBp, l.lineTotalMinor])).toEqual([
      ['Cheddar', 0, 441],
      ['Croissant', 2000, 210],
      ['Latte (Regular)', 2000, 340],
    ]);
    expect(lines[0]).toMatchObject({ weightGrams: 245, pricePerKgMinor: 1800 });
    s().setEatIn(false);
    expect(basketPreviewLines(s().items, s().eatIn)[1]?.vatRateBp).toBe(0);
  });
});
