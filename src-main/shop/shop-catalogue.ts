import type pg from 'pg';
import {
  modifierGroupObjectSchema,
  modifierInputSchema,
  productInputSchema,
  variantInputSchema,
  vatRatesObjectSchema,
} from '../../src-shared/domain/catalogue';
import type { VatRate } from '../../src-shared/domain/catalogue';
import type { Db } from '../db/connection';
import type { SharedModifierGroup, SharedProduct, SharedVariant } from '../orders/shared-catalogue';
import { asShopManager } from './shop-edits';

/**
 * The shop's whole catalogue, down (issue 14 item 4, shop schema 3): products with every field
 * the till's own rows have (eat-in VAT, sold by weight, PLU, SKU), their variants, modifier
 * groups and their choices, which groups a product offers, and the shop's VAT rate list.
 *
 * A pull reads every table after the till's cursor in one snapshot and applies it to SQLite in
 * one transaction, in the order the rows depend on each other (VAT rates, groups, choices,
 * products, variants, links, then rates taken off the list), so a new rate and the product that
 * uses it arrive together. Each row is checked by the till's own rules; one that fails is
 * refused by name (and so is what hangs on it: the variants of a refused product) and the rest
 * apply. The shop never deletes a shared row: a variant, a choice, a link or a VAT rate taken
 * away comes down switched off.
 */
export type ShopProductRow = {
  id: string;
  name: string;
  category: string;
  price_minor: string;
  vat_rate_bp: number;
  barcode: string | null;
  shortcut: string | null;
  sort_order: number;
  active: boolean;
  updated_at: Date;
  version: string;
  /** Shop schema 3; absent when a row is handed over by an older caller (then: unchanged here). */
  eat_in_vat_rate_bp?: number | null;
  sold_by?: string;
  plu?: string | null;
  sku?: string | null;
};

export type ShopVatRateRow = {
  rate_bp: number;
  name: string;
  position: number;
  active: boolean;
  version: string;
};
export type ShopGroupRow = {
  id: string;
  name: string;
  min_choices: number;
  max_choices: number;
  version: string;
};
export type ShopModifierRow = {
  id: string;
  group_id: string;
  name: string;
  price_minor: string;
  vat_rate_bp: number | null;
  position: number;
  active: boolean;
  version: string;
};
export type ShopVariantRow = {
  id: string;
  product_id: string;
  name: string;
  price_minor: string;
  barcode: string | null;
  sku: string | null;
  position: number;
  active: boolean;
  version: string;
};
export type ShopLinkRow = {
  product_id: string;
  group_id: string;
  position: number;
  active: boolean;
  version: string;
};

export type CatalogueRows = {
  vatRates?: ShopVatRateRow[];
  groups?: ShopGroupRow[];
  modifiers?: ShopModifierRow[];
  products?: ShopProductRow[];
  variants?: ShopVariantRow[];
  links?: ShopLinkRow[];
};

export type Refusal = { id: string; reason: string };
export type CatalogueApplied = { applied: number; refused: Refusal[]; seen: string[] };

const PRODUCT_COLUMNS =
  'id, name, category, price_minor, vat_rate_bp, barcode, shortcut, sort_order, active, updated_at, version, eat_in_vat_rate_bp, sold_by, plu, sku';
const VAT_COLUMNS = 'rate_bp, name, position, active, version';
const GROUP_COLUMNS = 'id, name, min_choices, max_choices, version';
const MODIFIER_COLUMNS = 'id, group_id, name, price_minor, vat_rate_bp, position, active, version';
const VARIANT_COLUMNS =
  'id, product_id, name, price_minor, barcode, sku, position, active, version';
const LINK_COLUMNS = 'product_id, group_id, position, active, version';

/** Ids in the refused list: products keep their bare id, the rest say what they are. */
const key = {
  vatRate: (bp: number) => `vat-rate:${bp}`,
  group: (id: string) => `modifier-group:${id}`,
  modifier: (id: string) => `modifier:${id}`,
  variant: (id: string) => `variant:${id}`,
  link: (productId: string, groupId: string) => `modifier-link:${productId}:${groupId}`,
};

