import { describe, expect, it } from 'vitest';
import { createEmitter, createListeners } from './emitter';
import { createEventBus } from './event-bus';

describe('listener sets', () => {
  it('delivers to every listener until it unsubscribes', () => {
    const seen: number[] = [];
    const listeners = createListeners<number>();
    const off = listeners.add((n) => seen.push(n));
    listeners.add((n) => seen.push(n * 10));
    listeners.emit(1);
    off();
    listeners.emit(2);
    expect(seen).toEqual([1, 10, 20]);
  });

  it('isolates a throwing listener when told where errors go, else lets the caller see it', () => {
    const errors: unknown[] = [];
    const seen: string[] = [];
    const isolated = createListeners<string>((e) => errors.push(e));
    isolated.add(() => {
      throw new Error('boom');
    });
    isolated.add((s) => seen.push(s));
    isolated.emit('a');
    expect(seen).toEqual(['a']);
    expect(errors).toHaveLength(1);

    const plain = createListeners<string>();
    plain.add(() => {
      throw new Error('boom');
    });
    expect(() => plain.emit('b')).toThrow('boom');
  });

  it('keys listeners by event in the typed emitter and the event bus', () => {
    const seen: string[] = [];
    const emitter = createEmitter<{ a: number; b: string }>();
    emitter.on('a', (n) => seen.push(`a${n}`));
    emitter.on('b', (s) => seen.push(`b${s}`));
    emitter.emit('b', 'x');
    emitter.emit('a', 1);
    const bus = createEventBus();
    const off = bus.subscribe((name) => seen.push(name));
    bus.emit('orders:changed', { orderId: 'o', reference: 'R', status: 'paid' });
    off();
    bus.emit('orders:changed', { orderId: 'o', reference: 'R', status: 'paid' });
    expect(seen).toEqual(['bx', 'a1', 'orders:changed']);
  });
});
