import { join } from 'node:path';
import { TillError } from '../../src-shared/errors';
import type { CredentialsService } from '../credentials/credentials.service';
import { createDojoClient, type DojoClient } from './dojo-client';
import { isDojoError } from './dojo-errors';
import type { Logger } from '../logging/logger';
import type { SettingsService } from '../settings/settings.service';
import { startSimulator, type Simulator } from '../simulator/simulator';
import { createListeners } from '../platform/emitter';

export const DOJO_PRODUCTION_URL = 'https://api.dojo.tech';
/** Training mode talks to the built-in simulator with a placeholder key (never a real one). */
const TRAINING_KEY = 'sk_sandbox_training_simulator';

/**
 * How a Dojo call made through the gateway ended: `unreachable` when the link failed (no answer,
 * timeout, reset, refused, or a 5xx), `answered` when Dojo answered, even with a refusal.
 */
export type DojoCallOutcome = 'answered' | 'unreachable';

/** True for a failure that says Dojo cannot be reached, rather than that it refused the call. */
export function isUnreachableError(error: unknown): boolean {
  if (!isDojoError(error)) return false;
  if (error.code === 'DOJO_UNREACHABLE') return true;
  return (
    error.code === 'DOJO_HTTP' && error.info.httpStatus !== null && error.info.httpStatus >= 500
  );
}

export type DojoGateway = {
  /** The client for the current key and settings (rebuilt when either changes). */
  client(): DojoClient;
  /** Hears how every Dojo call ends (the connectivity monitor reacts at once). Returns an unsubscribe. */
  onCall(listener: (outcome: DojoCallOutcome) => void): () => void;
  /** The built-in simulator while in training mode, else null. */
  simulator(): Simulator | null;
  testConnection(): Promise<{ ok: boolean; message: string; terminals: number | null }>;
  stop(): Promise<void>;
};

/**
 * Chooses where Dojo calls go: the real API when a key is configured, otherwise the training
 * simulator, started here on a free loopback port.
 */
export type DojoGatewayDeps = {
  credentials: CredentialsService;
  settings: SettingsService;
  env: NodeJS.ProcessEnv;
  log: Logger;
  simulatorTimeScale: number;
  dataDir: string;
};

