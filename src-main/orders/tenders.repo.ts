import { randomUUID } from 'node:crypto';
import type { Db } from '../db/connection';
import { nowIso } from '../db/connection';
import { TillError } from '../../src-shared/errors';
import type { TenderKind } from '../../src-shared/domain/order-status';

export type NewTender = {
  orderId: string;
  kind: TenderKind;
  amountMinor: number;
  /** Cash only: what the customer handed over. */
  tenderedMinor?: number;
  attemptId?: string;
  terminalId?: string;
  cardType?: string;
  cardLast4?: string;
  authCode?: string;
};

export type TenderApplied = { tenderId: string; orderCompleted: boolean; remainingMinor: number; changeMinor: number };

type OrderMoneyRow = { status: string; total_minor: number; paid_minor: number };

/**
 * The single place a payment is applied to an order (cash or card), in one transaction: the tender
 * row, the order's paid amount, and the move to `paid` once fully tendered. A card tender for an
 * attempt that is already recorded is a no-op, so recovery can call this again safely.
 */
export function addTender(db: Db, tender: NewTender): TenderApplied {
  return db.transaction((): TenderApplied => {
    if (tender.attemptId) {
      const existing = db
        .prepare<[string], { id: string }>('SELECT id FROM tenders WHERE attempt_id = ?')
        .get(tender.attemptId);
      if (existing) {
        const order = getOrderMoney(db, tender.orderId);
        return {
          tenderId: existing.id,
          orderCompleted: order.status === 'paid',
          remainingMinor: Math.max(0, order.total_minor - order.paid_minor),
          changeMinor: 0,
        };
      }
    }
    const order = getOrderMoney(db, tender.orderId);
    if (order.status === 'paid' || order.status === 'voided') {
      throw new TillError('ORDER_STATE', `This order is already ${order.status}; no further payment can be taken.`);
    }
    const remaining = order.total_minor - order.paid_minor;
    if (!Number.isInteger(tender.amountMinor) || tender.amountMinor <= 0) {
      throw new TillError('VALIDATION', 'A payment must be a whole, positive number of pence.');
    }
    let applied = tender.amountMinor;
    let change = 0;
    if (tender.kind === 'cash') {
      const handed = tender.tenderedMinor ?? tender.amountMinor;
      if (handed < tender.amountMinor) throw new TillError('VALIDATION', 'Cash handed over is less than the amount to pay.');
      applied = Math.min(tender.amountMinor, remaining);
      change = handed - applied;
    } else if (applied > remaining) {
      // A card payment is money already taken: record it in full, never silently trim it.
      applied = tender.amountMinor;
    }
    const tenderId = randomUUID();
    const now = nowIso();
    db.prepare(
      `INSERT INTO tenders (id, order_id, kind, amount_minor, tendered_minor, change_minor, attempt_id, terminal_id,
                            card_type, card_last4, auth_code, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      tenderId,
      tender.orderId,
      tender.kind,
      applied,
      tender.kind === 'cash' ? (tender.tenderedMinor ?? applied) : null,
      change,
      tender.attemptId ?? null,
      tender.terminalId ?? null,
      tender.cardType ?? null,
      tender.cardLast4 ?? null,
      tender.authCode ?? null,
      now,
    );
    const paid = order.paid_minor + applied;
    const completed = paid >= order.total_minor;
    db.prepare(
      `UPDATE orders SET paid_minor = ?, change_minor = change_minor + ?, status = ?, updated_at = ?,
              completed_at = CASE WHEN ? THEN ? ELSE completed_at END
       WHERE id = ?`,
    ).run(paid, change, completed ? 'paid' : 'open', now, completed ? 1 : 0, now, tender.orderId);
    return { tenderId, orderCompleted: completed, remainingMinor: Math.max(0, order.total_minor - paid), changeMinor: change };
  })();
}

function getOrderMoney(db: Db, orderId: string): OrderMoneyRow {
  const row = db
    .prepare<[string], OrderMoneyRow>('SELECT status, total_minor, paid_minor FROM orders WHERE id = ?')
    .get(orderId);
  if (!row) throw new TillError('NOT_FOUND', 'That order does not exist.');
  return row;
}
