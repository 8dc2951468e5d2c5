import type { EventName, PayloadOf } from '../../src-shared/contract';
import { createEmitter, createListeners, type TypedEmitter } from './emitter';

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

/**
 * Events inside the core, between features; never forwarded to the renderer. A feature emits
 * what happened (after its commit) and the features that follow it subscribe in core/compose.ts.
 */
export type CoreEvents = {
  /** An order is fully paid (cash, card, another tender); emitted once per order by orders. */
  'order:paid': { orderId: string; cash: boolean };
  /** A refund completed (terminal, server-side or recorded by hand); emitted by payments. */
  'refund:completed': { refundId: string };
  /**
   * The day is closed and its backup copy made (emitted by backups, after the closure's copy, so
   * what follows, an update's install, never cuts the copy short). A quiet moment.
   */
  'day:closed': { closureId: string; closedAt: string };
  /** The shop database's staff list arrived (a joined till); staff signs out who it shuts out. */
  'staff:shop-list-changed': Record<string, never>;
};

export type CoreEventBus = TypedEmitter<CoreEvents>;

/** A throwing listener is isolated (logged through `onListenerError`); the others still run. */
export function createCoreEvents(onListenerError: (error: unknown) => void): CoreEventBus {
  return createEmitter<CoreEvents>(onListenerError);
}
