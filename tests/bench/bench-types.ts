/** One row of `npm run bench`: a measured figure, its target, and the ratio figure/target. */
export type BenchRow = {
  feature: string;
  name: string;
  value: number;
  unit: string;
  /** What we promise; the ratio value/target is printed (≤ 1 is good for times and sizes). */
  target?: number;
  note?: string;
};

export type BenchModule = { bench: () => Promise<BenchRow[]> };
