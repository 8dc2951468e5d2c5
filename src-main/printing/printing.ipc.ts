import type { Handlers } from '../../src-shared/contract';
import type { printingChannels } from '../../src-shared/contract/printing.contract';
import type { PrintService } from './print-service';

/** The printing channels of the contract; its `reports:*` channels are the reports feature's. */
export type PrintingChannel = Exclude<keyof typeof printingChannels, `reports:${string}`>;

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
  };
}
