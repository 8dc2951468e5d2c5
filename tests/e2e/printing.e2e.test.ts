import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  startVirtualPrinter,
  type VirtualPrinter,
} from '../../src-main/printing/dev/virtual-printer';
import { openTill, type Till } from './support/harness';
import { addProduct, ready } from './support/actions';
import { waitFor } from '../support/wait';

/** Decoded texts of the captured jobs that contain `marker`, once there are `count` of them. */
async function receiptsWith(
  printer: VirtualPrinter,
  marker: string,
  count: number,
): Promise<string[]> {
  const found = () => printer.jobs.map((j) => j.decoded.text).filter((t) => t.includes(marker));
  await waitFor(
    () => found().length >= count,
    () =>
      `${count} receipt(s) with ${marker}; got: ${printer.jobs.map((j) => j.decoded.text.slice(0, 40)).join(' | ')}`,
    10_000,
    100,
  );
  return found();
}

/** Two lattes paid in cash (£6.80), to Sale complete. */
async function cashSaleOfTwoLattes(page: Till['page']): Promise<void> {
  await addProduct(page, 'Latte', 2);
  await page.getByRole('button', { name: 'Cash', exact: true }).click();
  await page.getByRole('button', { name: 'Customer handed £10.00' }).click();
  await page.getByRole('button', { name: 'Take cash' }).click();
  await page.getByRole('region', { name: 'Sale complete' }).waitFor();
}

describe('receipts on a network printer', () => {
  let till: Till;
  let printer: VirtualPrinter;
  beforeAll(async () => {
    printer = await startVirtualPrinter({ columns: 48 });
  });
  afterAll(async () => {
    await printer?.close();
  });
  // A till of its own per test: the day's figures and its Z report are that test's alone.
  beforeEach(async () => {
    till = await openTill();
    await ready(till.page);
  });
  afterEach(async () => {
    await till?.close();
  });

  it('prints the receipt of a cash sale, and "Reprint receipt" prints it again marked REPRINT', async () => {
    const { page, mode } = till;
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByLabel(/^Receipt printer/).fill(printer.url);
    await page.getByRole('button', { name: 'Save shop and printer settings' }).click();
    await page.getByText('Settings saved').waitFor();
    await page
      .getByRole('region', { name: 'Terminal and printer' })
      .getByText(/^Printer: (not checked yet|ready)/)
      .waitFor();
    expect(
      mode.core.db
        .prepare<[string], { n: number }>(
          "SELECT count(*) AS n FROM settings WHERE value LIKE '%' || ? || '%'",
        )
        .get(printer.url)?.n,
    ).toBe(1);

    await page.getByRole('button', { name: 'Sell', exact: true }).click();
    await cashSaleOfTwoLattes(page);
    const order = mode.core.db
      .prepare<[], { id: string; reference: string }>(
        'SELECT id, reference FROM orders ORDER BY created_at DESC LIMIT 1',
      )
      .get();
    if (!order) throw new Error('no order');

    const [receipt = ''] = await receiptsWith(printer, order.reference, 1);
    expect(receipt).toContain(order.reference);
    expect(receipt).toMatch(/Latte/);
    expect(receipt).toMatch(/£6\.80/);
    expect(receipt).not.toContain('REPRINT');

    await page.getByRole('button', { name: 'Reprint receipt' }).click();
    await page.getByText('Receipt sent to the printer').waitFor();
    const reprint = (await receiptsWith(printer, order.reference, 2))[1] ?? '';
    expect(reprint).toContain('*** REPRINT ***');
    expect(reprint).toContain(order.reference);
    expect(reprint).toMatch(/£6\.80/);
    await till.screenshot('printing-reprint');

    const rows = mode.core.db
      .prepare<[string], { id: string; kind: string; status: string; reprint_of: string | null }>(
        "SELECT id, kind, status, reprint_of FROM print_jobs WHERE order_id = ? AND kind = 'customer' ORDER BY created_at",
      )
      .all(order.id);
    expect(rows.map((r) => [r.kind, r.status])).toEqual([
      ['customer', 'printed'],
      ['customer', 'printed'],
    ]);
    expect(rows[1]?.reprint_of).toBe(rows[0]?.id);
  });

  it('closing the day prints the Z report, and it can be printed again', async () => {
    const { page, mode } = till;
    const set = await mode.core.dispatch('settings:update', { printer: printer.url });
    expect(set.ok).toBe(true);
    await cashSaleOfTwoLattes(page);
    await page.getByRole('button', { name: 'Reports', exact: true }).click();
    await page
      .getByRole('region', { name: 'End of day figures' })
      .getByLabel('Orders count')
      .filter({ hasText: /^1$/ })
      .waitFor();
    await page.getByRole('button', { name: 'Close the day…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Close the day?' });
    expect(await dialog.textContent()).toContain('The Z report prints when the day is closed.');
    await dialog.getByRole('button', { name: 'Close the day and reset counters' }).click();
    const [z = ''] = await receiptsWith(printer, 'Z REPORT - DAY CLOSED', 1);
    expect(z).toMatch(/NET TAKINGS\s+£6\.80/);
    await page.getByRole('button', { name: 'Print Z report again' }).click();
    const again = await receiptsWith(printer, 'Z REPORT - DAY CLOSED', 2);
    expect(again[1]).toContain('*** REPRINT ***');
  });
});
