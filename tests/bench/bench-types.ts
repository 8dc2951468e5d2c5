/** One row of `npm run bench`: a measured figure, its target, and the ratio figure/target. */
export type BenchRow = {
  feature: string;
  name: string;
  value: number;
  unit: string;
  /** What we promise; the ratio value/target is printed (≤ 1 is good for times and sizes). */
  target?: number;
  /** For a target that is a floor (e.g. a speed-up): the ratio is printed as target/value. */
  higherIsBetter?: boolean;
  /** The naive alternative, measured in the same run on the same data (same unit). */
  naive?: { value: number; what: string };
  note?: string;
};

export type BenchModule = {
  bench: () => Promise<BenchRow[]>;
  /** Started first and awaited last, beside the others (a long run in a process of its own). */
  inBackground?: boolean;
  /**
   * Measures a tail (a p99 of milliseconds): run alone, before the background modules start, so
   * the 2 cores of a small machine are not shared with them while it times.
   */
  runsAlone?: boolean;
};

export const percentile = (samples: readonly number[], p: number): number => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

/** Runs `fn` `n` times after `warm` warm-up runs and returns the samples in ms. */
export function timeSync(n: number, fn: () => unknown, warm = 2): number[] {
  for (let i = 0; i < warm; i++) fn();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    fn();
    out.push(performance.now() - t);
  }
  return out;
}
