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

export const percentile = (samples: readonly number[], p: number): number => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

export type BenchModule = { bench: () => Promise<BenchRow[]> };
