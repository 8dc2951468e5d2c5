import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  startVirtualPrinter,
  type VirtualPrinter,
} from '../../src-main/printing/dev/virtual-printer';
import { openTill, type Till } from './support/harness';
import { addCustom, basketOf, payByCardFromBasket, prompt, ready } from './support/actions';

/** Messages that misled, and messages that stayed on screen after they stopped being true. */
describe('messages say what is wrong, and go when they stop being true', () => {
  let till: Till;
  let printer: VirtualPrinter;
  beforeAll(async () => {
    printer = await startVirtualPrinter({ columns: 48 });
    till = await openTill({ simulatorTimeScale: 0.4 });
    await ready(till.page);
  });
  afterAll(async () => {
    await till?.close();
    await printer?.close();
  });
  beforeEach(async () => {
    await till.freshSale({ terminal: '28340002' });
  });

  it('too large says the limit; "1 item"; cash "less than … to pay" goes once the cash changes', async () => {
    const { page } = till;
    await addCustom(page, '99999999.99', 'Typo');
    await page
      .getByRole('alert')
      .filter({
        hasText: 'Amount is too large: the most the till takes in one amount is 100,000.00',
      })
      .waitFor();
    await page.getByLabel('Description').fill('');
    await addCustom(page, '4.75');
    await page.getByText('1 item', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Cash', exact: true }).click();
    const handed = page.getByLabel('Cash handed over (£)');
    await handed.fill('2.00');
    await page.getByRole('button', { name: 'Take cash' }).click();
    const less = page.getByRole('alert').filter({ hasText: 'is less than the £4.75 to pay' });
    await less.waitFor();
    await handed.fill('5.00');
    await less.waitFor({ state: 'detached' });
  });

  it('settings: an API key with a space, a long PIN, a long product name, a stale printer message', async () => {
    const { page } = till;
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByLabel(/^Dojo API key/).fill('sk_sandbox_abcd efgh12345');
    await page.getByRole('button', { name: 'Save API key' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'The key has a space or line break in it (character 16)' })
      .waitFor();

    const pin = page.getByLabel('New PIN', { exact: true });
    await pin.fill('123456789012345');
    expect(await pin.inputValue()).toBe('123456789012345'); // not silently cut to 8
    await page
      .getByRole('alert')
      .filter({ hasText: 'A manager PIN has at most 8 digits; this one has 15.' })
      .waitFor();
    await pin.fill('');

    const name = 'A'.repeat(81);
    const editor = page.getByRole('form', { name: 'New product' });
    await editor.getByLabel('Name').fill(name);
    expect(await editor.getByLabel('Name').inputValue()).toHaveLength(81);
    await editor.getByLabel('Category').fill('Bakery');
    await editor.getByLabel(/^Price/).fill('1.00');
    await editor.getByRole('button', { name: /^(Add|Save)/ }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'A product name has at most 80 characters (this one has 81)' })
      .waitFor();

    const target = page.getByLabel(/^Receipt printer/);
    await target.fill('lpt1');
    await page.getByRole('button', { name: 'Save shop and printer settings' }).click();
    const invalid = page.getByRole('alert').filter({ hasText: /^Printer must be/ });
    await invalid.waitFor();
    await target.fill(printer.url);
    await invalid.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Save shop and printer settings' }).click();
    await page.getByRole('button', { name: 'Print a test page' }).click();
    const sent = page.getByText('Test page sent to the printer.');
    await sent.waitFor();
    // Another printer now: the old test result says nothing about it.
    // A port that is not a printer port is refused in words, before anything connects.
    await target.fill('tcp://127.0.0.1:9');
    await page.getByRole('button', { name: 'Save shop and printer settings' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'Port 9 is not a printer port this till may use' })
      .waitFor();
    await target.fill('tcp://127.0.0.1:9101');
    await page.getByRole('button', { name: 'Save shop and printer settings' }).click();
    await sent.waitFor({ state: 'detached' });
    // The till's settings are the suite's: no printer again, as the other tests expect.
    await target.fill('none');
    await page.getByRole('button', { name: 'Save shop and printer settings' }).click();
    await expect.poll(() => JSON.stringify(till.mode.core.settings.get())).not.toContain(':9101');
  });

  it('"card already presented" goes once the payment is approved', async () => {
    const { page } = till;
    await basketOf(page, '3.08'); // slow PIN entry
    await payByCardFromBasket(page);
    await prompt(page).filter({ hasText: /PIN/i }).waitFor();
    await page.getByRole('button', { name: 'Cancel payment' }).click();
    const note = page.getByRole('alert').filter({ hasText: /already been presented/ });
    await note.first().waitFor();
    await prompt(page).filter({ hasText: 'Payment approved' }).waitFor({ timeout: 30_000 });
    await expect.poll(() => note.count()).toBe(0);
  });

  it('refund words in the refund dialog; another tab sees "Still refundable" change', async () => {
    const { page, browser, mode } = till;
    await basketOf(page, '10.03'); // contactless, quick
    await payByCardFromBasket(page);
    await prompt(page).filter({ hasText: 'Payment approved' }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Continue' }).click();
    const reference = (
      (await page
        .getByRole('region', { name: 'Sale complete' })
        .getByText(/^Order /)
        .textContent()) ?? ''
    ).replace('Order ', '');
    await page.getByRole('button', { name: 'New sale' }).click();
    const openRefund = async (p: typeof page) => {
      await p.getByRole('button', { name: 'Orders', exact: true }).click();
      await p.getByLabel('Reference').fill(reference.slice(-4));
      await p.getByRole('button', { name: 'Search' }).click();
      await p.getByRole('button', { name: `Open order ${reference}` }).click();
      await p.getByRole('button', { name: 'Refund card payment of £10.03' }).click();
      const d = p.getByRole('dialog', { name: 'Refund' });
      await d.getByText('Still refundable: £10.03').waitFor();
      return d;
    };

    // A refund on the terminal is called a refund, never a payment.
    const dialog = await openRefund(page);
    await dialog.getByLabel('Amount to refund (£)').fill('2.04'); // waits for a card
    await dialog.getByRole('button', { name: /^Refund on terminal/ }).click();
    const live = page.getByRole('dialog', { name: 'Card refund' });
    await live.getByRole('button', { name: 'Cancel refund' }).waitFor();
    expect(await live.textContent()).not.toMatch(/Cancel payment|Payment on the terminal/);
    expect(await live.getByLabel('Payment timeline').textContent()).toContain(
      'Refund on the terminal',
    );
    await live.getByRole('button', { name: 'Cancel refund' }).click();
    await prompt(page)
      .filter({ hasText: /cancelled/i })
      .waitFor();
    await live.getByRole('button', { name: 'Close', exact: true }).last().click();
    await live.waitFor({ state: 'detached' });
    await page.getByRole('dialog', { name: 'Refund' }).waitFor({ state: 'detached' });

    // Two tabs: the second refunds it all server-side while the first has its dialog open.
    const first = await openRefund(page);
    const other = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await other.goto(mode.url);
    await ready(other);
    const second = await openRefund(other);
    await second.getByRole('button', { name: /^Refund without the card/ }).click();
    await second.waitFor({ state: 'detached' });
    await first.getByText('Still refundable: £0.00').waitFor();
    await first.getByRole('button', { name: /^Refund without the card/ }).click();
    await first
      .getByRole('alert')
      .filter({ hasText: /refunded in full|at most £0\.00/i })
      .waitFor();
    await other.close();
  });
});
