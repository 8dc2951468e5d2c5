import { randomBytes } from 'node:crypto';

/**
 * A UUID of version 7 (RFC 9562): the first 48 bits are the Unix time in milliseconds, the rest
 * random (74 bits) apart from the version and variant. Written as text, ids made later sort after
 * ids made earlier (to the millisecond).
 *
 * Orders and tenders take these instead of random (version 4) UUIDs for the B-trees keyed by them:
 * the orders' primary key, the lines' and tenders' indexes by order, the tenders' key. A random key
 * lands on a random leaf of an index of millions of entries — read from disk when it is not in the
 * cache, and now and then split, rewriting several pages inside the sale's transaction. A key that
 * follows the previous one lands on the same rightmost leaf, which the last sale just wrote.
 * A valid UUID for every check that reads one (the IPC contract's, PostgreSQL's `uuid`).
 */
export function timeOrderedId(now: number = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(Math.max(0, Math.floor(now)) % 2 ** 48, 0, 6);
  bytes[6] = 0x70 | (bytes[6]! & 0x0f);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
