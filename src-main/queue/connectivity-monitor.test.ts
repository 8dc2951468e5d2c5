import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../logging/logger';
import { TillError } from '../../src-shared/errors';
import { createConnectivityMonitor, type ConnectivityChange } from './connectivity-monitor';

afterEach(() => vi.useRealTimers());

describe('connectivity monitor', () => {
  it('starts unknown, goes online, offline with the reason, and back online; emits only changes', async () => {
    vi.useFakeTimers();
    let up = true;
    const probes: number[] = [];
    const monitor = createConnectivityMonitor({
      logger: silentLogger,
      intervalMs: 10_000,
      offlineBaseMs: 1000,
      maxBackoffMs: 8000,
      random: () => 1,
      probe: () => {
        probes.push(Date.now());
        return up
          ? Promise.resolve()
          : Promise.reject(new TillError('DOJO_UNREACHABLE', 'Dojo is unreachable: no internet'));
      },
    });
    const changes: ConnectivityChange[] = [];
    monitor.on('change', (c) => changes.push(c));
    expect(monitor.state).toBe('unknown');
    const t0 = Date.now();
    monitor.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(monitor.state).toBe('online');
    up = false;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(monitor.state).toBe('offline');
    expect(monitor.reason).toBe('Dojo is unreachable: no internet');
    // Offline: retries back off 1 s, 2 s, 4 s, 8 s, 8 s…
    await vi.advanceTimersByTimeAsync(1000 + 2000 + 4000 + 8000 + 8000);
    expect(probes.map((p) => p - t0)).toEqual([0, 10_000, 11_000, 13_000, 17_000, 25_000, 33_000]);
    up = true;
    await vi.advanceTimersByTimeAsync(8000);
    expect(monitor.state).toBe('online');
    expect(changes.map((c) => `${c.previous}→${c.state}`)).toEqual([
      'unknown→online',
      'online→offline',
      'offline→online',
    ]);
    expect(changes[1]?.reason).toBe('Dojo is unreachable: no internet');
    await monitor.stop();
    const count = probes.length;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(probes.length).toBe(count);
  });

  it('counts a probe that does not answer in time as offline', async () => {
    // AbortSignal.timeout runs on the real clock.
    const monitor = createConnectivityMonitor({
      logger: silentLogger,
      timeoutMs: 1000,
      probe: () => new Promise(() => {}),
    });
    expect(await monitor.checkNow()).toBe('offline');
    expect(monitor.snapshot()).toMatchObject({
      state: 'offline',
      reason: 'Dojo did not answer within 1 s',
    });
  });

  it('shares one probe between concurrent checks', async () => {
    let calls = 0;
    const monitor = createConnectivityMonitor({
      logger: silentLogger,
      probe: () => {
        calls++;
        return new Promise((r) => setTimeout(r, 10));
      },
    });
    const [a, b] = await Promise.all([monitor.checkNow(), monitor.checkNow()]);
    expect([a, b, calls]).toEqual(['online', 'online', 1]);
  });
});
