import type { TillApi } from '../../src-shared/contract';
import { createWebSocketTill } from './ws-till';

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent in browser mode. */
    till?: TillApi;
  }
}

/** Electron's preload `window.till`, or the WebSocket transport in browser mode. */
export function resolveTill(): TillApi {
  if (window.till) return window.till;
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
  const url = `ws://${window.location.host}/ipc?token=${encodeURIComponent(token)}`;
  return createWebSocketTill({ url });
}
