// Bundles the Electron main process and the sandboxed preload with esbuild (Vite builds the renderer).
import { build } from 'esbuild';

// The output folder: out/ for the app; a test may build elsewhere (OPENTILL_OUT_DIR) so that
// running the tests never replaces what `npm run build` made.
const outDir = process.env.OPENTILL_OUT_DIR || 'out';

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
  outfile: `${outDir}/main/index.cjs`,
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
  outfile: `${outDir}/preload/index.cjs`,
  external: ['electron'],
});

console.log(`Built ${outDir}/main/index.cjs and ${outDir}/preload/index.cjs`);
