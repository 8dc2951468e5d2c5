import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src-main/core/core';
import { memorySecretStore } from '../../../src-main/credentials/secret-store';
import { memorySink } from '../../../src-main/logging/logger';
import { tempDir } from '../../support/temp-dir';
import { waitFor } from '../../support/wait';

const KEY = 'sk_sandbox_gatecheck_0123456789abcdef';
let core: Core | null = null;
let dir: ReturnType<typeof tempDir> | null = null;
afterEach(async () => {
  await core?.close();
  core = null;
  dir?.remove();
  dir = null;
});

async function boot(key: string | null, sink = memorySink()): Promise<Core> {
  dir = tempDir('opentill-simgate-');
  core = await createCore({
    dataDir: dir.path,
    // Dojo itself is never reached in this test: a closed loopback port stands in for it.
    env: { OPENTILL_DOJO_BASE_URL: 'http://127.0.0.1:9' },
    secretStore: memorySecretStore(key),
    transport: 'websocket',
    version: 'test',
    simulatorTimeScale: 0.01,
    logSinks: [sink],
  });
  return core;
}

/** Whether anything answers the simulator's control API at `url`. */
async function controlAnswers(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/__sim/records`, { signal: AbortSignal.timeout(2000) });
    return res.ok;
  } catch {
    return false;
  }
}

describe('the training simulator and a real Dojo key', () => {
  it('is never started when a real key is configured', async () => {
    const sink = memorySink();
    const c = await boot(KEY, sink);
    expect(c.info().mode).not.toBe('training');
    expect(c.simulator()).toBeNull();
    expect(sink.records.map((r) => r.message)).not.toContain(
      'training mode: built-in Dojo simulator started',
    );
  });

  it('stops, and its /__sim control API stops answering, as soon as a key is saved', async () => {
    const c = await boot(null);
    const url = c.simulator()?.url ?? '';
    expect(url).not.toBe('');
    expect(await controlAnswers(url)).toBe(true);
    c.credentials.set(KEY);
    expect(c.simulator()).toBeNull();
    await waitFor(async () => !(await controlAnswers(url)), 'the control API to go away');
    // Removing the key brings training mode (and a simulator) back.
    c.credentials.clear();
    const again = await waitFor(() => c.simulator(), 'the simulator to restart');
    expect(await controlAnswers(again.url)).toBe(true);
  });
});
