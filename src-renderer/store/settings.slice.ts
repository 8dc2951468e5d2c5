import type { StateCreator } from 'zustand';
import type { CredentialsStatus, Settings, TillApi } from '../../src-shared/contract';
import { pinError, type PinError } from '../lib/pin-error';
import type { TillState } from './store';

export type ConnectionTest = { ok: boolean; message: string; terminals: number | null };

export type SettingsSlice = {
  settings: Settings | null;
  credentials: CredentialsStatus | null;
  managerPinSet: boolean | null;
  connectionTest: ConnectionTest | null;
  testingConnection: boolean;
  loadSettings: () => Promise<void>;
  saveSettings: (patch: Partial<Settings>) => Promise<string | null>;
  /** A replacement (a key is already set) needs the manager PIN. */
  setApiKey: (apiKey: string, managerPin?: string) => Promise<PinError | null>;
  clearApiKey: (managerPin: string) => Promise<PinError | null>;
  testConnection: () => Promise<void>;
  setManagerPin: (newPin: string, currentPin?: string) => Promise<PinError | null>;
};

export const createSettingsSlice =
  (till: TillApi): StateCreator<TillState, [], [], SettingsSlice> =>
  (set, get) => ({
    settings: null,
    credentials: null,
    managerPinSet: null,
    connectionTest: null,
    testingConnection: false,
    async loadSettings() {
      const [s, c, m] = await Promise.all([
        till['settings:get'](),
        till['credentials:status'](),
        till['manager:status'](),
      ]);
      set({
        ...(s.ok ? { settings: s.value } : {}),
        ...(c.ok ? { credentials: c.value } : {}),
        ...(m.ok ? { managerPinSet: m.value.pinSet } : {}),
      });
    },
    async saveSettings(patch) {
      const r = await get().withApproval((approval) =>
        till['settings:update']({ ...patch, ...(approval ? { approval } : {}) }),
      );
      if (!r.ok) return r.error.message;
      const printerBefore = get().settings?.printer;
      set({ settings: r.value });
      get().say('ok', 'Settings saved');
      // The printer line on screen follows the new setting, not the old printer's last state.
      if ('printer' in patch || 'printerType' in patch || 'paperWidth' in patch) {
        // A test of the old printer says nothing about the new one.
        if (r.value.printer !== printerBefore) set({ lastTestPrint: null });
        void get().loadPrinterStatus();
      }
      return null;
    },
    async setApiKey(apiKey, managerPin) {
      const r = await till['credentials:set']({ apiKey, ...(managerPin ? { managerPin } : {}) });
      if (!r.ok) return pinError(r.error, 'Wrong manager PIN: the key was not changed');
      set({ credentials: r.value, connectionTest: null });
      void get().loadApp();
      return null;
    },
    async clearApiKey(managerPin) {
      const r = await till['credentials:clear']({ managerPin });
      if (!r.ok) return pinError(r.error, 'Wrong manager PIN: the key was not removed');
      set({ credentials: r.value, connectionTest: null });
      void get().loadApp();
      return null;
    },
    async testConnection() {
      set({ testingConnection: true, connectionTest: null });
      const r = await till['credentials:test']();
      set({
        testingConnection: false,
        connectionTest: r.ok ? r.value : { ok: false, message: r.error.message, terminals: null },
      });
    },
    async setManagerPin(newPin, currentPin) {
      const r = await till['manager:set-pin']({ newPin, ...(currentPin ? { currentPin } : {}) });
      if (!r.ok) return pinError(r.error, 'The current PIN is wrong');
      set({ managerPinSet: true });
      get().say('ok', 'Manager PIN saved');
      return null;
    },
  });
