import { request } from 'node:http';
import { chmodSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startBrowserMode, type BrowserMode } from '../../../src-main/server/browser-mode';
import { tempDir } from '../../support/temp-dir';

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

let mode: BrowserMode | null = null;
let dir: ReturnType<typeof tempDir> | null = null;
afterEach(async () => {
  await mode?.close();
  mode = null;
  dir?.remove();
  dir = null;
});

async function start(dataDir: string, rendererDir: string): Promise<BrowserMode> {
  mode = await startBrowserMode({
    port: 0,
    dataDir,
    rendererDir,
    env: {},
    simulatorTimeScale: 0.01,
  });
  return mode;
}

/** Every file and folder under `root`, with its mode. */
function modes(root: string): Record<string, string> {
  const out: Record<string, string> = { '.': modeOf(root) };
  const walk = (rel: string) => {
    for (const name of readdirSync(join(root, rel))) {
      const path = join(rel, name);
      out[path] = modeOf(join(root, path));
      if (statSync(join(root, path)).isDirectory()) walk(path);
    }
  };
  walk('');
  return out;
}

describe('browser mode keeps its data private', () => {
  it('creates the data folder, database, WAL, shared memory and logs 0700/0600', async () => {
    dir = tempDir('opentill-private-');
    const data = join(dir.path, 'data');
    const m = await start(data, dir.path);
    m.core.log.info('one line so the log file exists');
    const seen = modes(data);
    for (const name of ['opentill.db', 'opentill.db-wal', 'opentill.db-shm', 'logs/opentill.log'])
      expect(seen[name], name).toBe('600');
    for (const [path, m2] of Object.entries(seen)) {
      const isDir = statSync(join(data, path)).isDirectory();
      expect(m2, path).toBe(isDir ? '700' : '600');
    }
  });

  it('tightens a data folder left readable by others by an older version', async () => {
    dir = tempDir('opentill-private-');
    const data = join(dir.path, 'data');
    mkdirSync(join(data, 'logs'), { recursive: true });
    writeFileSync(join(data, 'logs', 'opentill.log'), '');
    chmodSync(data, 0o755);
    chmodSync(join(data, 'logs'), 0o755);
    chmodSync(join(data, 'logs', 'opentill.log'), 0o644);
    await start(data, dir.path);
    expect(modeOf(data)).toBe('700');
    expect(modeOf(join(data, 'logs'))).toBe('700');
    expect(modeOf(join(data, 'logs', 'opentill.log'))).toBe('600');
    expect(modeOf(join(data, 'opentill.db'))).toBe('600');
  });
});

type Answer = { status: number; headers: Record<string, string | string[] | undefined> };
const get = (port: number, host: string): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { host } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });

describe('browser mode static server', () => {
  it('answers only the hosts the WebSocket accepts, with CORP and a Permissions-Policy', async () => {
    dir = tempDir('opentill-static-');
    writeFileSync(join(dir.path, 'index.html'), '<!doctype html><title>till</title>');
    const m = await start(join(dir.path, 'data'), dir.path);
    for (const host of [`127.0.0.1:${m.port}`, `localhost:${m.port}`]) {
      const ok = await get(m.port, host);
      expect(ok.status, host).toBe(200);
      expect(ok.headers['cross-origin-resource-policy']).toBe('same-origin');
      expect(ok.headers['permissions-policy']).toMatch(/camera=\(\)/);
      expect(ok.headers['permissions-policy']).toMatch(/payment=\(\)/);
    }
    for (const host of [
      'evil.example',
      `evil.example:${m.port}`,
      `127.0.0.1:${m.port + 1}`,
      'localhost',
    ]) {
      const refused = await get(m.port, host);
      expect(refused.status, host).toBe(403);
    }
  });
});

describe('browser-mode token', () => {
  it('is kept private in the data folder and reused by the next run on that folder only', async () => {
    dir = tempDir('opentill-token-');
    const data = join(dir.path, 'data');
    const first = await start(data, dir.path);
    const token = first.token;
    expect(token).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    expect(modeOf(join(data, 'browser-token'))).toBe('600');
    await first.close();
    mode = null;
    const second = await start(data, dir.path);
    expect(second.token).toBe(token);
    await second.close();
    mode = null;
    const other = await start(join(dir.path, 'other'), dir.path);
    expect(other.token).not.toBe(token);
  });
});
