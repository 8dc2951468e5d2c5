import { managerOnlySettings, type Handlers } from '../../src-shared/contract';
import type { settingsChannels } from '../../src-shared/contract/settings.contract';
import { TillError } from '../../src-shared/errors';
import type { CredentialsService } from '../credentials/credentials.service';
import type { KeyChanges } from '../credentials/key-change';
import type { SettingsService } from './settings.service';
import {
  checkPrinterTarget,
  normalisePrinterTarget,
  type PrinterPolicy,
} from '../printing/printer-policy';

export type ManagerPin = {
  isSet(): boolean;
  set(newPin: string, currentPin?: string): void;
};

export type SettingsHandlerDeps = {
  settings: SettingsService;
  credentials: CredentialsService;
  keyChanges: KeyChanges;
  testConnection: () => Promise<{ ok: boolean; message: string; terminals: number | null }>;
  managerPin: ManagerPin;
  /** Where a printer typed on the Settings screen may point. */
  printerPolicy: PrinterPolicy;
};

type SettingsChannel = keyof typeof settingsChannels;

export function createSettingsHandlers(deps: SettingsHandlerDeps): Pick<Handlers, SettingsChannel> {
  return {
    'settings:get': () => deps.settings.get(),
    'settings:update': (patch) => {
      const guarded = managerOnlySettings.filter((key) => key in patch);
      if (guarded.length > 0)
        throw new TillError(
          'VALIDATION',
          'How the till updates is changed in Settings → Updates, with the manager PIN.',
        );
      if (patch.printer === undefined) return deps.settings.update(patch);
      checkPrinterTarget(patch.printer, deps.printerPolicy);
      return deps.settings.update({
        ...patch,
        printer: normalisePrinterTarget(patch.printer, deps.printerPolicy),
      });
    },
    'credentials:status': () => deps.credentials.status(),
    'credentials:set': ({ apiKey, managerPin }) => deps.keyChanges.set(apiKey, managerPin),
    'credentials:clear': ({ managerPin }) => deps.keyChanges.clear(managerPin),
    'credentials:test': () => deps.testConnection(),
    'manager:status': () => ({ pinSet: deps.managerPin.isSet() }),
    'manager:set-pin': ({ newPin, currentPin }) => {
      deps.managerPin.set(newPin, currentPin);
      return { pinSet: true as const };
    },
  };
}
