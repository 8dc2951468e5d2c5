import type { FeatureModule } from '../platform/feature-module';
import { createConnectivityMonitor, type ConnectivityOptions } from '../queue/connectivity-monitor';
import { createDojoGateway, type DojoGatewayDeps } from './dojo-gateway';

export type ConnectivityTimings = Pick<
  ConnectivityOptions,
  'intervalMs' | 'offlineBaseMs' | 'maxBackoffMs' | 'timeoutMs'
>;

/**
 * Dojo as the till reaches it: the gateway (the Dojo client, or the training simulator without a
 * key) and the link to it (the connectivity monitor probing it).
 */
export async function createDojoModule(
  deps: DojoGatewayDeps & {
    /** Connectivity monitor timings (tests shorten them); defaults: 30 s online, 2–60 s offline backoff. */
    connectivity?: ConnectivityTimings;
  },
) {
  const { connectivity, ...gatewayDeps } = deps;
  const { credentials } = deps;
  const gateway = await createDojoGateway(gatewayDeps);
  const link = createConnectivityMonitor({
    probe: () => gateway.client().listTerminals(),
    logger: deps.log,
    intervalMs: 30_000,
    ...connectivity,
  });
  // A call the till made that could not reach Dojo flips the status within seconds instead of at
  // the next 30 s probe; one that got an answer while we think Dojo is away brings it back early.
  // While offline, failures do not poke: the monitor's own backoff paces the probes.
  gateway.onCall((outcome) => {
    if (outcome === 'unreachable' ? link.state !== 'offline' : link.state === 'offline')
      link.poke();
  });
  // A new key (or none) is tried at once.
  credentials.onChange(() => void link.checkNow());

  return {
    name: 'dojo',
    gateway,
    link,
    client: () => gateway.client(),
    start: () => link.start(),
    async stop() {
      await link.stop();
      await gateway.stop();
    },
    status: () => {
      const { state, checkedAt, reason } = link.snapshot();
      return { mode: credentials.status().environment, dojo: { state, checkedAt, reason } };
    },
  } satisfies FeatureModule & Record<string, unknown>;
}

export type DojoModule = Awaited<ReturnType<typeof createDojoModule>>;
