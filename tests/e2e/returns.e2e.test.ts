import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  startVirtualPrinter,
  type VirtualPrinter,
} from '../../src-main/printing/dev/virtual-printer';
import type { EndOfDayReport } from '../../src-shared/contract/printing.contract';
import { openTill, type Till } from './support/harness';
import { addCustom, cardSaleOf, finishSale, openOrder, prompt, ready } from './support/actions';

describe('returns, exchanges and reversal at the counter', () => {
  let till: Till;
  let printer: VirtualPrinter;
  /** The text of the first receipt printed with `marker` after `from` jobs, decoded from ESC/POS. */
  async function receipt(marker: string, from: number): Promise<string> {
    for (;;) {
      const hit = printer.jobs.slice(from).find((j) => j.decoded.text.includes(marker));
      if (hit) return hit.decoded.text;
      await printer.waitForJobs(printer.jobs.length + 1, 15_000);
    }
  }

  beforeAll(async () => {
    printer = await startVirtualPrinter({ columns: 48 });
    till = await openTill({ simulatorTimeScale: 0.05 });
    till.mode.core.settings.update({ printer: printer.url });
    await ready(till.page);
  });
  afterAll(async () => {
    await till?.close();
    await printer?.close();
  });
  beforeEach(async () => {
    await till.freshSale({ terminal: '28340002' });
  });

  it('a cash sale: one item returned for cash, with a return receipt', async () => {
    const { page } = till;
    await addCustom(page, '6.00', 'Mug');
    await addCustom(page, '3.50', 'Tea');
    await page.getByRole('button', { name: 'Cash', exact: true }).click();
    await page.getByRole('button', { name: 'Exact cash' }).click();
    await page.getByRole('region', { name: 'Sale complete' }).waitFor();
    const reference = await finishSale(page);

    await openOrder(page, reference);
    await page.getByRole('button', { name: 'Return or exchange items…' }).click();
    const dialog = page.getByRole('dialog', { name: `Return items of ${reference}` });
    await dialog.getByLabel('Return quantity of Mug').fill('1');
    await dialog.getByLabel('Reason').fill('Chipped');
    await dialog.getByLabel('Return summary').getByText('£6.00').first().waitFor();
    expect(await dialog.getByLabel('Cash from the drawer').isChecked()).toBe(true);
    await till.screenshot('return-cash-dialog');
    const jobs = printer.jobs.length;
    await dialog.getByRole('button', { name: 'Confirm return' }).click();
    await dialog.waitFor({ state: 'detached' });
    const list = page.getByRole('list', { name: 'Returns' });
    await list.getByText(/1 × Mug — £6\.00 \(cash £6\.00\).*done/).waitFor();
    await till.screenshot('return-cash-done');

    const text = await receipt('RETURN', jobs);
    expect(text).toContain(`Original order`);
    expect(text).toContain('1 x Mug');
    expect(text).toMatch(/VALUE RETURNED\s+-£6\.00/);
    expect(text).toMatch(/Cash from the drawer\s+£6\.00/);
    await page.getByRole('button', { name: 'Show return receipt 1' }).click();
    await page.getByLabel('Receipt preview').waitFor();
    expect(await page.getByLabel('Receipt preview').textContent()).toContain('ITEMS RETURNED');
    await till.screenshot('return-receipt-preview');
    await page.keyboard.press('Escape');
    await page.getByLabel('Receipt preview').waitFor({ state: 'detached' });
    // Two tabs return the last tea at once: the first wins, the other is told plainly.
    const other = await till.browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      await other.goto(till.mode.url);
      await ready(other);
      await openOrder(other, reference);
      const dialogs = [page, other].map((p) =>
        p.getByRole('dialog', { name: `Return items of ${reference}` }),
      );
      for (const [i, p] of [page, other].entries()) {
        await p.getByRole('button', { name: 'Return or exchange items…' }).click();
        const d = dialogs[i];
        if (!d) throw new Error('dialog');
        await d.getByLabel('Return quantity of Tea').fill('1');
        await d.getByLabel('Reason').fill('Not wanted');
        await d.getByLabel('Return summary').getByText('£3.50').first().waitFor();
      }
      await dialogs[1]?.getByRole('button', { name: 'Confirm return' }).click();
      await dialogs[1]?.waitFor({ state: 'detached' });
      await dialogs[0]?.getByRole('button', { name: 'Confirm return' }).click();
      await dialogs[0]
        ?.getByRole('alert')
        .filter({ hasText: 'Tea: all 1 sold was already returned. Nothing was written.' })
        .waitFor();
      await till.screenshot('return-two-tabs-refused');
      await page.keyboard.press('Escape');
    } finally {
      await other.close();
    }
    expect(
      till.mode.core.db.prepare("SELECT count(*) AS n FROM return_lines WHERE name = 'Tea'").get(),
    ).toEqual({ n: 1 });

    // The drawer counts it: 9.50 taken, 6.00 + 3.50 back.
    expect(
      till.mode.core.db
        .prepare("SELECT sum(amount_minor) AS n FROM cash_movements WHERE kind = 'cash-refund'")
        .get(),
    ).toEqual({ n: 950 });
  });

  it('a card sale of three items: one back to the card on the terminal, one exchanged for a dearer item', async () => {
    const { page, mode } = till;
    const coat = await mode.core.dispatch('catalogue:upsert', {
      name: 'Winter coat',
      category: 'Clothes',
      priceMinor: 1403,
      vatRateBp: 2000,
    });
    expect(coat.ok).toBe(true);
    const reference = await cardSaleOf(page, [
      ['10.00', 'Scarf'],
      ['5.00', 'Hat'],
      ['8.03', 'Gloves'],
    ]);
    await openOrder(page, reference);

    // The hat goes back to the card, on the terminal.
    await page.getByRole('button', { name: 'Return or exchange items…' }).click();
    let dialog = page.getByRole('dialog', { name: `Return items of ${reference}` });
    await dialog.getByLabel('Return quantity of Hat').fill('1');
    await dialog.getByLabel('Reason').fill('Too small');
    await dialog.getByLabel('Return summary').getByText('£5.00').first().waitFor();
    expect(await dialog.getByLabel(/To the card, on the terminal/).isChecked()).toBe(true);
    await till.screenshot('return-card-dialog');
    let jobs = printer.jobs.length;
    await dialog.getByRole('button', { name: 'Confirm return' }).click();
    const refund = page.getByRole('dialog', { name: 'Card refund' });
    await refund.waitFor();
    await prompt(page).filter({ hasText: 'Refund approved' }).waitFor();
    await till.screenshot('return-card-approved');
    await refund.getByRole('button', { name: 'Continue' }).click();
    await page
      .getByRole('list', { name: 'Returns' })
      .getByText(/1 × Hat — £5\.00 \(card \(terminal\) £5\.00\).*done/)
      .waitFor();
    const slip = await receipt('RETURN', jobs);
    expect(slip).toContain('1 x Hat');
    expect(slip).toMatch(/To card \(terminal\) \*\*\*\*\d{4}\s+£5\.00/);

    // The scarf is exchanged for the coat: the till takes only the difference, by card.
    await page.getByRole('button', { name: 'Return or exchange items…' }).click();
    dialog = page.getByRole('dialog', { name: `Return items of ${reference}` });
    expect(await dialog.getByLabel('Return quantity of Hat').isDisabled()).toBe(true);
    await dialog.getByLabel('Return quantity of Scarf').fill('1');
    await dialog.getByLabel('Reason').fill('Wants a coat');
    await dialog.getByLabel('Exchange for other items').check();
    await dialog.getByLabel('Find a product').fill('coat');
    await dialog.getByRole('button', { name: 'Add Winter coat' }).click();
    await dialog.getByLabel('Return summary').getByText('Customer pays').waitFor();
    expect(await dialog.getByLabel('Return summary').textContent()).toContain('£4.03');
    await till.screenshot('exchange-dialog');
    jobs = printer.jobs.length;
    await dialog.getByRole('button', { name: 'Confirm exchange' }).click();
    await page.getByLabel('Still to pay').waitFor();
    expect(await page.getByLabel('Still to pay').textContent()).toContain('£4.03');
    await till.screenshot('exchange-difference');
    await page.getByRole('button', { name: /^Pay by card/ }).click();
    await prompt(page).filter({ hasText: 'Payment approved' }).waitFor();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('region', { name: 'Sale complete' }).waitFor();
    await till.screenshot('exchange-complete');
    const both = await receipt('EXCHANGE', jobs);
    expect(both).toContain('1 x Scarf');
    expect(both).toContain('1 x Winter coat');
    expect(both).toMatch(/DIFFERENCE TO PAY\s+£4\.03/);
    expect(both).toMatch(/Card \*\*\*\*\d{4}\s+£4\.03/);
    await page.getByRole('button', { name: 'New sale' }).click();
  });

  it('a card sale taken by mistake is reversed; one Dojo has settled is refused with a refund offered', async () => {
    const { page, mode } = till;
    const reference = await cardSaleOf(page, [['12.03', 'Mistake']]);
    await openOrder(page, reference);
    await page.getByRole('button', { name: 'Reverse card payment of £12.03' }).click();
    let dialog = page.getByRole('dialog', { name: 'Reverse card payment' });
    await till.screenshot('reverse-dialog');
    await dialog.getByRole('button', { name: 'Reverse £12.03' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page
      .getByRole('list', { name: 'Reversals' })
      .getByText(/Card payment of £12\.03 reversed/)
      .waitFor();
    expect(await page.getByRole('button', { name: 'Return or exchange items…' }).count()).toBe(0);
    await till.screenshot('reversed');

    const settled = await cardSaleOf(page, [['20.03', 'Vase']]);
    mode.core.simulator()?.control.settleCaptured();
    await openOrder(page, settled);
    await page.getByRole('button', { name: 'Reverse card payment of £20.03' }).click();
    dialog = page.getByRole('dialog', { name: 'Reverse card payment' });
    await dialog.getByRole('button', { name: 'Reverse £20.03' }).click();
    await dialog
      .getByRole('alert')
      .filter({ hasText: /already been settled.*refund it instead/ })
      .waitFor();
    await till.screenshot('reverse-refused');
    await dialog.getByRole('button', { name: 'Refund instead…' }).click();
    await page
      .getByRole('dialog', { name: 'Refund' })
      .getByText('Still refundable: £20.03')
      .waitFor();
    await page.keyboard.press('Escape');

    // The report shows the reversal apart from refunds, on screen and on paper.
    await page.getByRole('button', { name: 'Reports' }).click();
    await page.getByLabel('Reversals').filter({ hasText: '£12.03' }).waitFor();
    await till.screenshot('report-reversals');
    const report = await mode.core.dispatch('reports:end-of-day', {});
    if (!report.ok) throw new Error(report.error.message);
    const lines = (report.value as EndOfDayReport).document.blocks.flatMap((b) =>
      b.type === 'columns' ? [`${b.left} ${b.right}`] : [],
    );
    expect(lines).toContain('Reversals (1) -£12.03');
  });
});
