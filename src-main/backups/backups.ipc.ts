import type { Handlers } from '../../src-shared/contract';
import type { backupsChannels } from '../../src-shared/contract/backups.contract';
import type { BackupService } from './backup.service';

export type BackupsChannel = keyof typeof backupsChannels;

export function createBackupsHandlers(backups: BackupService): Pick<Handlers, BackupsChannel> {
  return {
    'backups:list': () => backups.list(),
    'backups:create': () => backups.create('manual'),
  };
}
