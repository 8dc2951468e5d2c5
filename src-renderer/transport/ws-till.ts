import { channelNames, type EventName, type TillApi } from '../../src-shared/contract';
import type { ErrorShape, Result } from '../../src-shared/errors';

type Pending = { resolve: (r: Result<unknown>) => void; timer: ReturnType<typeof setTimeout> };
type Listener = (payload: unknown) => void;

const lost = (message: string): ErrorShape => ({ code: 'INTERNAL', message, retryable: true });

export type WsTillOptions = {
  url: string;
  requestTimeoutMs?: number;
  /** How long a request made while the core is away waits for it to come back (default 10 s). */
  connectWaitMs?: number;
  /** How long the link may be down before it is reported `lost` rather than `reconnecting`. */
  lostAfterMs?: number;
  WebSocketImpl?: typeof WebSocket;
};

/**
 * The page's link to the till core: `connecting` until the first connection, `reconnecting` while
 * it retries after a drop, `lost` once it has been down for a while (it keeps retrying).
 */
export type CoreLink = 'connecting' | 'connected' | 'reconnecting' | 'lost';

/** A `till` whose link to the core can break (browser mode); Electron's IPC has no such link. */
export type LinkedTill = {
  link(): CoreLink;
  onLink(listener: (link: CoreLink) => void): () => void;
};

export const hasLink = (till: object): till is LinkedTill =>
  typeof (till as Partial<LinkedTill>).onLink === 'function';

/**
 * The browser-mode `till`: the same typed API as Electron's preload, over one WebSocket that
 * reconnects by itself. A request made while the socket is down waits for it (up to the timeout).
 */
export function createWebSocketTill(
  options: WsTillOptions,
): TillApi & LinkedTill & { close(): void } {
  const Impl = options.WebSocketImpl ?? WebSocket;
  const timeoutMs = options.requestTimeoutMs ?? 60_000;
  const connectWaitMs = Math.min(options.connectWaitMs ?? 10_000, timeoutMs);
  const lostAfterMs = options.lostAfterMs ?? 8_000;
  let link: CoreLink = 'connecting';
  let lostTimer: ReturnType<typeof setTimeout> | undefined;
  const linkListeners = new Set<(link: CoreLink) => void>();
  const setLink = (next: CoreLink) => {
    if (next === link) return;
    link = next;
    for (const l of linkListeners) l(next);
  };
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<Listener>>();
  let nextId = 1;
  let socket: WebSocket | null = null;
  let open: Promise<WebSocket> | null = null;
  let closed = false;
  let retryMs = 250;

  const connect = (): Promise<WebSocket> => {
    if (open) return open;
    open = new Promise<WebSocket>((resolve) => {
      const ws = new Impl(options.url);
      ws.onopen = () => {
        retryMs = 250;
        socket = ws;
        clearTimeout(lostTimer);
        lostTimer = undefined;
        resolve(ws);
        setLink('connected');
      };
      ws.onmessage = (ev) => {
        if (typeof ev.data === 'string') onMessage(ev.data);
      };
      // A refused or dropped connection is reported by onclose; nothing to do on the error itself.
      ws.onerror = () => undefined;
      ws.onclose = (ev) => {
        socket = null;
        open = null;
        const why =
          ev.code === 1009
            ? 'That request was too large and was refused.'
            : 'Lost the connection to the till core; reconnecting…';
        for (const [id, p] of pending) {
          clearTimeout(p.timer);
          p.resolve({ ok: false, error: lost(why) });
          pending.delete(id);
        }
        if (closed) return;
        if (link === 'connected') setLink('reconnecting');
        // Never connected, or down for long enough: say so plainly (it keeps retrying).
        lostTimer ??= setTimeout(() => setLink('lost'), link === 'connecting' ? 0 : lostAfterMs);
        setTimeout(() => void connect(), (retryMs = Math.min(retryMs * 2, 2000)));
      };
    });
    return open;
  };

  const onMessage = (text: string) => {
    let message: {
      id?: number | null;
      result?: Result<unknown>;
      event?: string;
      payload?: unknown;
    };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return;
    }
    if (typeof message.event === 'string') {
      listeners.get(message.event)?.forEach((l) => l(message.payload));
      return;
    }
    if (typeof message.id === 'number' && message.result) {
      const p = pending.get(message.id);
      if (p) {
        clearTimeout(p.timer);
        pending.delete(message.id);
        p.resolve(message.result);
      }
    }
  };

  const invoke = async (channel: string, input: unknown): Promise<Result<unknown>> => {
    // While the socket is down a request waits a little for it to come back, then fails in words
    // (it was never sent, so nothing happened); once the link is lost it fails at once.
    let waited: ReturnType<typeof setTimeout> | undefined;
    const wait = link === 'lost' ? 0 : connectWaitMs;
    const ws =
      socket ??
      (await Promise.race([
        connect(),
        new Promise<null>((resolve) => (waited = setTimeout(() => resolve(null), wait))),
      ]));
    clearTimeout(waited);
    if (!ws)
      return {
        ok: false,
        error: lost(
          'The till core cannot be reached, so nothing was done. Is OpenTill still running? The page reconnects by itself when it is back.',
        ),
      };
    const id = nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        resolve({ ok: false, error: lost('The till core did not answer in time.') });
      }, timeoutMs);
      pending.set(id, { resolve, timer });
      ws.send(JSON.stringify({ id, channel, input }));
    });
  };

  const api: Record<string, unknown> = {};
  for (const name of channelNames) api[name] = (input?: unknown) => invoke(name, input);
  api.on = (event: EventName, listener: Listener) => {
    const set = listeners.get(event) ?? new Set<Listener>();
    set.add(listener);
    listeners.set(event, set);
    void connect();
    return () => set.delete(listener);
  };
  api.link = () => link;
  api.onLink = (listener: (link: CoreLink) => void) => {
    linkListeners.add(listener);
    return () => linkListeners.delete(listener);
  };
  api.close = () => {
    closed = true;
    clearTimeout(lostTimer);
    socket?.close();
  };
  void connect();
  return api as TillApi & LinkedTill & { close(): void };
}
