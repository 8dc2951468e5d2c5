import type { Migration } from '../migrate';

/**
 * Payments: each attempt keeps the TID (`properties.tid`) of the terminal it ran on, as Dojo
 * listed it when the attempt started, so reports can name terminals the way people know them.
 * Older attempts keep NULL (unknown): reports fall back to the terminal id.
 */
export const migration005: Migration = {
  version: 5,
  name: 'payment-attempts-terminal-tid',
  sql: `
ALTER TABLE payment_attempts ADD COLUMN terminal_tid TEXT;
`,
};
