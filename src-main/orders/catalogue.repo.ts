import { randomUUID } from 'node:crypto';
import type { Db } from '../db/connection';
import { nowIso } from '../db/connection';
import { TillError } from '../../src-shared/errors';
import {
  modifierGroupProblem,
  vatRateLabel,
  type CatalogueQuery,
  type Modifier,
  type ModifierGroup,
  type ModifierGroupInput,
  type Product,
  type ProductInput,
  type ProductVariant,
  type SoldBy,
  type VatRate,
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
  eat_in_vat_rate_bp: number | null;
  sold_by: string;
  plu: string | null;
  sku: string | null;
};

type VariantRow = {
  id: string;
  product_id: string;
  name: string;
  price_minor: number;
  barcode: string | null;
  sku: string | null;
  active: number;
};
type GroupRow = {
  id: string;
  name: string;
  min_choices: number;
  max_choices: number;
};
type ModifierRow = {
  id: string;
  group_id: string;
  name: string;
  price_minor: number;
  vat_rate_bp: number | null;
  active: number;
};

const toVariant = (r: VariantRow): ProductVariant => ({
  id: r.id,
  name: r.name,
  priceMinor: r.price_minor,
  barcode: r.barcode,
  sku: r.sku,
  active: r.active === 1,
});

/** A product row with its variants and modifier groups (read from the database). */
function toProduct(db: Db, row: ProductRow): Product {
  const s = stmts(db);
  return {
    ...toPlainProduct(row),
    variants: s.variantsOf.all(row.id).map(toVariant),
    modifierGroups: s.groupsOf
      .all(row.id)
      .map((g) => toGroup(db, g))
      .filter((g) => g.modifiers.length > 0),
  };
}

function toGroup(db: Db, g: GroupRow): ModifierGroup {
  return {
    id: g.id,
    name: g.name,
    minChoices: g.min_choices,
    maxChoices: g.max_choices,
    modifiers: stmts(db)
      .modifiersOf.all(g.id)
      .map((m): Modifier => ({
        id: m.id,
        name: m.name,
        priceMinor: m.price_minor,
        vatRateBp: m.vat_rate_bp,
        active: m.active === 1,
      })),
  };
}

function toPlainProduct(row: ProductRow): Omit<Product, 'variants' | 'modifierGroups'> {
  return {
    id: row.id,
    name: row.name,
    category: row.category,
    priceMinor: row.price_minor,
    vatRateBp: row.vat_rate_bp,
    barcode: row.barcode,
    shortcut: row.shortcut,
    sortOrder: row.sort_order,
    active: row.active === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    eatInVatRateBp: row.eat_in_vat_rate_bp,
    soldBy: row.sold_by as SoldBy,
    plu: row.plu,
    sku: row.sku,
  };
}

