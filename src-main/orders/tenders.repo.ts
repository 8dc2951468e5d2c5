import { timeOrderedId } from '../platform/time-ordered-id';
import type { Db } from '../db/connection';
import { TillError } from '../../src-shared/errors';
import type { TenderKind } from '../../src-shared/domain/order-status';
import { preparedFor } from '../platform/prepared';
import { formatMoney, type CurrencyCode } from '../../src-shared/money';
import {
  cashDue,
  cashRoundingStep,
  type CashRounding,
} from '../../src-shared/domain/cash-rounding';

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
  /** Voucher / other: the voucher number or reference. */
  reference?: string;
  /**
   * Refuse an amount above what is left to pay, inside the transaction (vouchers and cards taken
   * elsewhere give no change and never pay more than the order).
   */
  upToRemaining?: true;
  /**
   * Cash only: the till's cash rounding. Cash that settles the order is rounded to it (on a euro
   * order only); the difference is the tender's `rounding_minor` and the change is counted from
   * the rounded amount due. Absent: no rounding.
   */
  cashRounding?: CashRounding;
};

export type TenderApplied = {
  tenderId: string;
  orderCompleted: boolean;
  remainingMinor: number;
  changeMinor: number;
  /** Cash rounding on this tender: what the customer paid beyond (or short of) the exact amount. */
  roundingMinor: number;
  /** Set when this attempt's tender was already recorded and nothing changed (safe repeat). */
  alreadyRecorded?: true;
};

type OrderMoneyRow = { status: string; total_minor: number; paid_minor: number; currency: string };

const stmts = preparedFor((db) => ({
  byAttempt: db.prepare<[string], { id: string; order_id: string }>(
    'SELECT id, order_id FROM tenders WHERE attempt_id = ?',
  ),
  orderMoney: db.prepare<[string], OrderMoneyRow>(
    'SELECT status, total_minor, paid_minor, currency FROM orders WHERE id = ?',
  ),
  insert: db.prepare(
    `INSERT INTO tenders (id, order_id, kind, amount_minor, tendered_minor, change_minor, attempt_id, terminal_id,
                          card_type, card_last4, auth_code, reference, created_at, rounding_minor)
     VALUES (@id, @orderId, @kind, @amount, @tendered, @change, @attemptId, @terminalId, @cardType, @cardLast4, @authCode, @reference, @now, @rounding)`,
  ),
  update: db.prepare(
    `UPDATE orders SET paid_minor = @paid, change_minor = change_minor + @change, status = @status, updated_at = @now,
            completed_at = CASE WHEN @completed = 1 THEN @now ELSE completed_at END
     WHERE id = @id`,
  ),
}));

const isWholePositive = (n: number) => Number.isSafeInteger(n) && n > 0;

/**
 * The single place a payment is applied to an order (cash or card), in one transaction: the tender
 * row, the order's paid amount, and the move to `paid` once fully tendered. A card tender for an
 * attempt that is already recorded is a no-op, so recovery can call this again safely. `at` is the
 * caller's clock (the orders service passes its own, so tenders and orders agree on the time).
 */
export function addTender(db: Db, tender: NewTender, at: Date = new Date()): TenderApplied {
  return db.transaction((): TenderApplied => {
    const s = stmts(db);
    if (tender.attemptId) {
      const existing = s.byAttempt.get(tender.attemptId);
      if (existing) {
        if (existing.order_id !== tender.orderId) {
          throw new TillError(
            'CONFLICT',
            'This card payment is already recorded against a different order.',
          );
        }
        const order = getOrderMoney(db, tender.orderId);
        return {
          tenderId: existing.id,
          orderCompleted: order.status === 'paid',
          remainingMinor: Math.max(0, order.total_minor - order.paid_minor),
          changeMinor: 0,
          roundingMinor: 0,
          alreadyRecorded: true,
        };
      }
    }
    const order = getOrderMoney(db, tender.orderId);
    if (order.status === 'paid' || order.status === 'voided') {
      throw new TillError(
        'ORDER_STATE',
        `This order is already ${order.status}; no further payment can be taken.`,
      );
    }
    if (order.status === 'parked') {
      throw new TillError('ORDER_STATE', 'This order is parked: resume it before taking payment.');
    }
    if (!isWholePositive(tender.amountMinor)) {
      throw new TillError('VALIDATION', 'A payment must be a whole, positive number of pence.');
    }
    const remaining = order.total_minor - order.paid_minor;
    if (tender.upToRemaining && tender.amountMinor > remaining)
      throw new TillError(
        'VALIDATION',
        `That is more than the ${formatMoney(remaining, order.currency as CurrencyCode)} left to pay on this order; nothing was recorded.`,
      );
    let applied = tender.amountMinor;
    let change = 0;
    let rounding = 0;
    if (tender.kind === 'cash') {
      const handed = tender.tenderedMinor ?? tender.amountMinor;
      // Zero is whole: a remainder of 1 or 2 cents rounds to nothing due (docs/staff-and-cash.md).
      if (!Number.isSafeInteger(handed) || handed < 0)
        throw new TillError(
          'VALIDATION',
          'Cash handed over must be a whole, positive number of pence.',
        );
      // Cash beyond what is owed is change, never an overpayment.
      applied = Math.min(tender.amountMinor, remaining);
      const step = cashRoundingStep(order.currency as CurrencyCode, tender.cashRounding ?? 'none');
      const due = cashDue(applied, remaining, step);
      rounding = due.roundingMinor;
      if (handed < (rounding !== 0 ? due.dueMinor : tender.amountMinor)) {
        const money = (m: number) => formatMoney(m, order.currency as CurrencyCode);
        throw new TillError(
          'VALIDATION',
          rounding !== 0
            ? `Cash handed over (${money(handed)}) is less than the ${money(due.dueMinor)} due (${money(applied)} rounded to the nearest 0.05); nothing was taken.`
            : 'Cash handed over is less than the amount to pay.',
        );
      }
      change = handed - applied - rounding;
    }
    // A card payment is money already taken: it is recorded in full, never silently trimmed.
    const tenderId = timeOrderedId();
    const now = at.toISOString();
    s.insert.run({
      id: tenderId,
      orderId: tender.orderId,
      kind: tender.kind,
      amount: applied,
      tendered: tender.kind === 'cash' ? (tender.tenderedMinor ?? applied) : null,
      change,
      attemptId: tender.attemptId ?? null,
      terminalId: tender.terminalId ?? null,
      cardType: tender.cardType ?? null,
      cardLast4: tender.cardLast4 ?? null,
      authCode: tender.authCode ?? null,
      reference: tender.reference ?? null,
      now,
      rounding,
    });
    const paid = order.paid_minor + applied;
    const completed = paid >= order.total_minor;
    // An order waiting for a card keeps saying so after a part payment in cash.
    const status = completed ? 'paid' : order.status === 'awaiting_card' ? 'awaiting_card' : 'open';
    s.update.run({ paid, change, status, now, completed: completed ? 1 : 0, id: tender.orderId });
    return {
      tenderId,
      orderCompleted: completed,
      remainingMinor: Math.max(0, order.total_minor - paid),
      changeMinor: change,
      roundingMinor: rounding,
    };
  })();
}

function getOrderMoney(db: Db, orderId: string): OrderMoneyRow {
  const row = stmts(db).orderMoney.get(orderId);
  if (!row) throw new TillError('NOT_FOUND', 'That order does not exist.');
  return row;
}