export async function createDojoGateway(deps: DojoGatewayDeps): Promise<DojoGateway> {
  let sim: Simulator | null = null;
  const listeners = createListeners<DojoCallOutcome>((error) =>
    deps.log.error('dojo call listener failed', { error: String(error) }),
  );
  const report = (outcome: DojoCallOutcome) => listeners.emit(outcome);
  let cached: { signature: string; client: DojoClient } | null = null;

  let starting: Promise<void> | null = null;
  const ensureSimulator = (): Promise<void> => {
    if (sim) return Promise.resolve();
    starting ??= (async () => {
      try {
        const started = await startSimulator({
          timeScale: deps.simulatorTimeScale,
          logger: deps.log.child('simulator'),
          stateFile: join(deps.dataDir, 'training-simulator.json'),
        });
        // A key saved while it was starting: it must not stay up.
        if (deps.credentials.apiKey()) await started.close();
        else {
          sim = started;
          deps.log.info('training mode: built-in Dojo simulator started', { url: started.url });
        }
      } finally {
        starting = null;
      }
    })();
    return starting;
  };
  /**
   * With a real key the simulator must not run at all: its `/__sim` control API (no auth, loopback)
   * could otherwise force outcomes or read records on a live till. It stops as soon as a key is set.
   */
  let stopping: Promise<void> | null = null;
  const stopSimulator = () => {
    const running = sim;
    if (!running) return;
    sim = null;
    stopping = running
      .close()
      .then(() => deps.log.info('training simulator stopped: a Dojo key is configured'))
      .catch((error: unknown) =>
        deps.log.error('training simulator did not stop', { error: String(error) }),
      );
  };
  if (!deps.credentials.apiKey()) await ensureSimulator();
  deps.credentials.onChange(() => {
    cached = null;
    if (deps.credentials.apiKey()) stopSimulator();
    else
      ensureSimulator().catch((error: unknown) =>
        deps.log.error('training simulator did not start', { error: String(error) }),
      );
  });

  const client = (): DojoClient => {
    const key = deps.credentials.apiKey();
    const settings = deps.settings.get();
    let baseUrl: string;
    if (key) baseUrl = deps.env.OPENTILL_DOJO_BASE_URL?.replace(/\/+$/, '') || DOJO_PRODUCTION_URL;
    else if (sim) baseUrl = sim.url;
    else
      throw new TillError(
        'DOJO_UNREACHABLE',
        'The training simulator is still starting; try again in a moment.',
        { retryable: true },
      );
    const signature = JSON.stringify([
      baseUrl,
      key ? key.length + key.slice(-4) : 'training',
      settings.softwareHouseId,
      settings.resellerId,
    ]);
    if (cached?.signature === signature) return cached.client;
    const created = observed(
      createDojoClient({
        baseUrl,
        apiKey: key ?? TRAINING_KEY,
        softwareHouseId: settings.softwareHouseId,
        resellerId: settings.resellerId,
        logger: deps.log.child('dojo'),
      }),
      report,
    );
    cached = { signature, client: created };
    return created;
  };

  return {
    client,
    onCall(listener) {
      return listeners.add(listener);
    },
    simulator: () => (deps.credentials.apiKey() ? null : sim),
    async testConnection() {
      const mode = deps.credentials.status().environment;
      try {
        const terminals = await client().listTerminals();
        const where = mode === 'training' ? 'the training simulator' : `Dojo (${mode})`;
        return {
          ok: true,
          message: `Connected to ${where}: ${terminals.length} terminal${terminals.length === 1 ? '' : 's'} found.`,
          terminals: terminals.length,
        };
      } catch (error) {
        const message =
          error instanceof TillError
            ? error.message
            : 'Dojo could not be reached. Check the internet connection.';
        return { ok: false, message, terminals: null };
      }
    },
    async stop() {
      await starting?.catch(() => undefined);
      await sim?.close();
      sim = null;
      await stopping;
    },
  };
}

/** The same client, telling `report` how each call ended. */
function observed(inner: DojoClient, report: (outcome: DojoCallOutcome) => void): DojoClient {
  const watch = async <R>(call: Promise<R>): Promise<R> => {
    try {
      const result = await call;
      report('answered');
      return result;
    } catch (error) {
      if (isDojoError(error)) report(isUnreachableError(error) ? 'unreachable' : 'answered');
      throw error;
    }
  };
  return {
    createPaymentIntent: (...a) => watch(inner.createPaymentIntent(...a)),
    getPaymentIntent: (...a) => watch(inner.getPaymentIntent(...a)),
    cancelPaymentIntent: (...a) => watch(inner.cancelPaymentIntent(...a)),
    capturePaymentIntent: (...a) => watch(inner.capturePaymentIntent(...a)),
    reversePaymentIntent: (...a) => watch(inner.reversePaymentIntent(...a)),
    refundPaymentIntent: (...a) => watch(inner.refundPaymentIntent(...a)),
    sendEmailReceipt: (...a) => watch(inner.sendEmailReceipt(...a)),
    searchPaymentIntents: (...a) => watch(inner.searchPaymentIntents(...a)),
    listTerminals: (...a) => watch(inner.listTerminals(...a)),
    getTerminal: (...a) => watch(inner.getTerminal(...a)),
    createSaleSession: (...a) => watch(inner.createSaleSession(...a)),
    createMatchedRefundSession: (...a) => watch(inner.createMatchedRefundSession(...a)),
    createUnlinkedRefundSession: (...a) => watch(inner.createUnlinkedRefundSession(...a)),
    getSession: (...a) => watch(inner.getSession(...a)),
    cancelSession: (...a) => watch(inner.cancelSession(...a)),
    respondToSignature: (...a) => watch(inner.respondToSignature(...a)),
  };
}
