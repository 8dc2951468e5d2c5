import type { Handlers } from '../../src-shared/contract';
import type { reportsChannels } from '../../src-shared/contract/reports.contract';
import type { staffChannels } from '../../src-shared/contract/staff.contract';
import type { CashService } from './cash.service';
import type { ReportsChannel } from '../reports/reports.ipc';

/** The drawer's channels, and the day close with its Dojo checks (the reports contract's). */
type CashChannel =
  | Exclude<keyof typeof staffChannels, `staff:${string}`>
  | Exclude<keyof typeof reportsChannels, ReportsChannel>;

/** Inputs may arrive without their optional parts once the guard has taken `approval` off. */
export function createCashHandlers(
  cash: CashService,
  print: (check: Awaited<ReturnType<CashService['runCheck']>>) => void,
): Pick<Handlers, CashChannel> {
  return {
    'day:get': () => cash.day(),
    'day:open': ({ float }) => cash.openDay(float),
    'drawer:pay': ({ movement }) => cash.pay(movement),
    'drawer:no-sale': (input) => cash.noSale((input as { reason?: string } | undefined)?.reason),
    'refunds:cash': ({ orderId, amountMinor, reason }) =>
      cash.cashRefund({ orderId, amountMinor, reason }),
    'cash:summary': () => cash.summary(),
    'reports:dojo-checks': () => cash.checks(),
    'reports:run-dojo-check': async ({ closureId, print: wanted }) => {
      const check = await cash.runCheck(closureId);
      if (wanted) print(check);
      return check;
    },
    'reports:close-day': ({ count, closedBy }) => cash.closeDay({ count, closedBy }),
  };
}
