import type {
  UpdateMode,
  UpdatePhase,
  UpdateStatus,
} from '../../src-shared/contract/updates.contract';
import type { Logger } from '../logging/logger';
import type { SettingsService } from '../settings/settings.service';
import { mayInstallNow, type TillMoment, type TradingState } from './update-policy';
import type { TradingCounts } from '../platform/feature-module';
import { errorText } from '../platform/error-text';
import { createListeners } from '../platform/emitter';

/**
 * The part of electron-updater's `autoUpdater` the till uses. The Electron entry passes the real
 * one; tests pass a fake. Keeping it structural keeps electron-updater (and so Electron) out of
 * the core.
 */
export type AutoUpdaterLike = {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  checkForUpdates(): Promise<unknown>;
  downloadUpdate(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
  on(event: string, listener: UpdaterListener): unknown;
  removeListener(event: string, listener: UpdaterListener): unknown;
};
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each updater event has its own payload, as on any EventEmitter
type UpdaterListener = (...args: any[]) => void;

export type UpdateServiceOptions = {
  settings: SettingsService;
  log: Logger;
  currentVersion: string;
  /** null in browser mode and unpackaged builds: updates come with the installed app. */
  updater: AutoUpdaterLike | null;
  /** Payments, refunds and print jobs in progress (the basket is reported by the renderer). */
  tradingCounts: () => TradingCounts;
  /** Throws a TillError unless the manager PIN is right. */
  requireManagerPin: (pin: string) => void;
  /** How long after start an update downloaded at once may still install (before any basket). */
  startUpWindowMs?: number;
  /** How often a ready update looks again for a quiet counter (a receipt finishing, …). */
  recheckMs?: number;
};

export type UpdateService = {
  status(): UpdateStatus;
  /** What the install decision sees right now. */
  tradingState(): TradingState;
  start(): void;
  stop(): void;
  /** The renderer's basket (or checkout) opened or emptied. */
  setBasketOpen(open: boolean): void;
  /** The day was closed: check the feed, and install a ready update once the counter is idle. */
  dayClosed(): void;
  check(): Promise<UpdateStatus>;
  setMode(mode: UpdateMode, managerPin: string): Promise<UpdateStatus>;
  onChange(listener: (status: UpdateStatus) => void): () => void;
};

const UNREACHABLE =
  'Could not check for updates: the release feed could not be reached. The till tries again at the next start or day close.';

export function createUpdateService(o: UpdateServiceOptions): UpdateService {
  const log = o.log.child('updates');
  const listeners = createListeners<UpdateStatus>();
  const startUpWindowMs = o.startUpWindowMs ?? 10 * 60_000;
  const recheckMs = o.recheckMs ?? 15_000;
  let moment: TillMoment = 'start-up';
  let basketOpen = false;
  let phase: UpdatePhase = o.updater ? 'idle' : 'unsupported';
  let message = o.updater ? '' : 'Updates come with the installed app (not in browser mode).';
  let availableVersion: string | null = null;
  let readyVersion: string | null = null;
  let downloadPercent: number | null = null;
  let checkedAt: string | null = null;
  let startUpTimer: NodeJS.Timeout | undefined;
  let recheckTimer: NodeJS.Timeout | undefined;
  let stopped = false;
  const unsubscribe: (() => void)[] = [];

  const prefs = () => {
    const s = o.settings.get();
    return { mode: s.updateMode, pinnedVersion: s.updatePinnedVersion };
  };
  const status = (): UpdateStatus => ({
    phase,
    mode: prefs().mode,
    currentVersion: o.currentVersion,
    pinnedVersion: prefs().pinnedVersion,
    availableVersion,
    downloadPercent,
    message,
    checkedAt,
  });
  const set = (next: UpdatePhase, words: string) => {
    if (next === phase && words === message) return;
    phase = next;
    message = words;
    const snapshot = status();
    listeners.emit(snapshot);
  };

  const tradingState = (): TradingState => ({ basketOpen, ...o.tradingCounts() });
  const heldBecausePinned = (version: string) => {
    const { mode, pinnedVersion } = prefs();
    return mode === 'pinned' && version !== pinnedVersion;
  };

  const held = (version: string) =>
    set(
      'held',
      `Version ${version} is available; a manager pinned this till to ${prefs().pinnedVersion ?? o.currentVersion}.`,
    );

  /** Installs the ready update if this is a quiet moment and nothing is going on; else waits. */
  const tryInstall = () => {
    clearTimeout(recheckTimer);
    if (stopped || !o.updater || readyVersion === null || phase === 'installing') return;
    const { mode, pinnedVersion } = prefs();
    // Downloaded before a manager pinned the version or turned updates off: it stays unused.
    if (mode === 'off') return set('disabled', 'Updates are turned off in Settings.');
    if (heldBecausePinned(readyVersion)) return held(readyVersion);
    const decision = mayInstallNow({
      moment,
      mode,
      pinnedVersion,
      readyVersion,
      trading: tradingState(),
    });
    if (decision.install) {
      log.info('installing update', { from: o.currentVersion, to: readyVersion, moment });
      set('installing', `Installing version ${readyVersion}: the till restarts by itself.`);
      // Silent, and start the till again afterwards. Quitting closes the core cleanly first.
      o.updater.quitAndInstall(true, true);
      return;
    }
    set('ready', `Version ${readyVersion} is ready. ${decision.reason}`);
    // A quiet moment that is only waiting for a receipt or a payment to finish: look again.
    if (moment !== 'trading') recheckTimer = setTimeout(tryInstall, recheckMs).unref();
  };

  const onAvailable = (info: { version: string }) => {
    availableVersion = info.version;
    if (heldBecausePinned(info.version)) return held(info.version);
    downloadPercent = 0;
    set('downloading', `Downloading version ${info.version} in the background…`);
    o.updater?.downloadUpdate().catch((error: unknown) => onError(error));
  };
  const onNotAvailable = () => {
    availableVersion = null;
    set('up-to-date', `OpenTill ${o.currentVersion} is the latest version.`);
  };
  const onProgress = (p: { percent: number }) => {
    downloadPercent = Math.max(0, Math.min(100, Math.round(p.percent)));
    set('downloading', `Downloading version ${availableVersion ?? ''} (${downloadPercent} %)…`);
  };
  const onDownloaded = (info: { version: string }) => {
    readyVersion = info.version;
    availableVersion = info.version;
    downloadPercent = 100;
    log.info('update downloaded', { version: info.version });
    tryInstall();
  };
  const onError = (error: unknown) => {
    log.warn('update check or download failed', {
      error: errorText(error),
    });
    if (readyVersion !== null) return; // a later failed check does not hide a ready update
    downloadPercent = null;
    set('error', UNREACHABLE);
  };

  const check = async (): Promise<UpdateStatus> => {
    if (!o.updater || stopped) return status();
    if (prefs().mode === 'off') {
      set('disabled', 'Updates are turned off in Settings.');
      return status();
    }
    if (readyVersion !== null) {
      tryInstall();
      return status();
    }
    checkedAt = new Date().toISOString();
    set('checking', 'Checking for updates…');
    try {
      await o.updater.checkForUpdates();
    } catch (error) {
      onError(error);
    }
    return status();
  };

  return {
    status,
    tradingState,
    start() {
      if (!o.updater) return;
      // The till decides when to download (not while pinned) and when to install (quiet moments
      // only): electron-updater must not do either by itself, nor install behind a plain quit.
      o.updater.autoDownload = false;
      o.updater.autoInstallOnAppQuit = false;
      const on = <A>(event: string, fn: (arg: A) => void) => {
        const listener = fn as UpdaterListener;
        o.updater?.on(event, listener);
        unsubscribe.push(() => o.updater?.removeListener(event, listener));
      };
      on('update-available', onAvailable);
      on('update-not-available', onNotAvailable);
      on('download-progress', onProgress);
      on('update-downloaded', onDownloaded);
      on('error', onError);
      startUpTimer = setTimeout(() => {
        if (moment === 'start-up') moment = 'trading';
        tryInstall();
      }, startUpWindowMs).unref();
      void check();
    },
    stop() {
      stopped = true;
      clearTimeout(startUpTimer);
      clearTimeout(recheckTimer);
      for (const off of unsubscribe.splice(0)) off();
    },
    setBasketOpen(open) {
      basketOpen = open;
      // The first basket ends the quiet moment: from here on it is trading until the day closes.
      if (open) moment = 'trading';
      if (readyVersion !== null) tryInstall();
    },
    dayClosed() {
      moment = 'day-closed';
      void check();
    },
    check,
    async setMode(mode, managerPin) {
      o.requireManagerPin(managerPin);
      const pinnedVersion = mode === 'pinned' ? o.currentVersion : null;
      o.settings.update({ updateMode: mode, updatePinnedVersion: pinnedVersion }, 'manager');
      log.info('update mode changed', { mode, pinnedVersion });
      if (!o.updater) return status();
      if (mode === 'off') {
        set('disabled', 'Updates are turned off in Settings.');
        return status();
      }
      if (mode === 'pinned') {
        if (readyVersion !== null) held(readyVersion);
        else
          set('held', `Pinned to version ${o.currentVersion}: newer versions are not installed.`);
        return status();
      }
      return check();
    },
    onChange(listener) {
      return listeners.add(listener);
    },
  };
}
