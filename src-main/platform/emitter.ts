/**
 * One set of listeners for one kind of payload. `add` returns the unsubscribe function.
 *
 * With `onListenerError` a throwing listener is isolated (the error goes there and the other
 * listeners still run); without it the error reaches the caller of `emit`, as a plain call would.
 */
export type Listeners<T> = {
  add: (listener: (payload: T) => void) => () => void;
  emit: (payload: T) => void;
  readonly size: number;
};

export function createListeners<T>(onListenerError?: (error: unknown) => void): Listeners<T> {
  const set = new Set<(payload: T) => void>();
  return {
    add(listener) {
      set.add(listener);
      return () => void set.delete(listener);
    },
    emit(payload) {
      for (const listener of set) {
        if (!onListenerError) {
          listener(payload);
          continue;
        }
        try {
          listener(payload);
        } catch (error) {
          onListenerError(error);
        }
      }
    },
    get size() {
      return set.size;
    },
  };
}

/** A minimal typed event emitter: `on` returns an unsubscribe function; a throwing listener is isolated. */
export type TypedEmitter<Events extends Record<string, unknown>> = {
  on: <E extends keyof Events>(event: E, listener: (payload: Events[E]) => void) => () => void;
  emit: <E extends keyof Events>(event: E, payload: Events[E]) => void;
};

export function createEmitter<Events extends Record<string, unknown>>(
  onListenerError: (error: unknown) => void = () => {},
): TypedEmitter<Events> {
  const byEvent = new Map<keyof Events, Listeners<never>>();
  return {
    on: (event, listener) => {
      let set = byEvent.get(event);
      if (!set) {
        set = createListeners<never>(onListenerError);
        byEvent.set(event, set);
      }
      return set.add(listener);
    },
    emit: (event, payload) => {
      (byEvent.get(event) as Listeners<typeof payload> | undefined)?.emit(payload);
    },
  };
}
