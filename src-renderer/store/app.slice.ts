import type { StateCreator } from 'zustand';
import type { AppInfo, TillApi, TillStatus } from '../../src-shared/contract';
import type { ErrorShape } from '../../src-shared/errors';
import type { TillState } from './store';
import type { CoreLink } from '../transport/ws-till';

export const screens = ['sell', 'orders', 'refunds', 'drawer', 'reports', 'settings'] as const;
export type Screen = (typeof screens)[number];

export type Flash = { kind: 'ok' | 'error' | 'info'; text: string; at: number };

export type AppSlice = {
  info: AppInfo | null;
  status: TillStatus | null;
  /** The last error the core returned for an app-level action, shown in plain words. */
  appError: ErrorShape | null;
  screen: Screen;
  /** A short message for the cashier (toast). */
  flash: Flash | null;
  /** The page's link to the till core (browser mode; always `connected` in the desktop app). */
  coreLink: CoreLink;
  setCoreLink: (link: CoreLink) => void;
  loadApp: () => Promise<void>;
  setStatus: (status: TillStatus) => void;
  go: (screen: Screen) => void;
  say: (kind: Flash['kind'], text: string) => void;
  dismissFlash: () => void;
};

export const createAppSlice =
  (till: TillApi): StateCreator<TillState, [], [], AppSlice> =>
  (set) => ({
    info: null,
    status: null,
    appError: null,
    screen: 'sell',
    flash: null,
    coreLink: 'connected',
    setCoreLink: (coreLink) => set({ coreLink }),
    async loadApp() {
      const [info, status] = await Promise.all([till['app:info'](), till['status:get']()]);
      set({
        info: info.ok ? info.value : null,
        status: status.ok ? status.value : null,
        appError: !info.ok ? info.error : !status.ok ? status.error : null,
      });
    },
    setStatus: (status) => set({ status }),
    go: (screen) => set({ screen }),
    say: (kind, text) => set({ flash: { kind, text, at: Date.now() } }),
    dismissFlash: () => set({ flash: null }),
  });
