import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { channelNames } from '../../../src-shared/contract';
import { tempDir } from '../../support/temp-dir';

const root = join(import.meta.dirname, '../../..');
// Built here, not in out/: running the tests never replaces what `npm run build` made. Inside
// node_modules so the bundle still finds its external modules (better-sqlite3, …).
const built = join(root, 'node_modules/.cache/opentill-main-bundle/out');

type Recorded = {
  windows: { webPreferences: Record<string, unknown> }[];
  loaded: string[];
  ipcChannels: string[];
  protocolSchemes: string[];
  privileged: { scheme: string }[];
  sandboxEnabled: boolean;
  permissionHandlers: number;
  infoTrusted: { ok: boolean; value?: { transport: string; mode: string } };
  infoForeign: { ok: boolean; error?: { code: string } };
  badInput: { ok: boolean; error?: { code: string } };
  page: { status: number; csp: string; type: string; html: string };
  escapeStatus: number;
  exitCode?: number;
  lockRequests: number;
  whenReadyCalls: number;
  focus: string[];
  afterSecondInstance: { windows: number; loaded: number; whenReadyCalls: number };
  walBeforeQuit: boolean;
  quitCalls: { coreStopped: boolean; walPresent: boolean }[];
  beforeQuit: { prevented: boolean }[];
  quitFinished: boolean;
  updater: {
    checks: number;
    autoDownload: boolean;
    autoInstallOnAppQuit: boolean;
    logger: unknown;
  } | null;
  protocolSchemesAfter?: string[];
  dataDirEntries?: string[];
  listeners?: string[];
};

function runBundle(mode: 'first' | 'second' | 'packaged'): Recorded {
  const dir = tempDir();
  try {
    const out = execFileSync(
      process.execPath,
      [join(import.meta.dirname, 'fake-electron-harness.cjs'), join(built, 'main/index.cjs'), mode],
      {
        cwd: root,
        env: { ...process.env, OPENTILL_DATA_DIR: dir.path },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    const line = out.split('\n').find((l) => l.startsWith('RESULT '));
    return JSON.parse(line?.slice(7) ?? '{}') as Recorded;
  } finally {
    dir.remove();
  }
}

/**
 * The Electron binary cannot run here, so the real main bundle is loaded under Node with a fake
 * `electron` module: it proves the bundle loads, and checks everything main configures.
 */
describe('Electron main bundle (with a fake electron module)', () => {
  let rec: Recorded;
  beforeAll(() => {
    rmSync(built, { recursive: true, force: true });
    execFileSync(process.execPath, ['scripts/build-main.mjs'], {
      cwd: root,
      stdio: 'pipe',
      env: { ...process.env, OPENTILL_OUT_DIR: built },
    });
    // The renderer the app serves: a copy of the built one, else built here (never into out/).
    if (existsSync(join(root, 'out/renderer/index.html')))
      cpSync(join(root, 'out/renderer'), join(built, 'renderer'), { recursive: true });
    else
      execFileSync(
        process.execPath,
        [
          join(root, 'node_modules/vite/bin/vite.js'),
          'build',
          '--logLevel',
          'warn',
          '--outDir',
          join(built, 'renderer'),
          '--emptyOutDir',
        ],
        { cwd: root, stdio: 'pipe' },
      );
    rec = runBundle('first');
  }, 120_000);

  it('starts the core and opens one hardened, sandboxed window on the app scheme', () => {
    expect(rec.exitCode).toBeUndefined();
    expect(rec.sandboxEnabled).toBe(true);
    expect(rec.windows).toHaveLength(1);
    expect(rec.windows[0]?.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
    });
    expect(String(rec.windows[0]?.webPreferences.preload)).toMatch(
      /out[\\/]preload[\\/]index\.cjs$/,
    );
    expect(rec.loaded).toEqual(['app://opentill/index.html']);
    expect(rec.privileged.map((p) => p.scheme)).toEqual(['app']);
    expect(rec.permissionHandlers).toBe(2);
  });

  it('registers every contract channel and answers through the real core, checking the sender', () => {
    expect([...rec.ipcChannels].sort()).toEqual([...channelNames].sort());
    expect(rec.infoTrusted).toMatchObject({
      ok: true,
      value: { transport: 'electron', mode: 'training' },
    });
    expect(rec.infoForeign).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(rec.badInput).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('serves the renderer over app:// with the desktop CSP and nothing outside it', () => {
    expect(rec.protocolSchemes).toEqual(['app']);
    expect(rec.page.status).toBe(200);
    expect(rec.page.type).toMatch(/text\/html/);
    expect(rec.page.html).toContain('<!doctype html>');
    expect(rec.page.csp).toContain("connect-src 'none'");
    expect(rec.escapeStatus).toBe(404);
  });
});

describe('Electron main bundle: single instance and clean quit (fake electron module)', () => {
  let first: Recorded;
  let second: Recorded;
  let packaged: Recorded;
  beforeAll(() => {
    // The first describe block built out/ already (files run their blocks in order).
    first = runBundle('first');
    second = runBundle('second');
    packaged = runBundle('packaged');
  }, 180_000);

  it('a second launch stops right after app.quit(): no window, no core, no database, no listeners', () => {
    expect(second.lockRequests).toBe(1);
    expect(second.quitCalls).toHaveLength(1);
    expect(second.whenReadyCalls).toBe(0);
    expect(second.windows).toEqual([]);
    expect(second.protocolSchemes).toEqual([]);
    expect(second.privileged).toEqual([]);
    expect(second.ipcChannels).toEqual([]);
    expect(second.sandboxEnabled).toBe(false);
    expect(second.listeners).toEqual([]);
    expect(second.dataDirEntries).toEqual([]); // not even a log file or an empty database
  });

  it('the running till, told of a second launch, only comes to the front', () => {
    expect(first.lockRequests).toBe(1);
    expect(first.focus).toEqual(['restore', 'show', 'focus']);
    expect(first.afterSecondInstance).toEqual({ windows: 0, loaded: 1, whenReadyCalls: 1 });
  });

  it('quitting waits for the core to stop and close the database, then quits', () => {
    expect(first.walBeforeQuit).toBe(true); // the database was open while trading
    // The first quit was held back (preventDefault); the second came after the core had stopped
    // and SQLite had checkpointed and removed its write-ahead log, and went through.
    expect(first.beforeQuit).toEqual([{ prevented: true }, { prevented: false }]);
    expect(first.quitCalls).toEqual([
      { coreStopped: false, walPresent: true },
      { coreStopped: true, walPresent: false },
    ]);
    expect(first.quitFinished).toBe(true);
  });

  it('an installed app hands electron-updater to the core, which takes download and install over', () => {
    expect(first.updater).toBeNull(); // unpackaged: no electron-updater at all
    expect(packaged.exitCode).toBeUndefined();
    expect(packaged.updater).toEqual({
      checks: 1,
      autoDownload: false,
      autoInstallOnAppQuit: false,
      logger: null,
    });
    expect(packaged.quitFinished).toBe(true);
  });
});
