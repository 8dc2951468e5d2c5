import { afterAll, describe, expect, it } from 'vitest';
import { openTill, type Till } from './support/harness';
import { addProduct, ready } from './support/actions';

/** Nothing may be cut off or scroll sideways on the two counter screen sizes we support. */
describe.each([
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
])('layout at $width×$height', (viewport) => {
  let till: Till | undefined;
  afterAll(async () => {
    await till?.close();
  });

  it('fits every main screen without sideways scrolling', async () => {
    till = await openTill({ viewport });
    const { page } = till;
    await ready(page);
    for (const name of [
      'Latte',
      'Butter Croissant',
      'Cheese & Pickle Sandwich (cold, takeaway)',
      'House Blend Coffee Beans 250g',
      'Nicotine Gum 24',
      'Sea Salt Crisps 40g',
      'Chai Latte',
      'Mocha',
    ]) {
      await addProduct(page, name);
    }
    // A string runs in the page (the test project has no DOM types).
    const noSideScroll = () =>
      page.evaluate<boolean>(
        'document.documentElement.scrollWidth <= window.innerWidth && document.documentElement.scrollHeight <= window.innerHeight',
      );
    await till.screenshot(`sell-${viewport.width}`);
    expect(await noSideScroll()).toBe(true);
    for (const screen of ['Orders', 'Refunds', 'Reports', 'Settings'] as const) {
      await page.getByRole('button', { name: screen, exact: true }).click();
      await till.screenshot(`${screen.toLowerCase()}-${viewport.width}`);
      expect(await noSideScroll(), screen).toBe(true);
    }
    await page.getByRole('button', { name: 'Sell', exact: true }).click();
    await page.getByRole('button', { name: 'Cash' }).click();
    await page.getByLabel('Still to pay').waitFor();
    expect(await noSideScroll()).toBe(true);
    await till.screenshot(`checkout-${viewport.width}`);
  });
});
