import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTill, type Till } from './support/harness';
import { basketOf, payByCardFromBasket, prompt, ready } from './support/actions';

describe('the payment dialog when Dojo is lost, and after a refund (Chromium)', () => {
  let till: Till;
  beforeAll(async () => {
    // 0.15: the card-less session stays live for 13.5 s.
    till = await openTill({ simulatorTimeScale: 0.15 });
    await ready(till.page);
  });
  afterAll(async () => {
    await till?.close();
  });
  beforeEach(async () => {
    await till.freshSale({ terminal: '28340001' });
  });
  const sim = () => till.sim();

  it('says the link is lost and the result will come, then carries on when it is back', async () => {
    const { page } = till;
    await basketOf(page, '6.04');
    await payByCardFromBasket(page);
    await prompt(page)
      .filter({ hasText: 'Ask the customer to tap, insert or swipe their card' })
      .waitFor();
    sim().injectFault({
      kind: 'reset',
      path: '/terminal-sessions/*',
      method: 'GET',
      count: 100_000,
    });
    await prompt(page)
      .filter({ hasText: 'The link to Dojo is lost — the result will come when it is back' })
      .waitFor();
    const dialog = page.getByRole('dialog', { name: 'Card payment' });
    expect(await dialog.textContent()).toContain('do not take the money another way');
    await till.screenshot('payment-link-lost');
    sim().clearFaults();
    await prompt(page)
      .filter({ hasText: 'Ask the customer to tap, insert or swipe their card' })
      .waitFor();
    expect(await page.getByLabel('Payment timeline').textContent()).toContain('Link to Dojo back');
    await dialog.getByRole('button', { name: 'Cancel payment' }).click();
    await prompt(page).filter({ hasText: 'Payment cancelled' }).waitFor();
  });

  it('after a refund on the terminal, shows the card as the slip does', async () => {
    const { page } = till;
    await basketOf(page, '10.00');
    await payByCardFromBasket(page);
    await prompt(page)
      .filter({ hasText: /^Payment approved$/ })
      .waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Continue' }).click();
    const reference = (
      (await page
        .getByRole('region', { name: 'Sale complete' })
        .getByText(/^Order /)
        .textContent()) ?? ''
    ).replace('Order ', '');
    await page.getByRole('button', { name: 'New sale' }).click();
    await page.getByRole('button', { name: 'Orders', exact: true }).click();
    await page.getByLabel('Reference').fill(reference.slice(-4));
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('button', { name: `Open order ${reference}` }).click();
    await page.getByRole('button', { name: 'Refund card payment of £10.00' }).click();
    const refund = page.getByRole('dialog', { name: 'Refund' });
    expect(await refund.textContent()).toMatch(
      /presents a card[\s\S]*ask for the one they paid with/,
    );
    expect(await refund.textContent()).not.toContain('the same card');
    await refund.getByLabel('Amount to refund (£)').fill('3.00');
    await refund.getByRole('button', { name: /^Refund on terminal/ }).click();
    await prompt(page).filter({ hasText: 'Refund approved' }).waitFor({ timeout: 30_000 });
    const details = page.getByRole('dialog', { name: 'Card refund' }).getByLabel('Card details');
    const text = (await details.textContent()) ?? '';
    expect(text).toMatch(/\d{4}/);
    expect(text).not.toContain('—');
    await till.screenshot('refund-approved-card');
  });
});
