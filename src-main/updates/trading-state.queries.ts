import type { Db } from '../db/connection';
// eslint-disable-next-line opentill/no-foreign-repo -- until each feature reports its own work in progress through its module (issue 10, item 4)
import { jobCounts } from '../printing/print-jobs.repo';
import type { TradingState } from './update-policy';

/**
 * What the database says is in progress: card payments, refunds (terminal or being sent to Dojo)
 * and print jobs. The basket is the renderer's until it is committed, so it is reported apart.
 */
export function readTradingCounts(db: Db): Omit<TradingState, 'basketOpen'> {
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
    pendingPrintJobs: jobCounts(db).pending,
  };
}
