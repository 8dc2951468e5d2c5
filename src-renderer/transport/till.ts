import type { TillApi } from '../../src-shared/contract';
import { createWebSocketTill } from './ws-till';

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent in browser mode. */
    till?: TillApi;
  }
}

const TOKEN_KEY = 'opentill.token';

/**
 * Browser mode: the token arrives in the URL fragment once. It is kept for this tab only
 * (sessionStorage: survives a reload and the core's restarts, not the tab) and removed from the
 * address bar and the history entry, so it is not left on screen, in history or in a bookmark.
 */
export function takeToken(win: Pick<Window, 'location' | 'history' | 'sessionStorage'>): string {
  const fromUrl = new URLSearchParams(win.location.hash.slice(1)).get('token');
  let kept: string | null = null;
  try {
    if (fromUrl) win.sessionStorage.setItem(TOKEN_KEY, fromUrl);
    kept = win.sessionStorage.getItem(TOKEN_KEY);
  } catch {
    // Storage refused (privacy settings): the token lives in memory for this page only.
  }
  if (fromUrl)
    win.history.replaceState(win.history.state, '', win.location.pathname + win.location.search);
  return fromUrl ?? kept ?? '';
}

/** Electron's preload `window.till`, or the WebSocket transport in browser mode. */
export function resolveTill(): TillApi {
  if (window.till) return window.till;
  const token = takeToken(window);
  const url = `ws://${window.location.host}/ipc?token=${encodeURIComponent(token)}`;
  return createWebSocketTill({ url });
}
