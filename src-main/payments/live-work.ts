import type { Db } from '../db/connection';

/**
 * The payments feature's work in progress, for the update policy: card sales not final yet, and
 * refunds still running on a terminal or still being sent to Dojo.
 */
export function liveWork(db: Db): { livePayments: number; liveRefunds: number } {
  const row = db
    .prepare<[], { payments: number; terminalRefunds: number; sendingRefunds: number }>(
      `SELECT
         (SELECT count(*) FROM payment_attempts WHERE is_final = 0 AND kind = 'sale') AS payments,
         (SELECT count(*) FROM payment_attempts a WHERE a.is_final = 0 AND a.kind <> 'sale'
            AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.attempt_id = a.id AND r.status = 'pending'))
           AS terminalRefunds,
         (SELECT count(*) FROM refunds WHERE status = 'pending') AS sendingRefunds`,
    )
    .get();
  return {
    livePayments: row?.payments ?? 0,
    liveRefunds: (row?.terminalRefunds ?? 0) + (row?.sendingRefunds ?? 0),
  };
}
