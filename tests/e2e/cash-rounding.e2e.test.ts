import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startVirtualPrinter,
  type VirtualPrinter,
} from '../../src-main/printing/dev/virtual-printer';
import { openTill, type Till } from './support/harness';
import { ready } from './support/actions';

describe('cash rounding on a euro till', () => {
  let till: Till;
  let printer: VirtualPrinter;
  beforeAll(async () => {
    printer = await startVirtualPrinter({ port: 0 });
    till = await openTill();
    const r = await till.mode.core.dispatch('settings:update', {
      currency: 'EUR',
      printer: printer.url,
    });
    expect(r.ok).toBe(true);
    await till.page.reload();
    await ready(till.page);
  });
  afterAll(async () => {
    await till?.close();
    await printer?.close();
  });

  it('rounding on: €10.03 in cash is €10.05 due, change from it, and the Z report has its line', async () => {
    const { page } = till;
    // The manager turns rounding on in Settings.
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByLabel('Cash rounding').selectOption('0.05');
    await page.getByRole('button', { name: 'Save shop and printer settings' }).click();
    await page.getByText('Settings saved').first().waitFor();
    expect(await till.mode.core.dispatch('settings:get', undefined)).toMatchObject({
      ok: true,
      value: { cashRounding: '0.05' },
    });

    // A €10.03 sale paid in cash: €10.05 is due, and €20 gives €9.95 change.
    await page.getByRole('button', { name: 'Sell', exact: true }).click();
    await page.getByLabel('Custom amount (€)').fill('10.03');
    await page.getByLabel('Description').fill('Flowers');
    await page.getByRole('button', { name: 'Add to basket' }).click();
    await page.getByRole('button', { name: /^Cash$/ }).click();
    const due = page.getByLabel('Cash due');
    await due.waitFor();
    expect(await due.textContent()).toBe('Cash due: €10.05 (€10.03 rounded to the nearest €0.05)');
    expect(await page.getByLabel('Still to pay').textContent()).toBe('€10.03');
    // €10.04 is not enough in cash: refused on screen, nothing taken.
    await page.getByLabel(/^Cash handed over \(€\)/).fill('10.04');
    await page.getByRole('button', { name: 'Take cash' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'Cash handed over (€10.04) is less than the €10.05 due in cash' })
      .waitFor();
    await page.getByRole('button', { name: 'Customer handed €20.00' }).click();
    expect(await page.getByLabel('Change due').textContent()).toBe('Change due: €9.95');
    await till.screenshot('cash-rounding-due');
    await page.getByRole('button', { name: 'Take cash' }).click();
    await page.getByRole('region', { name: 'Sale complete' }).waitFor();
    expect(await page.locator('body').innerText()).toContain('€9.95');

    // The X report on screen, then the close and the Z report with its rounding line.
    await page.getByRole('button', { name: 'Reports' }).click();
    const takings = page.getByRole('table', { name: 'Takings by tender' });
    await takings.getByLabel('Cash rounding').waitFor();
    expect(await takings.getByLabel('Cash rounding').textContent()).toBe('+€0.02');
    await page.getByRole('button', { name: 'Close the day…' }).click();
    await page
      .getByRole('dialog', { name: 'Close the day?' })
      .getByRole('button', { name: 'Close the day and reset counters' })
      .click();
    const closure = page.getByRole('status', { name: 'Last closure' });
    await closure.getByRole('button', { name: 'Show Z report' }).click();
    const z = page.getByRole('figure', { name: /^Receipt preview: Z report/ });
    await z.waitFor();
    const text = (await z.textContent()) ?? '';
    expect(text).toMatch(/Cash \(1\)\s*€10\.03/);
    expect(text).toMatch(/Cash rounding \(1\)\s*\+€0\.02/);
    await z.getByText(/Cash rounding \(1\)/).scrollIntoViewIfNeeded();
    await till.screenshot('cash-rounding-z-report');
  });

  it('one press from the basket takes the rounded cash: "Cash, exact" hands over €10.05 for €10.03', async () => {
    const { page, mode } = till;
    await mode.core.dispatch('settings:update', { cashRounding: '0.05' });
    await till.freshSale();
    await page.getByLabel('Custom amount (€)').fill('10.03');
    await page.getByLabel('Description').fill('Tulips');
    await page.getByRole('button', { name: 'Add to basket' }).click();
    // The note keys count the change from the rounded €10.05, as the core does.
    await page.getByRole('button', { name: '€20.00 note, change €9.95' }).waitFor();
    await page.getByRole('button', { name: 'Cash, exact' }).click();
    const done = page.getByRole('region', { name: 'Sale complete' });
    await done.waitFor();
    expect(await done.getByRole('status').textContent()).toBe('Give change: €0.00');
    const tender = mode.core.db
      .prepare<[], { amount_minor: number; tendered_minor: number; rounding_minor: number }>(
        'SELECT amount_minor, tendered_minor, rounding_minor FROM tenders ORDER BY created_at DESC, rowid DESC LIMIT 1',
      )
      .get();
    expect(tender).toEqual({ amount_minor: 1003, tendered_minor: 1005, rounding_minor: 2 });
  });
});
