import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ready } from './support/actions';
import { openTill, type Till } from './support/harness';
import { staysTrueFor } from '../support/wait';

/** A cashier with a scanner and a keyboard, no mouse: every step is a key press. */
describe('keyboard-only sale', () => {
  let till: Till;
  beforeAll(async () => {
    till = await openTill();
  });
  afterAll(async () => {
    await till?.close();
  });

  it('scans, uses shortcuts, takes cash and starts the next sale without touching the mouse', async () => {
    const { page, mode } = till;
    await page.getByRole('status', { name: 'Training mode' }).waitFor();
    await page.keyboard.press('Alt+s');
    await page.keyboard.type('5012345000015');
    await page.keyboard.press('Enter');
    await page.getByText('Added Still Water 500ml').waitFor();
    await page.keyboard.press('F4'); // Flat White
    await page.keyboard.press('F4');
    await page
      .getByText(/£7\.80/)
      .first()
      .waitFor(); // 1.20 + 2 × 3.30
    await page.keyboard.press('Alt+c');
    await page.getByLabel('Still to pay').waitFor();
    const handed = page.getByLabel('Cash handed over (£)');
    await handed.waitFor();
    // Alt+C lands the cursor in the cash field, ready for the amount.
    await expect
      .poll(() =>
        page.evaluate<string>('document.activeElement?.closest("label")?.textContent ?? ""'),
      )
      .toContain('Cash handed over');
    await page.keyboard.type('10');
    expect(await page.getByLabel('Change due').textContent()).toContain('£2.20');
    await page.keyboard.press('Enter');
    await page.getByRole('region', { name: 'Sale complete' }).waitFor();
    // The habitual second Enter must not clear "Give change" before anyone has read it.
    await page.keyboard.press('Enter');
    await staysTrueFor(
      async () => (await page.getByRole('status').filter({ hasText: 'Give change' }).count()) === 1,
      300,
      '"Give change" still on screen',
    );
    expect(await page.getByRole('status').filter({ hasText: 'Give change' }).textContent()).toBe(
      'Give change: £2.20',
    );
    await till.screenshot('keyboard-sale-complete');
    const row = mode.core.db
      .prepare<[], { status: string; total_minor: number; change_minor: number }>(
        'SELECT status, total_minor, change_minor FROM orders ORDER BY created_at DESC LIMIT 1',
      )
      .get();
    expect(row).toEqual({ status: 'paid', total_minor: 780, change_minor: 220 });
    // A moment later Enter starts the next customer's sale.
    await newSaleFocused(page);
    await page.keyboard.press('Enter');
    await page.getByRole('region', { name: 'Sale complete' }).waitFor({ state: 'detached' });
    await page.keyboard.press('Alt+s');
    await page.keyboard.type('5012345000015');
    await page.keyboard.press('Enter');
    await page.getByText('Added Still Water 500ml').waitFor();
  });
});

describe('keyboard-only card sale', () => {
  let till: Till;
  beforeAll(async () => {
    till = await openTill();
  });
  afterAll(async () => {
    await till?.close();
  });

  it('never leaves Enter on "Cancel payment" while the customer pays, and Enter continues after approval', async () => {
    const { page, mode } = till;
    await page.getByRole('status', { name: 'Training mode' }).waitFor();
    await page
      .getByRole('combobox', { name: /card terminal/i })
      .first()
      .waitFor();
    await page.keyboard.press('Alt+s');
    await page.keyboard.type('5012345000015');
    await page.keyboard.press('Enter');
    await page.getByText('Added Still Water 500ml').waitFor();
    await page.keyboard.press('Alt+k');
    await page.getByRole('status', { name: 'Terminal prompt' }).waitFor();
    // A habitual Enter while the customer is at the terminal must not cancel the payment.
    await page.keyboard.press('Enter');
    await page
      .getByRole('status', { name: 'Terminal prompt' })
      .filter({ hasText: 'Payment approved' })
      .waitFor();
    const attempt = mode.core.db
      .prepare<[], { state: string; is_final: number }>(
        'SELECT state, is_final FROM payment_attempts',
      )
      .get();
    expect(attempt?.is_final).toBe(1);
    expect(attempt?.state).toBe('succeeded');
    await page.keyboard.press('Enter'); // Continue
    await page.getByRole('region', { name: 'Sale complete' }).waitFor();
    await newSaleFocused(page);
    await page.keyboard.press('Enter'); // New sale
    await page.getByRole('region', { name: 'Sale complete' }).waitFor({ state: 'detached' });
  });
});

