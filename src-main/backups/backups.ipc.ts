import type { Handlers } from '../../src-shared/contract';
import type { BackupService } from './backup.service';

export type BackupsChannel = 'backups:list' | 'backups:create';

export function createBackupsHandlers(backups: BackupService): Pick<Handlers, BackupsChannel> {
  return {
    'backups:list': () => backups.list(),
    'backups:create': () => backups.create('manual'),
  };
}
