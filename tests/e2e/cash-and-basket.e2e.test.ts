import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTill, type Till } from './support/harness';
import { addCustom, addProduct, basketTotal, ready, selectCategory } from './support/actions';
import { staysTrueFor } from '../support/wait';

describe('basket and cash', () => {
  let till: Till;
  beforeAll(async () => {
    till = await openTill();
    await ready(till.page);
  });
  afterAll(async () => {
    await till?.close();
  });
  beforeEach(async () => {
    await till.freshSale();
  });

  it('refuses bad input with clear messages', async () => {
    const { page } = till;
    await page.getByRole('button', { name: 'Cash', exact: true }).click();
    await page.getByText('The basket is empty: add something before taking payment').waitFor();
    await addCustom(page, '4.5x');
    await page.getByText('Amounts are numbers only, like 4.50').waitFor();
    await addCustom(page, '-3');
    await page.getByText('Amount cannot be negative').waitFor();
    await addProduct(page, 'Latte');
    await page.getByRole('button', { name: 'Quantity of Latte: 1. Change' }).click();
    await page.getByLabel('Quantity', { exact: true }).fill('-2');
    await page.getByRole('button', { name: 'Set quantity' }).click();
    await page.getByText('Quantity cannot be negative').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Discount on Latte' }).click();
    await page.getByLabel(/^Discount \(/).fill('5.00');
    await page.getByRole('button', { name: 'Apply discount' }).click();
    await page
      .getByText(/The discount \(£5\.00\) is more than the price of Latte \(£3\.40\)/)
      .waitFor();
    await page.getByLabel(/^Discount \(/).fill('10%');
    await page.getByRole('button', { name: 'Apply discount' }).click();
    expect(await basketTotal(page)).toBe('£3.06');
  });

  it('reads a comma as the decimal separator and refuses unclear or too-large amounts', async () => {
    const { page } = till;
    await addCustom(page, '1,2,3');
    await page.getByText('"1,2,3" is not a clear amount').waitFor();
    await addCustom(page, '99999999.99');
    await page
      .getByText('Amount is too large: the most the till takes in one amount is 100,000.00')
      .waitFor();
    await addCustom(page, '12,50', 'Comma cake');
    expect(await basketTotal(page)).toBe('£12.50');
    await page.getByRole('button', { name: 'Discount on Comma cake' }).click();
    await page.getByLabel(/^Discount \(/).fill('1,00');
    await page.getByRole('button', { name: 'Apply discount' }).click();
    expect(await basketTotal(page)).toBe('£11.50');
    await page.getByRole('button', { name: /^Clear/ }).click();
    expect(await basketTotal(page)).toBe('£0.00');
  });

  it('builds a basket by key, shortcut, barcode and custom amount, then takes cash with change', async () => {
    const { page, mode } = till;
    await selectCategory(page, 'Bakery');
    await addProduct(page, 'Butter Croissant');
    await page.keyboard.press('F5'); // Latte
    await page.getByLabel('Search or scan barcode').fill('5012345000015');
    await page.keyboard.press('Enter');
    await page.getByText('Added Still Water 500ml').waitFor();
    await page.getByLabel('Search or scan barcode').fill('5012345999999');
    await page.keyboard.press('Enter');
    await page.getByText('Unknown barcode 5012345999999').waitFor();
    await addCustom(page, '1.25', 'Gift wrap');
    await page.getByRole('button', { name: 'One more Latte' }).click();
    // 2.10 + 2 × 3.40 + 1.20 + 1.25
    expect(await basketTotal(page)).toBe('£11.35');
    await till.screenshot('sell-basket');

    await page.getByRole('button', { name: 'Cash', exact: true }).click();
    await page.getByLabel('Still to pay').waitFor();
    await page.getByRole('button', { name: 'Customer handed £20.00' }).click();
    expect(await page.getByLabel('Change due').textContent()).toContain('£8.65');
    await till.screenshot('checkout-cash');
    await page.getByRole('button', { name: 'Take cash' }).click();
    await page.getByRole('region', { name: 'Sale complete' }).waitFor();
    expect(
      await page.getByRole('status').filter({ hasText: 'Give change' }).textContent(),
    ).toContain('£8.65');
    await till.screenshot('sale-complete-cash');
    const row = mode.core.db
      .prepare<[], { status: string; total_minor: number }>(
        'SELECT status, total_minor FROM orders ORDER BY created_at DESC LIMIT 1',
      )
      .get();
    expect(row).toMatchObject({ status: 'paid', total_minor: 1135 });
    await page.getByRole('button', { name: 'New sale' }).click();
    expect(await basketTotal(page)).toBe('£0.00');
  });

  it('split cash: a double click on Exact, or Enter pressed again and again, takes the cash once', async () => {
    const { page, mode } = till;
    const cashTenders = () =>
      mode.core.db
        .prepare<[], { amount_minor: number }>(
          `SELECT t.amount_minor FROM tenders t
           WHERE t.order_id = (SELECT id FROM orders ORDER BY created_at DESC LIMIT 1)
           ORDER BY t.created_at`,
        )
        .all()
        .map((r) => r.amount_minor);
    // £20.00, £5.00 at a time: a duplicate would always fit in what is left to pay.
    await addCustom(page, '20.00', 'Split test');
    await page.getByRole('button', { name: 'Cash', exact: true }).click();
    const payNow = page.getByLabel(/^Amount to pay now/);
    await payNow.fill('5.00');
    await page.getByRole('button', { name: 'Exact cash' }).dblclick();
    await page.getByLabel('Still to pay').filter({ hasText: '£15.00' }).waitFor();
    await payNow.fill('5.00');
    const handed = page.getByLabel('Cash handed over (£)');
    await handed.fill('5.00');
    // Enter pressed three times before the first answer is back: the form is submitted three
    // times in one go (real key presses can land after the answer, which is a new press).
    await page.getByRole('form', { name: 'Cash' }).evaluate((form) => {
      const f = form as unknown as { requestSubmit(): void };
      f.requestSubmit();
      f.requestSubmit();
      f.requestSubmit();
    });
    await page.getByLabel('Still to pay').filter({ hasText: '£10.00' }).waitFor();
    // Any late duplicate would land here: none does.
    await staysTrueFor(() => cashTenders().length === 2, 500, 'no duplicate cash tender');
    expect(cashTenders()).toEqual([500, 500]);
    expect(await page.getByLabel('Still to pay').textContent()).toBe('£10.00');
    expect(
      await page.getByRole('list', { name: 'Payments taken' }).getByRole('listitem').count(),
    ).toBe(2);
    await page.getByRole('button', { name: 'Exact cash' }).click();
    await page.getByRole('region', { name: 'Sale complete' }).waitFor();
  });

  it('parks a basket and resumes it with its lines and discount', async () => {
    const { page, mode } = till;
    const parkedRows = () =>
      mode.core.db
        .prepare<[], { reference: string; total_minor: number }>(
          "SELECT reference, total_minor FROM orders WHERE status = 'parked'",
        )
        .all();
    await addProduct(page, 'Latte', 2);
    await addProduct(page, 'Butter Croissant');
    await page.getByRole('button', { name: 'Discount on Butter Croissant' }).click();
    await page.getByLabel(/^Discount \(/).fill('50%');
    await page.getByRole('button', { name: 'Apply discount' }).click();
    expect(await basketTotal(page)).toBe('£7.85'); // 2 × 3.40 + 2.10 − 1.05
    await page.getByRole('button', { name: /^Park/ }).click();
    const parkedAs = page.getByText(/^Basket parked as /);
    await parkedAs.waitFor();
    const reference = ((await parkedAs.textContent()) ?? '')
      .replace('Basket parked as ', '')
      .trim();
    expect(await basketTotal(page)).toBe('£0.00');
    expect(parkedRows()).toEqual([{ reference, total_minor: 785 }]);

    // Serve someone else meanwhile: resuming needs an empty basket.
    await addProduct(page, 'Latte');
    await page.getByText(`Parked baskets (1)`).click();
    await page.getByRole('button', { name: `Resume parked basket ${reference}` }).click();
    await page.getByText('Park or clear the current basket before resuming another').waitFor();
    await page.getByRole('button', { name: /^Clear/ }).click();
    await till.screenshot('sell-parked-list');
    await page.getByRole('button', { name: `Resume parked basket ${reference}` }).click();
    await page.getByText(`Resumed ${reference}`).waitFor();
    expect(await basketTotal(page)).toBe('£7.85');
    expect(await page.getByRole('button', { name: 'Quantity of Latte: 2. Change' }).count()).toBe(
      1,
    );
    expect(await page.getByLabel('Line total for Butter Croissant').textContent()).toContain(
      '£1.05',
    );
    await page.getByText('Parked baskets').waitFor({ state: 'detached' });
    expect(parkedRows()).toEqual([]);

    await page.getByRole('button', { name: 'Cash', exact: true }).click();
    await page.getByRole('button', { name: 'Customer handed £10.00' }).click();
    await page.getByRole('button', { name: 'Take cash' }).click();
    await page.getByRole('region', { name: 'Sale complete' }).waitFor();
    // Paid under the reference it was parked with: no reference went missing.
    const paid = mode.core.db
      .prepare<[string], { status: string; total_minor: number }>(
        'SELECT status, total_minor FROM orders WHERE reference = ?',
      )
      .get(reference);
    expect(paid).toEqual({ status: 'paid', total_minor: 785 });
  });

  it('moving in and out of checkout keeps one order under one reference, with no voided ones', async () => {
    const { page, mode } = till;
    const count = (status: string) =>
      mode.core.db
        .prepare<[string], { n: number }>('SELECT count(*) AS n FROM orders WHERE status = ?')
        .get(status)?.n ?? -1;
    const voidedBefore = count('voided');
    const ordersBefore = count('open') + count('paid') + count('voided') + count('parked');
    await addProduct(page, 'Latte');
    await page.getByRole('button', { name: 'Cash', exact: true }).click();
    const reference = ((await page.locator('.order-ref').textContent()) ?? '').replace(
      'Order ',
      '',
    );
    await page.getByRole('button', { name: 'Back to basket' }).click();
    await addProduct(page, 'Latte');
    await page.getByRole('button', { name: 'Cash', exact: true }).click();
    expect(await page.locator('.order-ref').textContent()).toBe(`Order ${reference}`);
    expect(await page.getByLabel('Still to pay').textContent()).toBe('£6.80');
    await page.getByRole('button', { name: 'Back to basket' }).click();
    await page.getByRole('button', { name: 'Cash', exact: true }).click();
    await page.getByRole('button', { name: 'Exact cash' }).click();
    await page.getByRole('region', { name: 'Sale complete' }).waitFor();
    expect(count('voided')).toBe(voidedBefore);
    expect(count('open') + count('paid') + count('voided') + count('parked')).toBe(
      ordersBefore + 1,
    );
    const row = mode.core.db
      .prepare<[string], { status: string; total_minor: number }>(
        'SELECT status, total_minor FROM orders WHERE reference = ?',
      )
      .get(reference);
    expect(row).toEqual({ status: 'paid', total_minor: 680 });
    await page.getByRole('button', { name: 'New sale' }).click();

    // A basket cleared after checkout is a sale that did not happen: one void, with its reason.
    await addProduct(page, 'Latte');
    await page.getByRole('button', { name: 'Cash', exact: true }).click();
    await page.getByRole('button', { name: 'Back to basket' }).click();
    await page.getByRole('button', { name: /^Clear/ }).click();
    await expect.poll(() => count('voided')).toBe(voidedBefore + 1);
  });
});
