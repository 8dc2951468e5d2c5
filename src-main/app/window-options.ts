import type { BrowserWindowConstructorOptions } from 'electron';
import { rendererCsp } from '../server/renderer-files';

/** The renderer is served from a private scheme, so its origin is fixed and checkable. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'opentill';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** Strict CSP for the desktop window: our files only; the renderer needs no network at all. */
export const desktopCsp = (): string => rendererCsp("'none'");

export function buildWindowOptions(opts: {
  preloadPath: string;
  isDev: boolean;
  iconPath?: string;
}): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    title: 'OpenTill',
    backgroundColor: '#f4f5f7',
    autoHideMenuBar: true,
    ...(opts.iconPath ? { icon: opts.iconPath } : {}),
    webPreferences: {
      preload: opts.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // Middle-click must not open links in new windows.
      disableBlinkFeatures: 'Auxclick',
      safeDialogs: true,
      devTools: opts.isDev,
    },
  };
}

/** True only for our own renderer's pages (top-level, app scheme, our host). */
export function isAppUrl(raw: string | undefined | null): boolean {
  if (!raw) return false;
  try {
    const url = new URL(raw);
    return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST;
  } catch {
    return false;
  }
}
