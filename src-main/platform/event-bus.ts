import type { EventName, PayloadOf } from '../../src-shared/contract';
import { createListeners } from './emitter';

export type AnyEventListener = <E extends EventName>(name: E, payload: PayloadOf<E>) => void;

/** Typed main→renderer events. Transports subscribe once and forward everything. */
export type EventBus = {
  emit<E extends EventName>(name: E, payload: PayloadOf<E>): void;
  subscribe(listener: AnyEventListener): () => void;
};

type Emitted = { [E in EventName]: { name: E; payload: PayloadOf<E> } }[EventName];

export function createEventBus(onListenerError: (error: unknown) => void = () => {}): EventBus {
  const listeners = createListeners<Emitted>(onListenerError);
  return {
    emit(name, payload) {
      listeners.emit({ name, payload } as Emitted);
    },
    subscribe(listener) {
      return listeners.add((e) => listener(e.name, e.payload));
    },
  };
}
