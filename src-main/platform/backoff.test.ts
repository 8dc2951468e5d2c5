import { describe, expect, it } from 'vitest';
import { backoffDelay, createBackgroundLoop } from './backoff';

describe('backoffDelay parameters', () => {
  it('without jitter gives the ceiling itself, doubling to the cap', () => {
    const at = (n: number) => backoffDelay(n, { baseMs: 400, maxMs: 15_000, jitter: [1, 1] });
    expect([1, 2, 3, 4, 5, 6, 7].map(at)).toEqual([400, 800, 1600, 3200, 6400, 12_800, 15_000]);
  });

  it('spreads within the jitter band it is given', () => {
    const at = (r: number) =>
      backoffDelay(3, { baseMs: 1000, maxMs: 30_000, jitter: [0.8, 1.2], random: () => r });
    expect([at(0), at(0.5), at(1)]).toEqual([3200, 4000, 4800]);
  });
});

describe('createBackgroundLoop', () => {
  it('runs once however often started, wakes its nap, and stop waits for the loop to end', async () => {
    const seen: string[] = [];
    let runs = 0;
    const loop = createBackgroundLoop(
      async (signal, nap) => {
        runs++;
        while (!signal.aborted) {
          seen.push('tick');
          await nap(60_000);
        }
        seen.push('ended');
      },
      () => seen.push('stopped'),
    );
    loop.start();
    loop.start();
    expect(runs).toBe(1);
    loop.wake(); // the hour-long nap ends at once
    await new Promise((r) => setImmediate(r));
    await loop.stop();
    expect(seen).toEqual(['tick', 'tick', 'ended', 'stopped']);
  });
});
