import { describe, expect, it } from 'vitest';
import { createRequestKeys, newRequestKey } from './request-key';

describe('request keys: one per press', () => {
  it('makes UUIDs', () => {
    expect(newRequestKey()).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('a second press while the first is in flight sends the same key; after it, a new one', async () => {
    const keys = createRequestKeys();
    const sent: string[] = [];
    let finish!: () => void;
    const first = keys.press('pay-cash:o1', (k) => {
      sent.push(k);
      return new Promise<void>((r) => (finish = r));
    });
    const second = keys.press('pay-cash:o1', (k) => {
      sent.push(k);
      return Promise.resolve();
    });
    await keys.press('pay-cash:o2', (k) => Promise.resolve(void sent.push(k)));
    finish();
    await Promise.all([first, second]);
    await keys.press('pay-cash:o1', (k) => Promise.resolve(void sent.push(k)));
    expect(sent[0]).toBe(sent[1]);
    expect(new Set(sent).size).toBe(3);
  });
});
