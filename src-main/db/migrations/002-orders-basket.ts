import type { Migration } from '../migrate';

/**
 * Orders: keep the discounts as the cashier gave them (so a parked basket resumes exactly and a
 * receipt can show "10 % off"), and a per-till daily counter for human-friendly references.
 */
export const migration002: Migration = {
  version: 2,
  name: 'orders-basket',
  sql: `
ALTER TABLE orders ADD COLUMN basket_discount TEXT;
ALTER TABLE orders ADD COLUMN basket_discount_minor INTEGER NOT NULL DEFAULT 0 CHECK (basket_discount_minor >= 0);
ALTER TABLE order_lines ADD COLUMN line_discount TEXT;
ALTER TABLE order_lines ADD COLUMN line_discount_minor INTEGER NOT NULL DEFAULT 0 CHECK (line_discount_minor >= 0);

CREATE TABLE order_sequences (
  till_id   TEXT NOT NULL,
  day       TEXT NOT NULL,
  last_seq  INTEGER NOT NULL,
  PRIMARY KEY (till_id, day)
) STRICT;

CREATE INDEX orders_total ON orders(total_minor);
CREATE INDEX products_category ON products(category, sort_order, name);
CREATE UNIQUE INDEX products_name_category ON products(lower(name), lower(category));
`,
};
