import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src-main/core/core';
import { memorySecretStore } from '../../../src-main/credentials/secret-store';
import { createShop, migrateShopDatabase, registerTill } from '../../../src-main/shop/shop-admin';
import { publishShopStaff } from '../../../src-main/shop/shop-staff';
import { startVirtualPrinter } from '../../../src-main/printing/dev/virtual-printer';
import type { Settings } from '../../../src-shared/contract';
import { randomUUID } from 'node:crypto';
import { hashPin } from '../../../src-main/staff/manager-pin';
import type { Product } from '../../../src-shared/domain/catalogue';
import type { StaffMember, StaffSession } from '../../../src-shared/domain/staff';
import { startTestPostgres, withClient, type TestPostgres } from '../../support/postgres';
import { TEST_PRINTER_PORTS } from '../../support/printer-ports';
import { tempDir } from '../../support/temp-dir';
import { waitFor } from '../../support/wait';

/**
 * Issue 14 item 4, through the real core's channels and a real PostgreSQL: a joined till's
 * catalogue editor and staff screen edit the shop's (with a manager's right), the other till
 * follows through NOTIFY, and with the shop database down edits are refused while the kept copy
 * still sells and signs people in.
 */
let pgServer: TestPostgres;
let shopId: string;
/** The staff suite's own shop: its managers are not the catalogue suite's. */
let staffShopId: string;
const urls: Record<string, string> = {};

beforeAll(async () => {
  pgServer = await startTestPostgres();
  await migrateShopDatabase(pgServer.adminUrl);
  shopId = (await createShop(pgServer.adminUrl, { name: 'Two Counters' })).id;
  staffShopId = (await createShop(pgServer.adminUrl, { name: 'Staff Room' })).id;
  for (const [tillId, shop] of [
    ['edit-a', shopId],
    ['edit-b', shopId],
    ['edit-c', staffShopId],
    ['edit-d', staffShopId],
    ['edit-e', shopId],
    ['edit-f', shopId],
  ] as const)
    urls[tillId] = (
      await registerTill(pgServer.adminUrl, { shopId: shop, name: tillId, tillId })
    ).connectionUrl;
}, 60_000);
afterAll(async () => pgServer?.stop());

type Till = { core: Core; close(): Promise<void> };

async function openCore(): Promise<Till> {
  const dir = tempDir();
  const core = await createCore({
    dataDir: dir.path,
    env: { ...TEST_PRINTER_PORTS },
    secretStore: memorySecretStore(),
    transport: 'websocket',
    version: 'test',
    simulatorTimeScale: 0.02,
  });
  return {
    core,
    async close() {
      await core.close();
      dir.remove();
    },
  };
}

