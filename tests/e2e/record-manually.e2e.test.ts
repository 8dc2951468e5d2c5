import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTill, type Till } from './support/harness';
import { basketOf, payByCardFromBasket, prompt, ready } from './support/actions';

const PIN = '2468';

describe('a manager records by hand a payment that cannot be confirmed', () => {
  let till: Till;
  beforeAll(async () => {
    // Default time scale (0.05): the simulator's 90 s session expiry takes about 4.5 s.
    till = await openTill();
    const set = await till.mode.core.dispatch('manager:set-pin', { newPin: PIN });
    if (!set.ok) throw new Error(`could not set the manager PIN: ${set.error.message}`);
    await ready(till.page);
  });
  afterAll(async () => {
    await till?.close();
  });
  beforeEach(async () => {
    await till.freshSale({ terminal: '28340001' });
  });

  const latest = () =>
    till.mode.core.db
      .prepare<
        [],
        {
          id: string;
          state: string;
          is_final: number;
          status: string;
          paid_minor: number;
          reference: string;
        }
      >(
        'SELECT a.id, a.state, a.is_final, o.status, o.paid_minor, o.reference FROM payment_attempts a JOIN orders o ON o.id = a.order_id ORDER BY a.created_at DESC LIMIT 1',
      )
      .get();
  const events = (attemptId: string) =>
    till.mode.core.db
      .prepare<[string], { source: string; type: string; detail: string | null }>(
        'SELECT source, type, detail FROM payment_attempt_events WHERE attempt_id = ? ORDER BY id',
      )
      .all(attemptId);

  /** .04: the card is never presented and the session expires with the intent still Created. */
  async function unconfirmedSale(amount: string) {
    const { page } = till;
    await basketOf(page, amount);
    await payByCardFromBasket(page);
    await prompt(page)
      .filter({ hasText: 'The result cannot be confirmed' })
      .waitFor({ timeout: 30_000 });
    await page
      .getByRole('dialog', { name: 'Card payment' })
      .getByRole('button', { name: 'Record manually…' })
      .click();
    return page.getByRole('dialog', { name: 'Record payment manually' });
  }

  it('records it as paid with the manager PIN (a wrong PIN is refused); the order is paid and the journal has the note', async () => {
    const { page } = till;
    const dialog = await unconfirmedSale('9.04');
    expect(await dialog.getByRole('note', { name: 'What recording does' }).textContent()).toMatch(
      /Paid completes the order[\s\S]*Not paid ends this card attempt so the cashier can take the payment again/,
    );
    await till.screenshot('record-manually');

    await dialog.getByRole('button', { name: 'Record', exact: true }).click();
    await dialog
      .getByRole('alert')
      .filter({ hasText: 'Choose what the terminal or Dojo shows' })
      .waitFor();
    await dialog.getByRole('radio', { name: /^Paid/ }).check();
    await dialog.getByLabel(/^Note/).fill('Terminal slip says APPROVED, auth 654321');
    await dialog.getByLabel('Manager PIN').fill('1357');
    await dialog.getByRole('button', { name: 'Record as paid' }).click();
    await dialog
      .getByRole('alert')
      .filter({ hasText: 'That manager PIN is not right: nothing was recorded' })
      .waitFor();
    await till.screenshot('record-manually-wrong-pin');
    expect(latest()).toMatchObject({ state: 'unconfirmed', is_final: 0, paid_minor: 0 });
    // A refused approval writes nothing on the attempt (only the PIN lockout counts it).
    expect(events(latest()?.id ?? '').map((e) => e.type)).not.toContain('manual-record');

    await dialog.getByLabel('Manager PIN').fill(PIN);
    await dialog.getByRole('button', { name: 'Record as paid' }).click();
    await prompt(page).filter({ hasText: 'Recorded as paid by a manager' }).waitFor();
    expect(await page.getByLabel('Payment timeline').textContent()).toContain(
      'Recorded by a manager as paid: Terminal slip says APPROVED, auth 654321',
    );
    await till.screenshot('record-manually-paid');
    const row = latest();
    expect(row).toMatchObject({ state: 'succeeded', is_final: 1, status: 'paid', paid_minor: 904 });
    const manual = events(row?.id ?? '').find((e) => e.type === 'manual-record');
    expect(manual?.source).toBe('operator');
    expect(JSON.parse(manual?.detail ?? '{}')).toMatchObject({
      outcome: 'paid',
      note: 'Terminal slip says APPROVED, auth 654321',
    });

    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('region', { name: 'Sale complete' }).waitFor();
    await page.getByRole('button', { name: 'New sale' }).click();
    // The order's journal on screen carries the manager's note.
    const reference = row?.reference ?? '';
    await page.getByRole('button', { name: 'Orders' }).click();
    await page.getByLabel('Reference').fill(reference.slice(-4));
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('button', { name: `Open order ${reference}` }).click();
    const journal = page.getByLabel('Attempt journal').first();
    await journal.filter({ hasText: 'manual-record' }).waitFor({ state: 'attached' });
    expect(await journal.textContent()).toContain('“Terminal slip says APPROVED, auth 654321”');
  });

  it('records it as not paid: the attempt ends and the cashier can try the card again', async () => {
    const { page } = till;
    const dialog = await unconfirmedSale('7.04');
    await dialog.getByRole('radio', { name: /^Not paid/ }).check();
    await dialog.getByLabel(/^Note/).fill('Dojo dashboard shows no payment');
    await dialog.getByLabel('Manager PIN').fill(PIN);
    await dialog.getByRole('button', { name: 'Record as not paid' }).click();
    await prompt(page).filter({ hasText: 'Recorded as not paid' }).waitFor();
    expect(latest()).toMatchObject({ state: 'failed', is_final: 1, paid_minor: 0 });
    const card = page.getByRole('dialog', { name: 'Card payment' });
    expect(await card.getByRole('button', { name: 'Try again' }).count()).toBe(1);
    await card.getByRole('button', { name: 'Choose another way to pay' }).click();
    expect(await page.getByLabel('Still to pay').textContent()).toBe('£7.04');
  });

  // Last in the file: the lockout refuses every PIN check on this till for five minutes, which no
  // new sale undoes (a test after it would start locked out).
  it('locks the manager PIN after five wrong ones and says so wherever a PIN is entered', async () => {
    const { page } = till;
    await page.getByRole('button', { name: 'Refunds' }).click();
    await page.getByLabel('Amount to refund (£)').fill('2.00');
    const refund = page.getByRole('button', { name: /^Refund £2\.00 to card/ });
    for (let i = 1; i <= 4; i++) {
      await page.getByLabel('Manager PIN').fill(`100${i}`);
      await refund.click();
      await page
        .getByRole('alert')
        .filter({ hasText: 'Wrong manager PIN: the refund was not started' })
        .waitFor();
      await page.getByLabel('Manager PIN').fill('');
    }
    await page.getByLabel('Manager PIN').fill('1005');
    await refund.click();
    const locked = page
      .getByRole('alert')
      .filter({ hasText: /^Too many wrong PINs — try again in \d+ minutes?\.$/ });
    await locked.waitFor();
    expect(await refund.isDisabled()).toBe(true);
    await till.screenshot('refund-unlinked-pin-locked');
    // Editing lifts the hold on the button; the right PIN is still refused while locked.
    await page.getByLabel('Manager PIN').fill(PIN);
    expect(await refund.isDisabled()).toBe(false);
    await refund.click();
    await locked.waitFor();
    expect(await refund.isDisabled()).toBe(true);
    expect(
      till.mode.core.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM refunds').get()?.n,
    ).toBe(0);

    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const pinPanel = page.getByRole('region', { name: 'Manager PIN' });
    await pinPanel.getByLabel('Current PIN').fill(PIN);
    await pinPanel.getByLabel('New PIN', { exact: true }).fill('9753');
    await pinPanel.getByLabel('New PIN again').fill('9753');
    await pinPanel.getByRole('button', { name: 'Save manager PIN' }).click();
    await pinPanel
      .getByRole('alert')
      .filter({ hasText: /^Too many wrong PINs/ })
      .waitFor();
    expect(await pinPanel.getByRole('button', { name: 'Save manager PIN' }).isDisabled()).toBe(
      true,
    );
  });
});
