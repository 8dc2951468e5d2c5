import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/**
 * Keeps V8's young generation at the size it has when the core starts.
 *
 * Under a till's steady allocation (IPC answers, receipts, simulator sessions) V8 doubles its
 * young generation after busy scavenges, up to 64 MiB of new space on Node 24, and keeps it: with
 * a JS heap in use of ~25 MiB, that was most of the core's RSS after 1,000 sales (185–192 MiB)
 * and of its growth to 10,000 (young generation 128 MiB at the end).
 *
 * `--max-semi-space-size` would cap it, but V8 reads it only when the heap is made: set at run
 * time through `v8.setFlagsFromString` it changes nothing (measured on Node 24.21 / V8 13.6: still
 * 64 MiB), and Electron's main process takes V8 flags only on its command line. The growth factor
 * is read at each growth, so setting it to 1 at run time stops the growth from then on; V8 may
 * still shrink the space when the till is quiet. Measured with the bench's bundled core (npm run
 * bench, core memory): held from core start, at 16 MiB (the modules' loading had grown it), RSS
 * after 1,000 sales 153 MiB instead of 192; held from the entry's first import
 * (`hold-young-generation.ts`), 2–4 MiB and ~146 MiB, in about the same time. The price is more
 * frequent scavenges, each of a small space.
 */
export function holdYoungGeneration(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}

/** V8's young generation (new space) now, in bytes. */
export const youngGenerationBytes = (): number =>
  getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
