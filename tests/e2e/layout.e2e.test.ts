import { afterAll, describe, expect, it } from 'vitest';
import { openTill, type Till } from './support/harness';
import { addProduct, basketOf, ready } from './support/actions';

/** Width and visibility of one element, measured in the page. */
async function box(page: Till['page'], selector: string) {
  const b = await page.locator(selector).first().boundingBox();
  if (!b) throw new Error(`${selector} is not on screen`);
  return b;
}

/** Nothing may be cut off or scroll sideways on the counter screen sizes we support. */
describe.each([
  { width: 1024, height: 768 },
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
    /** How many one-press cash keys show, after checking they sit in one row inside the basket. */
    const quickCashKeysInOneRow = async () => {
      const keys = page.locator('.quick-cash button');
      const basket = await box(page, '.basket');
      const tops = new Set<number>();
      const n = await keys.count();
      for (let i = 0; i < n; i++) {
        const k = await keys.nth(i).boundingBox();
        if (!k) throw new Error(`quick cash key ${i} is not on screen`);
        expect(k.x >= basket.x && k.x + k.width <= basket.x + basket.width).toBe(true);
        expect(k.y + k.height).toBeLessThanOrEqual(viewport.height);
        expect(k.height).toBeGreaterThanOrEqual(48);
        tops.add(Math.round(k.y));
      }
      expect(tops.size).toBe(1);
      // Nothing inside a key runs past its edges (a note's change text, the shortcut hint).
      expect(
        await page.evaluate<string[]>(
          "[...document.querySelectorAll('.quick-cash button')].filter((b) => b.scrollWidth > b.clientWidth).map((b) => b.textContent + ' ' + b.scrollWidth + '>' + b.clientWidth)",
        ),
      ).toEqual([]);
      return n;
    };
    await till.screenshot(`sell-${viewport.width}`);
    expect(await noSideScroll()).toBe(true);
    // The one-press cash keys (here "Cash, exact" and £50): one row, inside the basket.
    expect(await quickCashKeysInOneRow()).toBe(2);
    for (const screen of ['Orders', 'Refunds', 'Reports', 'Settings'] as const) {
      await page.getByRole('button', { name: screen, exact: true }).click();
      await till.screenshot(`${screen.toLowerCase()}-${viewport.width}`);
      expect(await noSideScroll(), screen).toBe(true);
    }
    await page.getByRole('button', { name: 'Sell', exact: true }).click();
    await page.getByRole('button', { name: 'Cash', exact: true }).click();
    await page.getByLabel('Still to pay').waitFor();
    expect(await noSideScroll()).toBe(true);
    await till.screenshot(`checkout-${viewport.width}`);

    // The left column and the terminal picker are whole: nothing past the window's edges, and
    // the left column has nothing hidden sideways (a focused field used to scroll it).
    const picker = await box(page, '.terminal-picker select');
    expect(picker.x + picker.width).toBeLessThanOrEqual(viewport.width);
    expect(picker.width).toBeGreaterThanOrEqual(150);
    await expect.poll(() => page.getByLabel('Terminal status').isVisible()).toBe(true);
    const terminalStatus = await box(page, '[aria-label="Terminal status"]');
    expect(terminalStatus.x + terminalStatus.width).toBeLessThanOrEqual(viewport.width);
    expect(
      await page.evaluate<boolean>(
        "[...document.querySelectorAll('.sell-left')].every((e) => e.scrollWidth <= e.clientWidth && e.getBoundingClientRect().left >= 0)",
      ),
    ).toBe(true);

    // A small basket shows all five quick-cash buttons: the cash field stays readable. (.04 makes
    // the simulated terminal wait for a card, so the payment dialog below stays live.)
    await page.getByRole('button', { name: 'Back to basket' }).click();
    await page.getByRole('button', { name: /^Clear/ }).click();
    await basketOf(page, '2.04');
    // The most one-press cash keys there can be: "Cash, exact" and all four notes, none cut off.
    expect(await quickCashKeysInOneRow()).toBe(5);
    await till.screenshot(`quick-cash-${viewport.width}`);
    await page.getByRole('button', { name: 'Cash', exact: true }).click();
    await page.getByLabel('Still to pay').waitFor();
    const quickCash = page.locator('.cash-row .notes button');
    expect(await quickCash.count()).toBe(5);
    const cashField = await box(page, 'input[placeholder="2.04"]');
    expect(cashField.width).toBeGreaterThanOrEqual(140);
    for (let i = 0; i < 5; i++) {
      const b = await quickCash.nth(i).boundingBox();
      expect(b && b.x + b.width <= viewport.width).toBe(true);
    }
    const takeCash = await box(page, 'button.btn-cash');
    expect(takeCash.y + takeCash.height).toBeLessThanOrEqual(viewport.height);
    await till.screenshot(`checkout-small-${viewport.width}`);

    // The card payment dialog fits too, its prompt and Cancel in view.
    await page.getByRole('button', { name: /^Pay by card/ }).click();
    const dialog = page.getByRole('dialog', { name: /Card payment|payment/i });
    await dialog.waitFor();
    const cancel = page.getByRole('button', { name: 'Cancel payment' });
    await cancel.waitFor();
    const d = await dialog.boundingBox();
    expect(d && d.x >= 0 && d.x + d.width <= viewport.width).toBe(true);
    const c = await cancel.boundingBox();
    expect(c && c.y + c.height <= viewport.height).toBe(true);
    await till.screenshot(`payment-${viewport.width}`);
    await cancel.click();
  });
});
