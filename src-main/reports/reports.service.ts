import { randomUUID } from 'node:crypto';
import type {
  DayClosure,
  EndOfDayReport,
  PrintJob,
} from '../../src-shared/contract/printing.contract';
import type { DojoCheck } from '../../src-shared/domain/dojo-check';
import { TillError } from '../../src-shared/errors';
import type { CurrencyCode } from '../../src-shared/money';
import type { Db } from '../db/connection';
import type { Logger } from '../logging/logger';
import type { PrintService } from '../printing/print-service';
import {
  buildDayReport,
  buildDojoCheckReport,
  type DaySummary,
} from '../printing/report-documents';
import {
  daySummary,
  insertClosure,
  lastClosureEnd,
  recordDrawerClose,
  type DrawerClose,
} from './reports.queries';

export type ReportsServiceDeps = {
  db: Db;
  logger: Logger;
  currency: () => CurrencyCode;
  /** The paper: the shop header and width the report is laid out for, and the journal. */
  printing: Pick<PrintService, 'shopInfo' | 'columns' | 'printReport'>;
};

export type ReportsService = ReturnType<typeof createReportsService>;

/** What another feature adds to a day close, inside the close's transaction. */
export type DayCloseHooks = {
  closedAt?: string;
  /** Added to the summary before it is stored and printed (the cash count, the Dojo check). */
  extras?: (s: DaySummary, closureId: string) => Partial<DaySummary>;
  /** Writes what goes with the closure (the drawer count, the check, the till day). */
  record?: (closureId: string, s: DaySummary) => void;
};

/**
 * The day's figures and the day closure: the X report (the open day so far, nothing reset) and
 * the Z report that records a closure, after which the next day's figures start. The paper forms
 * are the printer's (printing/report-documents.ts); this feature decides what is on them.
 */
export function createReportsService(deps: ReportsServiceDeps) {
  const { db, printing } = deps;
  const log = deps.logger.child('reports');
  const summaryUpTo = (end: string): DaySummary => daySummary(db, end, deps.currency());

  return {
    /** Where the open day starts: the end of the latest closure, or null before the first. */
    openDayStart: (): string | null => lastClosureEnd(db),

    endOfDayReport(): EndOfDayReport {
      const summary = summaryUpTo(new Date().toISOString());
      return {
        summary,
        document: buildDayReport(printing.shopInfo(), summary, null),
        columns: printing.columns(),
      };
    },

    /** Prints the open day's figures (X report) as they are now; nothing is reset. */
    printXReport(): PrintJob {
      const summary = summaryUpTo(new Date().toISOString());
      const job = printing.printReport(buildDayReport(printing.shopInfo(), summary, null));
      if (!job)
        throw new TillError(
          'PRINTER_CONFIG',
          'No receipt printer is set up, so the X report cannot be printed. Choose one in Settings.',
        );
      return job;
    },

    /** Prints the three-way card check of a closure (from Reports); null with no printer. */
    printDojoCheck: (check: DojoCheck): PrintJob | null =>
      printing.printReport(buildDojoCheckReport(printing.shopInfo(), check, deps.currency())),

    /** The till day, who closed it and the drawer count, on a closure (in the close's `record`). */
    recordDrawerClose: (closureId: string, d: DrawerClose): void =>
      recordDrawerClose(db, closureId, d),

    /**
     * Closes the day (the operator confirmed): records the closure and prints the Z report.
     * `extras` adds to the summary (the cash count, the Dojo check) and `record` writes what goes
     * with the closure, both inside the same transaction.
     */
    closeDay(closedBy = 'operator', hooks: DayCloseHooks = {}): DayClosure {
      const closedAt = hooks.closedAt ?? new Date().toISOString();
      const closureId = randomUUID();
      const { summary, document, job } = db.transaction(() => {
        const base = summaryUpTo(closedAt);
        const s: DaySummary = { ...base, ...hooks.extras?.(base, closureId) };
        insertClosure(db, closureId, s, closedBy, closedAt);
        hooks.record?.(closureId, s);
        const doc = buildDayReport(printing.shopInfo(), s, { id: closureId, closedBy });
        return { summary: s, document: doc, job: printing.printReport(doc) };
      })();
      log.info('day closed', { closureId, orders: summary.ordersCount, sales: summary.salesMinor });
      return { closureId, closedAt, summary, document, columns: printing.columns(), job };
    },
  };
}
