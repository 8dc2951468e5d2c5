import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDb, type TempDb } from '../../tests/integration/orders/helpers';
import { getProduct, listVatRates } from '../orders/catalogue.repo';
import { applyShopCatalogue, type CatalogueRows } from './shop-catalogue';

/**
 * The shop's catalogue rows applied to a real SQLite file by the till's own rules, in the order
 * they depend on each other, in one transaction (docs/SHOP-DATABASE.md).
 */
const P = '7b0c3f55-6f4e-4c55-9a55-3c1e2b7f0a01';
const P2 = '7b0c3f55-6f4e-4c55-9a55-3c1e2b7f0a02';
const G = '7b0c3f55-6f4e-4c55-9a55-3c1e2b7f0b01';
const M = '7b0c3f55-6f4e-4c55-9a55-3c1e2b7f0c01';
const V = '7b0c3f55-6f4e-4c55-9a55-3c1e2b7f0d01';
const V2 = '7b0c3f55-6f4e-4c55-9a55-3c1e2b7f0d02';

const product = (id: string, extra: Partial<NonNullable<CatalogueRows['products']>[number]>) => ({
  id,
  name: 'Bagel',
  category: 'Bakery',
  price_minor: '250',
  vat_rate_bp: 0,
  barcode: null,
  shortcut: null,
  sort_order: 1,
  active: true,
  updated_at: new Date('2026-12-01T09:00:00Z'),
  version: '10',
  eat_in_vat_rate_bp: null,
  sold_by: 'unit',
  plu: null,
  sku: null,
  ...extra,
});

describe('applying the shop’s catalogue rows', () => {
  let t: TempDb;
  beforeEach(() => {
    t = tempDb('opentill-shop-catalogue-');
  });
  afterEach(() => t.cleanup());

  it('takes a new VAT rate before the product that uses it, and the product’s sizes and groups after it', () => {
    const rows: CatalogueRows = {
      vatRates: [{ rate_bp: 1350, name: 'Hospitality', position: 4, active: true, version: '1' }],
      groups: [{ id: G, name: 'Spread', min_choices: 0, max_choices: 2, version: '2' }],
      modifiers: [
        {
          id: M,
          group_id: G,
          name: 'Cream cheese',
          price_minor: '60',
          vat_rate_bp: null,
          position: 1,
          active: true,
          version: '3',
        },
      ],
      products: [product(P, { eat_in_vat_rate_bp: 1350, sku: 'BG-1', version: '4' })],
      variants: [
        {
          id: V,
          product_id: P,
          name: 'Half dozen',
          price_minor: '1200',
          barcode: '5000000000029',
          sku: null,
          position: 1,
          active: true,
          version: '5',
        },
      ],
      links: [{ product_id: P, group_id: G, position: 1, active: true, version: '6' }],
    };
    const done = applyShopCatalogue(t.db, rows);
    expect(done.refused).toEqual([]);
    expect(done.applied).toBe(6);
    expect(getProduct(t.db, P)).toMatchObject({
      eatInVatRateBp: 1350,
      sku: 'BG-1',
      variants: [{ id: V, name: 'Half dozen', priceMinor: 1200, barcode: '5000000000029' }],
      modifierGroups: [{ id: G, name: 'Spread', modifiers: [{ id: M, name: 'Cream cheese' }] }],
    });
  });

  it('refuses by name what the till’s rules refuse, and what hangs on it; the rest applies', () => {
    const done = applyShopCatalogue(t.db, {
      products: [
        product(P, { vat_rate_bp: 1234 }),
        product(P2, { name: 'Rye loaf', sold_by: 'weight' }),
      ],
      variants: [
        {
          id: V,
          product_id: P,
          name: 'Half dozen',
          price_minor: '1200',
          barcode: null,
          sku: null,
          position: 1,
          active: true,
          version: '5',
        },
        {
          id: V2,
          product_id: P2,
          name: 'Half loaf',
          price_minor: '150',
          barcode: null,
          sku: null,
          position: 1,
          active: true,
          version: '6',
        },
      ],
      links: [{ product_id: P2, group_id: G, position: 1, active: true, version: '7' }],
    });
    expect(done.refused).toEqual([
      { id: P, reason: "Bagel: VAT 12.34 % is not one of this till's VAT rates" },
      { id: `variant:${V}`, reason: 'Variant Half dozen: its product is not on this till' },
      {
        id: `variant:${V2}`,
        reason: 'Variant Rye loaf, Half loaf: Rye loaf is sold by weight and cannot have variants',
      },
      {
        id: `modifier-link:${P2}:${G}`,
        reason: 'Rye loaf offers a modifier group that this till does not have',
      },
    ]);
    expect(getProduct(t.db, P)).toBeNull();
    expect(getProduct(t.db, P2)).toMatchObject({ soldBy: 'weight', variants: [] });
  });

  it('a VAT rate taken off the shop’s list goes, unless a product here still uses it', () => {
    applyShopCatalogue(t.db, {
      vatRates: [{ rate_bp: 1350, name: 'Hospitality', position: 4, active: true, version: '1' }],
      products: [product(P, { eat_in_vat_rate_bp: 1350 })],
    });
    const off = { rate_bp: 1350, name: 'Hospitality', position: 4, active: false, version: '8' };
    expect(applyShopCatalogue(t.db, { vatRates: [off] }).refused).toEqual([
      {
        id: 'vat-rate:1350',
        reason:
          "VAT rate 13.5 % was taken off the shop's list but 1 product or modifier on this till still uses it",
      },
    ]);
    // The product moves off it in the same pull: the rate goes.
    const done = applyShopCatalogue(t.db, {
      vatRates: [{ ...off, version: '9' }],
      products: [product(P, { eat_in_vat_rate_bp: null, version: '9' })],
    });
    expect(done.refused).toEqual([]);
    expect(listVatRates(t.db).map((r) => r.rateBp)).not.toContain(1350);
  });
});
