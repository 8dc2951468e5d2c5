// Runs Doyensec's Electronegativity over the Electron sources and fails on any finding that is
// not listed (with its reason) in the README's security section.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const electronVersion = JSON.parse(
  readFileSync(require.resolve('electron/package.json'), 'utf8'),
).version;
// Scan the Electron shell and the renderer's HTML together, so global checks (CSP, navigation
// limits, permission handler) see both halves of the app.
const work = mkdtempSync(join(tmpdir(), 'electronegativity-'));
const target = join(work, 'scan');
cpSync('src-main/app', join(target, 'src-main', 'app'), {
  recursive: true,
  filter: (f) => !f.endsWith('.test.ts'),
});
cpSync('src-renderer/index.html', join(target, 'src-renderer', 'index.html'));
// SARIF, not CSV: the scanner writes a CSV's header and rows with two racing asynchronous writes,
// and now and then the header lands over the first row (seen as a bogus open finding in CI).
const out = join(work, 'findings.sarif');
const cli = join(
  require.resolve('@doyensec/electronegativity/package.json'),
  '..',
  'dist',
  'index.js',
);

const result = spawnSync(
  process.execPath,
  [
    '--require',
    './scripts/offline-got.cjs',
    cli,
    '-i',
    target,
    '-r',
    '-e',
    electronVersion,
    '-x',
    'AvailableSecurityFixesGlobalCheck',
    '-o',
    out,
    '-v',
    'false',
  ],
  { encoding: 'utf8' },
);
process.stdout.write(
  result.stdout
    .split('\n')
    .filter((l) => !/translations/.test(l))
    .join('\n'),
);
if (result.status !== 0) {
  process.stderr.write(result.stderr);
  console.error('Electronegativity did not complete.');
  process.exit(1);
}

// Accepted findings: "CHECK_ID path" pairs from the README, each with its reason there.
const readme = readFileSync('README.md', 'utf8');
const accepted = new Set(
  [...readme.matchAll(/^- `([A-Z_]+) ([^`]+)`/gm)].map((m) => `${m[1]} ${m[2]}`),
);
const sarif = JSON.parse(readFileSync(out, 'utf8'));
const findings = sarif.runs.flatMap((run) =>
  run.results.map((r) => {
    const where = r.locations[0].physicalLocation;
    return { id: r.ruleId, file: where.artifactLocation.uri, line: where.region.startLine };
  }),
);
const open = findings.filter((f) => !accepted.has(`${f.id} ${f.file}`));
console.log(
  `\nElectronegativity (Electron ${electronVersion}): ${findings.length} findings, ${findings.length - open.length} accepted in README, ${open.length} open.`,
);
for (const f of open) console.log(`  OPEN ${f.id} ${f.file}:${f.line}`);
process.exit(open.length === 0 ? 0 : 1);
