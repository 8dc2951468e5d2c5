import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelNames, channels } from '../../../src-shared/contract';
import { createCore, type Core } from '../../../src-main/core/core';
import { memorySecretStore } from '../../../src-main/credentials/secret-store';
import { tempDir } from '../../support/temp-dir';

describe('the contract and the core', () => {
  const dir = tempDir();
  let core: Core;
  beforeAll(async () => {
    core = await createCore({ dataDir: dir.path, env: {}, secretStore: memorySecretStore(), transport: 'websocket', version: 'test', simulatorTimeScale: 0.02 });
  });
  afterAll(async () => {
    await core.close();
    dir.remove();
  });

  it('names every channel domain:verb', () => {
    for (const name of channelNames) expect(name).toMatch(/^[a-z]+:[a-z]+(-[a-z]+)*$/);
  });

  it.each(channelNames)('%s has a handler wired into the core and validates its input', async (channel) => {
    // A deliberately wrong input: channels that take input must refuse it as VALIDATION; none may
    // answer "not available in this version" (an unwired handler).
    const takesInput = !channels[channel].input.safeParse(undefined).success;
    const result = await core.dispatch(channel, takesInput ? { definitely: 'wrong' } : undefined);
    if (!result.ok) expect(result.error.message).not.toMatch(/not available in this version/);
    if (takesInput) expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });
});
