import type { EventName, PayloadOf } from '../../src-shared/contract';

export type AnyEventListener = <E extends EventName>(name: E, payload: PayloadOf<E>) => void;

/** Typed main→renderer events. Transports subscribe once and forward everything. */
export type EventBus = {
  emit<E extends EventName>(name: E, payload: PayloadOf<E>): void;
  subscribe(listener: AnyEventListener): () => void;
};

export function createEventBus(onListenerError?: (error: unknown) => void): EventBus {
  const listeners = new Set<AnyEventListener>();
  return {
    emit(name, payload) {
      for (const listener of listeners) {
        try {
          listener(name, payload);
        } catch (error) {
          onListenerError?.(error);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