describe('search from the keyboard', () => {
  let till: Till;
  beforeAll(async () => {
    till = await openTill();
  });
  afterAll(async () => {
    await till?.close();
  });

  it('Enter with several matches says what to do; with one, or a whole name, it adds it', async () => {
    const { page } = till;
    await page.getByRole('status', { name: 'Training mode' }).waitFor();
    const search = page.getByLabel('Search or scan barcode');
    await search.fill('lat');
    await search.press('Enter');
    await page
      .getByRole('status')
      .filter({ hasText: /^6 products match "lat": tap one, or type more of the name\.$/ })
      .waitFor();
    expect(await page.getByLabel('Basket total').textContent()).toMatch(/£0\.00/);
    await search.fill('qwertyuiop');
    await search.press('Enter');
    await page.getByRole('status').filter({ hasText: 'No product matches "qwertyuiop"' }).waitFor();
    await search.fill('Mocha');
    await search.press('Enter');
    await page.getByLabel('Basket total').filter({ hasText: '£3.70' }).waitFor();
    expect(await search.inputValue()).toBe('');
    // "Latte" is also in "Chai Latte", but the whole name was typed.
    await search.fill('latte');
    await search.press('Enter');
    await page.getByLabel('Basket total').filter({ hasText: '£7.10' }).waitFor();
  });
});

/** "New sale" takes the focus a moment after the sale completes (the double-Enter guard). */
async function newSaleFocused(page: Till['page']): Promise<void> {
  await expect
    .poll(() => page.evaluate<string>('document.activeElement?.textContent ?? ""'), {
      timeout: 5000,
    })
    .toBe('New sale');
}

describe('keyboard-only split payment', () => {
  // A till of its own: it starts from an empty basket, whatever the other tests left behind.
  let till: Till;
  beforeAll(async () => {
    till = await openTill();
  });
  afterAll(async () => {
    await till?.close();
  });

  it('Alt+K in the payment panel pays the amount to pay now by card', async () => {
    const { page, mode } = till;
    // The till loaded (catalogue shown) and the search field has the focus before anything is typed.
    await ready(page);
    await page.keyboard.press('Alt+s');
    await page.waitForFunction(
      "document.activeElement !== null && (document.activeElement.getAttribute('placeholder') ?? '').startsWith('Type a product')",
    );
    await page.keyboard.type('5012345000015'); // Still Water £1.20
    await page.keyboard.press('Enter');
    await page.getByText('Added Still Water 500ml').waitFor();
    await page.keyboard.press('F4'); // Flat White £3.30
    await page.getByLabel('Basket total').filter({ hasText: '£4.50' }).waitFor();
    await page.keyboard.press('Alt+c');
    await page.getByLabel('Still to pay').waitFor();
    await page.getByLabel(/^Amount to pay now/).fill('2.00');
    await page.keyboard.press('Alt+k');
    await page.getByRole('dialog', { name: 'Card payment' }).waitFor();
    await page
      .getByRole('status', { name: 'Terminal prompt' })
      .filter({ hasText: 'Payment approved' })
      .waitFor();
    const amounts = mode.core.db
      .prepare<[], { amount_minor: number }>(
        'SELECT amount_minor FROM payment_attempts ORDER BY created_at DESC LIMIT 1',
      )
      .get();
    expect(amounts?.amount_minor).toBe(200);
    // The result's main action takes the focus once the dialog has shown it: Enter after that.
    await page.waitForFunction(
      "document.activeElement !== null && (document.activeElement.textContent ?? '').includes('Continue')",
    );
    await page.keyboard.press('Enter'); // Continue
    await page.getByLabel('Still to pay').filter({ hasText: '£2.50' }).waitFor();
  });
});
