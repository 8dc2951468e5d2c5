import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startVirtualPrinter,
  type VirtualPrinter,
} from '../../src-main/printing/dev/virtual-printer';
import { openTill, type Till } from './support/harness';
import { basketOf, chooseTerminal, payByCardFromBasket, prompt } from './support/actions';
import { waitFor } from '../support/wait';

const PINS = { manager: '2468', supervisor: '8024', cashier: '1357' };

async function signIn(page: Page, pin: string, name: string) {
  const pad = page.getByRole('dialog', { name: 'Sign in' });
  await pad.getByLabel('Your PIN').fill(pin);
  await pad.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Signed in').filter({ hasText: name }).waitFor();
}

async function switchTo(page: Page, pin: string, name: string) {
  await page.getByLabel('Signed in').getByRole('button', { name: 'Switch user' }).click();
  await signIn(page, pin, name);
}

describe('a trading day with names on the money', () => {
  let till: Till;
  let printer: VirtualPrinter;
  beforeAll(async () => {
    printer = await startVirtualPrinter({ port: 0 });
    till = await openTill({ simulatorTimeScale: 0.05, signedIn: false });
    const { core } = till.mode;
    core.staff.createFirstManager({ name: 'Ann', pin: PINS.manager });
    core.staff.create({ name: 'Sue', role: 'supervisor', pin: PINS.supervisor });
    core.staff.create({ name: 'Cy', role: 'cashier', pin: PINS.cashier });
    core.settings.update({ printer: printer.url });
    core.staff.signOut();
    till.page.setDefaultTimeout(15_000);
  });
  afterAll(async () => {
    await till?.close();
    await printer?.close();
  });

  it('float, cash and card sales, a refused refund approved by a supervisor, pay-out, no-sale, a count 50p short, and the Z report with the Dojo check', async () => {
    const { page } = till;
    await page.getByRole('dialog', { name: 'Sign in' }).waitFor();
    await till.screenshot('staff-sign-in');

    // The manager opens the day with a £60 float.
    await signIn(page, PINS.manager, 'Ann');
    await page.getByRole('button', { name: 'Drawer' }).click();
    await page.getByLabel('Number of £10.00').fill('5');
    await page.getByLabel('Number of £1.00').fill('10');
    expect(await page.getByLabel('Counted total').textContent()).toContain('£60.00');
    await till.screenshot('staff-open-day');
    await page.getByRole('button', { name: 'Open the day with this float' }).click();
    await page.getByText(/float £60\.00/).waitFor();

    // A cashier sells for cash and by card.
    await switchTo(page, PINS.cashier, 'Cy');
    await page.getByRole('button', { name: 'Sell', exact: true }).click();
    await chooseTerminal(page, '28340002');
    await basketOf(page, '4.50');
    await page.getByRole('button', { name: 'Cash', exact: true }).click();
    await page.getByRole('button', { name: 'Customer handed £5.00' }).click();
    await page.getByRole('button', { name: 'Take cash' }).click();
    await page.getByRole('region', { name: 'Sale complete' }).waitFor();
    await page.getByRole('button', { name: 'New sale' }).click();
    await basketOf(page, '10.03');
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

    // The cashier may not refund; a supervisor approves it with her PIN on the same screen.
    await page.getByRole('button', { name: 'Orders' }).click();
    await page.getByLabel('Reference').fill(reference.slice(-4));
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('button', { name: `Open order ${reference}` }).click();
    await page.getByRole('button', { name: 'Refund card payment of £10.03' }).click();
    const dialog = page.getByRole('dialog', { name: 'Refund' });
    await dialog.getByLabel('Amount to refund (£)').fill('2.00');
    await dialog.getByRole('button', { name: /^Refund on terminal/ }).click();
    const approval = page.getByRole('dialog', { name: 'Approval needed' });
    await approval.getByText(/Cy \(cashier\) may not refund a card payment/).waitFor();
    await till.screenshot('staff-override');
    await approval.getByLabel('Supervisor or manager PIN').fill(PINS.supervisor);
    await approval.getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('dialog', { name: 'Card refund' }).waitFor();
    await prompt(page).filter({ hasText: 'Refund approved' }).waitFor();
    await page
      .getByRole('dialog', { name: 'Card refund' })
      .getByRole('button', { name: 'Continue' })
      .click();

    // The supervisor pays £7 out to the window cleaner and opens the drawer for change.
    await switchTo(page, PINS.supervisor, 'Sue');
    await page.getByRole('button', { name: 'Drawer' }).click();
    await page.getByLabel('Amount (£)').fill('7.00');
    await page.getByLabel('Reason').selectOption('other');
    await page.getByLabel('Note').fill('window cleaner');
    await page.getByRole('button', { name: 'Record pay-out' }).click();
    await page.getByRole('button', { name: 'Open drawer (no sale)' }).click();
    await page.getByLabel('Cash movements').filter({ hasText: 'window cleaner' }).waitFor();
    const expectedText = (await page.getByLabel('Expected cash').textContent()) ?? '';
    // 60.00 float + 4.50 cash − 7.00 pay-out
    expect(expectedText).toBe('£57.50');
    await till.screenshot('staff-drawer');

    // Dojo holds a payment this till never saw.
    till.mode.core
      .simulator()
      ?.control.holdOutsidePayment({ amount: 1999, reference: 'other-device' });

    // The manager counts the drawer, one 50p short, and closes the day.
    await switchTo(page, PINS.manager, 'Ann');
    await page.getByRole('button', { name: 'Reports' }).click();
    await page.getByRole('button', { name: 'Close the day…' }).click();
    const close = page.getByRole('dialog', { name: 'Close the day?' });
    await close.getByLabel('Number of £20.00').fill('2');
    await close.getByLabel('Number of £10.00').fill('1');
    await close.getByLabel('Number of £5.00').fill('1');
    await close.getByLabel('Number of £2.00').fill('1');
    expect(await close.getByLabel('Counted total').textContent()).toContain('£57.00');
    await till.screenshot('staff-count');
    await close.getByRole('button', { name: 'Close the day and reset counters' }).click();
    const closure = page.getByRole('status', { name: 'Last closure' });
    await closure.getByLabel('Over or short').waitFor();
    expect(await closure.getByLabel('Over or short').textContent()).toBe('−£0.50');
    expect(await closure.getByLabel('Per staff member').textContent()).toMatch(
      /Cy2£4\.50£10\.03−£2\.00/,
    );
    expect(await closure.getByLabel('In Dojo, not in the till').textContent()).toContain(
      'other-device',
    );
    await closure.getByLabel('In Dojo, not in the till').scrollIntoViewIfNeeded();
    await till.screenshot('staff-z-report');
    await closure.getByRole('button', { name: 'Show Z report' }).click();
    const zPreview = page.getByRole('figure', { name: /^Receipt preview: Z report/ });
    await zPreview.waitFor();
    expect(await zPreview.textContent()).toMatch(/SHORT\s*-£0\.50/);
    await till.screenshot('staff-z-preview');
    await page.keyboard.press('Escape');

    // The Z report as the printer received it.
    await waitFor(
      () => printer.jobs.some((j) => j.decoded.text.includes('Z REPORT')),
      'the Z report on paper',
      15_000,
      100,
    );
    const z = printer.jobs.map((j) => j.decoded.text).find((t) => t.includes('Z REPORT')) ?? '';
    expect(z).toMatch(/Float\s+£60\.00/);
    expect(z).toMatch(/Pay-out other: window cleaner\s+-£7\.00/);
    expect(z).toMatch(/EXPECTED CASH\s+£57\.50/);
    expect(z).toMatch(/COUNTED CASH\s+£57\.00/);
    expect(z).toMatch(/SHORT\s+-£0\.50/);
    expect(z).toMatch(/Cy \(2\)/);
    expect(z).toMatch(/In Dojo, not in till \(1\)/);
    expect(z).toContain('other-device');
  });
});
