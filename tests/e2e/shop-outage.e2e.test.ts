import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestPostgres } from '../support/postgres';
import { startTestShop } from '../support/test-shop';
import { waitFor } from '../support/wait';
import {
  addProduct,
  basketOf,
  chooseTerminal,
  payByCardFromBasket,
  prompt,
  ready,
} from './support/actions';
import { openTill, type Till } from './support/harness';

/**
 * Two browser-mode tills on one real PostgreSQL, which stops in the middle of the day: both keep
 * selling, and once it is back the whole shop's day equals the two tills' own reports to the
 * penny, nothing counted twice.
 */
describe('two tills keep trading through a shop database outage', () => {
  let pgServer: TestPostgres;
  let a: Till;
  let b: Till;
  beforeAll(async () => {
    const shop = await startTestShop('Corner', { 'till-a': 'Front', 'till-b': 'Back' });
    pgServer = shop.server;
    a = await openTill({ env: { OPENTILL_SHOP_DATABASE_URL: shop.urls['till-a'] } });
    b = await openTill({ env: { OPENTILL_SHOP_DATABASE_URL: shop.urls['till-b'] } });
    await ready(a.page);
    await ready(b.page);
    await chooseTerminal(b.page, '28340001');
  }, 120_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await pgServer?.stop();
  });

  const shopPill = (page: Page) => page.getByLabel('Shop database');

  const cashSale = async (page: Page, product: string, times: number) => {
    await addProduct(page, product, times);
    await page.getByRole('button', { name: 'Cash' }).click();
    await page
      .getByRole('button', { name: /^Customer handed / })
      .first()
      .click();
    await page.getByRole('button', { name: 'Take cash' }).click();
    await page.getByRole('region', { name: 'Sale complete' }).waitFor();
    await page.getByRole('button', { name: 'New sale' }).click();
  };
  const cardSale = async (page: Page, amount: string) => {
    await basketOf(page, amount);
    await payByCardFromBasket(page);
    await prompt(page).filter({ hasText: 'Payment approved' }).waitFor();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('region', { name: 'Sale complete' }).waitFor();
    await page.getByRole('button', { name: 'New sale' }).click();
  };
  /** The till's own open day (X report), as its Reports screen shows it. */
  const ownDay = async (page: Page) => {
    await page.getByRole('button', { name: 'Reports', exact: true }).click();
    await page.getByRole('button', { name: 'Refresh figures' }).click();
    const figures = page.getByRole('region', { name: 'End of day figures' });
    await figures.getByLabel('Net takings').waitFor();
    return {
      orders: (await figures.getByLabel('Orders count').textContent()) ?? '',
      net: (await figures.getByLabel('Net takings').textContent()) ?? '',
    };
  };

  it('sells on both tills with PostgreSQL down, and the shop day adds up once it is back', async () => {
    await cashSale(a.page, 'Latte', 2); // £6.80, replicated while the shop database is up
    await cardSale(b.page, '12.50');

    await pgServer.halt('immediate');
    for (const till of [a, b])
      await waitFor(
        async () => /^Shop unreachable/.test((await shopPill(till.page).textContent()) ?? ''),
        'the status bar says the shop database cannot be reached',
        30_000,
      );
    await cashSale(a.page, 'Latte', 1); // £3.40
    await cardSale(a.page, '4.20');
    await cashSale(b.page, 'Latte', 3); // £10.20
    // The status bar counts what waits to be sent (each sale is several changes).
    await waitFor(
      async () => /changes? to send/.test((await shopPill(a.page).textContent()) ?? ''),
      'till A counts the changes it could not send',
      10_000,
    );
    await a.screenshot('shop-outage-selling-on');

    await pgServer.start();
    for (const till of [a, b])
      await waitFor(
        async () => ((await shopPill(till.page).textContent()) ?? '') === 'Shop: up to date',
        'the till has caught up with the shop database',
        60_000,
        250,
      );

    const dayA = await ownDay(a.page);
    const dayB = await ownDay(b.page);
    expect(dayA).toEqual({ orders: '3', net: '£14.40' });
    expect(dayB).toEqual({ orders: '2', net: '£22.70' });

    const { page } = b;
    const shop = page.getByRole('region', { name: 'Whole shop' });
    await shop.getByRole('button', { name: 'Refresh shop figures' }).click();
    const byTill = shop.getByRole('table', { name: 'Shop takings by till' });
    await waitFor(
      async () => ((await shop.getByLabel('Shop orders count').textContent()) ?? '') === '5',
      'the shop day has every order of both tills',
      15_000,
    );
    expect(await byTill.getByRole('row', { name: /^Front/ }).textContent()).toContain(dayA.net);
    expect(await byTill.getByRole('row', { name: /^Back/ }).textContent()).toContain(dayB.net);
    expect(await shop.getByLabel('Shop net takings').textContent()).toBe('£37.10');
    expect(await shop.getByRole('alert').count()).toBe(0); // the sum check holds
    await shop.scrollIntoViewIfNeeded();
    await b.screenshot('shop-outage-day-adds-up');
  }, 180_000);
});
