import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTill, type Till } from './support/harness';
import { addProduct, ready } from './support/actions';

describe('settings', () => {
  let till: Till;
  beforeAll(async () => {
    // A key set in these tests must never send the till to the real Dojo: loopback only.
    till = await openTill({ env: { OPENTILL_DOJO_BASE_URL: 'http://127.0.0.1:9' } });
    await ready(till.page);
  });
  afterAll(async () => {
    await till?.close();
  });
  beforeEach(async () => {
    await till.freshSale();
    await till.page.getByRole('button', { name: 'Settings', exact: true }).click();
  });

  it('tests the Dojo connection and says the result in plain words', async () => {
    const { page } = till;
    const dojo = page.getByRole('region', { name: 'Dojo connection' });
    await dojo.getByRole('button', { name: 'Test connection' }).click();
    const result = dojo.getByRole('status', { name: 'Connection test result' });
    await result.waitFor();
    const text = (await result.textContent()) ?? '';
    // The training simulator has five terminals.
    expect(text).toMatch(/^✓ /);
    expect(text).toContain('5 terminals');
    expect(text.match(/terminals/g)).toHaveLength(1);
    expect(text).not.toMatch(/undefined|null|\{|Error:/);
    await dojo.scrollIntoViewIfNeeded();
    await till.screenshot('settings-test-connection');
  });

  it('imports the good rows of a CSV file and lists each refused row with its reason', async () => {
    const { page, mode } = till;
    const csv = [
      'name,category,price,vat,barcode,shortcut',
      'Cortado,Coffee,3.10,20,,', // 2 ok
      'Bad Price,Coffee,3.3x,20,,', // 3
      'Oat Cookie,Bakery,1.60,0,,', // 4 ok
      'Odd VAT,Bakery,1.00,17.5,,', // 5
      'Gift Card Sleeve,Retail,0.50,20,5012345678901,', // 6 wrong check digit
    ].join('\n');
    await page
      .getByLabel(/^Import products from a CSV file/)
      .setInputFiles({ name: 'products.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const result = page.getByRole('status', { name: 'Import result' });
    await result.waitFor();
    expect(await result.textContent()).toContain(
      'Imported 2 products (2 new, 0 updated). 3 rows refused:',
    );
    const refused = result.getByRole('list', { name: 'Refused rows' }).getByRole('listitem');
    expect(await refused.allTextContents()).toEqual([
      'Row 3: price "3.3x": Amount must be pounds and pence, like 4.50',
      'Row 5: vat "17.5" is not one of this shop\'s VAT rates (Standard 20 %, Reduced 5 %, Zero 0 %)',
      'Row 6: Barcode "5012345678901" has a wrong check digit (last digit)',
    ]);
    await result.scrollIntoViewIfNeeded();
    await till.screenshot('settings-csv-import');

    const rows = mode.core.db
      .prepare<[], { name: string; price_minor: number; vat_rate_bp: number }>(
        "SELECT name, price_minor, vat_rate_bp FROM products WHERE name IN ('Cortado', 'Oat Cookie', 'Bad Price', 'Odd VAT', 'Gift Card Sleeve') ORDER BY name",
      )
      .all();
    expect(rows).toEqual([
      { name: 'Cortado', price_minor: 310, vat_rate_bp: 2000 },
      { name: 'Oat Cookie', price_minor: 160, vat_rate_bp: 0 },
    ]);
    // The new products are on the quick keys straight away.
    await page.getByRole('button', { name: 'Sell', exact: true }).click();
    await addProduct(page, 'Oat Cookie');
  });

  it('removes the Dojo key only after a confirmation that says what happens and the manager PIN', async () => {
    const { page, mode } = till;
    // A real manager, signed in: saving a real key ends training, and with it the demo manager.
    mode.core.staff.createFirstManager({ name: 'Manager', pin: '2468' });
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const dojo = page.getByRole('region', { name: 'Dojo connection' });
    await dojo.getByLabel(/^Dojo API key/).fill('sk_sandbox_e2e_abcdef123');
    await dojo.getByRole('button', { name: 'Save API key' }).click();
    const keyStatus = dojo.getByRole('status', { name: 'API key status' });
    await keyStatus.filter({ hasText: 'configured · Dojo sandbox' }).waitFor();

    await dojo.getByRole('button', { name: 'Remove API key' }).click();
    const confirm = page.getByRole('dialog', { name: 'Remove the Dojo API key?' });
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain(
      'Without a key this till becomes a TRAINING till: card payments go to the built-in simulator and are approved without any money moving.',
    );
    await till.screenshot('settings-remove-key-confirm');
    await confirm.getByLabel('Manager PIN').fill('1357');
    await confirm.getByRole('button', { name: 'Remove the key' }).click();
    await confirm.getByText('Wrong manager PIN: the key was not removed').waitFor();
    expect(mode.core.credentials.status().configured).toBe(true);
    await confirm.getByLabel('Manager PIN').fill('2468');
    await confirm.getByRole('button', { name: 'Remove the key' }).click();
    await confirm.waitFor({ state: 'detached' });
    await keyStatus.filter({ hasText: 'not configured · training' }).waitFor();
    const audit = mode.core.db
      .prepare<[], { actor: string }>(
        "SELECT actor FROM audit_log WHERE action = 'credentials.removed'",
      )
      .all();
    expect(audit).toEqual([{ actor: 'manager' }]);
  });
});
