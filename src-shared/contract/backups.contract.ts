import { z } from 'zod';
import { channel } from './define';

export type BackupReason = 'day-close' | 'manual';

/** One consistent copy of the till's database in `<data folder>/backups/`. */
export type BackupInfo = {
  /** File name inside the backups folder (never a path from elsewhere). */
  name: string;
  createdAt: string;
  sizeBytes: number;
  reason: BackupReason;
};

export const backupsChannels = {
  /** The backups kept, newest first. */
  'backups:list': channel<BackupInfo[]>()(z.undefined()),
  /** Copies the database now (SQLite's online backup: consistent while the till keeps selling). */
  'backups:create': channel<BackupInfo>()(z.undefined()),
} as const;
