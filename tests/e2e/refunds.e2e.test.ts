import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTill, type Till } from './support/harness';
import { basketOf, payByCardFromBasket, prompt, ready } from './support/actions';

describe('refunds', () => {
  let till: Till;
  beforeAll(async () => {
    till = await openTill({ simulatorTimeScale: 0.1 });
    await ready(till.page);
  });
  afterAll(async () => {
    await till?.close();
  });
  beforeEach(async () => {
    await till.freshSale({ terminal: '28340002' });
  });

  it('refunds part of a card sale on the terminal and shows what remains refundable', async () => {
    const { page } = till;
    await basketOf(page, '10.00');
    await payByCardFromBasket(page);
    await prompt(page).filter({ hasText: 'Payment approved' }).waitFor();
    await page.getByRole('button', { name: 'Continue' }).click();
    const reference = (
      (await page
        .getByRole('region', { name: 'Sale complete' })
        .getByText(/^Order /)
        .textContent()) ?? ''
    ).replace('Order ', '');
    await page.getByRole('button', { name: 'New sale' }).click();

    await page.getByRole('button', { name: 'Orders' }).click();
    await page.getByLabel('Reference').fill(reference.slice(-4));
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('button', { name: `Open order ${reference}` }).click();
    await till.screenshot('orders');
    await page.getByRole('button', { name: 'Refund card payment of £10.00' }).click();
    const dialog = page.getByRole('dialog', { name: 'Refund' });
    await dialog.getByText('Still refundable: £10.00').waitFor();
    await dialog.getByLabel('Amount to refund (£)').fill('12.00');
    await dialog.getByRole('button', { name: /^Refund on terminal/ }).click();
    await dialog.getByText('At most £10.00 can still be refunded on this payment').waitFor();
    await dialog.getByLabel('Amount to refund (£)').fill('4.00');
    await dialog.getByLabel('Reason (optional)').fill('Cold coffee');
    await till.screenshot('refund-dialog');
    await dialog.getByRole('button', { name: /^Refund on terminal/ }).click();
    await page.getByRole('dialog', { name: 'Card refund' }).waitFor();
    await prompt(page).filter({ hasText: 'Refund approved' }).waitFor();
    await till.screenshot('refund-approved');
    await page
      .getByRole('dialog', { name: 'Card refund' })
      .getByRole('button', { name: 'Continue' })
      .click();
    await page.getByRole('button', { name: 'Refund card payment of £10.00' }).waitFor();
    expect(
      await page.getByRole('button', { name: 'Refund card payment of £10.00' }).textContent(),
    ).toContain('£6.00');
    expect(await page.getByLabel('Refunds').textContent()).toContain('£4.00');
    await page.getByRole('button', { name: 'Show receipt' }).click();
    await page.getByLabel('Receipt preview').waitFor();
    expect(await page.getByLabel('Receipt preview').textContent()).toContain('10.00');
    await till.screenshot('receipt-preview');
    await page.keyboard.press('Escape');
    await page.getByLabel('Receipt preview').waitFor({ state: 'detached' });
  });

  it('needs the manager PIN for a refund without a sale, and refuses a wrong one', async () => {
    const { page } = till;
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByLabel('New PIN', { exact: true }).fill('12a4');
    await page.getByLabel('New PIN again').fill('12a4');
    await page.getByRole('button', { name: 'Save manager PIN' }).click();
    await page.getByText('A manager PIN is 4 to 8 digits').waitFor();
    await page.getByLabel('New PIN', { exact: true }).fill('2468');
    await page.getByLabel('New PIN again').fill('2468');
    await page.getByRole('button', { name: 'Save manager PIN' }).click();
    await page.getByText('A manager PIN is set.').waitFor();
    await till.screenshot('settings');

    await page.getByRole('button', { name: 'Refunds' }).click();
    await page.getByLabel('Amount to refund (£)').fill('abc');
    await page.getByLabel('Manager PIN').fill('2468');
    await page.getByRole('button', { name: /^Refund .*to card/ }).click();
    await page.getByText('Amounts are numbers only, like 4.50').waitFor();
    await page.getByLabel('Amount to refund (£)').fill('3.00');
    await page.getByLabel('Reason').fill('Overcharged yesterday');
    await page.getByLabel('Manager PIN').fill('1111');
    await page.getByRole('button', { name: /^Refund £3\.00 to card/ }).click();
    await page.getByText('Wrong manager PIN: the refund was not started').waitFor();
    await till.screenshot('refund-unlinked-wrong-pin');
    await page.getByLabel('Manager PIN').fill('2468');
    await page.getByRole('button', { name: /^Refund £3\.00 to card/ }).click();
    await page.getByRole('dialog', { name: 'Card refund' }).waitFor();
    await prompt(page).filter({ hasText: 'Refund approved' }).waitFor();
    await till.screenshot('refund-unlinked-approved');
    const rows = till.mode.core.db
      .prepare<[], { kind: string; amount_minor: number }>(
        "SELECT kind, amount_minor FROM refunds WHERE kind = 'unlinked'",
      )
      .all();
    expect(rows).toEqual([{ kind: 'unlinked', amount_minor: 300 }]);
  });
});
