import type { Migration } from '../migrate';

/**
 * A catalogue a café and a shop can sell from (issue 13). Additive only: no existing column
 * changes meaning, so older readers of orders and order lines keep working.
 *
 * - `vat_rates`: the shop's VAT rates, with names, instead of the fixed UK 20/5/0 %. Seeded with
 *   the UK set, plus one "VAT x %" rate for any other rate a product already has, so every
 *   existing product keeps its rate (products still carry `vat_rate_bp`; the rate must be one of
 *   this list when a product is saved).
 * - products: `eat_in_vat_rate_bp` (a different rate when eaten in, null = the same),
 *   `sold_by` ('unit' or 'weight': the price is then per kg), `plu` (the 5-digit item code a scale
 *   prints in its labels), `sku`.
 * - `product_variants`: Small / Regular / Large, each with its own price, barcode and SKU.
 * - `modifier_groups`, `modifiers`, `product_modifier_groups`: Milk (whole / oat / soy),
 *   Extras (shot, syrup), with min/max choices and an optional VAT rate of their own.
 * - order lines: the variant, the weight and the price per kg; `orders.eat_in`; and
 *   `order_line_modifiers`, one row per chosen modifier with its share of the line total and VAT
 *   (the line's own row keeps the whole line total and VAT, so totals read as before).
 */
export const migration013: Migration = {
  version: 13,
  name: 'catalogue-variants-modifiers',
  sql: `
CREATE TABLE vat_rates (
  rate_bp   INTEGER PRIMARY KEY CHECK (rate_bp BETWEEN 0 AND 10000),
  name      TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 40),
  position  INTEGER NOT NULL DEFAULT 0
) STRICT;
INSERT INTO vat_rates (rate_bp, name, position) VALUES (2000, 'Standard', 1), (500, 'Reduced', 2), (0, 'Zero', 3);
INSERT INTO vat_rates (rate_bp, name, position)
  SELECT DISTINCT vat_rate_bp,
         'VAT ' || (vat_rate_bp / 100) || CASE WHEN vat_rate_bp % 100 = 0 THEN '' ELSE '.' || printf('%02d', vat_rate_bp % 100) END || ' %',
         10 + vat_rate_bp
    FROM products WHERE vat_rate_bp NOT IN (2000, 500, 0);

ALTER TABLE products ADD COLUMN eat_in_vat_rate_bp INTEGER CHECK (eat_in_vat_rate_bp BETWEEN 0 AND 10000);
ALTER TABLE products ADD COLUMN sold_by TEXT NOT NULL DEFAULT 'unit' CHECK (sold_by IN ('unit', 'weight'));
ALTER TABLE products ADD COLUMN plu TEXT;
ALTER TABLE products ADD COLUMN sku TEXT;
CREATE UNIQUE INDEX products_plu ON products(plu) WHERE plu IS NOT NULL;

CREATE TABLE product_variants (
  id           TEXT PRIMARY KEY,
  product_id   TEXT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
  name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 40),
  price_minor  INTEGER NOT NULL CHECK (price_minor >= 0),
  barcode      TEXT UNIQUE,
  sku          TEXT,
  position     INTEGER NOT NULL DEFAULT 0,
  active       INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
) STRICT;
CREATE INDEX product_variants_product ON product_variants(product_id, position);

CREATE TABLE modifier_groups (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 40),
  min_choices INTEGER NOT NULL CHECK (min_choices >= 0),
  max_choices INTEGER NOT NULL CHECK (max_choices >= 1 AND max_choices >= min_choices),
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
) STRICT;

CREATE TABLE modifiers (
  id           TEXT PRIMARY KEY,
  group_id     TEXT NOT NULL REFERENCES modifier_groups(id) ON DELETE CASCADE,
  name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 40),
  price_minor  INTEGER NOT NULL CHECK (price_minor >= 0),
  vat_rate_bp  INTEGER CHECK (vat_rate_bp BETWEEN 0 AND 10000),
  position     INTEGER NOT NULL DEFAULT 0,
  active       INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
) STRICT;
CREATE INDEX modifiers_group ON modifiers(group_id, position);

CREATE TABLE product_modifier_groups (
  product_id  TEXT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
  group_id    TEXT NOT NULL REFERENCES modifier_groups(id) ON DELETE CASCADE,
  position    INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (product_id, group_id)
) STRICT;

ALTER TABLE orders ADD COLUMN eat_in INTEGER NOT NULL DEFAULT 0 CHECK (eat_in IN (0, 1));
ALTER TABLE order_lines ADD COLUMN variant_id TEXT;
ALTER TABLE order_lines ADD COLUMN variant_name TEXT;
ALTER TABLE order_lines ADD COLUMN weight_grams INTEGER CHECK (weight_grams > 0);
ALTER TABLE order_lines ADD COLUMN price_per_kg_minor INTEGER CHECK (price_per_kg_minor >= 0);
ALTER TABLE order_lines ADD COLUMN scale_barcode TEXT;

CREATE TABLE order_line_modifiers (
  order_id      TEXT NOT NULL REFERENCES orders(id),
  position      INTEGER NOT NULL,
  seq           INTEGER NOT NULL,
  modifier_id   TEXT,
  group_name    TEXT NOT NULL,
  name          TEXT NOT NULL,
  price_minor   INTEGER NOT NULL CHECK (price_minor >= 0),
  vat_rate_bp   INTEGER NOT NULL,
  total_minor   INTEGER NOT NULL CHECK (total_minor >= 0),
  vat_minor     INTEGER NOT NULL CHECK (vat_minor >= 0),
  PRIMARY KEY (order_id, position, seq)
) STRICT;
`,
};
