import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * The Electron binary, or why there is none. This is the lookup `require('electron')` does
 * (node_modules/electron/path.txt, then dist/<that path>), without its side effect: when the
 * binary is missing, `require('electron')` starts a ~100 MB download. This repository denies
 * Electron's install script; CI fetches the binary with `node node_modules/electron/install.js`.
 */
export function electronBinary(): { path: string } | { missing: string } {
  const pkgDir = dirname(require.resolve('electron/package.json'));
  const pathFile = join(pkgDir, 'path.txt');
  if (!existsSync(pathFile))
    return {
      missing: `no Electron binary on this machine (${pathFile} is absent: Electron's download was never run)`,
    };
  const relative = readFileSync(pathFile, 'utf8').trim();
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const path = override ? join(override, relative || 'electron') : join(pkgDir, 'dist', relative);
  if (!existsSync(path)) return { missing: `the Electron binary is not at ${path}` };
  return { path };
}
