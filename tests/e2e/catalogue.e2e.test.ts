import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  startVirtualPrinter,
  type VirtualPrinter,
} from '../../src-main/printing/dev/virtual-printer';
import { scaleBarcode } from '../../src-shared/domain/scale-barcodes';
import { DojoSpecValidator } from '../support/dojo-spec';
import { openTill, type Till } from './support/harness';
import {
  addProduct,
  basketTotal,
  chooseTerminal,
  payByCardFromBasket,
  prompt,
  ready,
} from './support/actions';

describe('a café and deli basket: sizes, milks, extras, eat-in VAT and a scale label', () => {
  let till: Till;
  let printer: VirtualPrinter;
  beforeAll(async () => {
    printer = await startVirtualPrinter({ columns: 48 });
    till = await openTill();
    await ready(till.page);
  });
  afterAll(async () => {
    await till?.close();
    await printer?.close();
  });
  beforeEach(async () => {
    await till.freshSale();
  });

  it('sells a large oat latte with an extra shot, a croissant eaten in and weighed cheese by card', async () => {
    const { page, mode } = till;
    // Training mode, a network printer this test reads back.
    expect(mode.core.simulator()).not.toBeNull();
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByLabel(/^Receipt printer/).fill(printer.url);
    await page.getByRole('button', { name: 'Save shop and printer settings' }).click();
    await page.getByText('Settings saved').waitFor();

    // The products editor gives the sample's Latte two sizes, milks and extras.
    const products = page.getByRole('region', { name: 'Products' });
    await products.getByRole('button', { name: 'Edit Latte', exact: true }).click();
    const form = products.getByRole('form', { name: 'Edit product' });
    await form.getByRole('button', { name: 'New variant' }).click();
    await form.getByRole('button', { name: 'New variant' }).click();
    await form.getByLabel('Variant 1 name').fill('Regular');
    await form.getByLabel('Variant 1 price').fill('3.40');
    await form.getByLabel('Variant 2 name').fill('Large');
    await form.getByLabel('Variant 2 price').fill('3.80');
    await form.getByRole('checkbox', { name: 'Milk' }).check();
    await form.getByRole('checkbox', { name: 'Extras' }).check();
    await form.getByRole('button', { name: 'Save product' }).click();
    const latteRow = products
      .getByRole('table', { name: 'Product list' })
      .getByRole('row')
      .filter({ hasText: /^Latte/ });
    await latteRow.filter({ hasText: 'Regular £3.40, Large £3.80 · Milk, Extras' }).waitFor();
    await latteRow.scrollIntoViewIfNeeded();
    await till.screenshot('catalogue-editor');

    await page.getByRole('button', { name: 'Sell', exact: true }).click();
    await chooseTerminal(page, '28340001');

    // The quick key asks for the size; the number key 2 picks Large.
    await page.getByLabel('Search or scan barcode').fill('Latte');
    await page.getByRole('button', { name: /^Add Latte,/ }).click();
    const sizes = page.getByRole('dialog', { name: 'Latte: which one?' });
    await sizes.waitFor();
    await till.screenshot('catalogue-choose-size');
    await page.keyboard.press('2');
    const options = page.getByRole('dialog', { name: 'Latte (Large): options' });
    await options.waitFor();
    // Milk is required: adding without it is refused in plain words.
    await options.getByRole('button', { name: 'Add to basket' }).click();
    await options.getByRole('alert').filter({ hasText: 'Choose a milk option' }).waitFor();
    await options.getByRole('button', { name: /^Oat milk/ }).click();
    await options.getByRole('button', { name: /^Extra shot/ }).click();
    await till.screenshot('catalogue-choose-options');
    await options.getByRole('button', { name: 'Add to basket' }).click();
    await options.waitFor({ state: 'detached' });
    await page.getByLabel('Search or scan barcode').fill('');

    await addProduct(page, 'Butter Croissant');
    const croissantKey = page.getByRole('button', { name: /^Add Butter Croissant/ });
    await croissantKey.getByText('VAT 0%').waitFor();
    await page.getByRole('button', { name: 'Eat in' }).click();
    // Its key now shows the rate it is sold at: standard-rated when eaten in.
    await croissantKey.getByText('VAT 20%').waitFor();
    // A scale label: 245 g of Mature Cheddar at £18.00/kg (prefix 21 = weight).
    await page.getByLabel('Search or scan barcode').fill(scaleBarcode('21', '00123', 245));
    await page.getByLabel('Search or scan barcode').press('Enter');
    const lines = page.getByRole('list', { name: 'Basket lines' });
    await lines.getByText('0.245 kg × £18.00/kg').waitFor();
    const coffee = page.getByRole('list', { name: 'Options on Latte (Large)' });
    expect(await coffee.getByRole('listitem').allTextContents()).toEqual([
      '+ Oat milk £0.40',
      '+ Extra shot £0.50',
    ]);
    // 4.70 + 2.10 + 4.41; the croissant eaten in is standard-rated.
    expect(await basketTotal(page)).toBe('£11.21');
    expect(await page.getByLabel('Totals').textContent()).toContain(
      'VAT included (20%: £1.13, 0%: £0.00; eaten in)',
    );
    await till.screenshot('catalogue-basket');

    // Changing a line's options after adding it: soy instead of oat, same price.
    await page.getByRole('button', { name: 'Options of Latte (Large)' }).click();
    await options.waitFor();
    await options.getByRole('button', { name: /^Soy milk/ }).click();
    await options.getByRole('button', { name: 'Change line' }).click();
    await options.waitFor({ state: 'detached' });
    expect(await coffee.getByRole('listitem').allTextContents()).toEqual([
      '+ Soy milk £0.40',
      '+ Extra shot £0.50',
    ]);

    await payByCardFromBasket(page);
    await prompt(page).filter({ hasText: 'Payment approved' }).waitFor();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('region', { name: 'Sale complete' }).waitFor();
    const order = mode.core.db
      .prepare<[], { id: string; reference: string; total_minor: number; eat_in: number }>(
        'SELECT id, reference, total_minor, eat_in FROM orders ORDER BY created_at DESC LIMIT 1',
      )
      .get();
    if (!order) throw new Error('no order');
    expect(order).toMatchObject({ total_minor: 1121, eat_in: 1 });

    // Dojo was given the lines with their modifiers (price per item, outside the item amount).
    const records = mode.core.simulator()?.control.records();
    const intent = records?.paymentIntents.find((i) => i.reference === order.reference);
    // The request that carried them is valid against Dojo's spec.
    const sent = records?.requests.filter(
      (q) =>
        q.method === 'POST' &&
        q.path === '/payment-intents' &&
        (q.body as { reference?: string }).reference === order.reference,
    );
    expect(sent).toHaveLength(1);
    const validator = new DojoSpecValidator();
    for (const q of sent ?? [])
      expect(
        validator.validateRequest({ ...q, headers: { ...q.headers, authorization: 'Basic x' } }),
      ).toEqual([]);
    expect(intent?.itemLines).toEqual([
      {
        id: '1',
        name: 'Latte (Large)',
        quantity: 1,
        amountTotal: { value: 380, currencyCode: 'GBP' },
        modifiers: [
          expect.objectContaining({
            name: 'Soy milk',
            quantity: 1,
            amountPerModifier: { value: 40, currencyCode: 'GBP' },
          }),
          expect.objectContaining({
            name: 'Extra shot',
            quantity: 1,
            amountPerModifier: { value: 50, currencyCode: 'GBP' },
          }),
        ],
      },
      {
        id: '2',
        name: 'Butter Croissant',
        quantity: 1,
        amountTotal: { value: 210, currencyCode: 'GBP' },
      },
      {
        id: '3',
        name: 'Mature Cheddar 0.245 kg',
        quantity: 1,
        amountTotal: { value: 441, currencyCode: 'GBP' },
      },
    ]);

    // The receipt, decoded from the printer's bytes.
    const [job] = await printer.waitForJobs(1, 15_000);
    const receipt = job?.decoded.text ?? '';
    expect(receipt).toContain(order.reference);
    expect(receipt).toMatch(/\nEat in\s*\n/);
    expect(receipt).toMatch(/Latte \(Large\)\s+£3\.80/);
    expect(receipt).toMatch(/\+ Soy milk\s+£0\.40/);
    expect(receipt).toMatch(/\+ Extra shot\s+£0\.50/);
    expect(receipt).toMatch(/Butter Croissant\s+£2\.10/);
    expect(receipt).toMatch(/Mature Cheddar\s+£4\.41/);
    expect(receipt).toContain('0.245 kg x £18.00/kg');
    expect(receipt).toMatch(/VAT 20% on £6\.80\s+£1\.13/);
    expect(receipt).toMatch(/VAT 0% on £4\.41\s+£0\.00/);
    expect(receipt).toMatch(/TOTAL\s+£11\.21/);

    // The order detail shows the same.
    await page.getByRole('button', { name: 'Orders', exact: true }).click();
    await page.getByLabel('Reference').fill(order.reference.slice(-4));
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('button', { name: `Open order ${order.reference}` }).click();
    const detail = page.getByRole('region', { name: 'Order detail' });
    const table = detail.getByRole('table', { name: 'Order lines' });
    await table.waitFor();
    const text = (await table.textContent()) ?? '';
    expect(text).toContain('Latte (Large)');
    expect(text).toContain('+ Soy milk £0.40');
    expect(text).toContain('+ Extra shot £0.50');
    expect(text).toContain('0.245 kg × £18.00/kg');
    expect(text).toContain('VAT 20% on £6.80£1.13');
    expect(text).toContain('VAT 0% on £4.41£0.00');
    expect(text).toContain('eaten in');
    await till.screenshot('catalogue-order-detail');
  });

  it('a euro till shows € everywhere: labels, inputs, cash buttons, products', async () => {
    const { page, mode } = till;
    // Its own printer (the receipt is read back below), whatever the other test set.
    const r = await mode.core.dispatch('settings:update', {
      currency: 'EUR',
      printer: printer.url,
    });
    expect(r.ok).toBe(true);
    await page.reload();
    await ready(page);
    const body = async () => (await page.locator('body').innerText()) ?? '';
    await page.getByRole('button', { name: 'Sell', exact: true }).click();
    await page.getByLabel('Custom amount (€)').fill('4,');
    await page.getByRole('button', { name: 'Add to basket' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'Amount must be euros and cents, like 4.50' })
      .waitFor();
    await page.getByLabel('Custom amount (€)').fill('');
    await addProduct(page, 'Butter Croissant');
    expect(await basketTotal(page)).toBe('€2.10');
    expect(await body()).not.toContain('£');
    await till.screenshot('catalogue-euro-sell');
    await page.getByRole('button', { name: /^Cash$/ }).click();
    await page.getByRole('button', { name: 'Customer handed €5.00' }).waitFor();
    await page.getByLabel(/^Cash handed over \(€\)/).waitFor();
    expect(await body()).not.toContain('£');
    await till.screenshot('catalogue-euro-cash');
    // Paid in cash: the receipt is in euros too.
    const printed = printer.jobs.length;
    await page.getByRole('button', { name: 'Customer handed €5.00' }).click();
    await page.getByRole('button', { name: 'Take cash' }).click();
    await page.getByRole('region', { name: 'Sale complete' }).waitFor();
    expect(await body()).toContain('€2.90');
    expect(await body()).not.toContain('£');
    // A cash sale opens the drawer (one job) and prints the receipt (another).
    const jobs = await printer.waitForJobs(printed + 2, 15_000);
    const euroReceipt =
      jobs
        .slice(printed)
        .map((j) => j.decoded.text)
        .find((text) => text.includes('TOTAL')) ?? '';
    expect(euroReceipt).toMatch(/TOTAL\s+€2\.10/);
    expect(euroReceipt).toMatch(/CHANGE\s+€2\.90/);
    expect(euroReceipt).not.toContain('£');
    expect(euroReceipt).not.toContain('Eat in');
    await page.getByRole('button', { name: 'New sale' }).click();
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByLabel('Price (€, VAT included)').waitFor();
    expect(await body()).not.toContain('£');
    // The scale-label prefixes are the shop's to set; a bad rule is refused in words.
    const labels = page.getByRole('form', { name: 'Scale labels' });
    const prefixes = labels.getByLabel(/^Barcode prefixes printed by the shop/);
    expect(await prefixes.inputValue()).toBe('21 weight, 22 price');
    await prefixes.fill('21 weight, 31 price');
    await labels.getByRole('button', { name: 'Save scale labels' }).click();
    await labels
      .getByRole('alert')
      .filter({ hasText: '"31 price" is not a prefix rule' })
      .waitFor();
    await prefixes.fill('21 weight, 22 price, 25 weight');
    await labels.getByRole('button', { name: 'Save scale labels' }).click();
    await expect
      .poll(async () => {
        const saved = await mode.core.dispatch('settings:get', undefined);
        return saved.ok ? (saved.value as { scaleBarcodes: unknown }).scaleBarcodes : null;
      })
      .toEqual([
        { prefix: '21', kind: 'weight' },
        { prefix: '22', kind: 'price' },
        { prefix: '25', kind: 'weight' },
      ]);
    await page.getByRole('button', { name: 'Orders', exact: true }).click();
    await page.getByLabel('Total from (€)').waitFor();
    expect(await body()).not.toContain('£');
  });
});
