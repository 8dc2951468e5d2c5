import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTill, type Till } from './support/harness';
import { basketOf, payByCardFromBasket, prompt, ready } from './support/actions';

/**
 * "Close and check later" is not a dead end: the red "payments to check" pill opens the list (also
 * after a reload), the order's detail offers Check again and Record manually, and the terminal is
 * not held by a session that is over.
 */
describe('payments to check (Chromium)', () => {
  let till: Till;
  beforeAll(async () => {
    // Default time scale (0.05): the simulator's 90 s session expiry takes about 4.5 s.
    till = await openTill();
    await ready(till.page);
  });
  afterAll(async () => {
    await till?.close();
  });
  beforeEach(async () => {
    await till.freshSale({ terminal: '28340001' });
  });

  const latestOrder = () =>
    till.mode.core.db
      .prepare<[], { id: string; reference: string; state: string }>(
        'SELECT o.id, o.reference, a.state FROM payment_attempts a JOIN orders o ON o.id = a.order_id ORDER BY a.created_at DESC LIMIT 1',
      )
      .get();

  async function unconfirmedPayment(amount: string): Promise<string> {
    const { page } = till;
    await basketOf(page, amount);
    await payByCardFromBasket(page);
    await prompt(page)
      .filter({ hasText: 'The result cannot be confirmed' })
      .waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Close and check later' }).click();
    const order = latestOrder();
    expect(order?.state).toBe('unconfirmed');
    return order?.reference ?? '';
  }

  it('the pill opens the list, also after a reload; the terminal is free; Check again settles it', async () => {
    const { page } = till;
    const reference = await unconfirmedPayment('12.04');
    const pill = page.getByRole('button', { name: '1 payment to check' });
    await pill.waitFor();

    await page.reload();
    await ready(page);
    await pill.click();
    const list = page.getByRole('dialog', { name: 'Payments to check' });
    const item = list.getByRole('listitem', {
      name: `Card payment of £12.04 for order ${reference}`,
    });
    await item.waitFor();
    expect(await item.textContent()).toContain('TID 28340001');
    await till.screenshot('payments-to-check');
    await list.getByRole('button', { name: 'Close' }).click();

    // The terminal is not held by the expired session: another sale goes through on it.
    await basketOf(page, '2.50');
    await payByCardFromBasket(page);
    await prompt(page)
      .filter({ hasText: /^Payment approved$/ })
      .waitFor();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'New sale' }).click();

    await pill.click();
    await item.getByRole('button', { name: 'Check again' }).click();
    const dialog = page.getByRole('dialog', { name: 'Card payment' });
    await prompt(page).filter({ hasText: 'Payment cancelled' }).waitFor();
    expect(await dialog.textContent()).toContain('Dojo confirms no money was taken');
    await dialog.getByRole('button', { name: 'Choose another way to pay' }).click();
    await pill.waitFor({ state: 'detached' });
    expect(latestOrder()?.state).not.toBe('unconfirmed');
  });

  it('the order detail offers Check again and Record manually for an unconfirmed attempt', async () => {
    const { page } = till;
    const reference = await unconfirmedPayment('7.04');

    await page.getByRole('button', { name: 'Orders', exact: true }).click();
    await page.getByLabel('Reference').fill(reference.slice(-4));
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('button', { name: `Open order ${reference}` }).click();
    const detail = page.getByRole('region', { name: 'Order detail' });
    await detail.getByRole('button', { name: 'Check again: card payment of £7.04' }).waitFor();
    await till.screenshot('order-detail-to-check');

    await detail.getByRole('button', { name: 'Record manually: card payment of £7.04' }).click();
    const record = page.getByRole('dialog', { name: 'Record payment manually' });
    await record.waitFor();
    expect(await record.textContent()).toContain('£7.04');
    await record.getByRole('button', { name: 'Back' }).click();
    // Back to the payment dialog of that attempt, with its actions.
    const dialog = page.getByRole('dialog', { name: 'Card payment' });
    await dialog.getByRole('button', { name: 'Check again' }).click();
    await prompt(page).filter({ hasText: 'Payment cancelled' }).waitFor();
    await dialog.getByRole('button', { name: 'Choose another way to pay' }).click();
    await detail
      .getByText(/Cancelled: /)
      .first()
      .waitFor();
    expect(await detail.getByRole('button', { name: /^Check again/ }).count()).toBe(0);
  });
});
