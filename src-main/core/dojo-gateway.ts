import { join } from 'node:path';
import { TillError } from '../../src-shared/errors';
import type { CredentialsService } from '../credentials/credentials.service';
import { createDojoClient, type DojoClient } from '../dojo/dojo-client';
import type { Logger } from '../logging/logger';
import type { SettingsService } from '../settings/settings.service';
import { startSimulator, type Simulator } from '../simulator/simulator';

export const DOJO_PRODUCTION_URL = 'https://api.dojo.tech';
/** Training mode talks to the built-in simulator with a placeholder key (never a real one). */
const TRAINING_KEY = 'sk_sandbox_training_simulator';

export type DojoGateway = {
  /** The client for the current key and settings (rebuilt when either changes). */
  client(): DojoClient;
  /** The built-in simulator while in training mode, else null. */
  simulator(): Simulator | null;
  testConnection(): Promise<{ ok: boolean; message: string; terminals: number | null }>;
  stop(): Promise<void>;
};

/**
 * Chooses where Dojo calls go: the real API when a key is configured, otherwise the training
 * simulator, started here on a free loopback port.
 */
export async function createDojoGateway(deps: {
  credentials: CredentialsService;
  settings: SettingsService;
  env: NodeJS.ProcessEnv;
  log: Logger;
  simulatorTimeScale: number;
  dataDir: string;
}): Promise<DojoGateway> {
  let sim: Simulator | null = null;
  let cached: { signature: string; client: DojoClient } | null = null;

  const ensureSimulator = async () => {
    if (!sim) {
      sim = await startSimulator({ timeScale: deps.simulatorTimeScale, logger: deps.log.child('simulator'), stateFile: join(deps.dataDir, 'training-simulator.json') });
      deps.log.info('training mode: built-in Dojo simulator started', { url: sim.url });
    }
    return sim;
  };
  if (!deps.credentials.apiKey()) await ensureSimulator();
  deps.credentials.onChange(() => {
    cached = null;
    if (!deps.credentials.apiKey()) void ensureSimulator();
  });

  const client = (): DojoClient => {
    const key = deps.credentials.apiKey();
    const settings = deps.settings.get();
    let baseUrl: string;
    if (key) baseUrl = deps.env.OPENTILL_DOJO_BASE_URL?.replace(/\/+$/, '') || DOJO_PRODUCTION_URL;
    else if (sim) baseUrl = sim.url;
    else throw new TillError('DOJO_UNREACHABLE', 'The training simulator is still starting; try again in a moment.', { retryable: true });
    const signature = JSON.stringify([baseUrl, key ? key.length + key.slice(-4) : 'training', settings.softwareHouseId, settings.resellerId]);
    if (cached?.signature === signature) return cached.client;
    const created = createDojoClient({
      baseUrl,
      apiKey: key ?? TRAINING_KEY,
      softwareHouseId: settings.softwareHouseId,
      resellerId: settings.resellerId,
      logger: deps.log.child('dojo'),
    });
    cached = { signature, client: created };
    return created;
  };

  return {
    client,
    simulator: () => (deps.credentials.apiKey() ? null : sim),
    async testConnection() {
      const mode = deps.credentials.status().environment;
      try {
        const terminals = await client().listTerminals();
        const where = mode === 'training' ? 'the training simulator' : `Dojo (${mode})`;
        return { ok: true, message: `Connected to ${where}: ${terminals.length} terminal${terminals.length === 1 ? '' : 's'} found.`, terminals: terminals.length };
      } catch (error) {
        const message = error instanceof TillError ? error.message : 'Dojo could not be reached. Check the internet connection.';
        return { ok: false, message, terminals: null };
      }
    },
    async stop() {
      await sim?.close();
      sim = null;
    },
  };
}
