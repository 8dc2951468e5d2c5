import { useMemo } from 'react';
import type { Product } from '../../../src-shared/domain/catalogue';
import { Kbd, useMoney } from '../../components/Money';
import { vatLabel } from '../../../src-shared/domain/pricing';
import { useTillStore } from '../../store/store';

type Props = { search: string; category: string | null; onCategory: (c: string) => void };

export function categoriesOf(products: readonly Product[]): string[] {
  return [...new Set(products.map((p) => p.category))];
}

/** "£3.40"; "from £3.00" with sizes; "£18.00/kg" sold by weight. */
function priceText(p: Product, money: (minor: number) => string): string {
  if (p.soldBy === 'weight') return `${money(p.priceMinor)}/kg`;
  if (p.variants.length > 0) {
    const prices = p.variants.map((v) => v.priceMinor);
    const low = Math.min(...prices);
    return low === Math.max(...prices) ? money(low) : `from ${money(low)}`;
  }
  return money(p.priceMinor);
}

/** Catalogue products as big keys, one category at a time (or all matches while searching). */
export function QuickKeys({ search, category, onCategory }: Props) {
  const products = useTillStore((s) => s.products);
  const addProduct = useTillStore((s) => s.addProduct);
  const error = useTillStore((s) => s.catalogueError);
  const money = useMoney();
  // Eaten in, a product with its own eat-in rate (hot food and drink) shows that rate.
  const eatIn = useTillStore((s) => s.eatIn);
  const categories = useMemo(() => categoriesOf(products), [products]);
  const current = category && categories.includes(category) ? category : (categories[0] ?? null);
  const term = search.trim().toLowerCase();
  const shown =
    term && !/^\d+$/.test(term)
      ? products.filter((p) => p.name.toLowerCase().includes(term))
      : products.filter((p) => p.category === current);

  return (
    <section className="quick-keys" aria-label="Products">
      <div className="category-tabs" role="tablist" aria-label="Categories">
        {categories.map((c) => (
          <button
            key={c}
            type="button"
            role="tab"
            aria-selected={!term && c === current}
            className={`tab${!term && c === current ? ' tab-active' : ''}`}
            onClick={() => onCategory(c)}
          >
            {c}
          </button>
        ))}
      </div>
      {error && <p role="alert">{error}</p>}
      {term && !/^\d+$/.test(term) && (
        <p className="muted">
          {shown.length === 0 ? `No product matches “${search}”` : `Products matching “${search}”`}
        </p>
      )}
      <div className="key-grid">
        {shown.map((p) => (
          <button
            key={p.id}
            type="button"
            className="product-key"
            aria-label={`Add ${p.name}, ${priceText(p, money)}`}
            aria-keyshortcuts={p.shortcut ?? undefined}
            onClick={() => addProduct(p)}
          >
            <span className="product-name">{p.name}</span>
            <span className="product-foot">
              <span className="product-price">{priceText(p, money)}</span>
              <span className="product-vat">
                VAT {vatLabel(eatIn && p.eatInVatRateBp !== null ? p.eatInVatRateBp : p.vatRateBp)}
              </span>
              <Kbd keys={p.shortcut} />
            </span>
          </button>
        ))}
      </div>
    </section>
  );
}