const COLUMNS =
  'id, name, category, price_minor, vat_rate_bp, barcode, shortcut, sort_order, active, created_at, updated_at, eat_in_vat_rate_bp, sold_by, plu, sku';
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
    `INSERT INTO products (id, name, category, price_minor, vat_rate_bp, barcode, shortcut, sort_order, active, created_at, updated_at,
                           eat_in_vat_rate_bp, sold_by, plu, sku)
     VALUES (@id, @name, @category, @price_minor, @vat_rate_bp, @barcode, @shortcut, @sort_order, @active, @now, @now,
             @eat_in_vat_rate_bp, @sold_by, @plu, @sku)`,
  ),
  update: db.prepare(
    `UPDATE products SET name = @name, category = @category, price_minor = @price_minor, vat_rate_bp = @vat_rate_bp,
            barcode = @barcode, shortcut = @shortcut, sort_order = @sort_order, active = @active, updated_at = @now,
            eat_in_vat_rate_bp = @eat_in_vat_rate_bp, sold_by = @sold_by, plu = @plu, sku = @sku
     WHERE id = @id`,
  ),
  byPlu: db.prepare<[string], ProductRow>(`SELECT ${COLUMNS} FROM products WHERE plu = ?`),
  variantsOf: db.prepare<[string], VariantRow>(
    'SELECT id, product_id, name, price_minor, barcode, sku, active FROM product_variants WHERE product_id = ? AND active = 1 ORDER BY position, name',
  ),
  allActiveVariants: db.prepare<[], VariantRow>(
    'SELECT id, product_id, name, price_minor, barcode, sku, active FROM product_variants WHERE active = 1 ORDER BY product_id, position, name',
  ),
  allGroupLinks: db.prepare<[], { product_id: string; group_id: string }>(
    'SELECT product_id, group_id FROM product_modifier_groups ORDER BY product_id, position',
  ),
  allVariantsOf: db.prepare<[string], VariantRow>(
    'SELECT id, product_id, name, price_minor, barcode, sku, active FROM product_variants WHERE product_id = ?',
  ),
  variantByBarcode: db.prepare<[string], VariantRow>(
    'SELECT id, product_id, name, price_minor, barcode, sku, active FROM product_variants WHERE barcode = ?',
  ),
  variantById: db.prepare<[string], VariantRow>(
    'SELECT id, product_id, name, price_minor, barcode, sku, active FROM product_variants WHERE id = ?',
  ),
  insertVariant: db.prepare(
    `INSERT INTO product_variants (id, product_id, name, price_minor, barcode, sku, position, active)
     VALUES (@id, @productId, @name, @price, @barcode, @sku, @position, 1)`,
  ),
  updateVariant: db.prepare(
    `UPDATE product_variants SET name = @name, price_minor = @price, barcode = @barcode, sku = @sku, position = @position, active = 1
     WHERE id = @id AND product_id = @productId`,
  ),
  variantUsed: db.prepare<[string], { n: number }>(
    'SELECT count(*) AS n FROM order_lines WHERE variant_id = ?',
  ),
  deleteVariant: db.prepare<[string]>('DELETE FROM product_variants WHERE id = ?'),
  retireVariant: db.prepare<[string]>(
    'UPDATE product_variants SET active = 0, barcode = NULL WHERE id = ?',
  ),
  groupsOf: db.prepare<[string], GroupRow>(
    `SELECT g.id, g.name, g.min_choices, g.max_choices FROM product_modifier_groups pg
     JOIN modifier_groups g ON g.id = pg.group_id WHERE pg.product_id = ? ORDER BY pg.position`,
  ),
  setGroupsDelete: db.prepare<[string]>('DELETE FROM product_modifier_groups WHERE product_id = ?'),
  setGroupsInsert: db.prepare<[string, string, number]>(
    'INSERT INTO product_modifier_groups (product_id, group_id, position) VALUES (?, ?, ?)',
  ),
  allGroups: db.prepare<[], GroupRow>(
    'SELECT id, name, min_choices, max_choices FROM modifier_groups ORDER BY name COLLATE NOCASE',
  ),
  groupById: db.prepare<[string], GroupRow>(
    'SELECT id, name, min_choices, max_choices FROM modifier_groups WHERE id = ?',
  ),
  groupByName: db.prepare<[string], GroupRow>(
    'SELECT id, name, min_choices, max_choices FROM modifier_groups WHERE name = ? COLLATE NOCASE',
  ),
  insertGroup: db.prepare(
    `INSERT INTO modifier_groups (id, name, min_choices, max_choices, created_at, updated_at)
     VALUES (@id, @name, @min, @max, @now, @now)`,
  ),
  updateGroup: db.prepare(
    'UPDATE modifier_groups SET name = @name, min_choices = @min, max_choices = @max, updated_at = @now WHERE id = @id',
  ),
  modifiersOf: db.prepare<[string], ModifierRow>(
    'SELECT id, group_id, name, price_minor, vat_rate_bp, active FROM modifiers WHERE group_id = ? AND active = 1 ORDER BY position, name',
  ),
  allActiveModifiers: db.prepare<[], ModifierRow>(
    'SELECT id, group_id, name, price_minor, vat_rate_bp, active FROM modifiers WHERE active = 1 ORDER BY group_id, position, name',
  ),
  allModifiersOf: db.prepare<[string], ModifierRow>(
    'SELECT id, group_id, name, price_minor, vat_rate_bp, active FROM modifiers WHERE group_id = ?',
  ),
  modifierById: db.prepare<[string], ModifierRow>(
    'SELECT id, group_id, name, price_minor, vat_rate_bp, active FROM modifiers WHERE id = ?',
  ),
  insertModifier: db.prepare(
    `INSERT INTO modifiers (id, group_id, name, price_minor, vat_rate_bp, position, active)
     VALUES (@id, @groupId, @name, @price, @vat, @position, 1)`,
  ),
  updateModifier: db.prepare(
    `UPDATE modifiers SET name = @name, price_minor = @price, vat_rate_bp = @vat, position = @position, active = 1
     WHERE id = @id AND group_id = @groupId`,
  ),
  retireModifier: db.prepare<[string]>('UPDATE modifiers SET active = 0 WHERE id = ?'),
  variantsForShop: db.prepare<[string], VariantRow & { position: number }>(
    'SELECT id, product_id, name, price_minor, barcode, sku, active, position FROM product_variants WHERE product_id = ? ORDER BY position, name',
  ),
  modifiersForShop: db.prepare<[string], ModifierRow & { position: number }>(
    'SELECT id, group_id, name, price_minor, vat_rate_bp, active, position FROM modifiers WHERE group_id = ? ORDER BY position, name',
  ),
  linksForShop: db.prepare<[string], { group_id: string }>(
    'SELECT group_id FROM product_modifier_groups WHERE product_id = ? ORDER BY position',
  ),
  vatRates: db.prepare<[], { rate_bp: number; name: string }>(
    'SELECT rate_bp, name FROM vat_rates ORDER BY position, rate_bp DESC',
  ),
  vatRateUse: db.prepare<{ bp: number }, { n: number }>(
    `SELECT (SELECT count(*) FROM products WHERE active = 1 AND (vat_rate_bp = :bp OR eat_in_vat_rate_bp = :bp))
          + (SELECT count(*) FROM modifiers WHERE active = 1 AND vat_rate_bp = :bp) AS n`,
  ),
  deleteVatRates: db.prepare('DELETE FROM vat_rates'),
  insertVatRate: db.prepare<[number, string, number]>(
    'INSERT INTO vat_rates (rate_bp, name, position) VALUES (?, ?, ?)',
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
  return row ? toProduct(db, row) : null;
}

