import type { Handlers } from '../../src-shared/contract';
import type { printingChannels } from '../../src-shared/contract/printing.contract';
import type { PrintService } from './print-service';

export type PrintingChannel = keyof typeof printingChannels;

/** Handlers for exactly the printing channels; the core wires them next to the others. */
export function createPrintingHandlers(service: PrintService): Pick<Handlers, PrintingChannel> {
  return {
    'printing:test': () => service.testPrint(),
    'printing:status': () => service.status(),
    'printing:reprint': ({ jobId }) => service.reprint(jobId),
    'printing:merchant-copy': ({ orderId }) => service.printMerchantCopy(orderId),
    'printing:jobs': (input) => {
      if (input?.orderId) return service.jobsForOrder(input.orderId);
      if (input?.refundId) return service.jobsForRefund(input.refundId);
      return service.recentJobs();
    },
    'printing:preview': ({ kind, id }) => service.preview(id, kind),
    'reports:end-of-day': () => service.endOfDayReport(),
    'reports:print-x': () => service.printXReport(),
    'reports:close-day': ({ closedBy }) => service.closeDay(closedBy),
  };
}
