import { describe, expect, it } from 'vitest';
import type { ConnectivityState, Handlers } from '../../src-shared/contract';
import { guardTerminalWork } from './terminal-guard';

function link(state: ConnectivityState, afterProbe: ConnectivityState) {
  let probes = 0;
  const l = {
    state,
    checkNow: () => {
      probes++;
      l.state = afterProbe;
      return Promise.resolve(afterProbe);
    },
    probes: () => probes,
  };
  return l;
}

describe('terminal work while Dojo is unreachable', () => {
  const calls: string[] = [];
  const handlers = {
    'payments:start-sale': () => {
      calls.push('sale');
      return { id: 'a1' };
    },
    'payments:cancel': () => {
      calls.push('cancel');
      return { id: 'a1' };
    },
  } as unknown as Partial<Handlers>;
  const call = (h: Partial<Handlers>, channel: 'payments:start-sale' | 'payments:cancel') =>
    (h[channel] as unknown as (i: unknown) => Promise<unknown>)({});

  it('refuses a new card sale in plain words when a fresh probe still finds Dojo offline', async () => {
    calls.length = 0;
    const l = link('offline', 'offline');
    await expect(
      call(
        guardTerminalWork(handlers, () => l),
        'payments:start-sale',
      ),
    ).rejects.toMatchObject({
      code: 'DOJO_UNREACHABLE',
      retryable: true,
    });
    const refused = await call(
      guardTerminalWork(handlers, () => l),
      'payments:start-sale',
    ).catch((e: unknown) => (e instanceof Error ? e.message : ''));
    expect(refused).toContain('Take cash, or park the order');
    expect(calls).toEqual([]);
    expect(l.probes()).toBe(2);
  });

  it('lets the sale through when the fresh probe finds the link back, and never probes when online', async () => {
    calls.length = 0;
    const back = link('offline', 'online');
    await call(
      guardTerminalWork(handlers, () => back),
      'payments:start-sale',
    );
    const online = link('online', 'online');
    await call(
      guardTerminalWork(handlers, () => online),
      'payments:start-sale',
    );
    expect(calls).toEqual(['sale', 'sale']);
    expect(online.probes()).toBe(0);
  });

  it('does not stand in the way of work already running (cancel)', async () => {
    calls.length = 0;
    const l = link('offline', 'offline');
    await call(
      guardTerminalWork(handlers, () => l),
      'payments:cancel',
    );
    expect(calls).toEqual(['cancel']);
  });
});
