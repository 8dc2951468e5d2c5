import { randomUUID } from 'node:crypto';
import type { CurrencyCode } from '../../src-shared/money';
import type { Db } from '../db/connection';
// eslint-disable-next-line opentill/no-foreign-repo -- a return's cash payout is a drawer movement written in the return's own transaction; the cash service writes movements in transactions of its own
import { insertMovement } from '../cash/cash.queries';
import type { Actor } from '../staff/actor';
import { insertPayout } from './returns.repo';

/**
 * Cash handed back for a return, in the caller's transaction: a `cash-refund` movement out of the
 * drawer (so the expected cash follows) and the return's cash payout pointing at it. Used by a
 * return here, a return of another till's order and the card part owed paid in cash. Answers the
 * movement's id.
 */
export function payReturnInCash(
  db: Db,
  p: {
    returnId: string;
    orderId: string;
    amountMinor: number;
    currency: CurrencyCode;
    reason: string;
    note?: string | null;
    dayId: string | null;
    actor: Actor | null | undefined;
  },
): string {
  const movementId = randomUUID();
  insertMovement(db, {
    id: movementId,
    dayId: p.dayId,
    kind: 'cash-refund',
    amountMinor: p.amountMinor,
    currency: p.currency,
    reason: p.reason.slice(0, 200),
    note: p.note ?? null,
    orderId: p.orderId,
    staffId: p.actor?.staffId ?? null,
    approvedBy: p.actor?.approvedBy ?? null,
  });
  insertPayout(db, {
    id: randomUUID(),
    returnId: p.returnId,
    method: 'cash',
    amountMinor: p.amountMinor,
    cashMovementId: movementId,
  });
  return movementId;
}
