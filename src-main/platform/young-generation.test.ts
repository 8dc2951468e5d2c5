import { setFlagsFromString } from 'node:v8';
import { afterAll, describe, expect, it } from 'vitest';
import { holdYoungGeneration, youngGenerationBytes } from './young-generation';

/** Short-lived objects with a share surviving a while: what makes V8 grow its young generation. */
function churn(rounds: number): number {
  let kept: { a: number; b: string; c: number[] }[] = [];
  let sum = 0;
  for (let i = 0; i < rounds; i++) {
    kept.push({ a: i, b: `line ${i}`, c: [i, i + 1] });
    if (kept.length > 20_000) {
      sum += kept.length;
      kept = [];
    }
  }
  return sum + kept.length;
}

describe('V8 young generation held at core start', () => {
  afterAll(() => holdYoungGeneration());

  it('does not grow once held, where the same work grows it by default', () => {
    holdYoungGeneration();
    const held = youngGenerationBytes();
    churn(3_000_000);
    expect(youngGenerationBytes()).toBeLessThanOrEqual(held);
    // The same work with V8's default growth factor (2): it grows.
    setFlagsFromString('--semi-space-growth-factor=2');
    churn(3_000_000);
    expect(youngGenerationBytes()).toBeGreaterThan(held);
  });

  it('is held by the module each process entry imports first', async () => {
    setFlagsFromString('--semi-space-growth-factor=2');
    await import('./hold-young-generation');
    const held = youngGenerationBytes();
    churn(3_000_000);
    expect(youngGenerationBytes()).toBeLessThanOrEqual(held);
  });
});
