import { consoleSink, createLogger } from '../logging/logger';
import { argValue, chaosFromArgs } from './cli-args';
import { startSimulator } from './simulator';
import { errorText } from '../platform/error-text';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const port = Number(argValue(args, '--port') ?? '0');
  const timeScale = Number(argValue(args, '--time-scale') ?? '1');
  const host = argValue(args, '--host') ?? '127.0.0.1';
  const verbose = args.includes('--verbose');
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error('--port must be a port number');
  if (!(timeScale > 0)) throw new Error('--time-scale must be a positive number');
  const chaos = chaosFromArgs(args);
  const sim = await startSimulator({
    port,
    host,
    timeScale,
    logger: createLogger([consoleSink(verbose ? 'debug' : 'info')]),
  });
  console.log(`Dojo simulator listening on ${sim.url} (time scale ${timeScale})`);
  if (chaos) {
    sim.control.setChaos(chaos);
    console.log(`Chaos on, seed ${chaos.seed} (replay with --seed ${chaos.seed})`);
  }
  console.log(
    `Control API: ${sim.url}/__sim/records, /__sim/scenario, /__sim/faults, /__sim/chaos, /__sim/outage, /__sim/reset`,
  );
  const stop = (): void => {
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(errorText(err));
  process.exit(1);
});
