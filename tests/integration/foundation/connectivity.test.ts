import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectivityState, PayloadOf } from '../../../src-shared/contract';
import { createCore, type Core, type CoreOptions } from '../../../src-main/core/core';
import { isUnreachableError } from '../../../src-main/dojo/dojo-gateway';
import { DojoError } from '../../../src-main/dojo/dojo-errors';
import { memorySecretStore } from '../../../src-main/credentials/secret-store';
import { memorySink } from '../../../src-main/logging/logger';
import { tempDir } from '../../support/temp-dir';
import { signInManager } from '../../support/staff';
import { staysTrueFor, waitFor } from '../../support/wait';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function core(connectivity: CoreOptions['connectivity']): Promise<Core> {
  const dir = tempDir();
  const c = await createCore({
    dataDir: dir.path,
    env: {},
    secretStore: memorySecretStore(),
    transport: 'websocket',
    version: 'test',
    logSinks: [memorySink()],
    simulatorTimeScale: 0.02,
    ...(connectivity ? { connectivity } : {}),
  });
  cleanups.push(
    () => dir.remove(),
    () => c.close(),
  );
  signInManager(c);
  return c;
}

const sim = (c: Core) => {
  const s = c.simulator();
  if (!s) throw new Error('training simulator not running');
  return s.control;
};

type Fault = { kind: 'reset' } | { kind: 'http-error'; status: number };
/** Every Dojo path fails (`*` matches one segment, so each depth needs its own fault). */
const dojoAway = (c: Core, fault: Fault, count = 10_000) => {
  for (const path of ['/*', '/*/*', '/*/*/*']) sim(c).injectFault({ ...fault, path, count });
};

/** Resolves with how long the state took to become `want`; fails after `withinMs`. */
async function stateBecomes(c: Core, want: ConnectivityState, withinMs: number): Promise<number> {
  const started = Date.now();
  await waitFor(
    () => c.status().dojo.state === want,
    () => `Dojo state ${want} (it stayed ${c.status().dojo.state})`,
    withinMs,
  );
  return Date.now() - started;
}

describe('isUnreachableError', () => {
  const info = (httpStatus: number | null) => ({
    operation: 'listTerminals',
    httpStatus,
    traceId: null,
    dojoCode: null,
    dojoMessage: null,
    retryAfterMs: null,
    ambiguous: true,
  });
  it('is true for no answer and 5xx, false for refusals, malformed answers and other errors', () => {
    expect(isUnreachableError(new DojoError('DOJO_UNREACHABLE', 'x', info(null), true))).toBe(true);
    expect(isUnreachableError(new DojoError('DOJO_HTTP', 'x', info(503), true))).toBe(true);
    expect(isUnreachableError(new DojoError('DOJO_HTTP', 'x', info(500), true))).toBe(true);
    expect(isUnreachableError(new DojoError('DOJO_HTTP', 'x', info(400), false))).toBe(false);
    expect(isUnreachableError(new DojoError('DOJO_HTTP', 'malformed', info(200), true))).toBe(
      false,
    );
    expect(isUnreachableError(new DojoError('DOJO_RATE_LIMITED', 'x', info(429), true))).toBe(
      false,
    );
    expect(isUnreachableError(new Error('boom'))).toBe(false);
  });
});

describe('connectivity: a Dojo call that cannot get through flips the status at once', () => {
  // The interval is ten minutes: only the poke from the failed call can explain a quick change.
  const slowProbes = { intervalMs: 600_000, offlineBaseMs: 100, maxBackoffMs: 200 };

  it('a connection reset on a till call turns the status offline within seconds, and backoff probes bring it back', async () => {
    const c = await core(slowProbes);
    await stateBecomes(c, 'online', 5000);
    dojoAway(c, { kind: 'reset' });
    const failed = await c.dispatch('credentials:test', undefined);
    expect(failed).toMatchObject({ ok: true, value: { ok: false } });
    await stateBecomes(c, 'offline', 3000);
    expect(c.status().dojo.reason).toMatch(/could not be reached/);
    sim(c).clearFaults();
    await stateBecomes(c, 'online', 3000);
  });

  it('a 503 from Dojo counts as unreachable too', async () => {
    const c = await core(slowProbes);
    await stateBecomes(c, 'online', 5000);
    dojoAway(c, { kind: 'http-error', status: 503 });
    const r = await c.dispatch('terminals:list', undefined);
    expect(r.ok).toBe(false);
    await stateBecomes(c, 'offline', 3000);
    expect(c.status().dojo.reason).toMatch(/HTTP 503/);
  });

  it('a refusal (4xx) is an answer: the status stays online', async () => {
    const c = await core(slowProbes);
    await stateBecomes(c, 'online', 5000);
    sim(c).injectFault({ kind: 'http-error', status: 400, path: '/terminals', count: 1 });
    const r = await c.dispatch('credentials:test', undefined);
    expect(r).toMatchObject({ ok: true, value: { ok: false } });
    const probes = () =>
      sim(c)
        .records()
        .requests.filter((q) => q.path === '/terminals').length;
    const after = probes();
    await staysTrueFor(() => probes() === after, 300, 'no extra probe');
    // No extra probe was asked for, and nothing changed.
    expect(probes()).toBe(after);
    expect(c.status().dojo.state).toBe('online');
  });

  it('while offline, a call that gets an answer (Test connection) brings the status back without waiting for the backoff', async () => {
    // Offline probes every 30–60 s: only the answered call can explain a quick return.
    const c = await core({ intervalMs: 600_000, offlineBaseMs: 60_000, maxBackoffMs: 60_000 });
    await stateBecomes(c, 'online', 5000);
    dojoAway(c, { kind: 'reset' });
    await c.dispatch('credentials:test', undefined);
    await stateBecomes(c, 'offline', 3000);
    sim(c).clearFaults();
    await staysTrueFor(() => c.status().dojo.state === 'offline', 300, 'still offline');
    expect(c.status().dojo.state).toBe('offline');
    expect(await c.dispatch('credentials:test', undefined)).toMatchObject({
      ok: true,
      value: { ok: true },
    });
    await stateBecomes(c, 'online', 2000);
  });

  it('emits status:changed when the state flips', async () => {
    const c = await core(slowProbes);
    await stateBecomes(c, 'online', 5000);
    const seen: ConnectivityState[] = [];
    const off = c.bus.subscribe((name, payload) => {
      if (name === 'status:changed') seen.push((payload as PayloadOf<'status:changed'>).dojo.state);
    });
    cleanups.push(off);
    dojoAway(c, { kind: 'reset' });
    await c.dispatch('terminals:list', undefined);
    await stateBecomes(c, 'offline', 3000);
    expect(seen).toContain('offline');
  });
});
