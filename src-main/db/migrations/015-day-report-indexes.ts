import type { Migration } from '../migrate';

/**
 * The end-of-day figures read one day's paid orders (`orders_completed`, migration 009) and then,
 * for each, its tenders, lines, modifiers and tips by order id. Two of those look-ups read more
 * than they need:
 *
 * - `tips` had no index on `order_id`: the day report read every tip ever taken for each order of
 *   the day (a full scan per order). `tips_order` finds them and carries what the report sums.
 * - A card tender's terminal TID is read from its payment attempt: through the attempt's primary
 *   key and then the attempt row. `payment_attempts_tid` carries the TID beside the id, one
 *   look-up instead of two.
 */
export const migration015: Migration = {
  version: 15,
  name: 'day-report-indexes',
  sql: `
CREATE INDEX tips_order ON tips(order_id, terminal_id, staff_id, amount_minor, attempt_id);
CREATE INDEX payment_attempts_tid ON payment_attempts(id, terminal_tid);
`,
};
