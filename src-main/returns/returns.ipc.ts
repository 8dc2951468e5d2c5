import type { Handlers } from '../../src-shared/contract';
import type { ReturnsService } from './returns.service';
import type { createReversals } from './reversal';

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
): Pick<Handlers, ReturnsChannel> {
  return {
    'returns:for-order': ({ orderId }) => returns.forOrder(orderId),
    'returns:quote': ({ orderId, lines, exchange }) =>
      returns.quote({ orderId, lines, ...(exchange ? { exchange } : {}) }),
    'returns:create': (input) => returns.create(input),
    'returns:receipt': ({ returnId }) => returns.receipt(returnId),
    'returns:reprint': ({ returnId }) => returns.reprint(returnId),
    'returns:settle-owed': ({ returnId, note }) => returns.settleOwedInCash({ returnId, note }),
    'payments:reverse': ({ attemptId, reason }) => reversals.reverse({ attemptId, reason }),
  };
}