export function findProductByBarcode(db: Db, barcode: string): Product | null {
  const row = stmts(db).byBarcode.get(barcode);
  return row ? toProduct(db, row) : null;
}

/** The product and the variant a barcode names: a product's own code, or one of its variants'. */
export function findByBarcode(
  db: Db,
  barcode: string,
): { product: Product; variant: ProductVariant | null } | null {
  const product = findProductByBarcode(db, barcode);
  if (product) return { product, variant: null };
  const v = stmts(db).variantByBarcode.get(barcode);
  if (!v) return null;
  const owner = getProduct(db, v.product_id);
  return owner ? { product: owner, variant: toVariant(v) } : null;
}

export function findProductByPlu(db: Db, plu: string): Product | null {
  const row = stmts(db).byPlu.get(plu);
  return row ? toProduct(db, row) : null;
}

export function getVariant(db: Db, id: string): (ProductVariant & { productId: string }) | null {
  const v = stmts(db).variantById.get(id);
  return v ? { ...toVariant(v), productId: v.product_id } : null;
}

/** Every variant of a product, switched-off ones too, with its place: what the shop is sent. */
export function variantsForShop(
  db: Db,
  productId: string,
): (ProductVariant & { position: number })[] {
  return stmts(db)
    .variantsForShop.all(productId)
    .map((v) => ({ ...toVariant(v), position: v.position }));
}

/** The ids of the groups a product offers, in order (groups with no choices left included). */
export function groupIdsForShop(db: Db, productId: string): string[] {
  return stmts(db)
    .linksForShop.all(productId)
    .map((l) => l.group_id);
}

