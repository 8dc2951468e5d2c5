import type { Migration } from '../migrate';

/**
 * Cash rounding (docs/staff-and-cash.md "Cash rounding"): a cash tender that settles an order on a
 * euro till rounding to 0.05 records the difference between what the customer paid (the rounded
 * amount due) and the order's exact remainder. `amount_minor` stays the exact part of the order it
 * settles; the drawer got `amount_minor + rounding_minor` (= tendered − change). With a 5-cent step
 * the rounding is −2 to +2 cents, and only cash is ever rounded.
 */
export const migration016: Migration = {
  version: 16,
  name: 'tender-cash-rounding',
  sql: `
ALTER TABLE tenders ADD COLUMN rounding_minor INTEGER NOT NULL DEFAULT 0
  CHECK (rounding_minor BETWEEN -2 AND 2 AND (rounding_minor = 0 OR kind = 'cash'));
`,
};
