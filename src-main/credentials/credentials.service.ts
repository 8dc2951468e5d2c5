import { apiKeySchema, type CredentialsStatus, type TillMode } from '../../src-shared/contract';
import { TillError } from '../../src-shared/errors';
import type { SecretStore } from './secret-store';
import { createListeners } from '../platform/emitter';

export type CredentialsService = {
  status(): CredentialsStatus;
  /** Main process only. Never return this through a channel, event or log. */
  apiKey(): string | null;
  set(apiKey: string): CredentialsStatus;
  clear(): CredentialsStatus;
  onChange(listener: () => void): () => void;
};

export function environmentOf(apiKey: string | null): TillMode {
  if (!apiKey) return 'training';
  return apiKey.startsWith('sk_prod_') ? 'production' : 'sandbox';
}

/**
 * The key comes from `OPENTILL_DOJO_API_KEY` when set (the environment wins), otherwise from the
 * secret store the Settings screen writes to.
 */
export function createCredentialsService(
  store: SecretStore,
  env: NodeJS.ProcessEnv,
): CredentialsService {
  const listeners = createListeners<void>();
  const envKey = (): string | null => {
    const value = env.OPENTILL_DOJO_API_KEY?.trim();
    return value ? value : null;
  };
  const current = (): string | null => {
    const key = envKey() ?? store.read();
    return key && apiKeySchema.safeParse(key).success ? key : null;
  };
  const status = (): CredentialsStatus => {
    const key = current();
    return { configured: key !== null, environment: environmentOf(key) };
  };
  const guardEnv = () => {
    if (envKey()) {
      throw new TillError(
        'VALIDATION',
        'The Dojo key is set by the OPENTILL_DOJO_API_KEY environment variable; change it there.',
      );
    }
  };
  const changed = () => listeners.emit();
  return {
    status,
    apiKey: current,
    set(apiKey) {
      guardEnv();
      const parsed = apiKeySchema.safeParse(apiKey);
      if (!parsed.success)
        throw new TillError('VALIDATION', parsed.error.issues[0]?.message ?? 'Invalid key');
      store.write(parsed.data);
      changed();
      return status();
    },
    clear() {
      guardEnv();
      store.clear();
      changed();
      return status();
    },
    onChange(listener) {
      return listeners.add(listener);
    },
  };
}
