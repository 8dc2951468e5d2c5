import type { Handlers, TillStatus } from '../../src-shared/contract';
import { TillError } from '../../src-shared/errors';
import type { Db } from '../db/connection';
import type { Logger } from '../logging/logger';
import type { EventBus } from './event-bus';
import type { SettingsService } from '../settings/settings.service';
import type { CredentialsService } from '../credentials/credentials.service';
import type { ManagerPin } from '../settings/settings.ipc';

export type FeatureDeps = {
  db: Db;
  log: Logger;
  bus: EventBus;
  settings: SettingsService;
  credentials: CredentialsService;
  env: NodeJS.ProcessEnv;
  dataDir: string;
  simulatorTimeScale: number;
  emitStatus: () => void;
};

export type Features = {
  handlers: Partial<Handlers>;
  managerPin: ManagerPin;
  status(): TillStatus;
  testConnection(): Promise<{ ok: boolean; message: string; terminals: number | null }>;
  stop(): Promise<void>;
};

/** Wires the feature services (Dojo, payments, orders, printing, queue) into one core. */
export function createFeatures(deps: FeatureDeps): Promise<Features> {
  return Promise.resolve({
    handlers: {},
    managerPin: {
      isSet: () => false,
      set: () => {
        throw new TillError('MANAGER_PIN_NOT_SET', 'Manager PIN storage is not available yet.');
      },
    },
    status: () => ({
      mode: deps.credentials.status().environment,
      dojo: { state: 'unknown', checkedAt: null, reason: null },
      queue: { pending: 0, failed: 0 },
      printer: { state: 'none', pendingJobs: 0, reason: null },
      needsAttention: 0,
    }),
    testConnection: () => Promise.resolve({ ok: false, message: 'Not connected yet.', terminals: null }),
    stop: () => Promise.resolve(),
  });
}
