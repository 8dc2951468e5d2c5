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
  acrossTills?: Pick<ShopReturns, 'isForeign' | 'quote' | 'create'>,
): Pick<Handlers, ReturnsChannel> {
  const foreign = (orderId: string) => acrossTills?.isForeign(orderId) ?? false;
  return {
    'returns:for-order': ({ orderId }) => returns.forOrder(orderId),
    'returns:quote': ({ orderId, lines, exchange }) =>
      acrossTills && foreign(orderId)
        ? acrossTills.quote({ orderId, lines, ...(exchange ? { exchange } : {}) })
        : returns.quote({ orderId, lines, ...(exchange ? { exchange } : {}) }),
    'returns:create': (input) =>
      acrossTills && foreign(input.orderId) ? acrossTills.create(input) : returns.create(input),
    'returns:receipt': ({ returnId }) => returns.receipt(returnId),
    'returns:reprint': ({ returnId }) => returns.reprint(returnId),
    'returns:settle-owed': ({ returnId, note }) => returns.settleOwedInCash({ returnId, note }),
    'payments:reverse': ({ attemptId, reason }) => reversals.reverse({ attemptId, reason }),
  };
}
