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
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--expose-gc', child.file, '10000'],
    { cwd: repoRoot, encoding: 'utf8', maxBuffer: 1 << 20 },
  ).finally(child.remove);
  const r = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, number>;
  const growth = ((r.rssAtEnd! - r.rssAt1000!) / r.rssAt1000!) * 100;
  return [
    {
      feature: 'core memory',
      name: 'RSS after 1,000 sales (whole core, training simulator, printing)',
      value: r.rssAt1000!,
      unit: 'MiB',
      target: 150,
      note: `19 in 20 cash, 1 in 20 card against the simulator (time scale 0.02); ${r.rssAtStart!.toFixed(0)} MiB before the first sale; V8's young generation ${r.newSpaceAt1000!.toFixed(0)} MiB of it`,
    },
    {
      feature: 'core memory',
      name: 'RSS growth from 1,000 to 10,000 sales',
      value: growth,
      unit: '%',
      target: 10,
      note: `${r.rssAtEnd!.toFixed(0)} MiB after 10,000 (young generation ${r.newSpaceAtEnd!.toFixed(0)} MiB); ${r.seconds!.toFixed(0)} s of sales`,
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
      note: `${r.simSessionsKept} sessions kept: all finished within the simulator's day (24 h x 0.02 = 29 min); ${r.cardFailed} card sales did not succeed`,
    },
  ];
}
