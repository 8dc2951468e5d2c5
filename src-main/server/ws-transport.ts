import type { IncomingMessage, Server } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventBus } from '../platform/event-bus';
import type { Dispatch } from '../ipc/dispatcher';
import type { Logger } from '../logging/logger';

export const MAX_PAYLOAD_BYTES = 256 * 1024;
export const IPC_PATH = '/ipc';

export type WsTransportOptions = {
  server: Server;
  token: string;
  /** Exact origins allowed to connect, e.g. `http://127.0.0.1:5199`. */
  allowedOrigins: () => string[];
  dispatch: Dispatch;
  bus: EventBus;
  log: Logger;
};

function rawText(data: Buffer | ArrayBuffer | Buffer[]): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}

type Rejection = { status: number; reason: string };

function sameToken(given: string | null, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Decides whether an upgrade request may open the IPC socket. Pure, for tests. */
export function checkUpgrade(
  req: Pick<IncomingMessage, 'url' | 'headers'>,
  token: string,
  origins: string[],
): Rejection | null {
  const url = new URL(req.url ?? '/', 'http://placeholder');
  if (url.pathname !== IPC_PATH) return { status: 404, reason: 'unknown path' };
  const origin = req.headers.origin;
  if (!origin || !origins.includes(origin))
    return { status: 403, reason: `foreign origin ${String(origin).slice(0, 100)}` };
  const host = req.headers.host ?? '';
  if (!origins.some((o) => new URL(o).host === host))
    return { status: 403, reason: 'unexpected host header' };
  if (!sameToken(url.searchParams.get('token'), token))
    return { status: 401, reason: 'missing or wrong token' };
  return null;
}

/**
 * Browser-mode transport: the same contract as Electron IPC, over one WebSocket per window.
 * Requests `{id, channel, input}` are answered `{id, result}`; events arrive as `{event, payload}`.
 */
export function attachWebSocketTransport(options: WsTransportOptions): { close(): Promise<void> } {
  const { log } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD_BYTES });
  const clients = new Set<WebSocket>();

  options.server.on('upgrade', (req, socket, head) => {
    const rejection = checkUpgrade(req, options.token, options.allowedOrigins());
    if (rejection) {
      log.warn('websocket connection refused', {
        reason: rejection.reason,
        remote: req.socket.remoteAddress,
      });
      socket.end(
        `HTTP/1.1 ${rejection.status} ${rejection.status === 401 ? 'Unauthorized' : 'Forbidden'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws) => {
    clients.add(ws);
    ws.on('close', (code) => {
      clients.delete(ws);
      if (code === 1009)
        log.warn('websocket closed: oversized request refused', { limitBytes: MAX_PAYLOAD_BYTES });
    });
    ws.on('error', (error) => log.warn('websocket error', { error: error.message }));
    ws.on('message', (data, isBinary) => {
      // One frame must never take the core down: whatever a handler throws is logged and answered.
      handleMessage(ws, isBinary ? null : rawText(data)).catch((error: unknown) => {
        log.error('websocket request failed', {
          error: error instanceof Error ? `${error.name}: ${error.message}` : typeof error,
        });
        try {
          send(ws, {
            id: null,
            result: {
              ok: false,
              error: {
                code: 'INTERNAL',
                message: 'Something went wrong inside the till. Nothing was lost; try again.',
                retryable: true,
              },
            },
          });
        } catch {
          // The socket is gone; nothing to answer.
        }
      });
    });
  });

  async function handleMessage(ws: WebSocket, text: string | null): Promise<void> {
    let request: { id?: unknown; channel?: unknown; input?: unknown };
    try {
      if (text === null) throw new Error('binary frame');
      request = JSON.parse(text) as typeof request;
      if (typeof request !== 'object' || request === null) throw new Error('not an object');
    } catch {
      log.warn('malformed websocket request refused');
      send(ws, {
        id: null,
        result: {
          ok: false,
          error: { code: 'VALIDATION', message: 'Malformed request', retryable: false },
        },
      });
      return;
    }
    const id =
      typeof request.id === 'number' && Number.isSafeInteger(request.id) ? request.id : null;
    const result = await options.dispatch(request.channel, request.input);
    send(ws, { id, result });
  }

  function send(ws: WebSocket, message: unknown): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  }

  const unsubscribe = options.bus.subscribe((event, payload) => {
    for (const ws of clients) send(ws, { event, payload });
  });

  return {
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe();
        for (const ws of clients) ws.terminate();
        wss.close(() => resolve());
      }),
  };
}