/** Every choice of a group, switched-off ones too, with its place: what the shop is sent. */
export function modifiersForShop(db: Db, groupId: string): (Modifier & { position: number })[] {
  return stmts(db)
    .modifiersForShop.all(groupId)
    .map((m) => ({
      id: m.id,
      name: m.name,
      priceMinor: m.price_minor,
      vatRateBp: m.vat_rate_bp,
      active: m.active === 1,
      position: m.position,
    }));
}

export function getModifierGroup(db: Db, id: string): ModifierGroup | null {
  const g = stmts(db).groupById.get(id);
  return g ? toGroup(db, g) : null;
}

export function findProductByNameCategory(db: Db, name: string, category: string): Product | null {
  const row = stmts(db).byNameCategory.get(name, category);
  return row ? toProduct(db, row) : null;
}

/** Active products answering to a shortcut key (case does not matter: F1 is f1). */
export function findProductsByShortcut(db: Db, shortcut: string): Product[] {
  return stmts(db)
    .byShortcut.all(shortcut.trim())
    .map((r) => toProduct(db, r));
}

/**
 * The catalogue with every product's variants and groups, read in four queries whatever its size
 * (not two or three per product): the Sell screen loads it on every catalogue change.
 */
export function listProducts(db: Db, query: CatalogueQuery = {}): Product[] {
  const s = stmts(db);
  const rows = s.list.all({
    search: query.search ? query.search : null,
    category: query.category ?? null,
    all: query.includeInactive ? 1 : 0,
  });
  const variants = new Map<string, ProductVariant[]>();
  for (const v of s.allActiveVariants.all()) {
    const list = variants.get(v.product_id) ?? [];
    list.push(toVariant(v));
    variants.set(v.product_id, list);
  }
  const groups = new Map(listModifierGroups(db).map((g) => [g.id, g]));
  const links = new Map<string, ModifierGroup[]>();
  for (const l of s.allGroupLinks.all()) {
    const g = groups.get(l.group_id);
    if (!g || g.modifiers.length === 0) continue;
    const list = links.get(l.product_id) ?? [];
    list.push(g);
    links.set(l.product_id, list);
  }
  return rows.map((r) => ({
    ...toPlainProduct(r),
    variants: variants.get(r.id) ?? [],
    modifierGroups: links.get(r.id) ?? [],
  }));
}

// ---------------------------------------------------------------- VAT rates

export function listVatRates(db: Db): VatRate[] {
  return stmts(db)
    .vatRates.all()
    .map((r) => ({ rateBp: r.rate_bp, name: r.name }));
}

/** Refuses, in plain words, a rate the shop does not have. `what` names the thing being saved. */
export function requireVatRate(db: Db, rateBp: number, what: string): void {
  const rates = listVatRates(db);
  if (rates.some((r) => r.rateBp === rateBp)) return;
  throw new TillError(
    'VALIDATION',
    `${what}: VAT ${rateBp / 100} % is not one of this shop's VAT rates (${rates
      .map((r) => vatRateLabel(r.rateBp, rates))
      .join(', ')}). Add it in Settings, VAT rates, first.`,
  );
}

/** Replaces the shop's VAT rates; a rate still used by an active product or modifier stays. */
export function setVatRates(db: Db, rates: readonly VatRate[]): VatRate[] {
  return db.transaction(() => {
    const s = stmts(db);
    const old = listVatRates(db);
    for (const r of old) {
      if (rates.some((n) => n.rateBp === r.rateBp)) continue;
      const n = s.vatRateUse.get({ bp: r.rateBp })?.n ?? 0;
      if (n > 0)
        throw new TillError(
          'CONFLICT',
          `${vatRateLabel(r.rateBp, old)} is still used by ${n} product${n === 1 ? '' : 's'} or modifier${n === 1 ? '' : 's'}: move them to another rate first.`,
        );
    }
    s.deleteVatRates.run();
    rates.forEach((r, i) => s.insertVatRate.run(r.rateBp, r.name, i + 1));
    return listVatRates(db);
  })();
}

