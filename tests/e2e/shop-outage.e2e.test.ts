import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withClient, type TestPostgres } from '../support/postgres';
import { waitFor } from '../support/wait';
import {
  addProduct,
  basketOf,
  cardSaleOf,
  chooseTerminal,
  finishSale,
  openOrder,
  payByCardFromBasket,
  prompt,
} from './support/actions';
import { screenshotDir, type Till } from './support/harness';
import { openShopTills, shopPill, type ShopTills } from './support/shop';

/**
 * Two browser-mode tills on one real PostgreSQL, which stops in the middle of the day: both keep
 * selling (cash and card, after a card refund and a return taken at the other till), and once it
 * is back the whole shop's open day equals the two tills' own reports; then each till's manager
 * closes its day, and the shop's closed day equals the sum of the two Z reports to the penny —
 * totals, per tender, per terminal — every order counted once.
 */
describe('two tills keep trading through a shop database outage', () => {
  let shop: ShopTills;
  let pgServer: TestPostgres;
  let a: Till;
  let b: Till;
  beforeAll(async () => {
    shop = await openShopTills();
    ({ server: pgServer, a, b } = shop);
    await chooseTerminal(b.page, '28340001');
  }, 120_000);
  afterAll(async () => {
    await shop?.close();
  });

  const cashSale = async (page: Page, product: string, times: number) => {
    await addProduct(page, product, times);
    await page.getByRole('button', { name: 'Cash', exact: true }).click();
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
  /** One row of a report table: its name, count and amount in minor units. */
  type Row = { name: string; count: number; amountMinor: number };
  const minor = (text: string) => {
    const m = /(−)?£(\d+)\.(\d\d)/.exec(text);
    if (!m) throw new Error(`no amount in "${text}"`);
    return (m[1] ? -1 : 1) * (Number(m[2]) * 100 + Number(m[3]));
  };
  /** A count-and-amount table as the screen shows it ("None yet" reads as no rows). */
  const rowsOf = async (page: Page, table: string): Promise<Row[]> => {
    const trs = page.getByRole('table', { name: table, exact: true }).locator('tbody tr');
    const cells: string[][] = [];
    for (let i = 0; i < (await trs.count()); i++)
      cells.push(await trs.nth(i).locator('td').allTextContents());
    return cells
      .filter((c) => c.length === 3)
      .map(([name = '', count = '', amount = '']) => ({
        name,
        count: Number(count),
        amountMinor: minor(amount),
      }));
  };
  /** Rows of several tills added up by name: what the shop should show. */
  const summed = (...lists: Row[][]): Row[] => {
    const by = new Map<string, Row>();
    for (const r of lists.flat()) {
      const had = by.get(r.name);
      by.set(
        r.name,
        had
          ? { ...had, count: had.count + r.count, amountMinor: had.amountMinor + r.amountMinor }
          : r,
      );
    }
    return [...by.values()].sort((x, y) => x.name.localeCompare(y.name));
  };
  const sorted = (rows: Row[]) => [...rows].sort((x, y) => x.name.localeCompare(y.name));

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

  /** The rows of one section of a printed report ("  Cash (2)   £10.20"), by its title line. */
  const printedSection = (lines: string[], title: string): Row[] => {
    const rows: Row[] = [];
    for (const line of lines.slice(lines.findIndex((l) => l.trim() === title) + 1)) {
      const m = /^\s*(.+?) \((\d+)\)\s+(-?£\d+\.\d\d)\s*$/.exec(line);
      if (!m) break;
      rows.push({ name: m[1] ?? '', count: Number(m[2]), amountMinor: minor(m[3] ?? '') });
    }
    return sorted(rows);
  };

  /**
   * Closes the till's day the way a manager does (Reports → Close the day…) and answers what its
   * Z report says: orders, net takings, per tender and per terminal, read from the Z report itself
   * (and the same as the figures the till showed as the day was closed).
   */
  const closeDay = async (till: Till, name: string) => {
    const { page } = till;
    const day = await ownDay(page);
    const shown = {
      tenders: sorted(await rowsOf(page, 'Takings by tender')),
      terminals: sorted(await rowsOf(page, 'Card takings by terminal')),
    };
    await page.getByRole('button', { name: 'Close the day…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Close the day?' });
    expect(await dialog.textContent()).toContain(
      `Closing ${day.orders} orders with net takings of ${day.net}`,
    );
    await dialog.getByRole('button', { name: 'Close the day and reset counters' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page
      .getByRole('status', { name: 'Last closure' })
      .filter({ hasText: `${day.orders} orders, net takings ${day.net}` })
      .waitFor();
    // The counters start again from nothing.
    const figures = page.getByRole('region', { name: 'End of day figures' });
    await figures.getByLabel('Orders count').filter({ hasText: /^0$/ }).waitFor();
    await page.getByRole('button', { name: 'Show Z report' }).click();
    const preview = page.getByRole('figure', { name: /^Receipt preview: Z report/ });
    const lines = (await preview.innerText()).split('\n');
    const line = (re: RegExp) => {
      const found = lines.map((l) => re.exec(l.trim())).find(Boolean);
      if (!found) throw new Error(`no line ${String(re)} on the Z report`);
      return found[1] ?? '';
    };
    expect(lines.some((l) => l.trim() === 'Z REPORT - DAY CLOSED')).toBe(true);
    // The till as the shop knows it (its registered name and reference prefix), not "T1".
    expect(line(/^Till\s+(.+)$/)).toBe(till === a ? 'Front (TILL-A)' : 'Back (TILL-B)');
    const z = {
      orders: Number(line(/^Orders\s+(\d+)$/)),
      netMinor: minor(line(/^NET TAKINGS\s+(£\d+\.\d\d)$/)),
      tenders: printedSection(lines, 'Takings by tender'),
      terminals: printedSection(lines, 'Card by terminal'),
    };
    expect(z).toEqual({ orders: Number(day.orders), netMinor: minor(day.net), ...shown });
    await till.screenshot(`shop-outage-z-report-${name}`);
    await page.keyboard.press('Escape');
    await preview.waitFor({ state: 'detached' });
    return z;
  };

  it('sells on both tills with PostgreSQL down, and the shop day adds up once it is back', async () => {
    await chooseTerminal(a.page, '28340002');
    const latte = await (async () => {
      await addProduct(a.page, 'Latte', 2); // £6.80 cash, replicated while the shop database is up
      await a.page.getByRole('button', { name: 'Cash', exact: true }).click();
      await a.page
        .getByRole('button', { name: /^Customer handed / })
        .first()
        .click();
      await a.page.getByRole('button', { name: 'Take cash' }).click();
      await a.page.getByRole('region', { name: 'Sale complete' }).waitFor();
      return finishSale(a.page);
    })();
    // A card sale on A, £4.00 of it refunded on A's terminal.
    const tenner = await cardSaleOf(a.page, [['10.00', 'Lunch']]);
    // Till A writes its references with the shop's prefix for it, from its registered id.
    expect([latte, tenner]).toEqual([
      expect.stringMatching(/^TILL-A-\d{8}-0001$/),
      expect.stringMatching(/^TILL-A-\d{8}-0002$/),
    ]);
    await openOrder(a.page, tenner);
    await a.page.getByRole('button', { name: 'Refund card payment of £10.00' }).click();
    const refund = a.page.getByRole('dialog', { name: 'Refund' });
    await refund.getByLabel('Amount to refund (£)').fill('4.00');
    await refund.getByRole('button', { name: /^Refund on terminal/ }).click();
    await prompt(a.page).filter({ hasText: 'Refund approved' }).waitFor();
    await a.page
      .getByRole('dialog', { name: 'Card refund' })
      .getByRole('button', { name: 'Continue' })
      .click();
    await a.page.getByRole('button', { name: 'Sell', exact: true }).click();
    await cardSale(b.page, '12.50');
    await cashSale(b.page, 'Latte', 3); // £10.20 into B's drawer

    // Across tills: a customer brings one of A's lattes back to till B, £3.40 out of B's drawer.
    await b.page.getByRole('button', { name: 'Orders', exact: true }).click();
    await b.page.getByRole('button', { name: 'Whole shop' }).click();
    const results = b.page.getByRole('table', { name: 'Shop orders' });
    await waitFor(
      async () => {
        await b.page.getByLabel('Reference').fill(latte.slice(-4));
        await b.page.getByRole('button', { name: 'Search' }).click();
        return (
          (await results.getByRole('button', { name: `Open order ${latte} of Front` }).count()) ===
          1
        );
      },
      'till A’s latte sale in the shop database',
      15_000,
      250,
    );
    await results.getByRole('button', { name: `Open order ${latte} of Front` }).click();
    const panel = b.page.getByRole('region', { name: `Shop order ${latte}` });
    await panel.getByRole('button', { name: 'Return items…' }).click();
    const back = b.page.getByRole('dialog', { name: `Return items of ${latte} (sold at Front)` });
    await back.getByLabel('Return quantity of Latte').fill('1');
    await back.getByLabel('Reason').fill('Spilt');
    await back.getByRole('definition').filter({ hasText: '£3.40' }).first().waitFor();
    await back.getByRole('button', { name: 'Confirm return' }).click();
    await back.waitFor({ state: 'detached' });
    await b.page.getByRole('button', { name: 'This till' }).click();
    await b.page.getByRole('button', { name: 'Sell', exact: true }).click();

    await pgServer.halt('immediate');
    for (const till of [a, b])
      await waitFor(
        async () => /^Shop unreachable/.test((await shopPill(till.page).textContent()) ?? ''),
        'the status bar says the shop database cannot be reached',
        30_000,
      );
    await cashSale(a.page, 'Latte', 1); // £3.40
    await cardSale(a.page, '4.20');
    await cashSale(b.page, 'Latte', 2); // £6.80
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

    // Each till's own open day: A sold 4 (£24.40) and refunded £4.00 on a card; B sold 3 (£29.50)
    // and gave £3.40 back in cash for A's latte.
    expect(await ownDay(a.page)).toEqual({ orders: '4', net: '£20.40' });
    expect(await ownDay(b.page)).toEqual({ orders: '3', net: '£26.10' });

    const { page } = b;
    const shop = page.getByRole('region', { name: 'Whole shop' });
    const byTill = shop.getByRole('table', { name: 'Shop takings by till' });
    /** Orders and net of one till's row in the shop's by-till table. */
    const tillRow = async (name: string) => {
      const cells = await byTill
        .getByRole('row', { name: new RegExp(`^${name}`) })
        .locator('td')
        .allTextContents();
      return { orders: Number(cells[2]), netMinor: minor(cells[6] ?? '') };
    };
    await waitFor(
      async () => {
        if (((await shop.getByLabel('Shop orders count').textContent()) ?? '') === '7') return true;
        await shop.getByRole('button', { name: 'Refresh shop figures' }).click();
        return false;
      },
      'the shop’s open day has every order of both tills',
      15_000,
      250,
    );
    expect(await shop.getByLabel('Shop net takings').textContent()).toBe('£46.50');
    expect(await shop.getByRole('alert').count()).toBe(0); // the sum check holds
    await shop.scrollIntoViewIfNeeded();
    await b.screenshot('shop-outage-day-adds-up');

    // Each till closes its day (Z report) with its manager signed in; the closures replicate.
    const zA = await closeDay(a, 'front');
    const zB = await closeDay(b, 'back');
    expect([zA.orders, zA.netMinor, zB.orders, zB.netMinor]).toEqual([4, 2040, 3, 2610]);
    for (const till of [a, b])
      await waitFor(
        async () => ((await shopPill(till.page).textContent()) ?? '') === 'Shop: up to date',
        'the till has sent its closed day to the shop database',
        30_000,
        250,
      );

    // The shop's closed day: every till's closed, and to the penny the sum of the two Z reports.
    await shop.getByRole('button', { name: 'Closed day' }).click();
    await waitFor(
      async () => {
        const closedEverywhere =
          (await shop.getByText('latest closed day').count()) === 1 &&
          (await shop.getByRole('alert', { name: 'Tills not closed' }).count()) === 0 &&
          ((await shop.getByLabel('Shop orders count').textContent()) ?? '') ===
            String(zA.orders + zB.orders);
        if (closedEverywhere) return true;
        await shop.getByRole('button', { name: 'Refresh shop figures' }).click();
        return false;
      },
      'the shop’s closed day with both tills’ closures',
      15_000,
      250,
    );
    expect(await tillRow('Front')).toEqual({ orders: zA.orders, netMinor: zA.netMinor });
    expect(await tillRow('Back')).toEqual({ orders: zB.orders, netMinor: zB.netMinor });
    expect(minor((await shop.getByLabel('Shop net takings').textContent()) ?? '')).toBe(
      zA.netMinor + zB.netMinor,
    );
    // Per tender and per terminal, name by name: cash 4 / £27.20, card 3 / £26.70 on two TIDs.
    const tenders = sorted(await rowsOf(page, 'Shop takings by tender'));
    expect(tenders).toEqual(summed(zA.tenders, zB.tenders));
    expect(tenders.map((t) => [t.name, t.count, t.amountMinor])).toEqual([
      ['Card', 3, 2670],
      ['Cash', 4, 2720],
    ]);
    const terminals = sorted(await rowsOf(page, 'Shop card takings by terminal'));
    expect(terminals).toEqual(summed(zA.terminals, zB.terminals));
    expect(terminals.map((t) => t.name)).toEqual(['TID 28340001', 'TID 28340002']);
    expect(await shop.getByRole('alert').count()).toBe(0); // the shop's own sum check holds
    // Each till's demo manager (a till's own account, not on the shop's list) by name and till.
    const staff = await shop
      .getByRole('table', { name: 'Shop takings by staff member' })
      .locator('tbody tr td:first-child')
      .allTextContents();
    expect(staff).toEqual(['Demo manager (training) · Back', 'Demo manager (training) · Front']);
    // The whole section in one picture: a taller window for the shot.
    await page.setViewportSize({ width: 1280, height: 1700 });
    await shop.screenshot({ path: join(screenshotDir, 'shop-outage-closed-day.png') });
    await page.setViewportSize({ width: 1280, height: 800 });

    // In the shop database each till's orders are there once (B's read-only copy of A's returned
    // order is never sent up), and no two orders of the shop share a reference.
    const inShop = await withClient(pgServer.adminUrl, async (c) => ({
      paid: (
        await c.query<{ till_id: string; n: string }>(
          `SELECT till_id, count(*) AS n FROM opentill.orders WHERE status = 'paid'
            GROUP BY till_id ORDER BY till_id`,
        )
      ).rows.map((r) => [r.till_id, Number(r.n)]),
      refs: (
        await c.query<{ n: string; distinct: string }>(
          'SELECT count(*) AS n, count(DISTINCT reference) AS distinct FROM opentill.orders',
        )
      ).rows[0],
    }));
    expect(inShop.paid).toEqual([
      ['till-a', zA.orders],
      ['till-b', zB.orders],
    ]);
    expect(Number(inShop.refs?.n)).toBeGreaterThanOrEqual(zA.orders + zB.orders);
    expect(inShop.refs?.distinct).toBe(inShop.refs?.n);

    // And the shop's open day starts again from nothing on both tills.
    await shop.getByRole('button', { name: 'Open day' }).click();
    await shop.getByLabel('Shop orders count').filter({ hasText: /^0$/ }).waitFor();
    expect(await shop.getByLabel('Shop net takings').textContent()).toBe('£0.00');
  }, 240_000);
});
