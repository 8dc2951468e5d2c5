import type { Handlers } from '../../src-shared/contract';
import type { ReceiptChoiceService } from '../receipts/receipt-choice.service';
import type { OtherTendersService } from './other-tenders.service';

type TendersChannel =
  | 'tenders:card-other'
  | 'tenders:voucher'
  | 'tenders:to-match'
  | 'tenders:match-now'
  | 'receipts:options'
  | 'receipts:choose';

/** The idempotency wrapper has taken `idempotencyKey` off, the guard `approval`. */
export function createTendersHandlers(
  tenders: OtherTendersService,
  receipts: ReceiptChoiceService,
): Pick<Handlers, TendersChannel> {
  return {
    'tenders:card-other': ({ orderId, amountMinor, last4, authCode }) =>
      tenders.cardOnOtherTerminal({ orderId, amountMinor, last4, authCode }),
    'tenders:voucher': ({ orderId, amountMinor, reference }) =>
      tenders.voucher({ orderId, amountMinor, reference }),
    'tenders:to-match': () => tenders.toMatch(),
    'tenders:match-now': () => tenders.matchNow(),
    'receipts:options': ({ orderId }) => receipts.options(orderId),
    'receipts:choose': (input) => receipts.choose(input),
  };
}
