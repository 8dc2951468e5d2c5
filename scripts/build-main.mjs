// Bundles the Electron main process and the sandboxed preload with esbuild (Vite builds the renderer).
import { build } from 'esbuild';

// ESM sources may use import.meta.url; in the CJS bundle it becomes the bundle file's own URL.
const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  sourcemap: false,
  logLevel: 'warning',
  define: { 'import.meta.url': '__opentillImportMetaUrl' },
  banner: {
    js: "const __opentillImportMetaUrl = require('node:url').pathToFileURL(__filename).href;",
  },
};

await build({
  ...common,
  entryPoints: ['src-main/app/main.ts'],
  outfile: 'out/main/index.cjs',
  // Native or optional-dependency modules stay outside the bundle and ship in node_modules.
  external: [
    'electron',
    'electron-updater',
    'better-sqlite3',
    'node-thermal-printer',
    'bufferutil',
    'utf-8-validate',
  ],
});

await build({
  ...common,
  // A sandboxed preload may require only `electron` (and a few polyfilled builtins): bundle the rest.
  platform: 'browser',
  define: {},
  banner: {},
  entryPoints: ['src-main/app/preload.ts'],
  outfile: 'out/preload/index.cjs',
  external: ['electron'],
});

console.log('Built out/main/index.cjs and out/preload/index.cjs');
