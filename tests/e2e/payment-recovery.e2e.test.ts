import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTill, type Till } from './support/harness';
import { basketOf, chooseTerminal, payByCardFromBasket, prompt, ready } from './support/actions';

describe('a card payment whose result cannot be confirmed', () => {
  let till: Till;
  beforeAll(async () => {
    // Default time scale (0.05): the simulator's 90 s session expiry takes about 4.5 s.
    till = await openTill();
    await ready(till.page);
    await chooseTerminal(till.page, '28340001');
  });
  afterAll(async () => {
    await till?.close();
  });

  it('says so, and "Check again" settles it with Dojo (no money taken)', async () => {
    const { page, mode } = till;
    const attempt = () =>
      mode.core.db
        .prepare<
          [],
          { state: string; is_final: number; payment_intent_id: string | null; paid_minor: number }
        >(
          'SELECT a.state, a.is_final, a.payment_intent_id, o.paid_minor FROM payment_attempts a JOIN orders o ON o.id = a.order_id ORDER BY a.created_at DESC LIMIT 1',
        )
        .get();
    // .04: the card is never presented and the session expires with the intent still Created.
    await basketOf(page, '9.04');
    await payByCardFromBasket(page);
    await prompt(page)
      .filter({ hasText: 'Ask the customer to tap, insert or swipe their card' })
      .waitFor();
    await prompt(page)
      .filter({ hasText: 'The result cannot be confirmed' })
      .waitFor({ timeout: 30_000 });
    const dialog = page.getByRole('dialog', { name: 'Card payment' });
    expect(await dialog.textContent()).toContain('Do not take the payment again');
    // Nothing invites the cashier to take the money another way while the result is unknown.
    expect(await dialog.getByRole('button', { name: 'Choose another way to pay' }).count()).toBe(0);
    expect(await dialog.getByRole('button', { name: 'Close and check later' }).count()).toBe(1);
    expect(attempt()).toMatchObject({ state: 'unconfirmed', is_final: 0, paid_minor: 0 });
    expect(attempt()?.payment_intent_id).toBeTruthy();
    await till.screenshot('payment-unconfirmed');

    await dialog.getByRole('button', { name: 'Check again' }).click();
    await prompt(page).filter({ hasText: 'Payment cancelled' }).waitFor();
    expect(await dialog.textContent()).toContain('Dojo confirms no money was taken');
    expect(await page.getByLabel('Payment timeline').textContent()).toMatch(
      /Result cannot be confirmed[\s\S]*Cancelled/,
    );
    expect(attempt()).toMatchObject({ state: 'canceled', is_final: 1, paid_minor: 0 });
    await till.screenshot('payment-checked-again');

    await dialog.getByRole('button', { name: 'Choose another way to pay' }).click();
    expect(await page.getByLabel('Still to pay').textContent()).toBe('£9.04');
    await page.getByRole('button', { name: 'Back to basket' }).click();
    await page.getByRole('button', { name: /^Clear/ }).click();
  });
});
