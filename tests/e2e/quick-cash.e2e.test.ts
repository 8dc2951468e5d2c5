import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTill, type Till } from './support/harness';
import {
  addCustom,
  addProduct,
  basketTotal,
  finishSale,
  openOrder,
  ready,
} from './support/actions';
import { staysTrueFor } from '../support/wait';

/** One press on the basket sells it for cash: "Cash, exact" and the note keys. */
describe('cash in one press from the basket', () => {
  let till: Till;
  beforeAll(async () => {
    till = await openTill();
    await ready(till.page);
  });
  afterAll(async () => {
    await till?.close();
  });
  beforeEach(async () => {
    await till.freshSale();
  });

  const orders = () =>
    till.mode.core.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM orders').get()?.n ?? 0;
  const lastSale = () =>
    till.mode.core.db
      .prepare<[], { status: string; total_minor: number; kind: string; tendered_minor: number }>(
        `SELECT o.status, o.total_minor, t.kind, t.tendered_minor
         FROM orders o JOIN tenders t ON t.order_id = o.id
         ORDER BY o.created_at DESC, o.rowid DESC LIMIT 1`,
      )
      .get();
  const complete = () => till.page.getByRole('region', { name: 'Sale complete' });
  const change = () =>
    complete().getByRole('status').filter({ hasText: 'Give change' }).textContent();

  it('"Cash, exact" sells the basket at once: sale complete, change £0.00, paid in cash in history', async () => {
    const { page } = till;
    await addProduct(page, 'Latte');
    await addCustom(page, '4.00', 'Gift wrap');
    expect(await basketTotal(page)).toBe('£7.40');
    const keys = page.getByRole('group', { name: 'Sell for cash in one press' });
    // Only the notes that cover £7.40: £10, £20, £50, each saying its change.
    expect(await keys.getByRole('button').allTextContents()).toEqual([
      'Cash, exact Alt+E',
      '£10£2.60 change',
      '£20£12.60 change',
      '£50£42.60 change',
    ]);
    await till.screenshot('quick-cash-basket');
    const before = orders();

    await keys.getByRole('button', { name: 'Cash, exact' }).click();
    await complete().waitFor();
    expect(await change()).toBe('Give change: £0.00');
    expect(await complete().getByLabel('Total paid').textContent()).toBe('£7.40 paid');
    await complete()
      .getByRole('list', { name: 'Payments taken' })
      .getByText('Cash £7.40 (handed £7.40)')
      .waitFor();
    await till.screenshot('quick-cash-complete');
    expect(orders()).toBe(before + 1);
    expect(lastSale()).toEqual({
      status: 'paid',
      total_minor: 740,
      kind: 'cash',
      tendered_minor: 740,
    });

    const reference = await finishSale(page);
    expect(await basketTotal(page)).toBe('£0.00');
    await openOrder(page, reference);
    const detail = page.getByRole('region', { name: 'Order detail' });
    await detail.getByText(/· paid/).waitFor();
    expect(await detail.getByRole('list', { name: 'Tenders' }).textContent()).toBe(
      'Cash £7.40 (handed £7.40)',
    );
  });

  it('Alt+E does the same from the keyboard; a double tap sells once', async () => {
    const { page } = till;
    await addCustom(page, '2.20', 'Flapjack');
    const before = orders();
    await page.keyboard.press('Alt+E');
    await complete().waitFor();
    expect(await change()).toBe('Give change: £0.00');
    expect(orders()).toBe(before + 1);
    await page.getByRole('button', { name: 'New sale' }).click();

    await addCustom(page, '3.10', 'Scone');
    await page.getByRole('button', { name: 'Cash, exact' }).dblclick();
    await complete().waitFor();
    await staysTrueFor(() => orders() === before + 2, 500, 'no second sale from the double tap');
    expect(lastSale()).toMatchObject({ total_minor: 310, tendered_minor: 310 });
  });

  it('a note key sells for that note and shows its change', async () => {
    const { page } = till;
    await addCustom(page, '7.50', 'Lunch');
    await page.getByRole('button', { name: '£5.00 note' }).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: '£10.00 note, change £2.50' }).click();
    await complete().waitFor();
    expect(await change()).toBe('Give change: £2.50');
    expect(lastSale()).toEqual({
      status: 'paid',
      total_minor: 750,
      kind: 'cash',
      tendered_minor: 1000,
    });
  });

  it('a refusal shows in the basket, the basket is kept, and the next press sells', async () => {
    const { page, mode } = till;
    await addProduct(page, 'Latte');
    // Switched off in the catalogue behind the screen's back: the core refuses it.
    mode.core.db.prepare("UPDATE products SET active = 0 WHERE name = 'Latte'").run();
    try {
      const before = orders();
      await page.getByRole('button', { name: 'Cash, exact' }).click();
      await page
        .getByRole('alert')
        .filter({ hasText: 'Latte is switched off in the catalogue and cannot be sold.' })
        .waitFor();
      expect(orders()).toBe(before);
      expect(await complete().count()).toBe(0);
      expect(await basketTotal(page)).toBe('£3.40');
      expect(await page.getByRole('button', { name: 'Cash, exact' }).isEnabled()).toBe(true);
      await till.screenshot('quick-cash-refused');
    } finally {
      mode.core.db.prepare("UPDATE products SET active = 1 WHERE name = 'Latte'").run();
    }
    await page.getByRole('button', { name: 'Cash, exact' }).click();
    await complete().waitFor();
    expect(lastSale()).toMatchObject({ total_minor: 340, kind: 'cash' });
  });

  it('a cashier’s discount above the limit asks for a supervisor’s PIN, then sells', async () => {
    const { page, mode } = till;
    mode.core.staff.create({ name: 'Sue', role: 'supervisor', pin: '8024' });
    mode.core.staff.create({ name: 'Cy', role: 'cashier', pin: '1357' });
    mode.core.staff.signIn('1357');
    await page.reload();
    await ready(page);
    await page.getByLabel('Signed in').filter({ hasText: 'Cy' }).waitFor();
    await addCustom(page, '10.00', 'Damaged vase');
    await page.getByRole('button', { name: 'Basket discount' }).click();
    await page.getByLabel(/^Discount \(/).fill('50%');
    await page.getByRole('button', { name: 'Apply discount' }).click();
    expect(await basketTotal(page)).toBe('£5.00');
    const before = orders();

    await page.getByRole('button', { name: '£5.00 note, change £0.00' }).click();
    const approval = page.getByRole('dialog', { name: 'Approval needed' });
    await approval.getByText(/^Cy \(cashier\) may not/).waitFor();
    expect(orders()).toBe(before);
    await approval.getByLabel('Supervisor or manager PIN').fill('8024');
    await approval.getByRole('button', { name: 'Approve' }).click();
    await complete().waitFor();
    expect(await change()).toBe('Give change: £0.00');
    expect(orders()).toBe(before + 1);
    expect(lastSale()).toEqual({
      status: 'paid',
      total_minor: 500,
      kind: 'cash',
      tendered_minor: 500,
    });
  });
});
