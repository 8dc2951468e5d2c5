import type { UpdateMode } from '../../src-shared/contract/updates.contract';
import type { TradingCounts } from '../platform/feature-module';

/**
 * What is going on at the counter, as far as an update is concerned: the features' work in
 * progress (`TradingCounts`, each key owned by one feature module) and the renderer's basket.
 */
export type TradingState = TradingCounts & {
  /** The renderer has a basket with lines, or a checkout open (reported by the renderer). */
  basketOpen: boolean;
};

/**
 * The only moments an update may install: while the till is starting (before the first basket)
 * and right after the day has been closed (before the next basket). Everything else is trading.
 */
export type TillMoment = 'start-up' | 'day-closed' | 'trading';

export type InstallQuestion = {
  moment: TillMoment;
  trading: TradingState;
  mode: UpdateMode;
  pinnedVersion: string | null;
  /** The downloaded version waiting to install, or null if none is ready. */
  readyVersion: string | null;
};

export type InstallDecision = { install: true } | { install: false; reason: string };

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * "May we install the downloaded update now?" Pure: every input is passed in. The reasons are
 * plain words for the status bar; the first one that applies wins, most important first.
 */
export function mayInstallNow(q: InstallQuestion): InstallDecision {
  if (q.readyVersion === null) return { install: false, reason: 'No update has been downloaded.' };
  if (q.mode === 'off') return { install: false, reason: 'Updates are turned off in Settings.' };
  if (q.mode === 'pinned' && q.readyVersion !== q.pinnedVersion)
    return {
      install: false,
      reason: `A manager pinned this till to version ${q.pinnedVersion ?? 'the current one'}.`,
    };
  if (q.trading.livePayments > 0)
    return {
      install: false,
      reason: `Waiting: ${plural(q.trading.livePayments, 'card payment is', 'card payments are')} in progress.`,
    };
  if (q.trading.liveRefunds > 0)
    return {
      install: false,
      reason: `Waiting: ${plural(q.trading.liveRefunds, 'refund is', 'refunds are')} in progress.`,
    };
  if (q.trading.basketOpen)
    return { install: false, reason: 'Waiting: a basket is open on the till.' };
  if (q.trading.pendingPrintJobs > 0)
    return {
      install: false,
      reason: `Waiting: ${plural(q.trading.pendingPrintJobs, 'receipt is', 'receipts are')} still to print.`,
    };
  if (q.moment === 'trading')
    return {
      install: false,
      reason: 'Installs at the next start or right after the day is closed.',
    };
  return { install: true };
}
