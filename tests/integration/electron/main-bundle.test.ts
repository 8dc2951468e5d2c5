import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { channelNames } from '../../../src-shared/contract';
import { tempDir } from '../../support/temp-dir';

const root = join(import.meta.dirname, '../../..');

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
};

/**
 * The Electron binary cannot run here, so the real main bundle is loaded under Node with a fake
 * `electron` module: it proves the bundle loads, and checks everything main configures.
 */
describe('Electron main bundle (with a fake electron module)', () => {
  let rec: Recorded;
  beforeAll(() => {
    execFileSync(process.execPath, ['scripts/build-main.mjs'], { cwd: root, stdio: 'pipe' });
    if (!existsSync(join(root, 'out/renderer/index.html'))) {
      execFileSync(
        process.execPath,
        [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
        { cwd: root, stdio: 'pipe' },
      );
    }
    const dir = tempDir();
    const out = execFileSync(
      process.execPath,
      [join(import.meta.dirname, 'fake-electron-harness.cjs'), join(root, 'out/main/index.cjs')],
      {
        cwd: root,
        env: { ...process.env, OPENTILL_DATA_DIR: dir.path },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    dir.remove();
    const line = out.split('\n').find((l) => l.startsWith('RESULT '));
    rec = JSON.parse(line?.slice(7) ?? '{}') as Recorded;
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
