// `npm start`: build, then open the desktop app. If Electron's binary is not installed yet, fetch
// it (Electron's own installer); where that is impossible, run browser mode instead and say so.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const npmBin = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = (cmd, args, env = process.env) =>
  spawnSync(cmd, args, { stdio: 'inherit', env, shell: process.platform === 'win32' });

/**
 * The Electron binary if it is installed, else null. Read from the package's path.txt rather than
 * `require('electron')`, which tries (and noisily fails) a download every time it is called.
 */
function electronBinary() {
  try {
    const dir = dirname(require.resolve('electron/package.json'));
    const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
    const name = readFileSync(join(dir, 'path.txt'), 'utf8').trim();
    const path = override ? join(override, name || 'electron') : join(dir, 'dist', name);
    return name && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

/** Electron's own installer, quietly: its output is shown only as one line when it fails. */
function downloadElectron() {
  const env = { ...process.env };
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  const r = spawnSync(process.execPath, [require.resolve('electron/install.js')], {
    encoding: 'utf8',
    env,
    timeout: 180_000,
  });
  if (r.status === 0) return;
  const why = `${r.stderr ?? ''}\n${r.stdout ?? ''}`
    .split('\n')
    .map((l) => l.trim())
    .find((l) => /error|failed/i.test(l));
  console.log(
    `Electron could not be downloaded${why ? ` (${why})` : r.error ? ` (${r.error.message})` : ''}: ` +
      'is this machine offline, or is github.com blocked?',
  );
}

if (run(npmBin, ['run', 'build', '--silent']).status !== 0) process.exit(1);

let binary = electronBinary();
if (!binary && process.env.OPENTILL_BROWSER_MODE !== '1') {
  console.log('Electron is not downloaded yet: fetching it once (about 100 MB)…');
  downloadElectron();
  binary = electronBinary();
}

if (binary) {
  const child = spawn(binary, ['.'], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(
    '\nThe Electron binary is not available on this machine, so OpenTill runs in browser mode.',
  );
  console.log('Open the printed address in Chrome, Edge or Chromium.\n');
  // The renderer was built above: start the browser-mode core directly (`npm run start:web`
  // would build it a second time).
  const child = spawn(
    npmBin,
    ['exec', '--', 'tsx', 'src-main/server/cli.ts', ...process.argv.slice(2)],
    {
      stdio: 'inherit',
      shell: process.platform === 'win32',
    },
  );
  child.on('exit', (code) => process.exit(code ?? 0));
}
