import { afterEach, describe, expect, it } from 'vitest';
import { staffCore, type StaffCore } from '../staff/core-fixture';
import type { CsvImportResult, Product } from '../../../src-shared/domain/catalogue';

const cores: StaffCore[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.close();
});

async function core() {
  const c = await staffCore();
  cores.push(c);
  return c;
}
const value = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
/** The catalogue as a shop sees it: ids left out (they differ between tills). */
const shape = (products: Product[]) =>
  products.map(({ id: _i, createdAt: _c, updatedAt: _u, sortOrder: _s, ...p }) => ({
    ...p,
    variants: p.variants.map(({ id: _v, ...v }) => v),
    modifierGroups: p.modifierGroups.map(({ id: _g, ...g }) => ({
      ...g,
      modifiers: g.modifiers.map(({ id: _m, ...m }) => m),
    })),
  }));

describe('catalogue CSV', () => {
  it('round-trips variants, modifier groups, barcodes, scale codes and VAT names to another till', async () => {
    const a = await core();
    const csv = value(await a.call<{ csv: string }>('catalogue:export-csv')).csv;
    expect(csv.split('\r\n')[0]).toBe(
      'kind,name,category,price,vat,eat_in_vat,sold_by,plu,sku,barcode,shortcut,parent,min,max,groups',
    );
    expect(csv).toContain('product,Cappuccino,Coffee,3.40,Standard,,unit,,,,F6,,,,Milk|Extras');
    expect(csv).toContain('variant,Large,Coffee,3.80,,,,,,,,Cappuccino,,,');
    expect(csv).toContain('modifier,Oat milk,,0.40,,,,,,,,Milk,,,');
    expect(csv).toContain('product,Mature Cheddar,Retail,18.00,Zero,,weight,00123');
    expect(csv).toContain('product,Butter Croissant,Bakery,2.10,Zero,Standard');

    // Another till, its catalogue emptied of the sample, imports the file.
    const b = await core();
    b.core.db.exec(
      'DELETE FROM product_modifier_groups; DELETE FROM product_variants; DELETE FROM modifiers; DELETE FROM modifier_groups; DELETE FROM products;',
    );
    const result = value(await b.call<CsvImportResult>('catalogue:import-csv', { csv }));
    expect(result.errors).toEqual([]);
    const before = value(await a.call<Product[]>('catalogue:list', {}));
    expect(result.created).toBe(before.length);
    const after = value(await b.call<Product[]>('catalogue:list', {}));
    expect(shape(after)).toEqual(shape(before));
    expect(value(await b.call<{ csv: string }>('catalogue:export-csv')).csv).toBe(csv);
    // Importing the same file again changes nothing and updates every product in place.
    const again = value(await b.call<CsvImportResult>('catalogue:import-csv', { csv }));
    expect(again).toMatchObject({ created: 0, updated: before.length, errors: [] });
    expect(shape(value(await b.call<Product[]>('catalogue:list', {})))).toEqual(shape(before));
  });

  it('reports each bad row in plain words and writes none of it', async () => {
    const c = await core();
    const before = c.rows();
    const csv = [
      'kind,name,category,price,vat,eat_in_vat,sold_by,plu,barcode,parent,min,max,groups',
      'group,Sauces,,,,,,,,,3,1,',
      'modifier,Ketchup,,0.00,,,,,,Sauces,,,',
      'product,Pasty,Food,3.00,Super reduced,,,,,,,,',
      'product,Olives,Deli,12.00,Zero,,weight,,,,,,',
      'product,Soup,Food,4.00,Standard,Nope,,,,,,,',
      'variant,Huge,Coffee,5.00,,,,,,Latte Grande,,,',
      'product,Tea Cake,Bakery,2.00,Zero,,,,,,,,Toppings',
      'product,Iced Tea,Tea,2.00,Standard,,,,,,,,',
      'variant,Large,Tea,2.50,,,,,5012345000015,Iced Tea,,,',
      'kind-of,Thing,Misc,1.00,Zero,,,,,,,,',
    ].join('\n');
    const result = value(await c.call<CsvImportResult>('catalogue:import-csv', { csv }));
    expect(result.errors).toEqual([
      { row: 2, reason: 'Sauces: the minimum number of choices (3) is more than the maximum (1)' },
      { row: 3, reason: 'modifier Ketchup: its group "Sauces" is not on a group row above it' },
      {
        row: 4,
        reason:
          'vat "Super reduced" is not one of this shop\'s VAT rates (Standard 20 %, Reduced 5 %, Zero 0 %)',
      },
      { row: 5, reason: "Olives is sold by weight: give it the scale's 5-digit item code (plu)" },
      {
        row: 6,
        reason:
          'eat-in vat "Nope" is not one of this shop\'s VAT rates (Standard 20 %, Reduced 5 %, Zero 0 %)',
      },
      {
        row: 7,
        reason: 'variant Huge: its product "Latte Grande" is not on a product row above it',
      },
      { row: 8, reason: 'modifier group Toppings is not in the catalogue or this file' },
      {
        row: 9,
        reason:
          'Iced Tea, Large: barcode 5012345000015 is already used by Still Water 500ml (Retail).',
      },
      { row: 11, reason: 'kind "kind-of" must be product, variant, group or modifier' },
    ]);
    expect(result.imported).toBe(0);
    const after = c.rows();
    expect({ ...after, audit_log: 0 }).toEqual({ ...before, audit_log: 0 });
  });
});
