import type { Migration } from '../migrate';

/**
 * Placeholder for migration 011, which belongs to the returns branch (issue 12 items 1-3) built
 * in parallel. Migrations are numbered without gaps, so this branch needs something at 011 to run
 * its own 012; when the branches meet, the returns branch's 011 replaces this file.
 */
export const migration011: Migration = {
  version: 11,
  name: 'reserved-returns',
  sql: `SELECT 1;`,
};
