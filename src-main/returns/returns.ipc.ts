import type { Handlers } from '../../src-shared/contract';
import type { ReturnsService } from './returns.service';
import type { createReversals } from './reversal';
import type { ShopReturns } from '../shop/shop-returns';

type ReturnsChannel =
  | 'returns:for-order'
  | 'returns:quote'
  | 'returns:create'
  | 'returns:receipt'
  | 'returns:reprint'
  | 'returns:settle-owed'
  | 'payments:reverse';

/** The idempotency guard takes `idempotencyKey` off, and the permission guard `approval`. */
export function createReturnsHandlers(
  returns: ReturnsService,
  reversals: ReturnType<typeof createReversals>,
  /** Another till's order (the shop database): its returns are decided across the shop. */
  acrossTills?: Pick<ShopReturns, 'isForeign' | 'quote' | 'create' | 'forOrder' | 'guardOwn'>,
): Pick<Handlers, ReturnsChannel> {
  const foreign = (orderId: string) => acrossTills?.isForeign(orderId) ?? false;
  return {
    'returns:for-order': ({ orderId }) =>
      !acrossTills
        ? returns.forOrder(orderId)
        : foreign(orderId)
          ? acrossTills.forOrder(orderId)
          : acrossTills.guardOwn(orderId, () => returns.forOrder(orderId), {
              lock: false,
              onlyWhenUp: true,
            }),
    'returns:quote': ({ orderId, lines, exchange }) => {
      const input = { orderId, lines, ...(exchange ? { exchange } : {}) };
      return !acrossTills
        ? returns.quote(input)
        : foreign(orderId)
          ? acrossTills.quote(input)
          : acrossTills.guardOwn(orderId, () => returns.quote(input), { lock: false });
    },
    'returns:create': (input) =>
      !acrossTills
        ? returns.create(input)
        : foreign(input.orderId)
          ? acrossTills.create(input)
          : acrossTills.guardOwn(input.orderId, () => returns.create(input), {
              lock: true,
              returnIdOf: (r) => r.ret.id,
            }),
    'returns:receipt': ({ returnId }) => returns.receipt(returnId),
    'returns:reprint': ({ returnId }) => returns.reprint(returnId),
    'returns:settle-owed': ({ returnId, note }) => returns.settleOwedInCash({ returnId, note }),
    'payments:reverse': ({ attemptId, reason }) => reversals.reverse({ attemptId, reason }),
  };
}
