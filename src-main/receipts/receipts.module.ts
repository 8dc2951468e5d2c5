import type { Db } from '../db/connection';
import type { DojoModule } from '../dojo/dojo.module';
import type { Logger } from '../logging/logger';
import type { FeatureModule } from '../platform/feature-module';
import type { PrintService } from '../printing/print-service';
import type { SettingsService } from '../settings/settings.service';
import { createReceiptChoiceService } from './receipt-choice.service';

/**
 * The customer's receipt choice after payment (print, e-mail via Dojo, none): whether a paid
 * order's customer receipt prints follows it. Its channels are served with the tenders' ones.
 */
export function createReceiptsModule(deps: {
  db: Db;
  log: Logger;
  dojo: DojoModule;
  settings: SettingsService;
  printing: PrintService;
}) {
  const receipts = createReceiptChoiceService({
    db: deps.db,
    logger: deps.log,
    dojo: deps.dojo.client,
    getSettings: () => deps.settings.get(),
    printing: deps.printing,
  });
  deps.printing.followReceiptChoice((orderId) => receipts.wantsPrinted(orderId));
  return { name: 'receipts', service: receipts } satisfies FeatureModule & Record<string, unknown>;
}
