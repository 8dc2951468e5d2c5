import { app, BrowserWindow, ipcMain, net, protocol, safeStorage, session } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createCore, type Core } from '../core/core';
import { encryptedFileSecretStore } from '../credentials/secret-store';
import { appVersion } from '../core/version';
import { resolveAppFile } from './app-protocol';
import { forwardEvents, registerElectronIpc } from './electron-ipc';
import { hardenContents, hardenSession } from './hardening';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  buildWindowOptions,
  desktopCsp,
  isAppUrl,
} from './window-options';

// Electron entry: wiring only. Everything that owns data lives in the core, tested in plain Node.
const isDev = !app.isPackaged && process.env.OPENTILL_DEV === '1';
const rendererDir = join(__dirname, '..', 'renderer');

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);
app.enableSandbox();
if (!app.requestSingleInstanceLock()) app.quit();

let core: Core | undefined;

async function start(): Promise<void> {
  const dataDir = process.env.OPENTILL_DATA_DIR ?? app.getPath('userData');
  core = await createCore({
    dataDir,
    env: process.env,
    secretStore: encryptedFileSecretStore(join(dataDir, 'dojo-api-key.enc'), safeStorage),
    shopSecretStore: encryptedFileSecretStore(join(dataDir, 'shop-database-url.enc'), safeStorage),
    transport: 'electron',
    version: appVersion,
    ...(app.isPackaged
      ? {
          sampleCataloguePath: join(
            process.resourcesPath,
            'assets',
            'catalogue',
            'sample-catalogue.csv',
          ),
          logoPath: join(process.resourcesPath, 'assets', 'logo.png'),
        }
      : {}),
  });
  const log = core.log.child('app');

  protocol.handle(APP_SCHEME, async (request) => {
    const target = resolveAppFile(rendererDir, request.url);
    if (!target) return new Response('Not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(target.file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Type', target.contentType);
    headers.set('Content-Security-Policy', desktopCsp());
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });

  hardenSession(session.defaultSession, log);
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, log));

  const window = new BrowserWindow(
    buildWindowOptions({ preloadPath: join(__dirname, '..', 'preload', 'index.cjs'), isDev }),
  );
  registerElectronIpc({
    ipcMain,
    dispatch: core.dispatch,
    log: core.log.child('ipc'),
    isTrustedSender: (event) =>
      event.senderFrame !== null &&
      event.senderFrame.parent === null &&
      isAppUrl(event.senderFrame.url),
  });
  const stopEvents = forwardEvents(core.bus, (channel, name, payload) => {
    if (!window.isDestroyed()) window.webContents.send(channel, name, payload);
  });
  window.on('closed', stopEvents);
  window.once('ready-to-show', () => window.show());
  await window.loadURL(APP_ENTRY_URL);
}

app.on('window-all-closed', () => app.quit());
app.on('before-quit', () => {
  void core?.close();
});

app
  .whenReady()
  .then(start)
  .catch((error: unknown) => {
    process.stderr.write(
      `OpenTill could not start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    app.exit(1);
  });
