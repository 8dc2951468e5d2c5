import type { Db } from '../db/connection';
import type { Logger } from '../logging/logger';
import type { FeatureModule } from '../platform/feature-module';
import type { PrintService } from '../printing/print-service';
import type { SettingsService } from '../settings/settings.service';
import { createReportsHandlers } from './reports.ipc';
import { createReportsService } from './reports.service';

/** The X and Z reports and the day closure; their paper goes through the print journal. */
export function createReportsModule(deps: {
  db: Db;
  log: Logger;
  settings: SettingsService;
  printing: PrintService;
}) {
  const reports = createReportsService({
    db: deps.db,
    logger: deps.log,
    currency: () => deps.settings.get().currency,
    printing: deps.printing,
  });
  return {
    name: 'reports',
    service: reports,
    handlers: createReportsHandlers(reports),
  } satisfies FeatureModule & Record<string, unknown>;
}
