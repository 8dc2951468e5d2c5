import type { StateCreator } from 'zustand';
import type { TillApi } from '../../src-shared/contract';
import type { UpdateMode, UpdateStatus } from '../../src-shared/contract/updates.contract';
import { pinError, type PinError } from '../lib/pin-error';
import type { TillState } from './store';

export type UpdatesSlice = {
  update: UpdateStatus | null;
  loadUpdate: () => Promise<void>;
  setUpdate: (status: UpdateStatus) => void;
  setUpdateMode: (mode: UpdateMode, managerPin: string) => Promise<PinError | null>;
  checkForUpdate: () => Promise<void>;
  /** Tells the core whether a basket or checkout is open: an update never installs under one. */
  reportBasket: (basketOpen: boolean) => Promise<void>;
};

export const createUpdatesSlice =
  (till: TillApi): StateCreator<TillState, [], [], UpdatesSlice> =>
  (set, get) => ({
    update: null,
    async loadUpdate() {
      const r = await till['updates:status']();
      if (r.ok) set({ update: r.value });
    },
    setUpdate: (update) => set({ update }),
    async setUpdateMode(mode, managerPin) {
      const r = await till['updates:set-mode']({ mode, managerPin });
      if (!r.ok) return pinError(r.error, 'That manager PIN is not right');
      set({ update: r.value });
      void get().loadSettings();
      get().say('ok', 'Update setting saved');
      return null;
    },
    async checkForUpdate() {
      const r = await till['updates:check']();
      if (r.ok) set({ update: r.value });
      else get().say('error', r.error.message);
    },
    async reportBasket(basketOpen) {
      await till['updates:basket']({ basketOpen });
    },
  });
