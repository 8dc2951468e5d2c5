// `npm run bench [-- name …]`: runs every tests/bench/*.bench.ts (or those whose file name holds
// one of the names) and prints one table — figure, target, ratio figure ÷ target (≤ 1.00 meets it),
// the naive alternative measured in the same run, and how many times faster the till is than it —
// with the machine on top. The same table is written to bench-results/<time>.json (gitignored).
// Exit 1 if a module fails. The 1,000,000-order database is built once and cached (.bench-cache/).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, freemem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import type { BenchModule, BenchRow } from './bench-types';

const only = process.argv.slice(2);
const dir = import.meta.dirname;
const repoRoot = join(dir, '..', '..');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const sqlite = (() => {
  const db = new Database(':memory:');
  const v = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  db.close();
  return v;
})();
const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
  freeMemoryGiBAtStart: Number((freemem() / 2 ** 30).toFixed(1)),
  node: process.version,
  sqlite,
  platform: `${process.platform} ${process.arch}`,
  loadAverageAtStart: loadavg().map((l) => Number(l.toFixed(2))),
  loadAverageAtEnd: [] as number[],
  startedAt: new Date().toISOString(),
};
const header = (m: typeof machine) =>
  `machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB; Node ${m.node}; SQLite ${m.sqlite}; ${m.platform}; ` +
  `load average ${m.loadAverageAtStart.join(' / ')} at start` +
  (m.loadAverageAtEnd.length ? `, ${m.loadAverageAtEnd.join(' / ')} at end` : '');
console.log(header(machine));

// The production renderer, built once for the modules that serve it to Chromium (and measure it).
if (files.some((f) => /^(renderer|prompt-latency)\./.test(f)))
  execFileSync(join(repoRoot, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], {
    cwd: repoRoot,
    stdio: 'inherit',
  });

const rows: BenchRow[] = [];
const modules: { file: string; seconds: number; background?: true; error?: string }[] = [];
let failed = false;
const runStarted = Date.now();
const run = async (file: string, mod: BenchModule, background: boolean) => {
  const started = Date.now();
  try {
    const got = await mod.bench();
    modules.push({
      file,
      seconds: (Date.now() - started) / 1000,
      ...(background ? { background } : {}),
    });
    console.error(`ran ${file} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return got;
  } catch (error) {
    failed = true;
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    modules.push({ file, seconds: (Date.now() - started) / 1000, error: text });
    console.error(`${file} failed: ${text}`);
    return [];
  }
};
const loaded = await Promise.all(
  files.map(async (file) => ({
    file,
    mod: (await import(pathToFileURL(join(dir, file)).href)) as BenchModule,
  })),
);
const alone = loaded.filter((m) => m.mod.runsAlone && !m.mod.inBackground);
for (const { file, mod } of alone) rows.push(...(await run(file, mod, false)));
const background = loaded.filter((m) => m.mod.inBackground).map((m) => run(m.file, m.mod, true));
for (const { file, mod } of loaded.filter((m) => !m.mod.inBackground && !alone.includes(m)))
  rows.push(...(await run(file, mod, false)));
for (const got of await Promise.all(background)) rows.push(...got);
machine.loadAverageAtEnd = loadavg().map((l) => Number(l.toFixed(2)));

const fmt = (v: number) =>
  !Number.isFinite(v)
    ? String(v)
    : Math.abs(v) >= 100
      ? v.toFixed(0)
      : Math.abs(v) >= 10
        ? v.toFixed(1)
        : v.toFixed(2);
const ratioOf = (r: BenchRow) =>
  r.target === undefined || r.target === 0
    ? null
    : r.higherIsBetter
      ? r.target / r.value
      : r.value / r.target;
const table = rows.map((r) => {
  const ratio = ratioOf(r);
  return {
    feature: r.feature,
    measure: r.name,
    value: `${fmt(r.value)} ${r.unit}`,
    target:
      r.target === undefined ? '' : `${r.higherIsBetter ? '≥ ' : ''}${fmt(r.target)} ${r.unit}`,
    ratio: ratio === null ? '' : `${ratio.toFixed(2)}${ratio > 1 ? ' MISS' : ''}`,
    naive: r.naive ? `${fmt(r.naive.value)} ${r.unit} (${r.naive.what})` : '',
    'naive/value': r.naive && r.value > 0 ? `${fmt(r.naive.value / r.value)}×` : '',
    note: r.note ?? '',
  };
});
const headers = [
  'feature',
  'measure',
  'value',
  'target',
  'ratio',
  'naive',
  'naive/value',
  'note',
] as const;
const widths = headers.map((h) => Math.max(h.length, ...table.map((t) => t[h].length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ');
console.log(line([...headers]));
console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
for (const t of table) console.log(line(headers.map((h) => t[h])));
const seconds = (Date.now() - runStarted) / 1000;
console.log(header(machine));
console.log(`bench took ${seconds.toFixed(0)} s`);

const outDir = join(repoRoot, 'bench-results');
mkdirSync(outDir, { recursive: true });
const outFile = join(outDir, `${machine.startedAt.replace(/[:.]/g, '-')}.json`);
writeFileSync(
  outFile,
  JSON.stringify(
    {
      machine,
      seconds,
      modules,
      rows: rows.map((r) => ({ ...r, ratio: ratioOf(r), met: (ratioOf(r) ?? 0) <= 1 })),
    },
    null,
    2,
  ),
);
console.log(`written to ${outFile}`);
process.exit(failed ? 1 : 0);
