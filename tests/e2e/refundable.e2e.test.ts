import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  startVirtualPrinter,
  type VirtualPrinter,
} from '../../src-main/printing/dev/virtual-printer';
import { waitFor } from '../support/wait';
import { openTill, type Till } from './support/harness';
import { cardSaleOf, openOrder, ready } from './support/actions';

const T2 = 'tm_sandbox_65f0a1c0e1d2c3b4a5960002';

describe('what is left to refund, at the counter and on the report', () => {
  let till: Till;
  let printer: VirtualPrinter;
  async function printed(marker: string, from: number): Promise<string> {
    for (;;) {
      const hit = printer.jobs.slice(from).find((j) => j.decoded.text.includes(marker));
      if (hit) return hit.decoded.text;
      await printer.waitForJobs(printer.jobs.length + 1, 15_000);
    }
  }
  const order = (reference: string) =>
    till.mode.core.db
      .prepare<[string], { id: string }>('SELECT id FROM orders WHERE reference = ?')
      .get(reference)?.id ?? '';
  const saleOf = (orderId: string) =>
    till.mode.core.db
      .prepare<[string], { id: string }>(
        "SELECT id FROM payment_attempts WHERE order_id = ? AND kind = 'sale' AND state = 'succeeded'",
      )
      .get(orderId)?.id ?? '';

  beforeAll(async () => {
    printer = await startVirtualPrinter({ columns: 48 });
    till = await openTill({ simulatorTimeScale: 0.05 });
    till.mode.core.settings.update({ printer: printer.url });
    // A drawer with a float, so cash can go back out.
    const day = await till.mode.core.dispatch('day:open', {
      float: [{ valueMinor: 2000, quantity: 5 }],
    });
    expect(day).toMatchObject({ ok: true });
    await ready(till.page);
  });
  afterAll(async () => {
    await till?.close();
    await printer?.close();
  });
  beforeEach(async () => {
    await till.freshSale({ terminal: '28340002' });
  });

  it('a card sale returned in part for cash: the card offers only the rest, and net takings deduct the cash', async () => {
    const { page } = till;
    const reference = await cardSaleOf(page, [
      ['15.00', 'Lamp'],
      ['5.03', 'Bulb'],
    ]);
    await openOrder(page, reference);
    const refundCard = page.getByRole('button', { name: 'Refund card payment of £20.03' });
    expect(await refundCard.textContent()).toBe('Refund £20.03 card');

    await page.getByRole('button', { name: 'Return or exchange items…' }).click();
    const dialog = page.getByRole('dialog', { name: `Return items of ${reference}` });
    await dialog.getByLabel('Return quantity of Lamp').fill('1');
    await dialog.getByLabel('Reason').fill('Scratched');
    await dialog.getByLabel('Return summary').getByText('£15.00').first().waitFor();
    await dialog.getByLabel('Cash from the drawer').check();
    await dialog.getByRole('button', { name: 'Confirm return' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page
      .getByRole('list', { name: 'Returns' })
      .getByText(/1 × Lamp — £15\.00 \(cash £15\.00\).*done/)
      .waitFor();
    // The old refund button now offers only what is left on the card.
    await refundCard.filter({ hasText: 'Refund £5.03 card' }).waitFor();
    await till.screenshot('refundable-after-cash-return');

    // Reports: the cash that went back comes off net takings, by tender too.
    await page.getByRole('button', { name: 'Reports', exact: true }).click();
    const figures = page.getByRole('region', { name: 'End of day figures' });
    await figures.getByLabel('Cash given back').filter({ hasText: '−£15.00' }).waitFor();
    expect(await figures.getByLabel('Net takings').textContent()).toBe('£5.03');
    const net = page.getByRole('table', { name: 'Net by tender' });
    expect(await net.getByRole('row', { name: /^Card/ }).textContent()).toContain('£20.03');
    expect(await net.getByRole('row', { name: /^Cash/ }).textContent()).toContain('−£15.00');
    await till.screenshot('reports-net-after-cash-return');
    const jobs = printer.jobs.length;
    await page.getByRole('button', { name: 'Print X report' }).click();
    const paper = await printed('X REPORT', jobs);
    expect(paper).toMatch(/Cash refunds \(1\) +-£15\.00/);
    expect(paper).toMatch(/NET TAKINGS +£5\.03/);
    const byTender = paper.slice(paper.indexOf('Net by tender'));
    expect(byTender).toMatch(/^ {2}Card +£20\.03$/m);
    expect(byTender).toMatch(/^ {2}Cash +-£15\.00$/m);
  });

  it('a return whose card part was declined is paid in cash from the order’s detail', async () => {
    const { page } = till;
    const reference = await cardSaleOf(page, [['40.03', 'Blender']]);
    const orderId = order(reference);
    till.mode.core.simulator()?.control.forceScenario('declined', T2);
    const done = await till.mode.core.dispatch('returns:create', {
      orderId,
      lines: [{ position: 1, quantity: 1 }],
      reason: 'Too loud',
      payouts: [
        { method: 'cash', amountMinor: 1000 },
        { method: 'card', amountMinor: 3003, attemptId: saleOf(orderId), terminalId: T2 },
      ],
      idempotencyKey: randomUUID(),
    });
    expect(done).toMatchObject({ ok: true });
    await waitFor(
      () =>
        till.mode.core.db
          .prepare<[string], { last_error: string | null }>(
            'SELECT last_error FROM returns WHERE order_id = ?',
          )
          .get(orderId)?.last_error,
      'the card part to be declined',
      20_000,
    );
    await openOrder(page, reference);
    const list = page.getByRole('list', { name: 'Returns' });
    await list.getByText(/card part did not go through/).waitFor();
    await list.getByLabel('Note for paying return 1 in cash').fill('Card kept declining');
    await till.screenshot('return-card-part-owed');
    const jobs = printer.jobs.length;
    await list.getByRole('button', { name: 'Pay owed £30.03 of return 1 in cash' }).click();
    await list.getByText(/cash £10\.00, card \(terminal\) £30\.03, cash £30\.03.*done/).waitFor();
    await till.screenshot('return-card-part-paid-in-cash');
    const slip = await printed('RETURN', jobs);
    expect(slip).toMatch(/AMOUNT REFUNDED\s+£40\.03/);
    expect(
      till.mode.core.db
        .prepare<[string], { note: string | null }>(
          "SELECT note FROM cash_movements WHERE order_id = ? AND kind = 'cash-refund' ORDER BY created_at DESC",
        )
        .get(orderId)?.note,
    ).toBe('Card kept declining');
  });
});
