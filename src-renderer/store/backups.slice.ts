import type { StateCreator } from 'zustand';
import type { BackupInfo, TillApi } from '../../src-shared/contract';
import type { TillState } from './store';

export type BackupsSlice = {
  backups: BackupInfo[] | null;
  backingUp: boolean;
  backupError: string | null;
  loadBackups: () => Promise<void>;
  backupNow: () => Promise<void>;
};

export const createBackupsSlice =
  (till: TillApi): StateCreator<TillState, [], [], BackupsSlice> =>
  (set, get) => ({
    backups: null,
    backingUp: false,
    backupError: null,
    async loadBackups() {
      const r = await till['backups:list']();
      if (r.ok) set({ backups: r.value });
    },
    async backupNow() {
      if (get().backingUp) return;
      set({ backingUp: true, backupError: null });
      const r = await till['backups:create']();
      set({ backingUp: false, backupError: r.ok ? null : r.error.message });
      if (r.ok) get().say('ok', `Backup saved: ${r.value.name}`);
      await get().loadBackups();
    },
  });
