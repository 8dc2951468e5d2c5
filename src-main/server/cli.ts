import '../platform/hold-young-generation';
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { consoleSink, createLogger, type Logger } from '../logging/logger';
import { startBrowserMode } from './browser-mode';
import { logUnhandledRejections } from './process-guards';
import { errorText } from '../platform/error-text';

// Logged, never fatal: until the core is up on the console, then through the core's logger.
let processLog: Logger = createLogger([consoleSink('warn')], 'process');
logUnhandledRejections(process, () => processLog);

// Everything this process writes (database, logs, simulator state, backups, printed images) is
// for this user only, whatever the shell's umask says.
process.umask(0o077);

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    'data-dir': { type: 'string' },
    'renderer-dir': { type: 'string' },
  },
});

const port = Number(values.port ?? process.env.OPENTILL_PORT ?? 5199);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(
    `--port must be a number from 0 to 65535 (got "${values.port ?? process.env.OPENTILL_PORT}")`,
  );
  process.exit(2);
}
const dataDir = resolve(values['data-dir'] ?? process.env.OPENTILL_DATA_DIR ?? '.opentill');

try {
  const mode = await startBrowserMode({
    port,
    dataDir,
    rendererDir: resolve(values['renderer-dir'] ?? 'out/renderer'),
    env: process.env,
    logSinks: [consoleSink('warn')],
  });
  processLog = mode.core.log.child('process');
  const info = mode.core.info();
  console.log(
    `\nOpenTill ${info.version} — browser mode (${info.mode === 'training' ? 'TRAINING: built-in Dojo simulator, no real payments' : info.mode})`,
  );
  console.log(`Data: ${dataDir}`);
  console.log(`Open: ${mode.url}\n`);
  const stop = () => {
    void mode.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  console.error(`OpenTill could not start: ${errorText(error)}`);
  process.exit(1);
}
