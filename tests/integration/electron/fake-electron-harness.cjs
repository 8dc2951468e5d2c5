// Loads the built Electron main bundle (out/main/index.cjs) in plain Node with a fake `electron`
// module that records what the app configures, then exercises the IPC and app:// handlers.
// Usage: node fake-electron-harness.cjs <bundle> [first|second|packaged]
//   first    — this launch gets the single-instance lock (the default)
//   second   — another OpenTill already holds the lock
//   packaged — an installed app: electron-updater is loaded (a fake one, recorded)
const Module = require('node:module');
const { EventEmitter } = require('node:events');
const { existsSync, readFileSync } = require('node:fs');
const { readFile } = require('node:fs/promises');
const { join } = require('node:path');

const mode = process.argv[3] ?? 'first';
const dataDir = process.env.OPENTILL_DATA_DIR;
const coreStopped = () => {
  const file = join(dataDir, 'logs', 'opentill.log');
  return existsSync(file) && readFileSync(file, 'utf8').includes('"core stopped"');
};

const record = {
  windows: [],
  loaded: [],
  ipcChannels: [],
  protocolSchemes: [],
  privileged: [],
  sandboxEnabled: false,
  permissionHandlers: 0,
  webContentsHooks: 0,
  lockRequests: 0,
  whenReadyCalls: 0,
  quitCalls: [],
  focus: [],
  updater: null,
};
const appListeners = {};
const ipcHandlers = new Map();
const protocolHandlers = new Map();
let resolveStarted;
const started = new Promise((r) => (resolveStarted = r));

class BrowserWindow {
  constructor(options) {
    record.windows.push(options);
    this.webContents = { send: () => (record.sent = (record.sent ?? 0) + 1) };
    this.minimized = true;
  }
  isDestroyed() {
    return false;
  }
  isMinimized() {
    return this.minimized;
  }
  restore() {
    this.minimized = false;
    record.focus.push('restore');
  }
  focus() {
    record.focus.push('focus');
  }
  on() {}
  once() {}
  show() {
    record.focus.push('show');
  }
  async loadURL(url) {
    record.loaded.push(url);
    resolveStarted();
  }
}

const fake = {
  app: {
    isPackaged: mode === 'packaged',
    enableSandbox: () => (record.sandboxEnabled = true),
    requestSingleInstanceLock: () => {
      record.lockRequests++;
      return mode !== 'second';
    },
    // Records each quit and whether the core had already closed the database at that moment.
    quit: () => {
      record.quitCalls.push({ coreStopped: coreStopped(), walPresent: walExists() });
      if (mode !== 'second') quitEvent();
    },
    exit: (code) => {
      record.exitCode = code;
      resolveStarted();
    },
    getPath: () => process.env.OPENTILL_DATA_DIR,
    on: (name, fn) => (appListeners[name] ??= []).push(fn),
    whenReady: () => {
      record.whenReadyCalls++;
      return Promise.resolve();
    },
  },
  BrowserWindow,
  ipcMain: {
    handle: (c, fn) => {
      record.ipcChannels.push(c);
      ipcHandlers.set(c, fn);
    },
    removeHandler: (c) => ipcHandlers.delete(c),
  },
  net: { fetch: async (url) => new Response(await readFile(new URL(url))) },
  protocol: {
    registerSchemesAsPrivileged: (list) => record.privileged.push(...list),
    handle: (scheme, fn) => {
      record.protocolSchemes.push(scheme);
      protocolHandlers.set(scheme, fn);
    },
  },
  safeStorage: {
    isEncryptionAvailable: () => true,
    encryptString: (s) => Buffer.from(s).reverse(),
    decryptString: (b) => Buffer.from(b).reverse().toString(),
  },
  session: {
    defaultSession: {
      setPermissionRequestHandler: () => record.permissionHandlers++,
      setPermissionCheckHandler: () => record.permissionHandlers++,
    },
  },
};