const pct = (bp: number) => `${bp / 100} %`;
const firstIssue = (error: { issues: readonly { message: string }[] }) =>
  error.issues[0]?.message ?? 'not valid';

/** Checks and applies the shop's rows in one SQLite transaction (see the module comment). */
export function applyShopCatalogue(db: Db, rows: CatalogueRows): CatalogueApplied {
  const refused: Refusal[] = [];
  const seen: string[] = [];
  let applied = 0;
  const one = <T>(sql: string) => db.prepare<unknown[], T>(sql);
  const rateKnown = one<{ n: number }>('SELECT count(*) AS n FROM vat_rates WHERE rate_bp = ?');
  const hasRate = (bp: number) => (rateKnown.get(bp)?.n ?? 0) > 0;
  const productName = one<{ name: string; sold_by: string }>(
    'SELECT name, sold_by FROM products WHERE id = ?',
  );
  const groupName = one<{ name: string }>('SELECT name FROM modifier_groups WHERE id = ?');

  db.transaction(() => {
    // 1. VAT rates on the list (those taken off it go last, once products have moved).
    const rateName = one<{ rate_bp: number }>(
      'SELECT rate_bp FROM vat_rates WHERE name = ? COLLATE NOCASE AND rate_bp <> ?',
    );
    const putRate = db.prepare(
      `INSERT INTO vat_rates (rate_bp, name, position) VALUES (@bp, @name, @position)
       ON CONFLICT (rate_bp) DO UPDATE SET name = excluded.name, position = excluded.position`,
    );
    const rateSchema = vatRatesObjectSchema.shape.rates.element;
    for (const r of rows.vatRates ?? []) {
      if (!r.active) continue;
      seen.push(key.vatRate(r.rate_bp));
      const parsed = rateSchema.safeParse({ rateBp: r.rate_bp, name: r.name });
      if (!parsed.success) {
        refused.push({
          id: key.vatRate(r.rate_bp),
          reason: `VAT rate ${pct(r.rate_bp)}: ${firstIssue(parsed.error)}`,
        });
        continue;
      }
      if (rateName.get(parsed.data.name, r.rate_bp)) {
        refused.push({
          id: key.vatRate(r.rate_bp),
          reason: `VAT rate ${pct(r.rate_bp)}: this till already has another rate called ${parsed.data.name}`,
        });
        continue;
      }
      putRate.run({ bp: r.rate_bp, name: parsed.data.name, position: r.position });
      applied += 1;
    }

    // 2. Modifier groups.
    const groupSchema = modifierGroupObjectSchema.pick({
      name: true,
      minChoices: true,
      maxChoices: true,
    });
    const groupTwin = one<{ id: string }>(
      'SELECT id FROM modifier_groups WHERE name = ? COLLATE NOCASE AND id <> ?',
    );
    const putGroup = db.prepare(
      `INSERT INTO modifier_groups (id, name, min_choices, max_choices, created_at, updated_at)
       VALUES (@id, @name, @min, @max, @now, @now)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, min_choices = excluded.min_choices,
         max_choices = excluded.max_choices, updated_at = excluded.updated_at`,
    );
    const now = new Date().toISOString();
    for (const g of rows.groups ?? []) {
      seen.push(key.group(g.id));
      const parsed = groupSchema.safeParse({
        name: g.name,
        minChoices: g.min_choices,
        maxChoices: g.max_choices,
      });
      const problem = !parsed.success
        ? firstIssue(parsed.error)
        : parsed.data.minChoices > parsed.data.maxChoices
          ? `the minimum number of choices (${parsed.data.minChoices}) is more than the maximum (${parsed.data.maxChoices})`
          : groupTwin.get(parsed.data.name, g.id)
            ? 'this till already has another modifier group of that name'
            : null;
      if (problem || !parsed.success) {
        refused.push({ id: key.group(g.id), reason: `Modifier group ${g.name}: ${problem}` });
        continue;
      }
      putGroup.run({
        id: g.id,
        name: parsed.data.name,
        min: parsed.data.minChoices,
        max: parsed.data.maxChoices,
        now,
      });
      applied += 1;
    }

    // 3. The choices of each group.
    const modifierSchema = modifierInputSchema.omit({ id: true });
    const putModifier = db.prepare(
      `INSERT INTO modifiers (id, group_id, name, price_minor, vat_rate_bp, position, active)
       VALUES (@id, @group, @name, @price, @vat, @position, @active)
       ON CONFLICT (id) DO UPDATE SET group_id = excluded.group_id, name = excluded.name,
         price_minor = excluded.price_minor, vat_rate_bp = excluded.vat_rate_bp,
         position = excluded.position, active = excluded.active`,
    );
    for (const m of rows.modifiers ?? []) {
      seen.push(key.modifier(m.id));
      const parsed = modifierSchema.safeParse({
        name: m.name,
        priceMinor: Number(m.price_minor),
        vatRateBp: m.vat_rate_bp,
      });
      const group = groupName.get(m.group_id);
      const problem = !parsed.success
        ? firstIssue(parsed.error)
        : !group
          ? 'its modifier group is not on this till'
          : m.active && m.vat_rate_bp !== null && !hasRate(m.vat_rate_bp)
            ? `VAT ${pct(m.vat_rate_bp)} is not one of this till's VAT rates`
            : null;
      if (problem || !parsed.success) {
        refused.push({
          id: key.modifier(m.id),
          reason: `Modifier ${group ? `${group.name}, ` : ''}${m.name}: ${problem}`,
        });
        continue;
      }
      putModifier.run({
        id: m.id,
        group: m.group_id,
        name: parsed.data.name,
        price: parsed.data.priceMinor,
        vat: parsed.data.vatRateBp ?? null,
        position: m.position,
        active: m.active ? 1 : 0,
      });
      applied += 1;
    }

    // 4. Products.
    const barcodeClash = one<{ name: string }>(
      `SELECT name FROM products WHERE barcode = @code AND id <> @id
       UNION ALL SELECT name FROM product_variants WHERE barcode = @code AND id <> @variant LIMIT 1`,
    );
    const twin = one<{ name: string }>(
      'SELECT name FROM products WHERE lower(name) = lower(?) AND lower(category) = lower(?) AND id <> ?',
    );
    const pluClash = one<{ name: string }>('SELECT name FROM products WHERE plu = ? AND id <> ?');
    const putProduct = db.prepare(
      `INSERT INTO products (id, name, category, price_minor, vat_rate_bp, barcode, shortcut, sort_order, active, created_at, updated_at,
                             eat_in_vat_rate_bp, sold_by, plu, sku)
       VALUES (@id, @name, @category, @price_minor, @vat_rate_bp, @barcode, @shortcut, @sort_order, @active, @now, @now,
               @eat_in, coalesce(@sold_by, 'unit'), @plu, @sku)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, category = excluded.category,
         price_minor = excluded.price_minor, vat_rate_bp = excluded.vat_rate_bp, barcode = excluded.barcode,
         shortcut = excluded.shortcut, sort_order = excluded.sort_order, active = excluded.active,
         updated_at = excluded.updated_at,
         eat_in_vat_rate_bp = CASE WHEN @full = 1 THEN excluded.eat_in_vat_rate_bp ELSE products.eat_in_vat_rate_bp END,
         sold_by = CASE WHEN @full = 1 THEN excluded.sold_by ELSE products.sold_by END,
         plu = CASE WHEN @full = 1 THEN excluded.plu ELSE products.plu END,
         sku = CASE WHEN @full = 1 THEN excluded.sku ELSE products.sku END`,
    );
    for (const row of rows.products ?? []) {
      seen.push(row.id);
      const full = row.sold_by !== undefined;
      const parsed = productInputSchema.safeParse({
        id: row.id,
        name: row.name,
        category: row.category,
        priceMinor: Number(row.price_minor),
        vatRateBp: row.vat_rate_bp,
        barcode: row.barcode,
        shortcut: row.shortcut,
        sortOrder: row.sort_order,
        active: row.active,
        ...(full
          ? {
              eatInVatRateBp: row.eat_in_vat_rate_bp ?? null,
              soldBy: row.sold_by,
              plu: row.plu ?? null,
              sku: row.sku ?? null,
            }
          : {}),
      });
      if (!parsed.success) {
        refused.push({ id: row.id, reason: firstIssue(parsed.error) });
        continue;
      }
      const p = parsed.data;
      // The till's own VAT rate list is the rule (docs/CATALOGUE.md).
      const unknownRate = [p.vatRateBp, p.eatInVatRateBp ?? null].find(
        (bp) => bp !== null && !hasRate(bp),
      );
      const clash = p.barcode
        ? barcodeClash.get({ code: p.barcode, id: row.id, variant: '' })
        : undefined;
      const sameName = twin.get(p.name, p.category, row.id);
      const pluOwner = p.plu ? pluClash.get(p.plu, row.id) : undefined;
      const problem =
        unknownRate !== undefined && unknownRate !== null
          ? `VAT ${pct(unknownRate)} is not one of this till's VAT rates`
          : clash
            ? `barcode ${p.barcode} is already ${clash.name}`
            : sameName
              ? `another ${sameName.name} is already in ${p.category}`
              : pluOwner
                ? `scale item code ${p.plu} is already ${pluOwner.name}`
                : null;
      if (problem) {
        refused.push({ id: row.id, reason: full ? `${p.name}: ${problem}` : problem });
        continue;
      }
      putProduct.run({
        id: row.id,
        name: p.name,
        category: p.category,
        price_minor: p.priceMinor,
        vat_rate_bp: p.vatRateBp,
        barcode: p.barcode ?? null,
        shortcut: p.shortcut ?? null,
        sort_order: p.sortOrder ?? 0,
        active: p.active === false ? 0 : 1,
        now: row.updated_at.toISOString(),
        full: full ? 1 : 0,
        eat_in: p.eatInVatRateBp ?? null,
        sold_by: p.soldBy ?? null,
        plu: p.plu ?? null,
        sku: p.sku ?? null,
      });
      applied += 1;
    }

    // 5. Variants (a variant taken away loses its barcode, as on the till itself).
    const variantSchema = variantInputSchema.omit({ id: true });
    const putVariant = db.prepare(
      `INSERT INTO product_variants (id, product_id, name, price_minor, barcode, sku, position, active)
       VALUES (@id, @product, @name, @price, @barcode, @sku, @position, @active)
       ON CONFLICT (id) DO UPDATE SET product_id = excluded.product_id, name = excluded.name,
         price_minor = excluded.price_minor, barcode = excluded.barcode, sku = excluded.sku,
         position = excluded.position, active = excluded.active`,
    );
    for (const v of rows.variants ?? []) {
      seen.push(key.variant(v.id));
      const parsed = variantSchema.safeParse({
        name: v.name,
        priceMinor: Number(v.price_minor),
        barcode: v.active ? v.barcode : null,
        sku: v.sku,
      });
      const product = productName.get(v.product_id);
      const barcode = parsed.success && v.active ? (parsed.data.barcode ?? null) : null;
      const clash = barcode
        ? barcodeClash.get({ code: barcode, id: '', variant: v.id })
        : undefined;
      const problem = !parsed.success
        ? firstIssue(parsed.error)
        : !product
          ? 'its product is not on this till'
          : v.active && product.sold_by === 'weight'
            ? `${product.name} is sold by weight and cannot have variants`
            : clash
              ? `barcode ${barcode} is already ${clash.name}`
              : null;
      if (problem || !parsed.success) {
        refused.push({
          id: key.variant(v.id),
          reason: `Variant ${product ? `${product.name}, ` : ''}${v.name}: ${problem}`,
        });
        continue;
      }
      putVariant.run({
        id: v.id,
        product: v.product_id,
        name: parsed.data.name,
        price: parsed.data.priceMinor,
        barcode,
        sku: parsed.data.sku ?? null,
        position: v.position,
        active: v.active ? 1 : 0,
      });
      applied += 1;
    }

    // 6. Which groups a product offers.
    const putLink = db.prepare(
      `INSERT INTO product_modifier_groups (product_id, group_id, position) VALUES (?, ?, ?)
       ON CONFLICT (product_id, group_id) DO UPDATE SET position = excluded.position`,
    );
    const dropLink = db.prepare(
      'DELETE FROM product_modifier_groups WHERE product_id = ? AND group_id = ?',
    );
    for (const l of rows.links ?? []) {
      const id = key.link(l.product_id, l.group_id);
      seen.push(id);
      if (!l.active) {
        dropLink.run(l.product_id, l.group_id);
        applied += 1;
        continue;
      }
      const product = productName.get(l.product_id);
      const group = groupName.get(l.group_id);
      if (!product || !group) {
        refused.push({
          id,
          reason: product
            ? `${product.name} offers a modifier group that this till does not have`
            : `The product offering ${group?.name ?? 'a modifier group'} is not on this till`,
        });
        continue;
      }
      putLink.run(l.product_id, l.group_id, l.position);
      applied += 1;
    }

    // 7. VAT rates taken off the shop's list: gone here too, unless something here still uses one.
    const rateUse = one<{ n: number }>(
      `SELECT (SELECT count(*) FROM products WHERE active = 1 AND (vat_rate_bp = @bp OR eat_in_vat_rate_bp = @bp))
            + (SELECT count(*) FROM modifiers WHERE active = 1 AND vat_rate_bp = @bp) AS n`,
    );
    const dropRate = db.prepare('DELETE FROM vat_rates WHERE rate_bp = ?');
    for (const r of rows.vatRates ?? []) {
      if (r.active) continue;
      seen.push(key.vatRate(r.rate_bp));
      const n = rateUse.get({ bp: r.rate_bp })?.n ?? 0;
      if (n > 0) {
        refused.push({
          id: key.vatRate(r.rate_bp),
          reason: `VAT rate ${pct(r.rate_bp)} was taken off the shop's list but ${n} product${n === 1 ? '' : 's'} or modifier${n === 1 ? '' : 's'} on this till still use${n === 1 ? 's' : ''} it`,
        });
        continue;
      }
      dropRate.run(r.rate_bp);
      applied += 1;
    }
  })();
  return { applied, refused, seen };
}

