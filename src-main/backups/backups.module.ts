import type { Handlers } from '../../src-shared/contract';
import type { Db } from '../db/connection';
import type { Logger } from '../logging/logger';
import type { CoreEventBus } from '../platform/event-bus';
import type { FeatureModule } from '../platform/feature-module';
import type { SettingsService } from '../settings/settings.service';
import { createBackupService } from './backup.service';
import { createBackupsHandlers } from './backups.ipc';

/**
 * Copies of the database: by hand from Settings, and one behind each day close (`closeDay` is the
 * cash feature's close, which this module's `reports:close-day` wraps). Once the copy is made the
 * closed day is announced (`day:closed`): what follows a closed day (an update's install) then
 * never cuts the copy short.
 */
export function createBackupsModule(deps: {
  db: Db;
  log: Logger;
  dataDir: string;
  settings: SettingsService;
  events: CoreEventBus;
  closeDay: Handlers['reports:close-day'];
}) {
  const backups = createBackupService({
    db: deps.db,
    dataDir: deps.dataDir,
    keep: () => deps.settings.get().backupKeep,
    logger: deps.log,
  });
  const { closeDay } = deps;
  return {
    name: 'backups',
    service: backups,
    emits: ['day:closed'],
    handlers: {
      ...createBackupsHandlers(backups),
      // The day is closed whatever happens to the copy: a failed backup is logged, and Settings
      // can make one by hand.
      'reports:close-day': async (input) => {
        const closure = await closeDay(input);
        await backups.create('day-close').catch(() => undefined);
        deps.events.emit('day:closed', {
          closureId: closure.closureId,
          closedAt: closure.closedAt,
        });
        return closure;
      },
    },
  } satisfies FeatureModule & Record<string, unknown>;
}