// ---------------------------------------------------------------- modifier groups

export function listModifierGroups(db: Db): ModifierGroup[] {
  const s = stmts(db);
  const mods = new Map<string, Modifier[]>();
  for (const m of s.allActiveModifiers.all()) {
    const list = mods.get(m.group_id) ?? [];
    list.push({
      id: m.id,
      name: m.name,
      priceMinor: m.price_minor,
      vatRateBp: m.vat_rate_bp,
      active: true,
    });
    mods.set(m.group_id, list);
  }
  return s.allGroups.all().map((g) => ({
    id: g.id,
    name: g.name,
    minChoices: g.min_choices,
    maxChoices: g.max_choices,
    modifiers: mods.get(g.id) ?? [],
  }));
}

export function getModifier(db: Db, id: string): (Modifier & { groupId: string }) | null {
  const m = stmts(db).modifierById.get(id);
  return m
    ? {
        id: m.id,
        name: m.name,
        priceMinor: m.price_minor,
        vatRateBp: m.vat_rate_bp,
        active: m.active === 1,
        groupId: m.group_id,
      }
    : null;
}

export function findModifierGroupByName(db: Db, name: string): ModifierGroup | null {
  const g = stmts(db).groupByName.get(name);
  return g ? toGroup(db, g) : null;
}

/**
 * Creates or updates a modifier group with its whole list of choices. Choices left out are
 * switched off (past orders keep their names); min > max and unknown VAT rates are refused.
 */
export function upsertModifierGroup(db: Db, input: ModifierGroupInput): ModifierGroup {
  return db.transaction((): ModifierGroup => {
    const s = stmts(db);
    const problem = modifierGroupProblem(input);
    if (problem) throw new TillError('VALIDATION', problem);
    const existing = input.id ? s.groupById.get(input.id) : undefined;
    if (input.id && !existing)
      throw new TillError('NOT_FOUND', 'That modifier group no longer exists.');
    const twin = s.groupByName.get(input.name);
    if (twin && twin.id !== existing?.id)
      throw new TillError('CONFLICT', `There is already a modifier group called ${twin.name}.`);
    const names = new Set<string>();
    for (const m of input.modifiers) {
      if (names.has(m.name.toLowerCase()))
        throw new TillError('VALIDATION', `${input.name}: the choice ${m.name} is listed twice.`);
      names.add(m.name.toLowerCase());
      if (m.vatRateBp !== null && m.vatRateBp !== undefined)
        requireVatRate(db, m.vatRateBp, `${input.name}, ${m.name}`);
    }
    const id = existing?.id ?? randomUUID();
    const now = nowIso();
    const params = { id, name: input.name, min: input.minChoices, max: input.maxChoices, now };
    if (existing) s.updateGroup.run(params);
    else s.insertGroup.run(params);
    const old = s.allModifiersOf.all(id);
    const kept = new Set<string>();
    input.modifiers.forEach((m, i) => {
      const mine = m.id ? old.find((o) => o.id === m.id) : undefined;
      if (m.id && !mine)
        throw new TillError('NOT_FOUND', `${input.name}: the choice ${m.name} no longer exists.`);
      const row = {
        id: mine?.id ?? randomUUID(),
        groupId: id,
        name: m.name,
        price: m.priceMinor,
        vat: m.vatRateBp ?? null,
        position: i + 1,
      };
      if (mine) s.updateModifier.run(row);
      else s.insertModifier.run(row);
      kept.add(row.id);
    });
    for (const o of old) if (!kept.has(o.id)) s.retireModifier.run(o.id);
    return toGroup(db, s.groupById.get(id) as GroupRow);
  })();
}

