import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  startVirtualPrinter,
  type VirtualPrinter,
} from '../../src-main/printing/dev/virtual-printer';
import { writeSetting } from '../../src-main/platform/key-value';
import { openTill, type Till } from './support/harness';
import { addCustom, ready } from './support/actions';

/**
 * An emoji used to stop every receipt silently (the sale completed, "Printer ready", only the
 * drawer opened). Now it is refused where it is typed, naming it; text that still cannot be
 * printed (saved by an older version) prints with a visible marker, and Sale complete says so.
 */
describe('characters the receipt printer cannot print', () => {
  let till: Till;
  let printer: VirtualPrinter;
  beforeAll(async () => {
    printer = await startVirtualPrinter({ columns: 48 });
    till = await openTill({ env: { OPENTILL_PRINTER: printer.url } });
    await ready(till.page);
  });
  afterAll(async () => {
    await till?.close();
    await printer?.close();
  });
  beforeEach(async () => {
    await till.freshSale();
  });

  it('are refused where they are typed, with the character named', async () => {
    const { page } = till;
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByLabel('Shop name').fill('OpenTill Café ☕');
    await page.getByRole('button', { name: 'Save shop and printer settings' }).click();
    await page
      .getByRole('alert')
      .getByText(/Shop name contains "☕" \(U\+2615\), which the receipt printer cannot print/)
      .waitFor();
    await page.getByRole('button', { name: 'Sell', exact: true }).click();
    await addCustom(page, '2.50', 'Birthday cake 🎂');
    await page
      .getByRole('alert')
      .getByText(/The description contains "🎂" \(U\+1F382\)/)
      .waitFor();
    expect(await page.getByLabel('Basket total').textContent()).toMatch(/£0\.00/);
  });

  it('saved by an older version: the receipt prints with a marker and Sale complete says so', async () => {
    const { page, mode } = till;
    // As an older OpenTill stored it, before input was checked.
    writeSetting(mode.core.db, 'settings.shopName', 'OpenTill Café ☕');
    mode.core.settings.update({});
    await addCustom(page, '2.50', 'Birthday cake');
    await page.getByRole('button', { name: 'Cash', exact: true }).click();
    await page.getByRole('button', { name: 'Exact cash' }).click();
    const done = page.getByRole('region', { name: 'Sale complete' });
    await done.waitFor();
    await done
      .getByRole('list', { name: 'Receipts' })
      .getByText(/^Receipt printed — Printed with "■" in place of "☕" \(U\+2615\)/)
      .waitFor();
    const receipt = printer.jobs.map((j) => j.decoded.text).find((t) => t.includes('Birthday'));
    expect(receipt).toContain('OpenTill Café ■');
    expect(await page.getByLabel('Printer').textContent()).toMatch(/^Printer ready/);
    await till.screenshot('sale-complete-marker');
  });

  it('after a receipt that can never print, the status bar does not say "Printer ready"', async () => {
    const { page, mode } = till;
    const pill = page.getByLabel('Printer');
    // The printer has printed a receipt already: the status bar says it is ready.
    await addCustom(page, '1.50', 'Tea');
    await page.getByRole('button', { name: 'Cash', exact: true }).click();
    await page.getByRole('button', { name: 'Exact cash' }).click();
    await page.getByRole('region', { name: 'Sale complete' }).waitFor();
    await pill.getByText(/^Printer ready/).waitFor();
    await page.getByRole('button', { name: 'New sale' }).click();
    // A journalled document this version cannot read (as if damaged): it will never print.
    mode.core.db
      .prepare(
        `INSERT INTO print_jobs (id, order_id, refund_id, kind, printer, copies, document, status, attempts, created_at)
         VALUES ('broken-job', NULL, NULL, 'customer', ?, 1, '{"version":1,"title":"Receipt T1-X"}', 'pending', 0, ?)`,
      )
      .run(printer.url, new Date().toISOString());
    mode.core.settings.update({}); // wakes the print queue
    await pill.getByText(/^Receipt not printed/).waitFor();
    expect(await pill.getAttribute('title')).toMatch(/^Receipt T1-X was not printed/);
    // The next receipt that prints clears it.
    await addCustom(page, '1.00', 'Bun');
    await page.getByRole('button', { name: 'Cash', exact: true }).click();
    await page.getByRole('button', { name: 'Exact cash' }).click();
    await page.getByRole('region', { name: 'Sale complete' }).waitFor();
    await pill.getByText(/^Printer ready/).waitFor();
  });

  it('a receipt that cannot print now is shown on Sale complete, and the status bar says why', async () => {
    const { page } = till;
    await printer.close(); // the printer is switched off
    await addCustom(page, '3.00', 'Scone');
    await page.getByRole('button', { name: 'Cash', exact: true }).click();
    await page.getByRole('button', { name: 'Exact cash' }).click();
    const done = page.getByRole('region', { name: 'Sale complete' });
    await done
      .getByRole('list', { name: 'Receipts' })
      .getByText(/^Receipt not printed yet, waiting for the printer: .*refused the connection/)
      .waitFor();
    await page
      .getByLabel('Printer')
      .getByText(/^Printer offline/)
      .waitFor();
  });
});
