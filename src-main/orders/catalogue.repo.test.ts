import { afterEach, describe, expect, it } from 'vitest';
import { tempDb, type TempDb } from '../../tests/integration/orders/helpers';
import { findProductsByShortcut, upsertProduct } from './catalogue.repo';

let t: TempDb | undefined;
afterEach(() => t?.cleanup());

const product = (name: string, shortcut: string | null, extra: object = {}) => ({
  name,
  category: 'Test',
  priceMinor: 100,
  vatRateBp: 2000 as const,
  shortcut,
  ...extra,
});

describe('shortcut keys: one key, one product', () => {
  it('refuses a shortcut another active product has, naming it; case does not matter', () => {
    t = tempDb();
    const db = t.db;
    const first = upsertProduct(db, product('Flat White', 'F1'));
    expect(() => upsertProduct(db, product('Espresso', 'f1'))).toThrow(
      'Shortcut f1 is already used by Flat White (Test). Choose another key, or remove it from Flat White first.',
    );
    const espresso = upsertProduct(db, product('Espresso', 'F2'));
    expect(() => upsertProduct(db, { ...product('Espresso', 'F1'), id: espresso.id })).toThrow(
      /already used by Flat White/,
    );
    // Saving a product with its own key again is fine; a switched-off product frees its key.
    upsertProduct(db, { ...product('Flat White', 'F1'), id: first.id, priceMinor: 120 });
    upsertProduct(db, { ...product('Flat White', 'F1'), id: first.id, active: false });
    upsertProduct(db, { ...product('Espresso', 'F1'), id: espresso.id });
    expect(findProductsByShortcut(db, 'F1').map((p) => p.name)).toEqual(['Espresso']);
    // ...and it cannot come back on while another product answers to it.
    expect(() =>
      upsertProduct(db, { ...product('Flat White', 'F1'), id: first.id, active: true }),
    ).toThrow(/already used by Espresso/);
  });
});
