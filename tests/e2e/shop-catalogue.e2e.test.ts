import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withClient } from '../support/postgres';
import { basketTotal } from './support/actions';
import type { Till } from './support/harness';
import { openShopTills, type ShopTills } from './support/shop';

/**
 * Issue 14, the shop's catalogue seen in the browser: a manager on till A gives the shop a
 * modifier group and a product with sizes that offers it, then changes the product's eat-in VAT —
 * all in Settings → Products; within 5 s till B's sell screen offers it with the sizes and the
 * choices at the new eat-in rate, and B's cashier sells a size with a choice eaten in: the basket,
 * the order detail and the receipt show the size, the choice, the total and the VAT.
 */
describe('the shop’s catalogue edited on till A is what till B sells (browser, real PostgreSQL)', () => {
  let shop: ShopTills;
  let a: Till;
  let b: Till;
  beforeAll(async () => {
    shop = await openShopTills();
    ({ a, b } = shop);
  }, 120_000);
  afterAll(async () => {
    await shop?.close();
  });

  it('sizes, a choice and an eat-in VAT change made on A are sold on B within 5 s', async () => {
    const { page } = a;
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const products = page.getByRole('region', { name: 'Products' });

    // A group of choices, required, one of two: the shop's (no till had a "Dressing").
    const group = products.getByRole('form', { name: 'New modifier group' });
    await group.getByLabel('Group name').fill('Dressing');
    await group.getByLabel('Minimum choices (0 = optional)').fill('1');
    await group.getByLabel('Maximum choices').fill('1');
    await group.getByLabel('Choice 1 name').fill('Balsamic');
    await group.getByLabel('Choice 1 price').fill('0.00');
    await group.getByRole('button', { name: 'Add choice' }).click();
    await group.getByLabel('Choice 2 name').fill('Caesar');
    await group.getByLabel('Choice 2 price').fill('0.40');
    await group.getByRole('button', { name: 'Add group' }).click();
    await products
      .getByRole('list', { name: 'Modifier group list' })
      .getByRole('listitem')
      .filter({ hasText: 'Dressing' })
      .filter({ hasText: 'required, choose 1 to 1: Balsamic, Caesar +£0.40' })
      .waitFor();

    // A cold salad: zero-rated taken away, two sizes, the dressing offered with it.
    const form = products.getByRole('form', { name: 'New product' });
    await form.getByLabel('Name', { exact: true }).fill('Salad box');
    await form.getByLabel('Category', { exact: true }).fill('Food');
    await form.getByLabel(/^Price \(/).fill('4.50');
    await form.getByRole('combobox', { name: /^VAT rate(?! eaten)/ }).selectOption('0');
    await form.getByRole('button', { name: 'New variant' }).click();
    await form.getByRole('button', { name: 'New variant' }).click();
    await form.getByLabel('Variant 1 name').fill('Regular');
    await form.getByLabel('Variant 1 price').fill('4.50');
    await form.getByLabel('Variant 2 name').fill('Large');
    await form.getByLabel('Variant 2 price').fill('5.90');
    await form.getByRole('checkbox', { name: 'Dressing' }).check();
    await form.getByRole('button', { name: 'Add product' }).click();
    const row = products
      .getByRole('table', { name: 'Product list' })
      .getByRole('row')
      .filter({ hasText: /^Salad box/ });
    await row.filter({ hasText: 'Regular £4.50, Large £5.90 · Dressing' }).waitFor();

    // Then the manager remembers: eaten in, it is standard-rated.
    await products.getByRole('button', { name: 'Edit Salad box', exact: true }).click();
    const edit = products.getByRole('form', { name: 'Edit product' });
    await edit.getByRole('combobox', { name: /^VAT rate eaten in/ }).selectOption('2000');
    await edit.scrollIntoViewIfNeeded();
    await a.screenshot('shop-catalogue-edit-form-a');
    const saved = Date.now();
    await edit.getByRole('button', { name: 'Save product' }).click();
    await row.filter({ hasText: '(eaten in: ' }).waitFor();
    expect(await row.textContent()).toMatch(/£4\.50Zero 0\s?% \(eaten in: Standard 20\s?%\)/);
    await row.scrollIntoViewIfNeeded();
    await a.screenshot('shop-catalogue-editor-a');

    // Till B: its sell screen offers the salad, and eaten in it shows the rate A just set.
    const sell = b.page;
    await sell.getByRole('button', { name: 'Eat in' }).click();
    await sell.getByLabel('Search or scan barcode').fill('Salad box');
    const key = sell.getByRole('button', { name: /^Add Salad box,/ });
    await key.getByText('VAT 20%').waitFor({ timeout: 5_000 });
    expect(Date.now() - saved).toBeLessThan(5_000);

    // The sizes, then the dressing (required: refused without one, in plain words).
    await key.click();
    const sizes = sell.getByRole('dialog', { name: 'Salad box: which one?' });
    await sizes.waitFor();
    expect(await sizes.textContent()).toMatch(/Regular[\s\S]*£4\.50[\s\S]*Large[\s\S]*£5\.90/);
    await sizes.getByRole('button', { name: /^Large/ }).click();
    const options = sell.getByRole('dialog', { name: 'Salad box (Large): options' });
    await options.waitFor();
    await options.getByRole('button', { name: 'Add to basket' }).click();
    await options.getByRole('alert').filter({ hasText: 'Choose a dressing option' }).waitFor();
    await options.getByRole('button', { name: /^Caesar/ }).click();
    await b.screenshot('shop-catalogue-choices-b');
    await options.getByRole('button', { name: 'Add to basket' }).click();
    await options.waitFor({ state: 'detached' });
    await sell.getByLabel('Search or scan barcode').fill('');
    expect(
      await sell
        .getByRole('list', { name: 'Options on Salad box (Large)' })
        .getByRole('listitem')
        .allTextContents(),
    ).toEqual(['+ Caesar £0.40']);
    // £5.90 + £0.40 eaten in at 20%: 630 × 2000 / 12000 = £1.05 of VAT.
    expect(await basketTotal(sell)).toBe('£6.30');
    expect(await sell.getByLabel('Totals').textContent()).toContain(
      'VAT included (20%: £1.05; eaten in)',
    );

    await sell.getByRole('button', { name: 'Cash', exact: true }).click();
    await sell.getByRole('button', { name: 'Customer handed £10.00' }).click();
    await sell.getByRole('button', { name: 'Take cash' }).click();
    const done = sell.getByRole('region', { name: 'Sale complete' });
    await done.waitFor();
    const reference = ((await done.getByText(/^Order /).textContent()) ?? '').replace('Order ', '');
    expect(reference).toMatch(/^TILL-B-\d{8}-\d{4}$/);
    await sell.getByRole('button', { name: 'New sale' }).click();

    // B's order detail: the size, the choice, the total and the eat-in VAT.
    await sell.getByRole('button', { name: 'Orders', exact: true }).click();
    await sell.getByLabel('Reference').fill(reference.slice(-4));
    await sell.getByRole('button', { name: 'Search' }).click();
    await sell.getByRole('button', { name: `Open order ${reference}` }).click();
    const detail = sell.getByRole('region', { name: 'Order detail' });
    const lines = detail.getByRole('table', { name: 'Order lines' });
    await lines.waitFor();
    const text = (await lines.textContent()) ?? '';
    expect(text).toContain('Salad box (Large)');
    expect(text).toContain('+ Caesar £0.40');
    expect(text).toContain('VAT 20% on £6.30£1.05');
    expect(text).toContain('eaten in');
    expect(await detail.textContent()).toContain('£6.30');

    // The receipt as it prints (the preview lays out the same document as the paper).
    await sell.getByRole('button', { name: 'Show receipt' }).click();
    const receipt = sell.getByRole('figure', { name: /^Receipt preview: / });
    await receipt.waitFor();
    const printed = (await receipt.innerText()).split('\n').map((l) => l.trim());
    expect(printed).toContain('Eat in');
    expect(printed.some((l) => /^Salad box \(Large\)\s+£5\.90$/.test(l))).toBe(true);
    expect(printed.some((l) => /^\+ Caesar\s+£0\.40$/.test(l))).toBe(true);
    expect(printed.some((l) => /^VAT 20% on £6\.30\s+£1\.05$/.test(l))).toBe(true);
    expect(printed.some((l) => /^TOTAL\s+£6\.30$/.test(l))).toBe(true);
    await b.screenshot('shop-catalogue-receipt-b');
    await sell.keyboard.press('Escape');
    await receipt.waitFor({ state: 'detached' });

    // The shop database holds the one product with A's ids, its sizes and its group.
    const inShop = await withClient(
      shop.server.adminUrl,
      async (c) =>
        (
          await c.query<{ vat: number; eat_in: number; sizes: string; groups: string }>(
            `SELECT p.vat_rate_bp AS vat, p.eat_in_vat_rate_bp AS eat_in,
                  (SELECT string_agg(v.name, ',' ORDER BY v.name) FROM opentill.product_variants v
                    WHERE v.product_id = p.id AND v.active) AS sizes,
                  (SELECT string_agg(g.name, ',') FROM opentill.product_modifier_groups l
                     JOIN opentill.modifier_groups g ON g.id = l.group_id
                    WHERE l.product_id = p.id AND l.active) AS groups
             FROM opentill.products p WHERE p.name = 'Salad box'`,
          )
        ).rows,
    );
    expect(inShop).toEqual([{ vat: 0, eat_in: 2000, sizes: 'Large,Regular', groups: 'Dressing' }]);
  }, 120_000);
});