/** The product or variant already holding a barcode, in words; null when free (or `self`'s). */
function barcodeOwner(
  db: Db,
  barcode: string,
  self: { productId?: string | undefined; variantId?: string | undefined },
): string | null {
  const s = stmts(db);
  const p = s.byBarcode.get(barcode);
  if (p && p.id !== self.productId) return `${p.name} (${p.category})`;
  const v = s.variantByBarcode.get(barcode);
  if (v && v.id !== self.variantId) {
    const owner = s.byId.get(v.product_id);
    return `${owner?.name ?? 'another product'}, ${v.name}`;
  }
  return null;
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
      const owner = barcodeOwner(db, barcode, { productId: existing?.id });
      if (owner) throw new TillError('CONFLICT', `Barcode ${barcode} is already used by ${owner}.`);
    }
    requireVatRate(db, input.vatRateBp, input.name);
    const eatIn =
      input.eatInVatRateBp === undefined
        ? (existing?.eatInVatRateBp ?? null)
        : input.eatInVatRateBp;
    if (eatIn !== null) requireVatRate(db, eatIn, `${input.name} (eaten in)`);
    const soldBy = input.soldBy ?? existing?.soldBy ?? 'unit';
    const plu = input.plu === undefined ? (existing?.plu ?? null) : input.plu || null;
    if (plu) {
      const pluOwner = s.byPlu.get(plu);
      if (pluOwner && pluOwner.id !== existing?.id)
        throw new TillError(
          'CONFLICT',
          `Scale item code ${plu} is already used by ${pluOwner.name} (${pluOwner.category}).`,
        );
    }
    const sku = input.sku === undefined ? (existing?.sku ?? null) : input.sku || null;
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
      eat_in_vat_rate_bp: eatIn,
      sold_by: soldBy,
      plu,
      sku,
    };
    if (existing) s.update.run(params);
    else s.insert.run(params);
    if (input.variants) saveVariants(db, id, input.name, input.variants);
    if (soldBy === 'weight' && (getProduct(db, id)?.variants.length ?? 0) > 0)
      throw new TillError(
        'VALIDATION',
        `${input.name} is sold by weight: it cannot have variants (make each a product of its own).`,
      );
    if (input.modifierGroupIds) {
      const ids = input.modifierGroupIds;
      if (new Set(ids).size !== ids.length)
        throw new TillError('VALIDATION', `${input.name}: a modifier group is listed twice.`);
      s.setGroupsDelete.run(id);
      ids.forEach((g, i) => {
        if (!s.groupById.get(g))
          throw new TillError(
            'NOT_FOUND',
            'A modifier group chosen for this product no longer exists.',
          );
        s.setGroupsInsert.run(id, g, i + 1);
      });
    }
    return getProduct(db, id) as Product;
  })();
}

/** Variants in the list are created or updated; variants left out go (or are switched off when sold). */
function saveVariants(
  db: Db,
  productId: string,
  productName: string,
  variants: NonNullable<ProductInput['variants']>,
): void {
  const s = stmts(db);
  const old = s.allVariantsOf.all(productId);
  const names = new Set<string>();
  const kept = new Set<string>();
  variants.forEach((v, i) => {
    if (names.has(v.name.toLowerCase()))
      throw new TillError('VALIDATION', `${productName}: the variant ${v.name} is listed twice.`);
    names.add(v.name.toLowerCase());
    const mine = v.id ? old.find((o) => o.id === v.id) : undefined;
    if (v.id && !mine)
      throw new TillError('NOT_FOUND', `${productName}: the variant ${v.name} no longer exists.`);
    const id = mine?.id ?? randomUUID();
    const barcode = v.barcode || null;
    if (barcode) {
      const owner = barcodeOwner(db, barcode, { variantId: id });
      if (owner)
        throw new TillError(
          'CONFLICT',
          `${productName}, ${v.name}: barcode ${barcode} is already used by ${owner}.`,
        );
    }
    const row = {
      id,
      productId,
      name: v.name,
      price: v.priceMinor,
      barcode,
      sku: v.sku || null,
      position: i + 1,
    };
    if (mine) s.updateVariant.run(row);
    else s.insertVariant.run(row);
    kept.add(id);
  });
  for (const o of old) {
    if (kept.has(o.id)) continue;
    if ((s.variantUsed.get(o.id)?.n ?? 0) > 0) s.retireVariant.run(o.id);
    else s.deleteVariant.run(o.id);
  }
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
