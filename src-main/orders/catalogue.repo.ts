import { randomUUID } from 'node:crypto';
import type { Db } from '../db/connection';
import { nowIso } from '../db/connection';
import { TillError } from '../../src-shared/errors';
import type {
  CatalogueQuery,
  Product,
  ProductInput,
  VatRateBp,
} from '../../src-shared/domain/catalogue';
import { preparedFor } from '../platform/prepared';

type ProductRow = {
  id: string;
  name: string;
  category: string;
  price_minor: number;
  vat_rate_bp: number;
  barcode: string | null;
  shortcut: string | null;
  sort_order: number;
  active: number;
  created_at: string;
  updated_at: string;
};

export function toProduct(row: ProductRow): Product {
  return {
    id: row.id,
    name: row.name,
    category: row.category,
    priceMinor: row.price_minor,
    vatRateBp: row.vat_rate_bp as VatRateBp,
    barcode: row.barcode,
    shortcut: row.shortcut,
    sortOrder: row.sort_order,
    active: row.active === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const COLUMNS =
  'id, name, category, price_minor, vat_rate_bp, barcode, shortcut, sort_order, active, created_at, updated_at';
const ORDER = 'ORDER BY category COLLATE NOCASE, sort_order, name COLLATE NOCASE';

const stmts = preparedFor((db) => ({
  byId: db.prepare<[string], ProductRow>(`SELECT ${COLUMNS} FROM products WHERE id = ?`),
  byBarcode: db.prepare<[string], ProductRow>(`SELECT ${COLUMNS} FROM products WHERE barcode = ?`),
  byShortcut: db.prepare<[string], ProductRow>(
    `SELECT ${COLUMNS} FROM products WHERE active = 1 AND lower(shortcut) = lower(?) ORDER BY name`,
  ),
  byNameCategory: db.prepare<[string, string], ProductRow>(
    `SELECT ${COLUMNS} FROM products WHERE lower(name) = lower(?) AND lower(category) = lower(?)`,
  ),
  list: db.prepare<{ search: string | null; category: string | null; all: number }, ProductRow>(
    `SELECT ${COLUMNS} FROM products
     WHERE (:all = 1 OR active = 1)
       AND (:category IS NULL OR lower(category) = lower(:category))
       AND (:search IS NULL OR instr(lower(name), lower(:search)) > 0)
     ${ORDER}`,
  ),
  count: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM products'),
  insert: db.prepare(
    `INSERT INTO products (id, name, category, price_minor, vat_rate_bp, barcode, shortcut, sort_order, active, created_at, updated_at)
     VALUES (@id, @name, @category, @price_minor, @vat_rate_bp, @barcode, @shortcut, @sort_order, @active, @now, @now)`,
  ),
  update: db.prepare(
    `UPDATE products SET name = @name, category = @category, price_minor = @price_minor, vat_rate_bp = @vat_rate_bp,
            barcode = @barcode, shortcut = @shortcut, sort_order = @sort_order, active = @active, updated_at = @now
     WHERE id = @id`,
  ),
  usedOnOrders: db.prepare<[string], { n: number }>(
    'SELECT count(*) AS n FROM order_lines WHERE product_id = ?',
  ),
  remove: db.prepare<[string]>('DELETE FROM products WHERE id = ?'),
  deactivate: db.prepare<[string, string]>(
    'UPDATE products SET active = 0, updated_at = ? WHERE id = ?',
  ),
  nextSort: db.prepare<[string], { n: number }>(
    'SELECT coalesce(max(sort_order), 0) + 10 AS n FROM products WHERE lower(category) = lower(?)',
  ),
}));

export function getProduct(db: Db, id: string): Product | null {
  const row = stmts(db).byId.get(id);
  return row ? toProduct(row) : null;
}

export function findProductByBarcode(db: Db, barcode: string): Product | null {
  const row = stmts(db).byBarcode.get(barcode);
  return row ? toProduct(row) : null;
}

export function findProductByNameCategory(db: Db, name: string, category: string): Product | null {
  const row = stmts(db).byNameCategory.get(name, category);
  return row ? toProduct(row) : null;
}

/** Active products answering to a shortcut key (case does not matter: F1 is f1). */
export function findProductsByShortcut(db: Db, shortcut: string): Product[] {
  return stmts(db).byShortcut.all(shortcut.trim()).map(toProduct);
}

export function listProducts(db: Db, query: CatalogueQuery = {}): Product[] {
  return stmts(db)
    .list.all({
      search: query.search ? query.search : null,
      category: query.category ?? null,
      all: query.includeInactive ? 1 : 0,
    })
    .map(toProduct);
}

export function countProducts(db: Db): number {
  return stmts(db).count.get()?.n ?? 0;
}

/** Creates (no id) or updates (id) a product; barcode and name-within-category stay unique. */
export function upsertProduct(db: Db, input: ProductInput): Product {
  return db.transaction((): Product => {
    const s = stmts(db);
    const existing = input.id ? getProduct(db, input.id) : null;
    if (input.id && !existing) throw new TillError('NOT_FOUND', 'That product no longer exists.');
    const barcode =
      input.barcode === undefined ? (existing?.barcode ?? null) : input.barcode || null;
    if (barcode) {
      const owner = findProductByBarcode(db, barcode);
      if (owner && owner.id !== existing?.id) {
        throw new TillError(
          'CONFLICT',
          `Barcode ${barcode} is already used by ${owner.name} (${owner.category}).`,
        );
      }
    }
    const twin = findProductByNameCategory(db, input.name, input.category);
    if (twin && twin.id !== existing?.id) {
      throw new TillError(
        'CONFLICT',
        `There is already a product called ${twin.name} in ${twin.category}.`,
      );
    }
    const shortcut =
      input.shortcut === undefined ? (existing?.shortcut ?? null) : input.shortcut || null;
    const active = input.active ?? existing?.active ?? true;
    // One key, one product: a second tile showing F1 would never be reached by F1.
    const keyOwner = shortcut
      ? findProductsByShortcut(db, shortcut).find((p) => p.id !== existing?.id)
      : undefined;
    if (keyOwner && active) {
      throw new TillError(
        'CONFLICT',
        `Shortcut ${shortcut} is already used by ${keyOwner.name} (${keyOwner.category}). Choose another key, or remove it from ${keyOwner.name} first.`,
      );
    }
    const id = existing?.id ?? randomUUID();
    const params = {
      id,
      name: input.name,
      category: input.category,
      price_minor: input.priceMinor,
      vat_rate_bp: input.vatRateBp,
      barcode,
      shortcut,
      sort_order: input.sortOrder ?? existing?.sortOrder ?? s.nextSort.get(input.category)?.n ?? 0,
      active: active ? 1 : 0,
      now: nowIso(),
    };
    if (existing) s.update.run(params);
    else s.insert.run(params);
    return getProduct(db, id) as Product;
  })();
}

/** A product on past orders cannot be deleted (the orders keep pointing at it): it is switched off. */
export function deleteProduct(
  db: Db,
  id: string,
): { id: string; outcome: 'deleted' | 'deactivated' } {
  return db.transaction(() => {
    const s = stmts(db);
    if (!s.byId.get(id)) throw new TillError('NOT_FOUND', 'That product no longer exists.');
    if ((s.usedOnOrders.get(id)?.n ?? 0) > 0) {
      s.deactivate.run(nowIso(), id);
      return { id, outcome: 'deactivated' as const };
    }
    s.remove.run(id);
    return { id, outcome: 'deleted' as const };
  })();
}
