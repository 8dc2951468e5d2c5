import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src-main/core/core';
import { memorySecretStore } from '../../../src-main/credentials/secret-store';
import { join } from 'node:path';
import { openDatabase } from '../../../src-main/db/connection';
import { writeSetting } from '../../../src-main/platform/key-value';
import { tempDir } from '../../support/temp-dir';
import { signInManager } from '../../support/staff';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function core(dir = tempDir()): Promise<Core> {
  const c = await createCore({
    dataDir: dir.path,
    env: {},
    secretStore: memorySecretStore(),
    transport: 'websocket',
    version: 'test',
    logSinks: [],
    simulatorTimeScale: 0.02,
  });
  signInManager(c);
  cleanups.push(
    () => dir.remove(),
    () => c.close(),
  );
  return c;
}

const refused = (message: RegExp) => ({
  ok: false,
  error: { code: 'VALIDATION', message: expect.stringMatching(message) as string },
});

/**
 * Text that ends up on a receipt is refused where it is entered, in the core, when the receipt
 * printer cannot print it — naming the character — so a saved emoji can no longer stop receipts.
 */
describe('free text the receipt printer cannot print is refused at input', () => {
  it('shop details and ids: emoji, direction overrides and control characters, each named; nothing saved', async () => {
    const c = await core();
    expect(await c.dispatch('settings:update', { shopName: 'OpenTill Café ☕' })).toMatchObject(
      refused(/Shop name contains "☕" \(U\+2615\), which the receipt printer cannot print/),
    );
    expect(
      await c.dispatch('settings:update', { receiptFooter: 'Thanks \u202Egnp.exe' }),
    ).toMatchObject(refused(/an invisible text-direction character \(U\+202E\)/));
    expect(await c.dispatch('settings:update', { resellerId: 'reseller\t1' })).toMatchObject(
      refused(/reseller id is letters, digits, dots, dashes and underscores only/),
    );
    const now = await c.dispatch('settings:get', undefined);
    expect(now).toMatchObject({ ok: true, value: { shopName: 'OpenTill Café' } });
    // What the printer can print is kept, accents, £ and € included; the address may have lines.
    expect(
      await c.dispatch('settings:update', {
        shopName: 'Crème & Brûlée',
        shopAddress: '1 Rue de la Paix\nBristol',
        receiptFooter: 'Prices in £ or €',
      }),
    ).toMatchObject({ ok: true, value: { shopName: 'Crème & Brûlée' } });
  });

  it('product names, custom items, notes, reasons and CSV rows', async () => {
    const c = await core();
    expect(
      await c.dispatch('catalogue:upsert', {
        name: 'Cold brew 🧊',
        category: 'Coffee',
        priceMinor: 350,
        vatRateBp: 2000,
      }),
    ).toMatchObject(refused(/The name contains "🧊" \(U\+1F9CA\)/));
    const custom = {
      kind: 'custom',
      name: 'Birthday cake 🎂',
      unitPriceMinor: 1200,
      vatRateBp: 2000,
      quantity: 1,
    };
    expect(await c.dispatch('orders:create', { lines: [custom] })).toMatchObject(
      refused(/The name contains "🎂"/),
    );
    expect(
      await c.dispatch('orders:create', {
        lines: [{ ...custom, name: 'Birthday cake' }],
        note: 'ring \u0007 bell',
      }),
    ).toMatchObject(refused(/The note contains a control character \(U\+0007\)/));
    const csv = 'name,category,price,vat\nFlat white,Coffee,3.20,20\nMatcha 🍵,Tea,3.50,20\n';
    const imported = await c.dispatch('catalogue:import-csv', { csv });
    expect(imported).toMatchObject({
      ok: true,
      value: {
        imported: 1,
        errors: [{ row: 3, reason: expect.stringMatching(/name contains "🍵"/) as string }],
      },
    });
  });

  it('a shop name saved before the check is still read, with every other setting kept', async () => {
    const dir = tempDir();
    const db = openDatabase(join(dir.path, 'opentill.db'));
    writeSetting(db, 'settings.shopName', 'OpenTill Café ☕');
    writeSetting(db, 'settings.printer', 'file:/tmp/receipts.bin');
    db.close();
    const c = await core(dir);
    expect(await c.dispatch('settings:get', undefined)).toMatchObject({
      ok: true,
      value: { shopName: 'OpenTill Café ☕', printer: 'file:/tmp/receipts.bin' },
    });
  });
});
