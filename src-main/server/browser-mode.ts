import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCore, type Core, type CoreOptions } from '../core/core';
import { fileSecretStore } from '../credentials/secret-store';
import type { LogSink } from '../logging/logger';
import { createStaticHandler } from './static-server';
import { attachWebSocketTransport } from './ws-transport';
import { appVersion } from '../core/version';

export type BrowserModeOptions = {
  port: number;
  dataDir: string;
  rendererDir: string;
  env: NodeJS.ProcessEnv;
  logSinks?: LogSink[];
  simulatorTimeScale?: number;
  connectivity?: CoreOptions['connectivity'];
  paymentPolling?: CoreOptions['paymentPolling'];
  /** Tests may fix the token; otherwise the data folder's own (see `browserToken`). */
  token?: string;
  /** Tests only: a fake electron-updater, to see the desktop update flow in a browser. */
  updater?: CoreOptions['updater'];
};

export type BrowserMode = {
  url: string;
  token: string;
  port: number;
  core: Core;
  close(): Promise<void>;
};

export const TOKEN_FILE = 'browser-token';
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{32,}$/;

/**
 * The data folder's browser-mode token: made once, random, kept in a 0600 file inside the private
 * data folder, and reused by every run on that folder, so a tab left open across a restart of the
 * core reconnects by itself. Only this OS user can read it, as they can the database; delete the
 * file to make every open tab and bookmark stop working (a fresh token is made at the next start).
 */
export function browserToken(dataDir: string): string {
  const file = join(dataDir, TOKEN_FILE);
  if (existsSync(file)) {
    const kept = readFileSync(file, 'utf8').trim();
    if (TOKEN_SHAPE.test(kept)) {
      chmodSync(file, 0o600);
      return kept;
    }
  }
  const token = randomBytes(24).toString('base64url');
  writeFileSync(file, token, { mode: 0o600 });
  chmodSync(file, 0o600);
  return token;
}

/**
 * Runs the whole core in plain Node and serves the renderer on loopback only. The page gets the
 * token in its URL fragment (never sent to the server in requests or referrers), keeps it for the
 * tab and removes it from the address bar.
 */
export async function startBrowserMode(options: BrowserModeOptions): Promise<BrowserMode> {
  const core = await createCore({
    dataDir: options.dataDir,
    env: options.env,
    secretStore: fileSecretStore(join(options.dataDir, 'dojo-api-key')),
    transport: 'websocket',
    version: appVersion,
    ...(options.logSinks ? { logSinks: options.logSinks } : {}),
    ...(options.simulatorTimeScale !== undefined
      ? { simulatorTimeScale: options.simulatorTimeScale }
      : {}),
    ...(options.connectivity ? { connectivity: options.connectivity } : {}),
    ...(options.updater ? { updater: options.updater } : {}),
    ...(options.paymentPolling ? { paymentPolling: options.paymentPolling } : {}),
  });

  let token: string;
  try {
    // After createCore: it has made the data folder private.
    token = options.token ?? browserToken(options.dataDir);
  } catch (error) {
    await core.close();
    throw error;
  }
  let port = options.port;
  const allowedOrigins = () => [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
  const server = createServer(
    createStaticHandler(
      options.rendererDir,
      () => port,
      () => allowedOrigins().map((o) => new URL(o).host),
    ),
  );
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, '127.0.0.1', () => resolve());
    });
  } catch (error) {
    await core.close();
    throw error;
  }
  port = (server.address() as AddressInfo).port;
  const transport = attachWebSocketTransport({
    server,
    token,
    allowedOrigins,
    dispatch: core.dispatch,
    bus: core.bus,
    log: core.log.child('ws'),
  });

  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    token,
    port,
    core,
    async close() {
      await transport.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await core.close();
    },
  };
}
