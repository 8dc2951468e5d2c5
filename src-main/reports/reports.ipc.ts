import type { Handlers } from '../../src-shared/contract';
import type { printingChannels } from '../../src-shared/contract/printing.contract';
import type { ReportsService } from './reports.service';

/**
 * The reports channels of the contract. Closing the day is the cash drawer's close (cash.ipc.ts:
 * the count and the Dojo check), which records the closure through this feature's service.
 */
export type ReportsChannel = Exclude<
  Extract<keyof typeof printingChannels, `reports:${string}`>,
  'reports:close-day'
>;

/** Handlers for exactly the reports channels; the core wires them next to the others. */
export function createReportsHandlers(service: ReportsService): Pick<Handlers, ReportsChannel> {
  return {
    'reports:end-of-day': () => service.endOfDayReport(),
    'reports:print-x': () => service.printXReport(),
  };
}
