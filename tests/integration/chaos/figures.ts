/**
 * Shared by the chaos, crash, power-cut and bad-input suites: their size (short in `npm test`,
 * full in `npm run test:chaos`, which sets OPENTILL_CHAOS=full) and the final line of figures.
 */
export const FULL = process.env.OPENTILL_CHAOS === 'full';

/** The short size in `npm test`, the full one in `npm run test:chaos`. */
export const size = (short: number, full: number): number => (FULL ? full : short);

/** The seed of a run: OPENTILL_CHAOS_SEED replays a failing one; printed with the figures. */
/**
 * The short suites in `npm test` replay one fixed seed, so CI is the same run every time; the full
 * suites (`npm run test:chaos`) draw a new seed each run and print it (OPENTILL_CHAOS_SEED replays).
 */
export const SEED = Number(
  process.env.OPENTILL_CHAOS_SEED ?? (FULL ? Math.floor(Math.random() * 2 ** 31) : 20261202),
);

export type Figures = {
  operations: number;
  faults: number;
  invariants: number;
  ms: number;
  extra?: Record<string, string | number>;
};

export function printFigures(suite: string, f: Figures): void {
  const extra = Object.entries(f.extra ?? {})
    .map(([k, v]) => `, ${k} ${v}`)
    .join('');
  console.log(
    `[${suite}] ${FULL ? 'full' : 'short'}: operations ${f.operations}, faults injected ${f.faults}, invariants checked ${f.invariants}, time ${(f.ms / 1000).toFixed(1)} s${extra}`,
  );
}
