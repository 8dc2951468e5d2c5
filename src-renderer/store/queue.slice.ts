import type { StateCreator } from 'zustand';
import type { QueueItemView, TillApi } from '../../src-shared/contract';
import { pinError, type PinError } from '../lib/pin-error';
import type { TillState } from './store';

export type QueueSlice = {
  queueOpen: boolean;
  queueItems: QueueItemView[] | null;
  queueError: string | null;
  queueBusy: boolean;
  openQueue: () => void;
  closeQueue: () => void;
  loadQueue: () => Promise<void>;
  retryQueued: (id: number) => Promise<void>;
  /** Null when discarded, else what was wrong (PIN problems come back as PIN errors). */
  discardQueued: (id: number, reason: string, managerPin: string) => Promise<PinError | null>;
};

export const createQueueSlice =
  (till: TillApi): StateCreator<TillState, [], [], QueueSlice> =>
  (set, get) => ({
    queueOpen: false,
    queueItems: null,
    queueError: null,
    queueBusy: false,
    openQueue() {
      set({ queueOpen: true, queueError: null });
      void get().loadQueue();
    },
    closeQueue: () => set({ queueOpen: false }),
    async loadQueue() {
      const r = await till['queue:list']();
      if (r.ok) set({ queueItems: r.value });
      else set({ queueError: r.error.message });
    },
    async retryQueued(id) {
      if (get().queueBusy) return;
      set({ queueBusy: true, queueError: null });
      const r = await till['queue:retry']({ id });
      set({ queueBusy: false, queueError: r.ok ? null : r.error.message });
      if (r.ok) get().say('ok', 'Sending it again now');
      await get().loadQueue();
    },
    async discardQueued(id, reason, managerPin) {
      if (get().queueBusy) return null;
      set({ queueBusy: true, queueError: null });
      const r = await till['queue:discard']({ id, reason, managerPin });
      set({ queueBusy: false });
      await get().loadQueue();
      if (r.ok) {
        get().say('ok', 'Discarded; the reason is kept in the journal');
        return null;
      }
      return pinError(r.error, 'That manager PIN is not right; nothing was discarded.');
    },
  });
