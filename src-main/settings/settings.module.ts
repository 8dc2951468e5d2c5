import type { Db } from '../db/connection';
import type { CredentialsService } from '../credentials/credentials.service';
import { createKeyChanges } from '../credentials/key-change';
import type { FeatureModule } from '../platform/feature-module';
import type { PrinterPolicy } from '../printing/printer-policy';
import type { SettingsChange } from '../shop/shop-settings';
import { settingsManagerPin } from '../staff/manager-pin';
import { createSettingsHandlers } from './settings.ipc';
import type { SettingsService } from './settings.service';

/**
 * The Settings screen's requests: the till's settings, the Dojo key, the manager PIN and the
 * connection test. The settings store and the credentials themselves are built first in
 * core/compose.ts (every feature reads them); this module serves the requests that change them.
 * On a till joined to a shop, the shop's details (name, address, VAT number, footer) are the
 * shop's: a change goes to the shop database first and is refused when it cannot be reached.
 */
export function createSettingsModule(deps: {
  db: Db;
  settings: SettingsService;
  credentials: CredentialsService;
  printerPolicy: PrinterPolicy;
  /** The till is joined to a shop: the manager PIN is then a shop manager's. */
  joinedToShop: () => boolean;
  /** Sends a change of the shop's details to the shop database first (a no-op when not joined). */
  publishShopSettings: (patch: SettingsChange) => Promise<void>;
  testConnection: () => Promise<{ ok: boolean; message: string; terminals: number | null }>;
}) {
  const handlers = createSettingsHandlers({
    settings: deps.settings,
    credentials: deps.credentials,
    keyChanges: createKeyChanges(deps.db, deps.credentials),
    testConnection: deps.testConnection,
    managerPin: settingsManagerPin(deps.db, deps.joinedToShop),
    printerPolicy: deps.printerPolicy,
  });
  const update = handlers['settings:update'];
  return {
    name: 'settings',
    handlers: {
      ...handlers,
      'settings:update': async (patch) => {
        await deps.publishShopSettings(patch);
        return update(patch);
      },
    },
  } satisfies FeatureModule & Record<string, unknown>;
}
