// Core memory over a long trading day, in a process of its own (memory-child.ts).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import type { BenchRow } from './bench-types';

const repoRoot = join(import.meta.dirname, '..', '..');

/** 10,000 sales take minutes (commits without an fsync each, memory-child.ts): beside the others. */
export const inBackground = true;

export async function bench(): Promise<BenchRow[]> {
  const { stdout } = await promisify(execFile)(
    join(repoRoot, 'node_modules', '.bin', 'tsx'),
    ['--expose-gc', join(import.meta.dirname, 'memory-child.ts'), '10000'],
    { cwd: repoRoot, encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  const r = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, number>;
  const growth = ((r.rssAtEnd! - r.rssAt1000!) / r.rssAt1000!) * 100;
  return [
    {
      feature: 'core memory',
      name: 'RSS after 1,000 sales (whole core, training simulator, printing)',
      value: r.rssAt1000!,
      unit: 'MiB',
      target: 150,
      note: '19 in 20 cash, 1 in 20 card against the simulator (time scale 0.02)',
    },
    {
      feature: 'core memory',
      name: 'RSS growth from 1,000 to 10,000 sales',
      value: growth,
      unit: '%',
      target: 10,
      note: `${r.rssAtEnd!.toFixed(0)} MiB after 10,000; ${r.seconds!.toFixed(0)} s of sales`,
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
