import type { TipsSummary } from '../../src-shared/domain/receipt';
import type { PaymentAttempt } from '../../src-shared/domain/payments';
import type { Db } from '../db/connection';
import type { DojoPaymentIntent } from '../dojo/dojo-schemas';

/**
 * The tip on a captured intent, apart from the sale (docs/PAYMENTS.md "Tips"): Dojo's `tipsAmount`
 * when it sends one, otherwise whatever `totalAmount` holds above the sale's `amount` (a terminal
 * that added a tip without naming it). Zero when there is none.
 */
export function tipOfIntent(intent: DojoPaymentIntent, saleMinor: number): number {
  const named = intent.tipsAmount?.value ?? 0;
  if (named > 0) return named;
  const total = intent.totalAmount?.value ?? 0;
  const sale = intent.amount?.value ?? saleMinor;
  return total > sale ? total - sale : 0;
}

/**
 * Records the tip of a succeeded sale attempt against its card tender, in the caller's transaction
 * (the one that applies the tender). Idempotent per tender: recovery may run it again. The tip
 * takes the tender's staff (who started the sale) and the attempt's terminal.
 */
export function recordTip(db: Db, attempt: PaymentAttempt, intent: DojoPaymentIntent): number {
  const tip = tipOfIntent(intent, attempt.amountMinor);
  if (tip <= 0 || !attempt.orderId) return 0;
  const tender = db
    .prepare<[string], { id: string; staff_id: string | null }>(
      'SELECT id, staff_id FROM tenders WHERE attempt_id = ?',
    )
    .get(attempt.id);
  if (!tender) return 0;
  db.prepare(
    `INSERT INTO tips (tender_id, order_id, attempt_id, amount_minor, currency, terminal_id, staff_id, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tender_id) DO NOTHING`,
  ).run(
    tender.id,
    attempt.orderId,
    attempt.id,
    tip,
    intent.tipsAmount?.currencyCode ?? intent.totalAmount?.currencyCode ?? attempt.currency,
    attempt.terminalId,
    tender.staff_id,
    new Date().toISOString(),
  );
  return tip;
}

/** Tips per order, for the order's detail and receipt. */
export const tipsOfOrder = (db: Db, orderId: string): { tenderId: string; amountMinor: number }[] =>
  db
    .prepare<[string], { tenderId: string; amountMinor: number }>(
      'SELECT tender_id AS tenderId, amount_minor AS amountMinor FROM tips WHERE order_id = ? ORDER BY created_at',
    )
    .all(orderId);

const PAID_IN_PERIOD = `o.status = 'paid' AND o.completed_at > @start AND o.completed_at <= @end`;

/** Tips of the orders paid in the period, per terminal and per person (Z and X reports). */
export function tipsSummary(db: Db, start: string, end: string): TipsSummary {
  const p = { start, end };
  const byTerminal = db
    .prepare<typeof p, TipsSummary['byTerminal'][number]>(
      `SELECT coalesce(tp.terminal_id, 'unknown') AS terminalId, max(a.terminal_tid) AS terminalTid,
              count(*) AS count, sum(tp.amount_minor) AS amountMinor
       FROM tips tp JOIN orders o ON o.id = tp.order_id LEFT JOIN payment_attempts a ON a.id = tp.attempt_id
       WHERE ${PAID_IN_PERIOD} GROUP BY coalesce(tp.terminal_id, 'unknown') ORDER BY terminalId`,
    )
    .all(p);
  const byStaff = db
    .prepare<
      typeof p,
      { staffId: string | null; name: string | null; count: number; amountMinor: number }
    >(
      `SELECT tp.staff_id AS staffId, s.name AS name, count(*) AS count, sum(tp.amount_minor) AS amountMinor
       FROM tips tp JOIN orders o ON o.id = tp.order_id LEFT JOIN staff s ON s.id = tp.staff_id
       WHERE ${PAID_IN_PERIOD} GROUP BY tp.staff_id ORDER BY s.name`,
    )
    .all(p)
    .map((r) => ({ ...r, name: r.name ?? (r.staffId ? 'Unknown' : 'Nobody signed in') }));
  return {
    count: byTerminal.reduce((n, t) => n + t.count, 0),
    amountMinor: byTerminal.reduce((n, t) => n + t.amountMinor, 0),
    byTerminal,
    byStaff,
  };
}
