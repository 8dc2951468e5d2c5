import type { Db } from '../db/connection';
import type { Logger } from '../logging/logger';
import type { EventBus } from '../platform/event-bus';
import type { FeatureModule, TradingCounts } from '../platform/feature-module';
import type { SettingsService } from '../settings/settings.service';
import { requireManagerPin } from '../staff/manager-pin';
import { createUpdateService, type AutoUpdaterLike } from './update-service';
import { createUpdatesHandlers } from './updates.ipc';

/**
 * Desktop updates: downloaded in the background, installed only at a quiet moment (start-up, or
 * right after the day is closed) with nothing going on at the counter. `tradingCounts` is the
 * other features' work in progress (compose merges it); the basket is stated by the renderer. A
 * closed day (`dayClosed`, the core event `day:closed`) is a quiet moment: it checks for an
 * update and installs a ready one once the counter is idle.
 */
export function createUpdatesModule(deps: {
  db: Db;
  log: Logger;
  bus: EventBus;
  settings: SettingsService;
  currentVersion: string;
  updater: AutoUpdaterLike | null;
  tradingCounts: () => TradingCounts;
  timings?: { startUpWindowMs?: number; recheckMs?: number };
}) {
  const updates = createUpdateService({
    settings: deps.settings,
    log: deps.log,
    currentVersion: deps.currentVersion,
    updater: deps.updater,
    tradingCounts: deps.tradingCounts,
    requireManagerPin: (pin) => requireManagerPin(deps.db, pin),
    ...deps.timings,
  });
  updates.onChange((s) => deps.bus.emit('updates:changed', s));
  return {
    name: 'updates',
    service: updates,
    handlers: createUpdatesHandlers(updates),
    listens: ['day:closed'],
    onDayClosed: () => updates.dayClosed(),
    start: () => updates.start(),
    stop: () => Promise.resolve(updates.stop()),
  } satisfies FeatureModule & Record<string, unknown>;
}
