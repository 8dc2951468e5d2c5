import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
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
  /** Tests may fix the token; otherwise a fresh random one per run. */
  token?: string;
};

export type BrowserMode = {
  url: string;
  token: string;
  port: number;
  core: Core;
  close(): Promise<void>;
};

/**
 * Runs the whole core in plain Node and serves the renderer on loopback only. The page gets the
 * per-run token in its URL fragment (never sent to the server in requests or referrers).
 */
export async function startBrowserMode(options: BrowserModeOptions): Promise<BrowserMode> {
  const token = options.token ?? randomBytes(24).toString('base64url');
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
    ...(options.paymentPolling ? { paymentPolling: options.paymentPolling } : {}),
  });

  let port = options.port;
  const server = createServer(createStaticHandler(options.rendererDir, () => port));
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
    allowedOrigins: () => [`http://127.0.0.1:${port}`, `http://localhost:${port}`],
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
