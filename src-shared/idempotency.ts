import { z } from 'zod';

/**
 * Every request that moves money carries an idempotency key: a UUID the screen makes once per
 * press and keeps until that press's result has arrived, so a double click, a repeated Enter or a
 * resend after a dropped link sends the same key again. The core records the key with the action
 * and answers a repeat with the first result instead of doing it twice.
 */
export const idempotencyKeySchema = z.uuid(
  'Every payment request needs a request key (a UUID made once per press)',
);

/** The channels that take money or give it back; each input has `idempotencyKey`. */
export const idempotentChannels = [
  'orders:pay-cash',
  'orders:sell-cash',
  'payments:start-sale',
  'refunds:matched',
  'refunds:unlinked',
  'refunds:server',
  'returns:create',
  'returns:settle-owed',
  'payments:reverse',
  'tenders:card-other',
  'tenders:voucher',
  'refunds:cash',
  'drawer:pay',
] as const;
export type IdempotentChannel = (typeof idempotentChannels)[number];

export function isIdempotentChannel(name: string): name is IdempotentChannel {
  return (idempotentChannels as readonly string[]).includes(name);
}
