import { channelNames, type EventName, type TillApi } from '../../src-shared/contract';
import type { ErrorShape, Result } from '../../src-shared/errors';

type Pending = { resolve: (r: Result<unknown>) => void; timer: ReturnType<typeof setTimeout> };
type Listener = (payload: unknown) => void;

const lost = (message: string): ErrorShape => ({ code: 'INTERNAL', message, retryable: true });

export type WsTillOptions = {
  url: string;
  requestTimeoutMs?: number;
  WebSocketImpl?: typeof WebSocket;
};

/**
 * The browser-mode `till`: the same typed API as Electron's preload, over one WebSocket that
 * reconnects by itself. A request made while the socket is down waits for it (up to the timeout).
 */
export function createWebSocketTill(options: WsTillOptions): TillApi & { close(): void } {
  const Impl = options.WebSocketImpl ?? WebSocket;
  const timeoutMs = options.requestTimeoutMs ?? 60_000;
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
        resolve(ws);
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
        if (!closed) setTimeout(() => void connect(), (retryMs = Math.min(retryMs * 2, 5000)));
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
    // While the socket is down a request waits for it, but never longer than its own timeout.
    let waited: ReturnType<typeof setTimeout> | undefined;
    const ws =
      socket ??
      (await Promise.race([
        connect(),
        new Promise<null>((resolve) => (waited = setTimeout(() => resolve(null), timeoutMs))),
      ]));
    clearTimeout(waited);
    if (!ws)
      return {
        ok: false,
        error: lost('The till core cannot be reached. Is OpenTill still running?'),
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
  api.close = () => {
    closed = true;
    socket?.close();
  };
  void connect();
  return api as TillApi & { close(): void };
}
