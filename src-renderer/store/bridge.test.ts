import { describe, expect, it } from 'vitest';
import type { TillApi } from '../../src-shared/contract';
import { bridgeEvents } from './bridge';
import { createTillStore } from './store';

/**
 * A till connection whose events the test sends, recording every request the store makes. Every
 * request fails (as a core that cannot answer would): what matters here is which ones are made.
 */
function fakeTill() {
  const handlers = new Map<string, ((payload: unknown) => void)[]>();
  const sent: string[] = [];
  const till = new Proxy({} as TillApi, {
    get: (_t, key: string) => {
      // Not a WebSocket link (as over Electron's IPC), and not a promise.
      if (key === 'link' || key === 'onLink' || key === 'then') return undefined;
      if (key === 'on')
        return (event: string, handler: (payload: unknown) => void) => {
          handlers.set(event, [...(handlers.get(event) ?? []), handler]);
          return () =>
            handlers.set(
              event,
              (handlers.get(event) ?? []).filter((h) => h !== handler),
            );
        };
      return () => {
        sent.push(key);
        return Promise.resolve({
          ok: false,
          error: { code: 'INTERNAL', message: 'no core here', retryable: false },
        });
      };
    },
  });
  const emit = (event: string, payload: unknown) => {
    for (const h of handlers.get(event) ?? []) h(payload);
  };
  return { till, sent, emit };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

/** A store wired to a fake till, with the start-up reads already made and forgotten. */
async function wired() {
  const t = fakeTill();
  const store = createTillStore(t.till);
  const unwire = bridgeEvents(t.till, store);
  await settle();
  t.sent.length = 0;
  return { ...t, store, unwire };
}

const status = (dojo: 'online' | 'offline') =>
  ({ dojo: { state: dojo }, shop: { state: 'off', behind: 0, reason: null } }) as never;

describe('the store follows the core’s events', () => {
  it('reads the open order again when the core says it changed, and only that one', async () => {
    const { store, sent, emit } = await wired();
    store.setState({ checkout: { order: { id: 'o-1' } } as never });
    emit('orders:changed', { orderId: 'o-2', status: 'paid' });
    await settle();
    expect(sent).not.toContain('orders:get');
    emit('orders:changed', { orderId: 'o-1', status: 'paid' });
    await settle();
    expect(sent.filter((c) => c === 'orders:get')).toHaveLength(1);
  });

  it('reads the parked list again when an order is parked, not for every change', async () => {
    const { sent, emit } = await wired();
    emit('orders:changed', { orderId: 'o-3', status: 'paid' });
    await settle();
    expect(sent).not.toContain('orders:list-parked');
    emit('orders:changed', { orderId: 'o-3', status: 'parked' });
    await settle();
    expect(sent).toContain('orders:list-parked');
  });

  it('lists the terminals again when Dojo comes back from offline', async () => {
    const { sent, emit } = await wired();
    emit('status:changed', status('offline'));
    await settle();
    expect(sent).not.toContain('terminals:list');
    emit('status:changed', status('online'));
    await settle();
    expect(sent).toContain('terminals:list');
  });

  it('tells the core once when a basket opens and once when it empties', async () => {
    const { store, sent } = await wired();
    store.setState({ session: { staff: { id: 's-1', name: 'Ana', role: 'cashier' } } as never });
    const item = { key: 'k1', quantity: 1 } as never;
    store.setState({ items: [item] });
    store.setState({ items: [item, { key: 'k2', quantity: 1 } as never] });
    store.setState({ items: [] });
    await settle();
    expect(sent.filter((c) => c === 'updates:basket')).toHaveLength(2);
  });

  it('states no basket to the core while nobody is signed in', async () => {
    const { store, sent } = await wired();
    store.setState({ session: { staff: null } as never });
    store.setState({ items: [{ key: 'k1', quantity: 1 } as never] });
    await settle();
    expect(sent).not.toContain('updates:basket');
  });

  it('whoever signs in after nobody was sees everything read again', async () => {
    const { sent, emit } = await wired();
    emit('staff:changed', { staff: { id: 's-1', name: 'Ana', role: 'cashier' } });
    await settle();
    expect(sent).toEqual(
      expect.arrayContaining(['catalogue:list', 'orders:list-parked', 'terminals:list']),
    );
    sent.length = 0;
    // A switch from one person to another keeps what is on screen.
    emit('staff:changed', { staff: { id: 's-2', name: 'Ben', role: 'cashier' } });
    await settle();
    expect(sent).not.toContain('catalogue:list');
  });

  it('stops following once unwired', async () => {
    const { store, sent, emit, unwire } = await wired();
    store.setState({ checkout: { order: { id: 'o-1' } } as never });
    unwire();
    sent.length = 0;
    emit('orders:changed', { orderId: 'o-1', status: 'paid' });
    emit('catalogue:changed', { count: 3 });
    store.setState({ checkout: null });
    await settle();
    expect(sent).toEqual([]);
  });
});
