// Loads the built Electron main bundle (out/main/index.cjs) in plain Node with a fake `electron`
// module that records what the app configures, then exercises the IPC and app:// handlers.
const Module = require('node:module');
const { readFile } = require('node:fs/promises');

const record = {
  windows: [],
  loaded: [],
  ipcChannels: [],
  protocolSchemes: [],
  privileged: [],
  sandboxEnabled: false,
  permissionHandlers: 0,
  webContentsHooks: 0,
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
  }
  isDestroyed() {
    return false;
  }
  on() {}
  once() {}
  show() {}
  async loadURL(url) {
    record.loaded.push(url);
    resolveStarted();
  }
}

const fake = {
  app: {
    isPackaged: false,
    enableSandbox: () => (record.sandboxEnabled = true),
    requestSingleInstanceLock: () => true,
    quit: () => {},
    exit: (code) => {
      record.exitCode = code;
      resolveStarted();
    },
    getPath: () => process.env.OPENTILL_DATA_DIR,
    on: (name, fn) => (appListeners[name] ??= []).push(fn),
    whenReady: () => Promise.resolve(),
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

const originalLoad = Module._load;
Module._load = function load(request, parent, isMain) {
  if (request === 'electron') return fake;
  return originalLoad.call(this, request, parent, isMain);
};

require(process.argv[2]);

(async () => {
  await started;
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
  for (const fn of appListeners['before-quit'] ?? []) fn();
  await new Promise((r) => setTimeout(r, 300));
  process.stdout.write('RESULT ' + JSON.stringify(record) + '\n');
  process.exit(0);
})().catch((e) => {
  process.stderr.write(String((e && e.stack) || e));
  process.exit(1);
});