// What Electron does on app.quit(): emit before-quit (cancellable); if nobody prevented it, quit.
let quitting = false;
function quitEvent() {
  if (quitting) return;
  let prevented = false;
  const event = { preventDefault: () => (prevented = true) };
  for (const fn of appListeners['before-quit'] ?? []) fn(event);
  record.beforeQuit = (record.beforeQuit ?? []).concat({ prevented });
  if (!prevented) {
    quitting = true;
    resolveQuit();
  }
}
let resolveQuit;
const quit = new Promise((r) => (resolveQuit = r));
const walExists = () => existsSync(join(dataDir, 'opentill.db-wal'));

// electron-updater's autoUpdater, as far as the till uses it.
class FakeAutoUpdater extends EventEmitter {
  autoDownload = true;
  autoInstallOnAppQuit = true;
  logger = 'console';
  async checkForUpdates() {
    record.updater.checks++;
    this.emit('update-not-available', { version: '0.1.0' });
    return null;
  }
  async downloadUpdate() {
    return [];
  }
  quitAndInstall() {}
}

const originalLoad = Module._load;
Module._load = function load(request, parent, isMain) {
  if (request === 'electron') return fake;
  if (request === 'electron-updater') {
    // Like the real module: the updater is made on first access to `autoUpdater`.
    return {
      get autoUpdater() {
        record.updater ??= { checks: 0 };
        record.updaterObject ??= new FakeAutoUpdater();
        return record.updaterObject;
      },
    };
  }
  return originalLoad.call(this, request, parent, isMain);
};
if (mode === 'packaged') process.resourcesPath = join(__dirname, '..', '..', '..');

require(process.argv[2]);

(async () => {
  if (mode === 'second') {
    // Give a wrongly continuing bundle every chance to do something, then report.
    await new Promise((r) => setTimeout(r, 500));
    record.dataDirEntries = require('node:fs').readdirSync(dataDir);
    record.listeners = Object.keys(appListeners);
    process.stdout.write('RESULT ' + JSON.stringify(record) + '\n');
    process.exit(0);
  }
  await started;
  if (record.updaterObject) {
    const u = record.updaterObject;
    Object.assign(record.updater, {
      autoDownload: u.autoDownload,
      autoInstallOnAppQuit: u.autoInstallOnAppQuit,
      logger: u.logger,
    });
    delete record.updaterObject;
  }
  const trusted = { senderFrame: { url: 'app://opentill/index.html', parent: null } };
  const foreign = { senderFrame: { url: 'https://evil.example/', parent: null } };
  record.infoTrusted = await ipcHandlers.get('app:info')(trusted, undefined);
  record.infoForeign = await ipcHandlers.get('app:info')(foreign, undefined);
  record.badInput = await ipcHandlers.get('app:ping')(trusted, { echo: 7 });
  const page = await protocolHandlers.get('app')({ url: 'app://opentill/index.html' });
  record.page = {
    status: page.status,
    csp: page.headers.get('content-security-policy'),
    type: page.headers.get('content-type'),
    html: (await page.text()).slice(0, 200),
  };
  const escape = await protocolHandlers.get('app')({
    url: 'app://opentill/..%2f..%2fpackage.json',
  });
  record.escapeStatus = escape.status;

  // A second launch of OpenTill: Electron tells the first one, which only comes to the front.
  const windowsBefore = record.windows.length;
  for (const fn of appListeners['second-instance'] ?? []) fn({}, ['OpenTill.exe'], process.cwd());
  record.afterSecondInstance = {
    windows: record.windows.length - windowsBefore,
    loaded: record.loaded.length,
    whenReadyCalls: record.whenReadyCalls,
  };

  // Quit as the window's close button does; the fake quits only if before-quit lets it.
  record.walBeforeQuit = walExists();
  fake.app.quit();
  await Promise.race([quit, new Promise((r) => setTimeout(r, 10_000))]);
  record.quitFinished = quitting;
  process.stdout.write('RESULT ' + JSON.stringify(record) + '\n');
  process.exit(0);
})().catch((e) => {
  process.stderr.write(String((e && e.stack) || e));
  process.exit(1);
});