async function call<T>(core: Core, channel: string, input: unknown): Promise<T> {
  const result = await core.dispatch(channel, input);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

const products = (core: Core) => call<Product[]>(core, 'catalogue:list', { includeInactive: true });

const shopProduct = (id: string) =>
  withClient(pgServer.adminUrl, (c) =>
    c.query<{ name: string; price_minor: string; active: boolean }>(
      'SELECT name, price_minor, active FROM opentill.products WHERE shop_id = $1 AND id = $2',
      [shopId, id],
    ),
  ).then((r) => r.rows[0] ?? null);

/** Two tills, each with a first manager of its own, joined to the shop through Settings. */
async function twoJoinedTills(a: string, b: string, pins: [string, string]) {
  const tillA = await openCore();
  const tillB = await openCore();
  tillA.core.staff.createFirstManager({ name: `Manager ${a}`, pin: pins[0] });
  tillB.core.staff.createFirstManager({ name: `Manager ${b}`, pin: pins[1] });
  await call(tillA.core, 'shop:connect', { url: urls[a] });
  await call(tillB.core, 'shop:connect', { url: urls[b] });
  for (const t of [tillA, tillB])
    await waitFor(() => t.core.status().shop?.state === 'connected', 'shop link', 15_000);
  return { tillA, tillB };
}

describe('a joined till edits the shop’s catalogue (real PostgreSQL)', () => {
  it('a manager on till A adds, edits and switches off a product; till B follows within seconds; a cashier cannot; PostgreSQL down refuses in plain words', async () => {
    const { tillA, tillB } = await twoJoinedTills('edit-a', 'edit-b', ['2580', '3691']);
    const a = tillA.core;
    const b = tillB.core;
    try {
      // Added on A: on A at once (same action), on B through NOTIFY within seconds.
      const started = Date.now();
      const added = await call<Product>(a, 'catalogue:upsert', {
        name: 'Smoked Cheddar',
        category: 'Deli',
        priceMinor: 450,
        vatRateBp: 0,
        barcode: '5000000000012',
      });
      expect((await products(a)).find((p) => p.id === added.id)).toMatchObject({ priceMinor: 450 });
      await waitFor(
        async () => (await products(b)).some((p) => p.id === added.id),
        'the product on till B',
        5_000,
      );
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(await shopProduct(added.id)).toEqual({
        name: 'Smoked Cheddar',
        price_minor: '450',
        active: true,
      });

      // A price change and switching it off follow the same way; nothing is deleted from the shop.
      await call(a, 'catalogue:upsert', { ...pick(added), priceMinor: 475 });
      await waitFor(
        async () => (await products(b)).find((p) => p.id === added.id)?.priceMinor === 475,
        'the new price on till B',
        5_000,
      );
      const off = await call<{ outcome: string }>(a, 'catalogue:delete', { id: added.id });
      expect(off.outcome).toBe('deactivated');
      await waitFor(
        async () => (await products(b)).find((p) => p.id === added.id)?.active === false,
        'the product switched off on till B',
        5_000,
      );
      expect((await shopProduct(added.id))?.active).toBe(false);

      // Till B's editor edits the same shop catalogue: A follows.
      const fromB = await call<Product>(b, 'catalogue:upsert', {
        name: 'Olives',
        category: 'Deli',
        priceMinor: 300,
        vatRateBp: 0,
      });
      await waitFor(
        async () => (await products(a)).some((p) => p.id === fromB.id),
        'till B’s product on till A',
        5_000,
      );

      // A cashier (added on A by the manager, so the shop's) may not edit the catalogue.
      await call<StaffMember>(a, 'staff:create', { name: 'Cass', role: 'cashier', pin: '4826' });
      await call(a, 'staff:sign-in', { pin: '4826' });
      const refused = await a.dispatch('catalogue:upsert', {
        name: 'Cashier Cake',
        category: 'Deli',
        priceMinor: 100,
        vatRateBp: 0,
      });
      expect(refused).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } });
      const named = await withClient(pgServer.adminUrl, (c) =>
        c.query("SELECT 1 FROM opentill.products WHERE name = 'Cashier Cake'"),
      );
      expect(named.rowCount).toBe(0);

      // A file import would fork the shop's catalogue: refused on a joined till.
      await call(a, 'staff:sign-in', { pin: '2580' });
      const csv = await a.dispatch('catalogue:import-csv', {
        csv: 'name,category,price,vat\nScone,Bakery,2.00,0\n',
      });
      expect(csv).toMatchObject({
        ok: false,
        error: { message: expect.stringMatching(/joined to a shop/) as unknown },
      });

      // The shop database down: the edit is refused in plain words and written nowhere.
      const shape = async () =>
        (await products(a)).map((p) => [p.id, p.name, p.priceMinor, p.active] as const);
      const before = await shape();
      await pgServer.halt('immediate');
      const down = await a.dispatch('catalogue:upsert', {
        ...pick(fromB),
        priceMinor: 999,
      });
      expect(down).toMatchObject({
        ok: false,
        error: {
          code: 'SHOP_UNAVAILABLE',
          retryable: true,
          message: expect.stringMatching(
            /shop database cannot be reached, so Olives was not saved/,
          ) as unknown,
        },
      });
      const created = await a.dispatch('catalogue:upsert', {
        name: 'Offline Bun',
        category: 'Deli',
        priceMinor: 120,
        vatRateBp: 0,
      });
      expect(created).toMatchObject({ ok: false, error: { code: 'SHOP_UNAVAILABLE' } });
      const gone = await a.dispatch('catalogue:delete', { id: fromB.id });
      expect(gone).toMatchObject({ ok: false, error: { code: 'SHOP_UNAVAILABLE' } });
      expect(await shape()).toEqual(before);
      // ...and the till still sells from its copy.
      const sale = await a.dispatch('orders:create', {
        lines: [{ kind: 'product', productId: fromB.id, quantity: 1 }],
      });
      expect(sale.ok).toBe(true);
      await pgServer.start();
      expect((await shopProduct(fromB.id))?.price_minor).toBe('300');
    } finally {
      await tillA.close();
      await tillB.close();
    }
  }, 90_000);

  it('a till that is not joined keeps editing its own catalogue', async () => {
    const lone = await openCore();
    try {
      lone.core.staff.createFirstManager({ name: 'Lone manager', pin: '2580' });
      const p = await call<Product>(lone.core, 'catalogue:upsert', {
        name: 'Lone Loaf',
        category: 'Bakery',
        priceMinor: 250,
        vatRateBp: 0,
      });
      expect((await products(lone.core)).some((x) => x.id === p.id)).toBe(true);
      const removed = await call<{ outcome: string }>(lone.core, 'catalogue:delete', { id: p.id });
      expect(removed.outcome).toBe('deleted');
      expect(await shopProduct(p.id)).toBeNull();
    } finally {
      await lone.close();
    }
  }, 60_000);
});

