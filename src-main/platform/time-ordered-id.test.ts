import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { timeOrderedId } from './time-ordered-id';

describe('timeOrderedId', () => {
  it('is a version 7 UUID that the IPC contract accepts, carrying its millisecond', () => {
    const at = Date.parse('2026-12-02T11:45:00.123Z');
    const id = timeOrderedId(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(z.uuid().safeParse(id).success).toBe(true);
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
  });

  it('sorts as text in the order the ids were made, unlike random UUIDs', () => {
    const start = Date.parse('2026-12-02T09:00:00.000Z');
    const made = Array.from({ length: 500 }, (_, i) => timeOrderedId(start + i * 7));
    expect([...made].sort()).toEqual(made);
    const random = Array.from({ length: 500 }, () => randomUUID());
    expect([...random].sort()).not.toEqual(random);
  });

  it('differs within one millisecond', () => {
    const at = Date.now();
    const ids = new Set(Array.from({ length: 10_000 }, () => timeOrderedId(at)));
    expect(ids.size).toBe(10_000);
  });
});
