/**
 * The crash test's child process (`npx tsx crash-child.ts`): runs the core once and prints one
 * JSON line. `OPENTILL_CRASH_AT=<step>` makes it SIGKILL itself at that step.
 *
 * env: CRASH_DB, CRASH_SIM_URL, CRASH_ACTION (JSON), OPENTILL_CRASH_AT
 */
import { runCore, type CrashAction } from './crash-core';

export type { CrashAction };

const env = process.env;
runCore({
  dbFile: env.CRASH_DB ?? '',
  simUrl: env.CRASH_SIM_URL ?? '',
  action: JSON.parse(env.CRASH_ACTION ?? '{"op":"recover"}') as CrashAction,
  env,
})
  .then((result) => process.stdout.write(JSON.stringify(result) + '\n'))
  .catch((e: unknown) => {
    process.stdout.write(
      JSON.stringify({ ok: false, error: e instanceof Error ? e.message : String(e) }) + '\n',
    );
    process.exit(1);
  });