describe('staff accounts are the shop’s (real PostgreSQL)', () => {
  it('a person added on till A signs in on till B with the same PIN; switched off on A, locked out on B; the kept copy signs in with PostgreSQL down', async () => {
    const { tillA, tillB } = await twoJoinedTills('edit-c', 'edit-d', ['5813', '7294']);
    const a = tillA.core;
    const b = tillB.core;
    try {
      // Joining brought each till's own manager into the shop's list: both are on both tills.
      await waitFor(
        () =>
          a.staff.list().some((s) => s.name === 'Manager edit-d') &&
          b.staff.list().some((s) => s.name === 'Manager edit-c'),
        'each till’s manager on the other till',
        10_000,
      );
      await call(b, 'staff:sign-in', { pin: '5813' });
      expect(b.staff.current()?.name).toBe('Manager edit-c');

      // Added on A by A's manager: B signs them in with the same PIN once the list arrives.
      const started = Date.now();
      const sam = await call<StaffMember>(a, 'staff:create', {
        name: 'Sam',
        role: 'supervisor',
        pin: '6047',
      });
      await waitFor(() => b.staff.list().some((s) => s.id === sam.id), 'Sam on till B', 5_000);
      expect(Date.now() - started).toBeLessThan(5_000);
      const samOnB = await call<StaffSession>(b, 'staff:sign-in', { pin: '6047' });
      expect(samOnB.staff).toMatchObject({ id: sam.id, name: 'Sam', role: 'supervisor' });

      // Only the scrypt hash reached PostgreSQL, never the PIN.
      const hashes = await withClient(pgServer.adminUrl, (c) =>
        c.query<{ id: string; pin_hash: string }>(
          'SELECT id, pin_hash FROM opentill.staff WHERE shop_id = $1',
          [staffShopId],
        ),
      );
      expect(hashes.rows.length).toBeGreaterThanOrEqual(3);
      for (const row of hashes.rows) {
        expect(row.pin_hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
        expect(row.pin_hash).not.toContain('6047');
      }

      // A PIN reset on A works on B once the list arrives (watched in B's copy: every PIN typed
      // wrong would count towards B's lockout); the old PIN no longer does.
      const storedHash = () =>
        b.db
          .prepare<[string], { pin_hash: string }>('SELECT pin_hash FROM staff WHERE id = ?')
          .get(sam.id)?.pin_hash;
      const oldHash = storedHash();
      await call(a, 'staff:reset-pin', { id: sam.id, pin: '6158' });
      await waitFor(() => storedHash() !== oldHash, 'the new PIN on till B', 5_000);
      expect(await b.dispatch('staff:sign-in', { pin: '6047' })).toMatchObject({ ok: false });
      await call(b, 'staff:sign-in', { pin: '6158' });

      // Switched off on A: Sam, signed in on B, is signed out there and cannot sign in again.
      const sessions: StaffSession[] = [];
      b.bus.subscribe((name, payload) => {
        if (name === 'staff:changed') sessions.push(payload as StaffSession);
      });
      await call(a, 'staff:update', { id: sam.id, active: false });
      await waitFor(
        () => sessions.some((s) => s.staff === null),
        'Sam signed out on till B',
        5_000,
      );
      expect(b.staff.current()).toBeNull();
      expect(await b.dispatch('staff:sign-in', { pin: '6158' })).toMatchObject({
        ok: false,
        error: { code: 'STAFF_PIN_INVALID' },
      });

      // The last active manager rule holds across the shop: B switches off A's manager, then
      // A's own change of B's manager (the shop's last) is refused by the shop database.
      await call(b, 'staff:sign-in', { pin: '7294' });
      const managerA = a.staff.current();
      if (!managerA) throw new Error('A has nobody signed in');
      await call(b, 'staff:update', { id: managerA.id, active: false });
      const managerB = b.staff.current();
      if (!managerB) throw new Error('B has nobody signed in');
      const last = await publishShopStaff(urls['edit-c'] ?? null, {
        id: managerB.id,
        name: managerB.name,
        role: 'cashier',
        pinHash: hashPin('7294'),
        active: true,
      }).catch((e: unknown) => e);
      expect(last).toMatchObject({
        code: 'CONFLICT',
        message: expect.stringMatching(/last active manager/) as unknown,
      });
      const refusedOnB = await b.dispatch('staff:update', { id: managerB.id, active: false });
      expect(refusedOnB).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
      await call(b, 'staff:update', { id: managerA.id, active: true });
      await waitFor(
        () => a.staff.list().find((s) => s.id === managerA.id)?.active === true,
        'A’s manager back on till A',
        5_000,
      );

      // A staff row the till cannot check is refused by name; the others still apply.
      await withClient(pgServer.adminUrl, (c) =>
        c.query(
          `INSERT INTO opentill.staff (shop_id, id, name, role, pin_hash) VALUES ($1, 'odd-1', 'Odd', 'manager', 'scrypt$weird')`,
          [staffShopId],
        ),
      );
      await waitFor(
        async () =>
          (
            await call<{ refusedRows: { id: string; reason: string }[] }>(
              b,
              'shop:status',
              undefined,
            )
          ).refusedRows.some((r) => r.id === 'odd-1' && /PIN hash/.test(r.reason)),
        'the odd row named',
        5_000,
      );
      expect(b.staff.list().some((s) => s.id === 'odd-1')).toBe(false);

      // The old one-PIN form would change this till's copy alone: refused on a joined till.
      expect(
        await b.dispatch('manager:set-pin', { currentPin: '5813', newPin: '3172' }),
      ).toMatchObject({
        ok: false,
        error: { message: expect.stringMatching(/Staff \(Reset PIN\)/) as unknown },
      });

      // Wrong PINs lock this till only: B still signs people in.
      for (let i = 0; i < 5; i++) await a.dispatch('staff:sign-in', { pin: '0481' });
      expect(await a.dispatch('staff:sign-in', { pin: '5813' })).toMatchObject({
        ok: false,
        error: { code: 'MANAGER_PIN_LOCKED' },
      });
      await call(b, 'staff:sign-in', { pin: '5813' });

      // The shop database down: B signs people in from its copy; staff edits are refused.
      await pgServer.halt('immediate');
      await call(b, 'staff:sign-out', undefined);
      const offline = await call<StaffSession>(b, 'staff:sign-in', { pin: '5813' });
      expect(offline.staff?.name).toBe('Manager edit-c');
      const add = await b.dispatch('staff:create', { name: 'Pat', role: 'cashier', pin: '3962' });
      expect(add).toMatchObject({
        ok: false,
        error: {
          code: 'SHOP_UNAVAILABLE',
          message: expect.stringMatching(
            /cannot be reached, so Pat’s account was not saved/,
          ) as unknown,
        },
      });
      expect(b.staff.list().some((s) => s.name === 'Pat')).toBe(false);
      await pgServer.start();
    } finally {
      await tillA.close();
      await tillB.close();
    }
  }, 120_000);
});

describe('the shop’s details on every till’s receipts (real PostgreSQL)', () => {
  it('a manager on till A changes the shop’s name, address and VAT number; till B prints them; PostgreSQL down refuses the change', async () => {
    const { tillA, tillB } = await twoJoinedTills('edit-e', 'edit-f', ['1593', '8024']);
    const a = tillA.core;
    const b = tillB.core;
    const printer = await startVirtualPrinter({ port: 0 });
    try {
      await call(b, 'settings:update', { printer: printer.url });
      await call(a, 'settings:update', {
        shopName: 'Harbour Deli',
        shopAddress: '4 Quay Street, Portsmouth PO1 2AB',
        vatNumber: 'GB987654321',
        tillName: 'Counter A',
      });
      await waitFor(
        async () =>
          (await call<Settings>(b, 'settings:get', undefined)).shopName === 'Harbour Deli',
        'the shop’s name on till B',
        5_000,
      );
      const onB = await call<Settings>(b, 'settings:get', undefined);
      expect(onB).toMatchObject({
        shopAddress: '4 Quay Street, Portsmouth PO1 2AB',
        vatNumber: 'GB987654321',
      });
      // The till's own name is not the shop's.
      expect(onB.tillName).not.toBe('Counter A');

      const product = (await products(b)).find((p) => p.active);
      if (!product) throw new Error('no product on till B');
      const order = await call<{ id: string; totalMinor: number }>(b, 'orders:create', {
        lines: [{ kind: 'product', productId: product.id, quantity: 1 }],
      });
      await call(b, 'orders:pay-cash', {
        idempotencyKey: randomUUID(),
        orderId: order.id,
        amountMinor: order.totalMinor,
        tenderedMinor: order.totalMinor,
      });
      const receipt = await waitFor(
        () => printer.jobs.map((j) => j.decoded.text).find((t) => t.includes('Harbour Deli')),
        'B’s receipt with the shop’s name',
        10_000,
      );
      expect(receipt).toContain('4 Quay Street, Portsmouth PO1 2AB');
      expect(receipt).toContain('GB987654321');

      // The shop database down: the shop's details cannot change on one till alone.
      await pgServer.halt('immediate');
      const down = await a.dispatch('settings:update', { shopName: 'Fork Deli' });
      expect(down).toMatchObject({
        ok: false,
        error: {
          code: 'SHOP_UNAVAILABLE',
          message: expect.stringMatching(
            /cannot be reached, so the change to the shop’s details was not saved/,
          ) as unknown,
        },
      });
      expect((await call<Settings>(a, 'settings:get', undefined)).shopName).toBe('Harbour Deli');
      // A till's own settings still change.
      await call(a, 'settings:update', { tillName: 'Counter A2' });
      await pgServer.start();
    } finally {
      await printer.close();
      await tillA.close();
      await tillB.close();
    }
  }, 90_000);
});

function pick(p: Product) {
  return {
    id: p.id,
    name: p.name,
    category: p.category,
    priceMinor: p.priceMinor,
    vatRateBp: p.vatRateBp,
  };
}
