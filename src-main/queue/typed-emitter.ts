/** A minimal typed event emitter: `on` returns an unsubscribe function; a throwing listener is isolated. */
export type TypedEmitter<Events extends Record<string, unknown>> = {
  on: <E extends keyof Events>(event: E, listener: (payload: Events[E]) => void) => () => void;
  emit: <E extends keyof Events>(event: E, payload: Events[E]) => void;
};

export function createEmitter<Events extends Record<string, unknown>>(
  onListenerError?: (error: unknown) => void,
): TypedEmitter<Events> {
  const listeners = new Map<keyof Events, Set<(payload: never) => void>>();
  return {
    on: (event, listener) => {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => void set.delete(listener);
    },
    emit: (event, payload) => {
      for (const listener of listeners.get(event) ?? []) {
        try {
          (listener as (p: typeof payload) => void)(payload);
        } catch (error) {
          onListenerError?.(error);
        }
      }
    },
  };
}
