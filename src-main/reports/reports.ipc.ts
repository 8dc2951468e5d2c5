import type { Handlers } from '../../src-shared/contract';
import type { reportsChannels } from '../../src-shared/contract/reports.contract';
import type { ReportsService } from './reports.service';

/**
 * The reports channels of the contract. Closing the day is the cash drawer's close (cash.ipc.ts:
 * the count and the Dojo check), which records the closure through this feature's service.
 */
export type ReportsChannel = Extract<
  keyof typeof reportsChannels,
  'reports:end-of-day' | 'reports:print-x'
>;

/** Handlers for exactly the reports channels; the core wires them next to the others. */
export function createReportsHandlers(service: ReportsService): Pick<Handlers, ReportsChannel> {
  return {
    'reports:end-of-day': () => service.endOfDayReport(),
    'reports:print-x': () => service.printXReport(),
  };
}
