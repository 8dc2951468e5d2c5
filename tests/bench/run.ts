// `npm run bench`: runs every tests/bench/*.bench.ts and prints one table of figures, targets and
// ratios (figure ÷ target; ≤ 1.00 meets the target for times and sizes). Exit 1 if a module fails.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchModule, BenchRow } from './bench-types';

const only = process.argv.slice(2);
const dir = import.meta.dirname;
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const rows: BenchRow[] = [];
let failed = false;
for (const file of files) {
  const started = Date.now();
  try {
    const mod = (await import(pathToFileURL(join(dir, file)).href)) as BenchModule;
    rows.push(...(await mod.bench()));
    console.error(`ran ${file} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    failed = true;
    console.error(
      `${file} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
  }
}

const fmt = (v: number) =>
  Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
const table = rows.map((r) => ({
  feature: r.feature,
  measure: r.name,
  value: `${fmt(r.value)} ${r.unit}`,
  target: r.target === undefined ? '' : `${fmt(r.target)} ${r.unit}`,
  ratio: r.target === undefined || r.target === 0 ? '' : (r.value / r.target).toFixed(2),
  note: r.note ?? '',
}));
const headers = ['feature', 'measure', 'value', 'target', 'ratio', 'note'] as const;
const widths = headers.map((h) => Math.max(h.length, ...table.map((t) => t[h].length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ');
console.log(line([...headers]));
console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
for (const t of table) console.log(line(headers.map((h) => t[h])));
process.exit(failed ? 1 : 0);
