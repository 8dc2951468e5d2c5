// `npm start`: build, then open the desktop app. If Electron's binary is not installed yet, fetch
// it (Electron's own installer); where that is impossible, run browser mode instead and say so.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const npmBin = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = (cmd, args, env = process.env) =>
  spawnSync(cmd, args, { stdio: 'inherit', env, shell: process.platform === 'win32' });

function electronBinary() {
  try {
    const path = require('electron'); // the package exports the binary's path, or throws if absent
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

if (run(npmBin, ['run', 'build', '--silent']).status !== 0) process.exit(1);

let binary = electronBinary();
if (!binary && process.env.OPENTILL_BROWSER_MODE !== '1') {
  console.log('Electron is not downloaded yet: fetching it once (about 100 MB)…');
  const env = { ...process.env };
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  spawnSync(process.execPath, [require.resolve('electron/install.js')], {
    stdio: 'inherit',
    env,
    timeout: 180_000,
  });
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
  const child = spawn(npmBin, ['run', 'start:web', '--', ...process.argv.slice(2)], {
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  child.on('exit', (code) => process.exit(code ?? 0));
}
