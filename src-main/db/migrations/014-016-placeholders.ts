import type { Migration } from '../migrate';

/**
 * PLACEHOLDERS ONLY on branch r2-rounding: migrations 014–016 belong to other branches merged
 * alongside this one, and `migrate` refuses a gap, so this branch fills the numbers with no-ops to
 * run 017. Drop this file (and its lines in index.ts) when merging: the real 014–016 replace it.
 */
const noop = (version: number): Migration => ({
  version,
  name: `placeholder-${version}`,
  sql: 'SELECT 1;',
});

export const placeholder014 = noop(14);
export const placeholder015 = noop(15);
export const placeholder016 = noop(16);
