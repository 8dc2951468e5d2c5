// Core memory over a long trading day, in a process of its own (memory-child.ts).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { BenchRow } from './bench-types';

const repoRoot = join(import.meta.dirname, '..', '..');

/** 10,000 sales take minutes (commits without an fsync each, memory-child.ts): beside the others. */
export const inBackground = true;

/**
 * The core runs as it ships: bundled by esbuild like `scripts/build-main.mjs` does, not through
 * tsx, whose loader keeps ~60 MiB of transpiler state no till carries.
 */
async function bundleChild(): Promise<{ file: string; remove: () => void }> {
  mkdirSync(join(repoRoot, '.bench-cache'), { recursive: true });
  // Inside the repository (a gitignored folder), so the externals resolve from its node_modules.
  const dir = mkdtempSync(join(repoRoot, '.bench-cache', 'bundle-'));
  const file = join(dir, 'memory-child.mjs');
  await build({
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    logLevel: 'warning',
    entryPoints: [join(import.meta.dirname, 'memory-child.ts')],
    outfile: file,
    external: [
      'electron',
      'electron-updater',
      'better-sqlite3',
      'node-thermal-printer',
      'pg-native',
    ],
    banner: {
      js: "import { createRequire as __opentillRequire } from 'node:module'; const require = __opentillRequire(import.meta.url);",
    },
  });
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function bench(): Promise<BenchRow[]> {
  const child = await bundleChild();
  const sell = async (...args: string[]) => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--expose-gc', child.file, ...args],
      { cwd: repoRoot, encoding: 'utf8', maxBuffer: 1 << 20 },
    );
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, number>;
  };
  const [r, grown] = await (async () => {
    try {
      // Then 1,000 sales with V8's young generation left to grow, as before the core held it.
      return [await sell('10000'), await sell('1000', 'grow')] as const;
    } finally {
      child.remove();
    }
  })();
  const growth = ((r.rssAtEnd! - r.rssAt1000!) / r.rssAt1000!) * 100;
  return [
    {
      feature: 'core memory',
      name: 'RSS after 1,000 sales (whole core, training simulator, printing)',
      value: r.rssAt1000!,
      unit: 'MiB',
      target: 150,
      naive: {
        value: grown.rssAt1000!,
        what: `young generation left to grow (${grown.newSpaceAt1000!.toFixed(0)} MiB)`,
      },
      note: `19 in 20 cash, 1 in 20 card against the simulator (time scale 0.02); ${r.rssAtStart!.toFixed(0)} MiB before the first sale; V8's young generation ${r.newSpaceAt1000!.toFixed(0)} MiB, JS heap in use ${r.heapUsedAt1000!.toFixed(0)} of ${r.heapTotalAt1000!.toFixed(0)} MiB, external ${r.externalAt1000!.toFixed(0)} MiB`,
    },
    {
      feature: 'core memory',
      name: 'RSS growth from 1,000 to 10,000 sales',
      value: growth,
      unit: '%',
      target: 10,
      note: `${r.rssAtEnd!.toFixed(0)} MiB after 10,000 (young generation ${r.newSpaceAtEnd!.toFixed(0)} MiB, JS heap in use ${r.heapUsedAtEnd!.toFixed(0)} of ${r.heapTotalAtEnd!.toFixed(0)} MiB, external ${r.externalAtEnd!.toFixed(0)} MiB); ${r.seconds!.toFixed(0)} s of sales`,
    },
    {
      feature: 'simulator',
      name: 'state file after 10,000 sales (500 card)',
      value: r.stateFileBytes! / 1024,
      unit: 'KiB',
      naive: {
        value: (r.simIntentsKept! * 11_000) / 1024,
        what: 'never pruned: ~11 KB per card sale',
      },
      note: `written whole ${r.stateFileSaves} times, ${(r.stateFileBytesWritten! / 2 ** 30).toFixed(2)} GiB in all; ${r.simSessionsKept} sessions kept (at most the newest 200; all finished within the simulator's day, 24 h x 0.02 = 29 min); ${r.cardFailed} card sales did not succeed`,
    },
  ];
}
