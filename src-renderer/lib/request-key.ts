/** A UUID v4; `crypto.randomUUID` where the page has it, else built from `getRandomValues`. */
export function newRequestKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export type RequestKeys = {
  /**
   * Runs one press of a money action. The key is made when the first press starts and kept until
   * that press has finished (its result arrived and the screen caught up); a press of the same
   * action (`scope`) in the meantime — a double click, Enter held down — sends the same key, so
   * the core answers it with the first result instead of taking the money twice.
   */
  press<T>(scope: string, send: (idempotencyKey: string) => Promise<T>): Promise<T>;
};

export function createRequestKeys(): RequestKeys {
  const live = new Map<string, string>();
  return {
    async press(scope, send) {
      const held = live.get(scope);
      const key = held ?? newRequestKey();
      if (!held) live.set(scope, key);
      try {
        return await send(key);
      } finally {
        if (!held) live.delete(scope);
      }
    },
  };
}

const perTill = new WeakMap<object, RequestKeys>();

/** The request keys of one `till` connection (one store), made on first use. */
export function requestKeysFor(till: object): RequestKeys {
  let keys = perTill.get(till);
  if (!keys) {
    keys = createRequestKeys();
    perTill.set(till, keys);
  }
  return keys;
}
