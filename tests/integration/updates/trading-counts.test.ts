import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src-main/core/core';
import { memorySecretStore } from '../../../src-main/credentials/secret-store';
import type { FeatureModule, TradingCounts } from '../../../src-main/platform/feature-module';
import { signInManager } from '../../support/staff';
import { tempDir } from '../../support/temp-dir';

/**
 * What an update waits for is typed: each count of work in progress has one owning module, which
 * declares it in its type. The two checks below are compile-time (`npm run typecheck` fails if
 * either line stops being an error); the test checks the running core reports every count.
 */
// A module reporting a count it does not own (a misspelt key) does not compile.
export const misspelt = {
  name: 'printing',
  // @ts-expect-error `pendingPrintJob` is not the count this module declares
  inProgress: () => ({ pendingPrintJob: 1 }),
} satisfies FeatureModule<'pendingPrintJobs'>;
// A merge that leaves a count without its owner does not make the counts.
// @ts-expect-error `pendingPrintJobs` is missing: its owner's part was left out
export const unowned: TradingCounts = { ...{ livePayments: 0, liveRefunds: 0 } };

describe('the work in progress an update waits for', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('is every count, each reported by its owning module, plus the basket', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const core: Core = await createCore({
      dataDir: dir.path,
      env: {},
      secretStore: memorySecretStore(),
      transport: 'electron',
      version: '1.0.0',
      simulatorTimeScale: 0.02,
    });
    cleanups.push(() => core.close());
    signInManager(core);
    expect(core.tradingState()).toStrictEqual({
      basketOpen: false,
      livePayments: 0,
      liveRefunds: 0,
      pendingPrintJobs: 0,
    });
  });
});
