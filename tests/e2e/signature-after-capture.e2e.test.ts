import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTill, type Till } from './support/harness';
import { basketOf, chooseTerminal, payByCardFromBasket, prompt, ready } from './support/actions';

// The session's 90 s (×0.15 = 13.5 s) leaves room for a 3 s gap and a click.
const timeScale = 0.15;

describe('a signature check that comes after the payment is captured (Chromium)', () => {
  let till: Till;
  beforeAll(async () => {
    till = await openTill({ simulatorTimeScale: timeScale });
    await ready(till.page);
    await chooseTerminal(till.page, '28340001');
  });
  afterAll(async () => {
    await till?.close();
  });

  it('shows "approved — a signature check may follow", then the prompt with its countdown; accepted → paid', async () => {
    const { page } = till;
    const sim = till.mode.core.simulator();
    if (!sim) throw new Error('training simulator not running');
    // 20 s realistic × 0.15 = 3 s between Captured and SignatureVerificationRequired.
    sim.control.setSignatureGap(20_000);
    await basketOf(page, '3.09');
    await payByCardFromBasket(page);
    const dialog = page.getByRole('dialog', { name: 'Card payment' });

    await prompt(page)
      .filter({ hasText: 'Payment approved — a signature check may follow' })
      .waitFor();
    expect(await dialog.textContent()).toContain('may still ask you to check their signature');
    // Nothing offers to leave or to take the money another way while the check may come.
    expect(await dialog.getByRole('button', { name: 'Continue' }).count()).toBe(0);
    expect(await dialog.getByRole('button', { name: 'Cancel payment' }).count()).toBe(0);
    await till.screenshot('payment-signature-may-follow');

    const check = page.getByRole('region', { name: 'Signature check' });
    await check.waitFor();
    const seconds = Number.parseInt(
      (await page.getByRole('timer', { name: 'Seconds left to decide' }).textContent()) ?? '',
      10,
    );
    expect(seconds).toBeGreaterThan(60);
    expect(await check.textContent()).toMatch(/ending \d{4}/);
    expect(await page.getByLabel('Payment timeline').textContent()).toContain(
      'Approved — a signature check may follow',
    );
    await till.screenshot('payment-signature-after-capture');

    await page.getByRole('button', { name: 'Accept signature' }).click();
    await prompt(page)
      .filter({ hasText: /^Payment approved$/ })
      .waitFor();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('region', { name: 'Sale complete' }).waitFor();
    const session = sim.control.records().sessions.at(-1)?.session;
    expect(session?.status).toBe('SignatureVerificationAccepted');
  });
});
