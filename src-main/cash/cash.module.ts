import type { Db } from '../db/connection';
import type { DojoModule } from '../dojo/dojo.module';
import type { Logger } from '../logging/logger';
import type { OrdersPort } from '../orders/orders-port';
import type { FeatureModule } from '../platform/feature-module';
import type { PrintService } from '../printing/print-service';
import type { ReportsService } from '../reports/reports.service';
import type { SettingsService } from '../settings/settings.service';
import type { OtherTendersService } from '../tenders/other-tenders.service';
import { createCashHandlers } from './cash.ipc';
import { createCashService } from './cash.service';

/**
 * The drawer and the till day: float, movements, the count and the close with its Dojo check. A
 * check left pending at close (Dojo away) runs as soon as Dojo answers again (`linkChanged`).
 */
export function createCashModule(deps: {
  db: Db;
  log: Logger;
  settings: SettingsService;
  dojo: DojoModule;
  printing: PrintService;
  reports: ReportsService;
  orders: OrdersPort;
  tenders: OtherTendersService;
  /** The till status changed (a Dojo check finished). */
  emitStatus: () => void;
}) {
  const { reports, log } = deps;
  const cash = createCashService({
    db: deps.db,
    logger: log,
    currency: () => deps.settings.get().currency,
    printing: deps.printing,
    reports,
    dojo: deps.dojo.client,
    onCheckCompleted: () => deps.emitStatus(),
    orders: deps.orders,
    tenders: deps.tenders,
  });
  const runPending = () => cash.runPending();
  return {
    name: 'cash',
    service: cash,
    handlers: createCashHandlers(cash, (check) => void reports.printDojoCheck(check)),
    /** Dojo's link changed: once online, pending three-way checks run. */
    linkChanged() {
      if (deps.dojo.link.state === 'online')
        void runPending().catch((error: unknown) =>
          log.warn('pending Dojo checks failed', { error: String(error) }),
        );
    },
    async stop() {
      await runPending().catch(() => undefined);
    },
  } satisfies FeatureModule & Record<string, unknown>;
}
