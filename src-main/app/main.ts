import '../platform/hold-young-generation';
import { app, BrowserWindow, ipcMain, net, protocol, safeStorage, session } from 'electron';
import { autoUpdater } from 'electron-updater';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createCore, type Core } from '../core/core';
import type { AutoUpdaterLike } from '../updates/update-service';
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
import { errorText } from '../platform/error-text';

// Electron entry: wiring only. Everything that owns data lives in the core, tested in plain Node.
const isDev = !app.isPackaged && process.env.OPENTILL_DEV === '1';
const rendererDir = join(__dirname, '..', 'renderer');

let core: Core | undefined;
let mainWindow: BrowserWindow | undefined;

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
    updater: loadUpdater(),
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
  mainWindow = window;
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

/** electron-updater only in an installed app (it refuses to run unpackaged anyway). */
function loadUpdater(): AutoUpdaterLike | null {
  if (!app.isPackaged) return null;
  // electron-updater creates the platform's updater on first access to `autoUpdater`.
  autoUpdater.logger = null; // the core's update service logs what matters, redacted
  return autoUpdater;
}

/** A second launch only brings the running till to the front. */
function focusRunningTill(): void {
  const window = mainWindow;
  if (!window || window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

function run(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
  app.enableSandbox();
  app.on('second-instance', focusRunningTill);
  app.on('window-all-closed', () => app.quit());

  // Quitting waits until the core has stopped its jobs and closed the database, then quits again.
  let closing: Promise<void> | undefined;
  let closed = false;
  app.on('before-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    closing ??= started
      .catch(() => undefined)
      .then(() => core?.close())
      .catch((error: unknown) => {
        process.stderr.write(`OpenTill did not close cleanly: ${String(error)}\n`);
      })
      .finally(() => {
        closed = true;
        app.quit();
      });
  });

  const started = app.whenReady().then(start);
  started.catch((error: unknown) => {
    process.stderr.write(`OpenTill could not start: ${errorText(error)}\n`);
    app.exit(1);
  });
}

// One till per machine: a second launch hands over to the first (second-instance) and stops here.
if (app.requestSingleInstanceLock()) run();
else app.quit();
