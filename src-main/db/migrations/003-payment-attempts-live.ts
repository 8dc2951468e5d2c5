import type { Migration } from '../migrate';

/**
 * Payments: the database itself refuses a second live attempt on an order (docs/PAYMENTS.md rule 2),
 * and the look-ups the payment engine makes on every start and refund are indexed.
 */
export const migration003: Migration = {
  version: 3,
  name: 'payment-attempts-live',
  sql: `
CREATE UNIQUE INDEX payment_attempts_one_live_per_order
  ON payment_attempts(order_id) WHERE is_final = 0 AND order_id IS NOT NULL;
CREATE INDEX payment_attempts_intent ON payment_attempts(payment_intent_id) WHERE payment_intent_id IS NOT NULL;
CREATE INDEX refunds_original_attempt ON refunds(original_attempt_id);
CREATE UNIQUE INDEX refunds_one_per_attempt ON refunds(attempt_id) WHERE attempt_id IS NOT NULL;
`,
};
