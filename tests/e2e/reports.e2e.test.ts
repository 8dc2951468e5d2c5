import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVirtualPrinter } from '../../src-main/printing/dev/virtual-printer';
import { openTill, type Till } from './support/harness';
import {
  addProduct,
  basketOf,
  chooseTerminal,
  payByCardFromBasket,
  prompt,
  ready,
} from './support/actions';

describe('end of day report', () => {
  let till: Till;
  beforeAll(async () => {
    till = await openTill();
    await ready(till.page);
    await chooseTerminal(till.page, '28340001');
  });
  afterAll(async () => {
    await till?.close();
  });

  it('shows the day’s sales, and closing the day (after confirming) resets the counters', async () => {
    const { page, mode } = till;
    // A cash sale with a discount, then a card sale.
    await addProduct(page, 'Latte', 2);
    await page.getByRole('button', { name: 'Discount on Latte' }).click();
    await page.getByLabel(/^Discount \(/).fill('0.80');
    await page.getByRole('button', { name: 'Apply discount' }).click();
    await page.getByRole('button', { name: 'Cash', exact: true }).click();
    await page.getByRole('button', { name: 'Customer handed £10.00' }).click();
    await page.getByRole('button', { name: 'Take cash' }).click();
    await page.getByRole('region', { name: 'Sale complete' }).waitFor();
    await page.getByRole('button', { name: 'New sale' }).click();
    await basketOf(page, '12.50');
    await payByCardFromBasket(page);
    await prompt(page).filter({ hasText: 'Payment approved' }).waitFor();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('region', { name: 'Sale complete' }).waitFor();
    await page.getByRole('button', { name: 'New sale' }).click();

    await page.getByRole('button', { name: 'Reports', exact: true }).click();
    const figures = page.getByRole('region', { name: 'End of day figures' });
    await figures.getByLabel('Orders count').filter({ hasText: '2' }).waitFor();
    expect(await figures.getByLabel('Gross sales').textContent()).toBe('£19.30'); // 2 × 3.40 + 12.50
    expect(await figures.getByLabel('Discounts').textContent()).toBe('−£0.80');
    expect(await figures.getByLabel('Net takings').textContent()).toBe('£18.50');
    const tenders = page.getByRole('table', { name: 'Takings by tender' });
    expect(await tenders.getByRole('row', { name: /^Cash/ }).textContent()).toContain('£6.00');
    expect(await tenders.getByRole('row', { name: /^Card/ }).textContent()).toContain('£12.50');
    expect(
      await page
        .getByRole('table', { name: 'Card takings by terminal' })
        .getByRole('row', { name: /TID 28340001/ })
        .textContent(),
    ).toContain('£12.50');
    expect(await page.getByRole('table', { name: 'VAT by rate' }).textContent()).toMatch(/20%/);
    const preview = page.getByRole('figure', { name: /^Receipt preview: X report/ });
    expect(await preview.textContent()).toMatch(/X REPORT - DAY OPEN[\s\S]*NET TAKINGS\s+£18\.50/);
    await till.screenshot('reports-day-open');

    // The X report prints too: refused in words without a printer, then on the printer.
    await page.getByRole('button', { name: 'Print X report' }).click();
    await page
      .getByText(
        'No receipt printer is set up, so the X report cannot be printed. Choose one in Settings.',
      )
      .waitFor();
    const printer = await startVirtualPrinter({ columns: 48 });
    try {
      await mode.core.dispatch('settings:update', { printer: printer.url });
      await page.getByRole('button', { name: 'Print X report' }).click();
      await page.getByText('X report sent to the printer').waitFor();
      const [paper] = await printer.waitForJobs(1, 15_000);
      expect(paper?.decoded.text).toContain('X REPORT - DAY OPEN');
      expect(paper?.decoded.text).toMatch(/NET TAKINGS +£18\.50/);
    } finally {
      await mode.core.dispatch('settings:update', { printer: 'none' });
      await printer.close();
    }

    // Cancelling changes nothing.
    await page.getByRole('button', { name: 'Close the day…' }).click();
    let dialog = page.getByRole('dialog', { name: 'Close the day?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(mode.core.db.prepare('SELECT count(*) AS n FROM day_closures').get()).toEqual({ n: 0 });

    await page.getByRole('button', { name: 'Close the day…' }).click();
    dialog = page.getByRole('dialog', { name: 'Close the day?' });
    expect(await dialog.textContent()).toContain('resets the counters to zero');
    expect(await dialog.textContent()).toContain('£18.50');
    await till.screenshot('reports-close-confirm');
    await dialog.getByRole('button', { name: 'Close the day and reset counters' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page
      .getByRole('status', { name: 'Last closure' })
      .filter({ hasText: /2 orders, net takings £18\.50/ })
      .waitFor();
    await figures.getByLabel('Orders count').filter({ hasText: /^0$/ }).waitFor();
    expect(await figures.getByLabel('Net takings').textContent()).toBe('£0.00');
    const closures = mode.core.db
      .prepare<[], { orders_count: number; sales_minor: number }>(
        'SELECT orders_count, sales_minor FROM day_closures',
      )
      .all();
    expect(closures).toEqual([{ orders_count: 2, sales_minor: 1850 }]);
    await till.screenshot('reports-day-closed');

    await page.getByRole('button', { name: 'Show Z report' }).click();
    const z = page.getByRole('figure', { name: /^Receipt preview: Z report/ });
    expect(await z.textContent()).toMatch(/Z REPORT - DAY CLOSED[\s\S]*counters reset/);
    await page.keyboard.press('Escape');
  });
});
