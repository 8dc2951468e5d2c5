import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeUpdater } from '../integration/updates/fake-updater';
import { openTill, type Till } from './support/harness';
import { addProduct, ready } from './support/actions';
import { staysTrueFor } from '../support/wait';

/**
 * The desktop update flow seen through the real renderer (browser mode with a fake
 * electron-updater): the renderer tells the core when a basket opens, the status bar says when an
 * update is ready, and a manager changes the update mode in Settings with the PIN.
 */
describe('updates never interrupt a sale', () => {
  let till: Till;
  let updater: FakeUpdater;
  let releaseDownload = () => {};
  // A till of its own per test: the update's download, the update mode and the day are that
  // test's alone (a new sale cannot take an update back).
  beforeEach(async () => {
    updater = new FakeUpdater();
    updater.feed = { version: '1.1.0' };
    const download = updater.downloadUpdate.bind(updater);
    updater.downloadUpdate = () =>
      new Promise((resolve) => {
        releaseDownload = () => resolve(download());
      });
    till = await openTill({ updater });
    await ready(till.page);
    const pin = await till.mode.core.dispatch('manager:set-pin', { newPin: '2468' });
    expect(pin.ok).toBe(true);
  });
  afterEach(async () => {
    await till?.close();
  });
  const core = () => till.mode.core;

  /**
   * A basket opens (the trading day has begun), the update finishes downloading and waits for it;
   * the basket is then cleared: the update now waits for the day to close.
   */
  const updateReadyWhileTrading = async () => {
    const { page } = till;
    await addProduct(page, 'Latte');
    await expect.poll(() => core().tradingState().basketOpen).toBe(true);
    releaseDownload();
    await page
      .getByLabel('Update', { exact: true })
      .filter({ hasText: 'Update 1.1.0 ready' })
      .waitFor();
    await page.getByRole('button', { name: /^Clear/ }).click();
    await expect.poll(() => core().tradingState().basketOpen).toBe(false);
  };

  it('a basket on screen holds a downloaded update back; the status bar says it is ready', async () => {
    const { page } = till;
    await addProduct(page, 'Latte');
    await expect.poll(() => core().tradingState().basketOpen).toBe(true);

    releaseDownload();
    const pill = page.getByLabel('Update', { exact: true });
    await pill.waitFor();
    expect(await pill.textContent()).toBe('Update 1.1.0 ready');
    expect(await pill.getAttribute('title')).toBe(
      'Version 1.1.0 is ready. Waiting: a basket is open on the till.',
    );
    await till.screenshot('update-ready-status-bar');

    await page.getByRole('button', { name: 'Cash', exact: true }).click();
    await page.getByRole('button', { name: 'Customer handed £5.00' }).click();
    await page.getByRole('button', { name: 'Take cash' }).click();
    await page.getByRole('region', { name: 'Sale complete' }).waitFor();
    await page.getByRole('button', { name: 'New sale' }).click();
    await expect.poll(() => core().tradingState().basketOpen).toBe(false);
    // The basket is empty, but it is still the trading day: it waits for the day close. The
    // status bar follows the core's status event, which may land just after the state flips.
    await expect
      .poll(() => pill.getAttribute('title'))
      .toBe('Version 1.1.0 is ready. Installs at the next start or right after the day is closed.');
    expect(updater.calls).not.toContain('install');
  });

  it('a manager pins the version in Settings with the PIN; a wrong PIN changes nothing', async () => {
    const { page } = till;
    await updateReadyWhileTrading();
    await page.getByRole('button', { name: 'Settings' }).click();
    const section = page.getByRole('region', { name: 'Updates' });
    await section.waitFor();
    await section.getByLabel(/^Stay on version/).check();
    await section.getByLabel('Manager PIN').fill('1111');
    await section.getByRole('button', { name: 'Save update setting' }).click();
    await section.getByRole('alert').filter({ hasText: 'That manager PIN is not right' }).waitFor();
    expect(core().settings.get().updateMode).toBe('automatic');

    await section.getByLabel('Manager PIN').fill('2468');
    await section.getByRole('button', { name: 'Save update setting' }).click();
    await expect.poll(() => core().settings.get().updateMode).toBe('pinned');
    await section
      .getByRole('status', { name: 'Update status' })
      .filter({ hasText: /^Version 1\.1\.0 is available; a manager pinned this till to \d/ })
      .waitFor();
    await section.scrollIntoViewIfNeeded();
    await till.screenshot('settings-updates-pinned');

    // Pinned: closing the day does not install the newer version.
    await core().dispatch('reports:close-day', { confirm: true });
    await staysTrueFor(() => !updater.calls.includes('install'), 300, 'no install while pinned');
    expect(updater.calls).not.toContain('install');
  });

  it('back to automatic: the day is closed and the counter idle, so it installs', async () => {
    const { page } = till;
    await updateReadyWhileTrading();
    const pinned = await core().dispatch('updates:set-mode', {
      mode: 'pinned',
      managerPin: '2468',
    });
    expect(pinned.ok).toBe(true);
    await core().dispatch('reports:close-day', { confirm: true });
    expect(updater.calls).not.toContain('install');
    await page.getByRole('button', { name: 'Settings' }).click();
    const section = page.getByRole('region', { name: 'Updates' });
    await section.getByLabel('Automatic (recommended)').check();
    await section.getByLabel('Manager PIN').fill('2468');
    await section.getByRole('button', { name: 'Save update setting' }).click();
    await expect.poll(() => updater.calls.includes('install')).toBe(true);
    await page
      .getByLabel('Update', { exact: true })
      .filter({ hasText: 'Installing update…' })
      .waitFor();
  });
});
