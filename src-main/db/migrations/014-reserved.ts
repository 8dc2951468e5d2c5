import type { Migration } from '../migrate';

/**
 * Reserved for another branch's migration 014 (the numbers are handed out per task). It changes
 * nothing; it exists only so 015 can apply on this branch (migrations run 1..n without gaps).
 * When the real 014 is merged, this file goes.
 */
export const migration014: Migration = {
  version: 14,
  name: 'reserved',
  sql: '',
};
