import { TillError } from '../../src-shared/errors';
import type { ReturnLine, ReturnQuoteInput } from '../../src-shared/domain/returns';
import { shareOf, type SoldLine } from './returns.repo';

/**
 * The rules every return follows, wherever the order was sold: this till's own order (returns
 * feature) or another till's read from the shop database (shop feature). Same checks, same words.
 */

/** A paid order whose sale was not reversed; refused in the words the cashier reads otherwise. */
export function assertReturnable(order: {
  reference: string;
  status: string;
  reversed: boolean;
}): void {
  if (order.status === 'voided')
    throw new TillError(
      'ORDER_STATE',
      `Order ${order.reference} was voided: nothing was sold, so nothing can be returned.`,
    );
  if (order.status !== 'paid')
    throw new TillError(
      'ORDER_STATE',
      `Order ${order.reference} is not paid yet: only items of a paid order can be returned.`,
    );
  if (order.reversed)
    throw new TillError(
      'ORDER_STATE',
      `The card payment of order ${order.reference} was reversed: the whole sale is already undone.`,
    );
}

/**
 * The lines asked for, priced as their share of what the customer paid; refused beyond what is
 * left. `elsewhere` names where earlier returns may have been taken (", at this till or another").
 */
export function priceReturnLines(
  lines: readonly SoldLine[],
  wanted: ReturnQuoteInput['lines'],
  elsewhere = '',
): ReturnLine[] {
  const seen = new Set<number>();
  return wanted.map((w) => {
    if (seen.has(w.position))
      throw new TillError(
        'VALIDATION',
        'The same line is chosen twice: choose it once with the quantity.',
      );
    seen.add(w.position);
    const line = lines.find((l) => l.position === w.position);
    if (!line) throw new TillError('VALIDATION', 'That line is not on this order.');
    if (w.quantity > line.returnable)
      throw new TillError(
        'REFUND_EXCEEDS_REMAINING',
        line.returnable === 0
          ? `${line.name}: all ${line.sold} sold ${line.sold === 1 ? 'was' : 'were'} already returned${elsewhere}. Nothing was written.`
          : `${line.name}: only ${line.returnable} of the ${line.sold} sold can still be returned (${line.returned} already returned${elsewhere}). Nothing was written.`,
      );
    const share = shareOf(line, w.quantity);
    return {
      position: line.position,
      name: line.name,
      quantity: w.quantity,
      amountMinor: share.amountMinor,
      vatRateBp: line.vatRateBp,
      vatMinor: share.vatMinor,
    };
  });
}
