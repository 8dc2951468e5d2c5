import type { Handlers } from '../../src-shared/contract';
import type { paymentsChannels } from '../../src-shared/contract/payments.contract';
import type { PaymentsService } from './payments.service';
import { guardTerminalWork, type DojoLink } from './terminal-guard';

export type PaymentsChannel = keyof typeof paymentsChannels;

/**
 * Thin adapters: inputs arrive parsed by the dispatcher with the contract's zod schemas. With the
 * link to Dojo, new terminal work is refused while Dojo cannot be reached (terminal-guard.ts).
 */
export function createPaymentsHandlers(
  service: PaymentsService,
  link?: () => DojoLink,
): Pick<Handlers, PaymentsChannel> {
  const handlers: Pick<Handlers, PaymentsChannel> = {
    'terminals:list': () => service.listTerminals(),
    'terminals:set-default': ({ terminalId }) => service.setDefaultTerminal(terminalId),
    'payments:start-sale': (input) => service.startSale(input),
    'refunds:matched': (input) => service.matchedRefund(input),
    'refunds:unlinked': (input) => service.unlinkedRefund(input),
    'refunds:server': (input) => service.serverRefund(input),
    'refunds:list-for-order': ({ orderId }) => service.listRefundsForOrder(orderId),
    'payments:cancel': ({ attemptId }) => service.cancel(attemptId),
    'payments:signature': ({ attemptId, accepted }) => service.signature(attemptId, accepted),
    'payments:new-sale': () => service.newSale(),
    'payments:check-again': ({ attemptId }) => service.checkAgain(attemptId),
    'payments:record-manually': (input) => service.recordManually(input),
    'payments:get': ({ attemptId }) => service.get(attemptId),
    'payments:list-for-order': ({ orderId }) => service.listForOrder(orderId),
    'payments:list-to-check': () => service.listToCheck(),
  };
  return link ? guardTerminalWork(handlers, link) : handlers;
}