/** The newest version among the rows (the catalogue cursor moves to it). */
function newest(rows: CatalogueRows): number {
  let max = 0;
  for (const list of Object.values(rows) as { version: string }[][])
    for (const r of list) max = Math.max(max, Number(r.version));
  return max;
}

/**
 * Reads every catalogue row changed after `cursor`, all tables in one snapshot (so a product and
 * the VAT rate or group it needs are seen together), as this till (row-level security: its shop).
 */
export async function readShopCatalogue(
  client: pg.Client,
  cursor: number,
): Promise<{ rows: CatalogueRows; last: number; count: number }> {
  const q = async <T extends pg.QueryResultRow>(table: string, columns: string) =>
    (
      await client.query<T>(
        `SELECT ${columns} FROM opentill.${table}
          WHERE shop_id = opentill.current_shop() AND version > $1 ORDER BY version`,
        [cursor],
      )
    ).rows;
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    const rows: CatalogueRows = {
      vatRates: await q<ShopVatRateRow>('vat_rates', VAT_COLUMNS),
      groups: await q<ShopGroupRow>('modifier_groups', GROUP_COLUMNS),
      modifiers: await q<ShopModifierRow>('modifiers', MODIFIER_COLUMNS),
      products: await q<ShopProductRow>('products', PRODUCT_COLUMNS),
      variants: await q<ShopVariantRow>('product_variants', VARIANT_COLUMNS),
      links: await q<ShopLinkRow>('product_modifier_groups', LINK_COLUMNS),
    };
    await client.query('COMMIT');
    const count = Object.values(rows).reduce((n, list: unknown[]) => n + list.length, 0);
    return { rows, last: newest(rows), count };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

type ProductFields = Omit<
  SharedProduct,
  'barcode' | 'shortcut' | 'sortOrder' | 'active' | 'variants' | 'modifierGroupIds' | 'groups'
> & {
  barcode?: string | null;
  shortcut?: string | null;
  sortOrder?: number;
  active?: boolean;
  variants?: SharedVariant[];
  modifierGroupIds?: string[];
  groups?: SharedModifierGroup[];
};

async function writeGroup(
  client: pg.Client,
  group: SharedModifierGroup,
  onlyIfNew: boolean,
): Promise<{ groups: ShopGroupRow[]; modifiers: ShopModifierRow[] }> {
  const g = await client.query<ShopGroupRow>(
    `INSERT INTO opentill.modifier_groups (shop_id, id, name, min_choices, max_choices)
     VALUES (opentill.current_shop(), $1, $2, $3, $4)
     ON CONFLICT (shop_id, id) DO ${
       onlyIfNew
         ? 'NOTHING'
         : 'UPDATE SET name = EXCLUDED.name, min_choices = EXCLUDED.min_choices, max_choices = EXCLUDED.max_choices'
     }
     RETURNING ${GROUP_COLUMNS}`,
    [group.id, group.name, group.minChoices, group.maxChoices],
  );
  if (onlyIfNew && g.rows.length === 0) return { groups: [], modifiers: [] };
  const modifiers: ShopModifierRow[] = [];
  for (const m of group.modifiers) {
    const r = await client.query<ShopModifierRow>(
      `INSERT INTO opentill.modifiers (shop_id, id, group_id, name, price_minor, vat_rate_bp, position, active)
       VALUES (opentill.current_shop(), $1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (shop_id, id) DO UPDATE SET group_id = EXCLUDED.group_id, name = EXCLUDED.name,
         price_minor = EXCLUDED.price_minor, vat_rate_bp = EXCLUDED.vat_rate_bp,
         position = EXCLUDED.position, active = EXCLUDED.active
       RETURNING ${MODIFIER_COLUMNS}`,
      [m.id, group.id, m.name, m.priceMinor, m.vatRateBp, m.position, m.active],
    );
    modifiers.push(...r.rows);
  }
  return { groups: g.rows, modifiers };
}

/**
 * A manager's product edit on a joined till, as `opentill_manager` for this one transaction: the
 * product row with every field, its variants (gone ones switched off), and which groups it offers
 * (any other link switched off); groups this till has and the shop does not yet go up with it.
 * Answers the rows as the shop stored them, for this till's copy.
 */
export async function publishShopProductWhole(
  url: string | null,
  product: ProductFields,
  what = product.name,
): Promise<CatalogueRows & { products: ShopProductRow[] }> {
  return asShopManager(url, what, async (client) => {
    const full = product.soldBy !== undefined;
    const result = await client.query<ShopProductRow>(
      `INSERT INTO opentill.products (shop_id, id, name, category, price_minor, vat_rate_bp, barcode, shortcut, sort_order, active,
                                      eat_in_vat_rate_bp, sold_by, plu, sku)
       VALUES (opentill.current_shop(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, coalesce($11, 'unit'), $12, $13)
       ON CONFLICT (shop_id, id) DO UPDATE SET name = EXCLUDED.name, category = EXCLUDED.category,
         price_minor = EXCLUDED.price_minor, vat_rate_bp = EXCLUDED.vat_rate_bp, barcode = EXCLUDED.barcode,
         shortcut = EXCLUDED.shortcut, sort_order = EXCLUDED.sort_order, active = EXCLUDED.active
         ${
           full
             ? `, eat_in_vat_rate_bp = EXCLUDED.eat_in_vat_rate_bp, sold_by = EXCLUDED.sold_by,
                plu = EXCLUDED.plu, sku = EXCLUDED.sku`
             : ''
         }
       RETURNING ${PRODUCT_COLUMNS}`,
      [
        product.id,
        product.name,
        product.category,
        product.priceMinor,
        product.vatRateBp,
        product.barcode ?? null,
        product.shortcut ?? null,
        product.sortOrder ?? 0,
        product.active ?? true,
        product.eatInVatRateBp ?? null,
        product.soldBy ?? null,
        product.plu ?? null,
        product.sku ?? null,
      ],
    );
    const stored = result.rows[0];
    if (!stored) throw new Error('the shop stored no product row');
    const out: CatalogueRows & { products: ShopProductRow[] } = {
      products: [stored],
      groups: [],
      modifiers: [],
      variants: [],
      links: [],
    };
    for (const v of product.variants ?? []) {
      const r = await client.query<ShopVariantRow>(
        `INSERT INTO opentill.product_variants (shop_id, id, product_id, name, price_minor, barcode, sku, position, active)
         VALUES (opentill.current_shop(), $1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (shop_id, id) DO UPDATE SET product_id = EXCLUDED.product_id, name = EXCLUDED.name,
           price_minor = EXCLUDED.price_minor, barcode = EXCLUDED.barcode, sku = EXCLUDED.sku,
           position = EXCLUDED.position, active = EXCLUDED.active
         RETURNING ${VARIANT_COLUMNS}`,
        [
          v.id,
          product.id,
          v.name,
          v.priceMinor,
          v.active ? v.barcode : null,
          v.sku,
          v.position,
          v.active,
        ],
      );
      out.variants?.push(...r.rows);
    }
    for (const g of product.groups ?? []) {
      const written = await writeGroup(client, g, true);
      out.groups?.push(...written.groups);
      out.modifiers?.push(...written.modifiers);
    }
    if (product.modifierGroupIds) {
      const ids = product.modifierGroupIds;
      for (const [i, groupId] of ids.entries()) {
        const r = await client.query<ShopLinkRow>(
          `INSERT INTO opentill.product_modifier_groups (shop_id, product_id, group_id, position, active)
           VALUES (opentill.current_shop(), $1, $2, $3, true)
           ON CONFLICT (shop_id, product_id, group_id) DO UPDATE SET position = EXCLUDED.position, active = true
           RETURNING ${LINK_COLUMNS}`,
          [product.id, groupId, i + 1],
        );
        out.links?.push(...r.rows);
      }
      const off = await client.query<ShopLinkRow>(
        `UPDATE opentill.product_modifier_groups SET active = false
          WHERE shop_id = opentill.current_shop() AND product_id = $1 AND active
            AND NOT (group_id = ANY($2::text[]))
          RETURNING ${LINK_COLUMNS}`,
        [product.id, ids],
      );
      out.links?.push(...off.rows);
    }
    return out;
  });
}

/** A manager's modifier group (with every choice) on a joined till, as `opentill_manager`. */
export async function publishShopModifierGroup(
  url: string | null,
  group: SharedModifierGroup,
): Promise<CatalogueRows> {
  return asShopManager(url, `the modifier group ${group.name}`, (client) =>
    writeGroup(client, group, false),
  );
}

/**
 * A manager's VAT rate list on a joined till, as `opentill_manager`: the list is the shop's
 * whole list; a rate left out is switched off (never deleted).
 */
export async function publishShopVatRates(
  url: string | null,
  rates: readonly VatRate[],
): Promise<CatalogueRows> {
  return asShopManager(url, 'the VAT rates', async (client) => {
    const out: ShopVatRateRow[] = [];
    for (const [i, r] of rates.entries()) {
      const result = await client.query<ShopVatRateRow>(
        `INSERT INTO opentill.vat_rates (shop_id, rate_bp, name, position, active)
         VALUES (opentill.current_shop(), $1, $2, $3, true)
         ON CONFLICT (shop_id, rate_bp) DO UPDATE SET name = EXCLUDED.name, position = EXCLUDED.position, active = true
         RETURNING ${VAT_COLUMNS}`,
        [r.rateBp, r.name, i + 1],
      );
      out.push(...result.rows);
    }
    const off = await client.query<ShopVatRateRow>(
      `UPDATE opentill.vat_rates SET active = false
        WHERE shop_id = opentill.current_shop() AND active AND NOT (rate_bp = ANY($1::int[]))
        RETURNING ${VAT_COLUMNS}`,
      [rates.map((r) => r.rateBp)],
    );
    return { vatRates: [...out, ...off.rows] };
  });
}
