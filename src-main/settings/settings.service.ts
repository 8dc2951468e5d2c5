import {
  settingsPatchSchema,
  storedSettingsSchema,
  type Settings,
} from '../../src-shared/contract';
import { TillError } from '../../src-shared/errors';
import { defaultScaleBarcodeRules } from '../../src-shared/domain/scale-barcodes';
import type { Db } from '../db/connection';
import type { Logger } from '../logging/logger';
import { readSetting, writeSetting } from '../platform/key-value';
import { audit } from '../platform/audit';
import { createListeners } from '../platform/emitter';
import { cashRoundingProblem } from '../../src-shared/domain/cash-rounding';

export const defaultSettings: Settings = {
  shopName: 'OpenTill Café',
  shopAddress: '1 High Street, Anytown AB1 2CD',
  vatNumber: 'GB123456789',
  receiptFooter: 'Thank you for visiting!',
  tillName: 'T1',
  currency: 'GBP',
  softwareHouseId: 'softwareHouse1',
  resellerId: 'reseller1',
  defaultTerminalId: null,
  printer: 'none',
  printerType: 'epson',
  paperWidth: 80,
  updateMode: 'automatic',
  updatePinnedVersion: null,
  backupKeep: 7,
  receiptDefault: 'print',
  tipOffer: false,
  cashRounding: 'none',
  scaleBarcodes: defaultScaleBarcodeRules,
};

/** Environment variables that override a stored setting (docs/OPERATIONS.md, Configuration: the environment wins). */
const envOverrides: Partial<Record<keyof Settings, string>> = {
  softwareHouseId: 'OPENTILL_SOFTWARE_HOUSE_ID',
  resellerId: 'OPENTILL_RESELLER_ID',
  printer: 'OPENTILL_PRINTER',
};

export type SettingsService = {
  get(): Settings;
  update(patch: unknown, actor?: string): Settings;
  /** Keys whose value currently comes from the environment, not the Settings screen. */
  overriddenByEnvironment(): (keyof Settings)[];
  onChange(listener: (settings: Settings) => void): () => void;
};

export function createSettingsService(
  db: Db,
  env: NodeJS.ProcessEnv,
  log: Logger,
): SettingsService {
  const listeners = createListeners<Settings>();
  let current: Settings | null = null;

  const stored = (): Settings => {
    const merged: Record<string, unknown> = { ...defaultSettings };
    for (const key of Object.keys(defaultSettings) as (keyof Settings)[]) {
      const value = readSetting(db, `settings.${key}`);
      if (value !== undefined) merged[key] = value;
    }
    const parsed = storedSettingsSchema.safeParse(merged);
    if (parsed.success) return parsed.data;
    log.warn('stored settings invalid; using defaults for the bad keys', {
      issues: parsed.error.issues.length,
    });
    // Only the bad keys fall back (a value saved before a rule got stricter): the shop name and
    // everything else that is fine stay as the shop set them.
    for (const issue of parsed.error.issues) {
      const key = issue.path[0];
      if (typeof key === 'string' && key in defaultSettings)
        merged[key] = defaultSettings[key as keyof Settings];
    }
    const repaired = storedSettingsSchema.safeParse(merged);
    return repaired.success ? repaired.data : { ...defaultSettings };
  };

  const withEnv = (settings: Settings): Settings => {
    const out: Record<string, unknown> = { ...settings };
    for (const [key, variable] of Object.entries(envOverrides)) {
      const value = env[variable];
      if (value !== undefined && value !== '') out[key] = value;
    }
    const parsed = storedSettingsSchema.safeParse(out);
    if (!parsed.success) {
      throw new TillError(
        'VALIDATION',
        `A setting from the environment is invalid: ${parsed.error.issues[0]?.message ?? 'unknown'}`,
      );
    }
    return parsed.data;
  };

  return {
    // Read on every Dojo call and status push: served from memory; only update() writes.
    get: () => (current ??= withEnv(stored())),
    update(patch, actor = 'operator') {
      const parsed = settingsPatchSchema.parse(patch);
      // Currency and cash rounding go together: a pound till (or one switching to pounds) keeps
      // rounding at none. Refused before anything is written.
      const before = current ?? withEnv(stored());
      const rounding = cashRoundingProblem(
        parsed.currency ?? before.currency,
        parsed.cashRounding ?? before.cashRounding,
      );
      if (rounding) throw new TillError('VALIDATION', rounding);
      db.transaction(() => {
        for (const [key, value] of Object.entries(parsed))
          writeSetting(db, `settings.${key}`, value);
        audit(db, actor, 'settings.update', null, { keys: Object.keys(parsed) });
      })();
      const next = withEnv(stored());
      current = next;
      listeners.emit(next);
      return next;
    },
    overriddenByEnvironment: () =>
      (Object.entries(envOverrides) as [keyof Settings, string][])
        .filter(([, variable]) => Boolean(env[variable]))
        .map(([key]) => key),
    onChange(listener) {
      return listeners.add(listener);
    },
  };
}
