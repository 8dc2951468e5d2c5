import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBrowserMode, type BrowserMode } from '../../../src-main/server/browser-mode';
import { bridgeEvents } from '../../../src-renderer/store/bridge';
import { createTillStore } from '../../../src-renderer/store/store';
import { createWebSocketTill } from '../../../src-renderer/transport/ws-till';
import { signInManager } from '../../support/staff';
import { tempDir } from '../../support/temp-dir';
import type { LogRecord } from '../../../src-main/logging/logger';
import { waitFor } from '../../support/wait';

/**
 * The update policy holds an update back while a basket is open on the till, as the renderer
 * states it. A page reloaded with a basket open leaves an empty screen: the core's view must
 * follow the page as it now is, not what the page before the reload last said. Driven through
 * the contract as the browser does: the renderer's store and event bridge over the real
 * WebSocket transport to a real core.
 */
describe('the basket the update policy sees follows the screen across a reload', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function browserTill() {
    const dir = tempDir('opentill-basket-reload-');
    const records: LogRecord[] = [];
    const mode: BrowserMode = await startBrowserMode({
      logSinks: [(r) => records.push(r)],
      port: 0,
      dataDir: dir.path,
      rendererDir: dir.path,
      env: {},
      simulatorTimeScale: 0.02,
    });
    cleanups.push(() => dir.remove());
    cleanups.push(() => mode.close());
    signInManager(mode.core);
    const origin = `http://127.0.0.1:${mode.port}`;
    class BrowserLikeSocket extends WebSocket {
      constructor(url: string) {
        super(url, { origin });
      }
    }
    /** A page: its own connection, store and event bridge, as main.tsx wires them. */
    const openPage = () => {
      const till = createWebSocketTill({
        url: `ws://127.0.0.1:${mode.port}/ipc?token=${mode.token}`,
        WebSocketImpl: BrowserLikeSocket as unknown as typeof globalThis.WebSocket,
      });
      const store = createTillStore(till);
      const unwire = bridgeEvents(till, store);
      return {
        store,
        till,
        /** What a reload does to this page: its connection and its store are gone. */
        unload() {
          unwire();
          till.close();
        },
      };
    };
    /** Requests the core refused because nobody was signed in (each a warning in its log). */
    const refusedForNobody = () =>
      records.filter(
        (r) => r.message === 'handler refused' && r.fields?.code === 'SIGN_IN_REQUIRED',
      );
    return { core: mode.core, openPage, refusedForNobody };
  }

  it('a basket open before a reload no longer holds an update back after it', async () => {
    const { core, openPage } = await browserTill();
    const basketOpen = () => core.tradingState().basketOpen;
    const before = openPage();
    expect(
      before.store.getState().addCustom({ name: 'Flowers', unitPriceMinor: 450, vatRateBp: 0 }),
    ).toBeNull();
    await waitFor(basketOpen, 'the core to hear of the open basket');

    before.unload();
    const after = openPage();
    expect(after.store.getState().items).toEqual([]);
    await waitFor(() => !basketOpen(), 'the reloaded page to state its empty basket');

    // And the reloaded page goes on stating its basket as before.
    after.store.getState().addCustom({ name: 'Cake', unitPriceMinor: 300, vatRateBp: 0 });
    await waitFor(basketOpen, 'the new basket');
    after.unload();
  });

  it('a page whose basket is open when the signed-in person changes states it again', async () => {
    const { core, openPage, refusedForNobody } = await browserTill();
    const basketOpen = () => core.tradingState().basketOpen;
    const page = openPage();
    // Nobody signed in: the basket cannot be stated (every request needs someone signed in), so
    // the page does not try (the core would refuse it and log a warning each time).
    core.staff.signOut();
    await waitFor(() => page.store.getState().session?.staff === null, 'the page to see it');
    page.store.getState().addCustom({ name: 'Flowers', unitPriceMinor: 450, vatRateBp: 0 });
    // A request sent after it is answered: anything stated before it has been through the core.
    await page.till['status:get']();
    expect(basketOpen()).toBe(false);
    signInManager(core);
    await waitFor(basketOpen, 'the basket stated once someone signs in');
    page.unload();
    // Nothing the page asked for was refused for want of someone signed in (a warning each).
    expect(refusedForNobody().map((r) => r.fields?.channel)).toEqual([]);
  });
});
