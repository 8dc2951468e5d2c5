import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = join(import.meta.dirname, '../../..');

type LockEntry = { hasInstallScript?: boolean; optional?: boolean };
type PackageJson = { scripts?: Record<string, string> };

/**
 * `npm install` on a clean clone must leave package-lock.json as it is. npm writes
 * `hasInstallScript` from what it finds on disk: an install/preinstall/postinstall script, or a
 * `binding.gyp` without them (an implicit `node-gyp rebuild`) — better-sqlite3 13 ships one and
 * the registry's metadata does not say so, so a lock written from the registry alone churned on
 * every first install. Every installed package's flag must match what npm will compute.
 */
describe('package-lock.json is what npm install writes', () => {
  it('flags exactly the installed packages that have an install script, explicit or implicit', () => {
    const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, LockEntry>;
    };
    const wrong: string[] = [];
    let checked = 0;
    for (const [path, entry] of Object.entries(lock.packages)) {
      if (!path.startsWith('node_modules/')) continue;
      const dir = join(repoRoot, path);
      if (!existsSync(join(dir, 'package.json'))) continue; // an optional package for another OS
      checked++;
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
      const scripts = pkg.scripts ?? {};
      const explicit = ['preinstall', 'install', 'postinstall'].some((s) => s in scripts);
      const implicit =
        !('install' in scripts) &&
        !('preinstall' in scripts) &&
        existsSync(join(dir, 'binding.gyp'));
      const expected = explicit || implicit;
      if (Boolean(entry.hasInstallScript) !== expected)
        wrong.push(
          `${path}: lock says ${Boolean(entry.hasInstallScript)}, npm will write ${expected}`,
        );
    }
    expect(checked).toBeGreaterThan(300);
    expect(wrong).toEqual([]);
  });
});
