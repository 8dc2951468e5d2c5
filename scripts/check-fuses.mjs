// Release CI: reads the fuse wire of a packaged OpenTill binary and fails unless every fuse is as
// electron-builder.yml asks. Usage: node scripts/check-fuses.mjs <packaged app or executable>…
import { readFileSync } from 'node:fs';
import fuses from '@electron/fuses'; // comes with electron-builder, which flips the fuses
import yaml from 'js-yaml';

const { FuseV1Options, getCurrentFuseWire } = fuses;
const FuseState = { DISABLE: 48, ENABLE: 49 }; // '0' and '1' on the wire

if (process.argv.length < 3) {
  console.error('Usage: node scripts/check-fuses.mjs <packaged app>…');
  process.exit(2);
}

const wanted = yaml.load(
  readFileSync(new URL('../electron-builder.yml', import.meta.url), 'utf8'),
).electronFuses;
// electron-builder's option names → the fuse wire's names.
const names = {
  runAsNode: 'RunAsNode',
  enableCookieEncryption: 'EnableCookieEncryption',
  enableNodeOptionsEnvironmentVariable: 'EnableNodeOptionsEnvironmentVariable',
  enableNodeCliInspectArguments: 'EnableNodeCliInspectArguments',
  enableEmbeddedAsarIntegrityValidation: 'EnableEmbeddedAsarIntegrityValidation',
  onlyLoadAppFromAsar: 'OnlyLoadAppFromAsar',
};

let failed = 0;
for (const app of process.argv.slice(2)) {
  const wire = await getCurrentFuseWire(app);
  for (const [option, value] of Object.entries(wanted)) {
    const state = wire[FuseV1Options[names[option]]];
    const ok = state === (value ? FuseState.ENABLE : FuseState.DISABLE);
    if (!ok) failed++;
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${app}: ${option} should be ${value ? 'on' : 'off'}`);
  }
}
process.exit(failed === 0 ? 0 : 1);
