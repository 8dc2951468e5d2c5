import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openTill, type Till } from './support/harness';
import { basketOf, prompt, ready } from './support/actions';

const cardUnavailable =
  'Card payments are unavailable: Dojo cannot be reached — take cash, or park the order for card payment later';

/** The text a control's aria-describedby points at (its reason, as assistive technology reads it). */
async function descriptionOf(page: Page, name: RegExp): Promise<string> {
  const ids = (await page.getByRole('button', { name }).getAttribute('aria-describedby')) ?? '';
  if (ids === '') return '';
  const texts = await Promise.all(
    ids.split(' ').map((id) => page.locator(`[id="${id}"]`).textContent()),
  );
  return texts.join(' ');
}

describe('offline: Dojo unreachable — cash works, card orders wait, and are charged when the link is back', () => {
  let till: Till;
  beforeAll(async () => {
    // Probe every second (30 s in the shop) so the test sees the link drop and come back quickly.
    till = await openTill({
      connectivity: { intervalMs: 1000, offlineBaseMs: 300, maxBackoffMs: 1500 },
    });
    await ready(till.page);
  });
  afterAll(async () => {
    await till?.close();
  });
  beforeEach(async () => {
    await till.freshSale({ terminal: '28340001' });
  });

  const sim = () => till.sim();
  /** Every Dojo path resets the connection (`*` matches one segment, so one fault per depth). */
  const dojoGoesAway = () => {
    for (const path of ['/*', '/*/*', '/*/*/*'])
      sim().injectFault({ kind: 'reset', path, count: 100_000 });
  };
  const dojoPill = () => till.page.getByLabel('Dojo connection');
  const orderRow = (reference: string) =>
    till.mode.core.db
      .prepare<[string], { id: string; status: string; total_minor: number }>(
        'SELECT id, status, total_minor FROM orders WHERE reference = ?',
      )
      .get(reference);
  const tendersOf = (orderId: string) =>
    till.mode.core.db
      .prepare<[string], { kind: string; amount_minor: number; terminal_id: string | null }>(
        'SELECT kind, amount_minor, terminal_id FROM tenders WHERE order_id = ? ORDER BY rowid',
      )
      .all(orderId);
  const parkedReference = async (page: Page) => {
    const text =
      (await page
        .getByRole('status')
        .filter({ hasText: /parked for card payment/ })
        .textContent()) ?? '';
    const ref = /Order (\S+) parked for card payment/.exec(text)?.[1];
    if (!ref) throw new Error(`no parked reference in "${text}"`);
    return ref;
  };

  /** Each test starts with Dojo reachable (freshSale): here it goes away, as the status bar shows. */
  const offline = async () => {
    await dojoPill().filter({ hasText: 'Dojo connected' }).waitFor();
    dojoGoesAway();
    await dojoPill().filter({ hasText: 'Dojo unreachable' }).waitFor({ timeout: 10_000 });
  };
  /** Parks a basket (£7.50) and an order on the payment panel (£4.20) as awaiting card payment. */
  const parkTwo = async (page: Page): Promise<string[]> => {
    await basketOf(page, '7.50');
    await page.getByRole('button', { name: 'Park for card payment' }).click();
    const first = await parkedReference(page);

    await basketOf(page, '4.20');
    await page.getByRole('button', { name: /^Cash$/ }).click();
    await page.getByLabel('Still to pay').waitFor();
    await page.getByRole('button', { name: 'Park for card payment' }).click();
    await page.getByRole('region', { name: 'Basket' }).waitFor();
    const second = await parkedReference(page);
    await page.getByRole('region', { name: 'Awaiting card payment' }).getByText(second).waitFor();
    return [first, second];
  };

  it('shows Dojo offline in the status bar and turns card payment off with the reason next to it', async () => {
    const { page } = till;
    await offline();
    expect(await dojoPill().getAttribute('class')).toContain('pill-offline');
    // The terminal's last status from Dojo is not shown as current.
    expect(await page.getByLabel('Terminal status').textContent()).toBe('Not known');

    await basketOf(page, '6.40');
    const card = page.getByRole('button', { name: /^Pay by card/ });
    expect(await card.isDisabled()).toBe(true);
    expect(await descriptionOf(page, /^Pay by card/)).toBe(cardUnavailable);
    expect(
      await page.getByRole('status', { name: 'Card payments unavailable' }).textContent(),
    ).toContain(cardUnavailable);
    expect(await page.getByRole('button', { name: /^Cash$/ }).isEnabled()).toBe(true);
    await till.screenshot('offline-sell');
  });

  it('still takes cash', async () => {
    const { page } = till;
    await offline();
    await basketOf(page, '6.40');
    await page.getByRole('button', { name: /^Cash$/ }).click();
    await page.getByLabel('Still to pay').waitFor();
    // On the payment panel too, card is off with the reason; cash is on.
    expect(await page.getByRole('button', { name: /^Pay by card/ }).isDisabled()).toBe(true);
    expect(await descriptionOf(page, /^Pay by card/)).toBe(cardUnavailable);
    await page.getByRole('button', { name: 'Exact cash' }).click();
    await page.getByRole('region', { name: 'Sale complete' }).waitFor();
    const ref = (
      (await page
        .getByText(/^Order /)
        .first()
        .textContent()) ?? ''
    )
      .replace(/^Order /, '')
      .trim();
    const row = orderRow(ref);
    expect(row).toMatchObject({ status: 'paid', total_minor: 640 });
    expect(tendersOf(row?.id ?? '')).toEqual([
      { kind: 'cash', amount_minor: 640, terminal_id: null },
    ]);
  });

  it('parks a basket, and an order on the payment panel, as awaiting card payment', async () => {
    const { page } = till;
    await offline();
    const parked = await parkTwo(page);
    const [first] = parked;

    const list = page.getByRole('region', { name: 'Awaiting card payment' });
    expect(await list.textContent()).toContain(first);
    expect(await list.textContent()).toContain('£7.50');
    expect(await list.textContent()).toContain('£4.20');
    for (const ref of parked) {
      expect(orderRow(ref)).toMatchObject({ status: 'awaiting_card' });
      // Charging waits for Dojo.
      expect(
        await page.getByRole('button', { name: `Charge order ${ref} by card` }).isDisabled(),
      ).toBe(true);
    }
    await till.screenshot('offline-awaiting-list');
  });

  it('when Dojo is back, charges each waiting order by card on the terminal; they end paid', async () => {
    const { page } = till;
    await offline();
    const parked = await parkTwo(page);
    const list = page.getByRole('region', { name: 'Awaiting card payment' });
    sim().clearFaults();
    await dojoPill().filter({ hasText: 'Dojo connected' }).waitFor({ timeout: 10_000 });
    expect(await page.getByRole('status', { name: 'Card payments unavailable' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Pay by card/ }).isEnabled()).toBe(true);
    await page.getByLabel('Terminal status').filter({ hasText: 'Available' }).waitFor();
    await till.screenshot('online-awaiting-list');

    for (const ref of parked) {
      await page.getByRole('button', { name: `Charge order ${ref} by card` }).click();
      await page.getByRole('dialog', { name: 'Card payment' }).waitFor();
      await prompt(page).filter({ hasText: 'Payment approved' }).waitFor();
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('region', { name: 'Sale complete' }).waitFor();
      const row = orderRow(ref);
      expect(row?.status).toBe('paid');
      expect(tendersOf(row?.id ?? '')).toEqual([
        {
          kind: 'card',
          amount_minor: row?.total_minor,
          terminal_id: 'tm_sandbox_65f0a1c0e1d2c3b4a5960001',
        },
      ]);
      await page.getByRole('button', { name: 'New sale' }).click();
      // Paid: off the list (orders parked by an earlier test may still wait there).
      await list.getByText(ref).waitFor({ state: 'detached' });
    }
    // Only these two reached Dojo: nothing else this suite parked was charged.
    const charged = sim()
      .records()
      .paymentIntents.map((i) => i.amount.value)
      .sort((a, b) => a - b);
    expect(charged).toEqual([420, 750]);
  });
});
