import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShopLinkStatus } from '../../../src-shared/contract';
import type { ModifierGroup, Product, VatRate } from '../../../src-shared/domain/catalogue';
import type { CashPaymentResult, OrderDetail } from '../../../src-shared/domain/orders';
import type { ReturnQuote } from '../../../src-shared/domain/returns';
import type { ReceiptPreviewData } from '../../../src-shared/contract/printing.contract';
import { laidOutText, layoutDocument } from '../../../src-shared/domain/receipt-layout';
import { withClient, type TestPostgres } from '../../support/postgres';
import { caughtUp, startTestShop, TWO_COUNTERS } from '../../support/test-shop';
import { waitFor } from '../../support/wait';
import { staffCore, type StaffCore } from '../staff/core-fixture';

/**
 * Issue 14, the whole catalogue through the shop database (shop schema 3), with two real cores
 * joined to one real PostgreSQL: what a manager changes on till A — VAT rates, a modifier group,
 * a product's variants, groups and eat-in VAT — is what till B sells within seconds (NOTIFY); a
 * row B's own rules refuse is named and skipped while B keeps selling; and a sale's modifiers,
 * variant and cash rounding go up with it, so a return at the other counter sees them.
 */
let pgServer: TestPostgres;
let urls: Record<string, string> = {};

beforeAll(async () => {
  ({ server: pgServer, urls } = await startTestShop('Café Two Counters', TWO_COUNTERS));
}, 60_000);
afterAll(async () => pgServer?.stop());

type T = StaffCore & { ok<V>(channel: string, input?: unknown): Promise<V> };

async function openTill(settings: Record<string, unknown> = {}): Promise<T> {
  const t = await staffCore();
  const ok = async <V>(channel: string, input?: unknown): Promise<V> => {
    const r = await t.call<V>(channel, input);
    if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
    return r.value;
  };
  if (Object.keys(settings).length) await ok('settings:update', settings);
  return Object.assign(t, { ok });
}

const admin = <R>(sql: string, params: unknown[] = []) =>
  withClient(pgServer.adminUrl, (c) => c.query(sql, params)).then((r) => r.rows as R[]);

const productOn = async (t: T, id: string) =>
  (await t.ok<Product[]>('catalogue:list', { includeInactive: true })).find((p) => p.id === id);

async function sellCash(t: T, order: Record<string, unknown>, tenderedMinor?: number) {
  const o = await t.ok<OrderDetail>('orders:create', order);
  const paid = await t.ok<CashPaymentResult>('orders:pay-cash', {
    orderId: o.id,
    amountMinor: o.totalMinor,
    tenderedMinor: tenderedMinor ?? o.totalMinor + 100,
    idempotencyKey: randomUUID(),
  });
  return { order: await t.ok<OrderDetail>('orders:get', { orderId: o.id }), paid };
}

const RATES: VatRate[] = [
  { rateBp: 2000, name: 'Standard' },
  { rateBp: 500, name: 'Reduced' },
  { rateBp: 0, name: 'Zero' },
  { rateBp: 1350, name: 'Hospitality' },
];

describe('the whole catalogue is the shop’s (real cores, real PostgreSQL)', () => {
  let a: T;
  let b: T;
  let latte: Product;
  let milk: ModifierGroup;

  beforeAll(async () => {
    // Till A rounds cash to 5 cents (a euro till), so its sales carry a rounding figure.
    a = await openTill({ currency: 'EUR', cashRounding: '0.05' });
    b = await openTill({ currency: 'EUR' });
    await a.ok('shop:connect', { url: urls['till-a'] });
    await b.ok('shop:connect', { url: urls['till-b'] });
    for (const t of [a, b]) {
      await waitFor(() => t.core.status().shop?.state === 'connected', 'the shop link', 15_000);
      t.as('manager');
      await t.ok('day:open', { float: [{ valueMinor: 1000, quantity: 5 }] });
    }
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('a VAT rate, a modifier group and a product with variants added on A are sold on B within 5 s', async () => {
    const started = Date.now();
    await a.ok('catalogue:set-vat-rates', { rates: RATES });
    milk = await a.ok<ModifierGroup>('catalogue:upsert-modifier-group', {
      name: 'Plant milk',
      minChoices: 0,
      maxChoices: 1,
      modifiers: [
        { name: 'Oat', priceMinor: 42 },
        { name: 'Soy', priceMinor: 30 },
      ],
    });
    latte = await a.ok<Product>('catalogue:upsert', {
      name: 'Spiced Latte',
      category: 'Coffee',
      priceMinor: 300,
      vatRateBp: 2000,
      variants: [
        { name: 'Regular', priceMinor: 300 },
        { name: 'Large', priceMinor: 360, barcode: '5000000000029' },
      ],
      modifierGroupIds: [milk.id],
    });
    const onB = await waitFor(
      async () => {
        const p = await productOn(b, latte.id);
        return p && p.variants.length === 2 && p.modifierGroups[0]?.modifiers.length === 2
          ? p
          : null;
      },
      'the latte with its sizes and milks on till B',
      5_000,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    // The same ids as on A (the shop's), so a line sold on B names what A's editor made.
    expect(onB.variants.map((v) => [v.id, v.name, v.priceMinor, v.barcode])).toEqual(
      latte.variants.map((v) => [v.id, v.name, v.priceMinor, v.barcode]),
    );
    expect(onB.modifierGroups.map((g) => [g.id, g.name, g.modifiers.map((m) => m.name)])).toEqual([
      [milk.id, 'Plant milk', ['Oat', 'Soy']],
    ]);
    expect(await b.ok<VatRate[]>('catalogue:vat-rates')).toEqual(RATES);

    // B sells a large latte with oat milk: its own pricing of the shop's rows.
    const large = onB.variants.find((v) => v.name === 'Large');
    const oat = onB.modifierGroups[0]?.modifiers.find((m) => m.name === 'Oat');
    const { order } = await sellCash(b, {
      lines: [
        {
          kind: 'product',
          productId: latte.id,
          variantId: large?.id,
          modifierIds: [oat?.id],
          quantity: 1,
        },
      ],
    });
    expect(order).toMatchObject({ status: 'paid', totalMinor: 402 });
    expect(order.lines[0]).toMatchObject({ variantName: 'Large', lineTotalMinor: 402 });

    // A size taken away on A is switched off on B (the shop never deletes it: B sold it).
    await a.ok<Product>('catalogue:upsert', {
      id: latte.id,
      name: 'Spiced Latte',
      category: 'Coffee',
      priceMinor: 300,
      vatRateBp: 2000,
      variants: [{ id: large?.id, name: 'Large', priceMinor: 370, barcode: '5000000000029' }],
    });
    await waitFor(
      async () => {
        const p = await productOn(b, latte.id);
        return p?.variants.length === 1 && p.variants[0]?.priceMinor === 370;
      },
      'the regular size gone from till B',
      5_000,
    );
    const shopVariants = await admin<{ name: string; active: boolean }>(
      'SELECT name, active FROM opentill.product_variants WHERE product_id = $1 ORDER BY name',
      [latte.id],
    );
    expect(shopVariants).toEqual([
      { name: 'Large', active: true },
      { name: 'Regular', active: false },
    ]);
  }, 60_000);

  it('an eat-in VAT change on A reaches B, and B’s order and receipt VAT use it', async () => {
    const sandwich = await a.ok<Product>('catalogue:upsert', {
      name: 'Toastie',
      category: 'Food',
      priceMinor: 450,
      vatRateBp: 0,
      eatInVatRateBp: 2000,
    });
    await waitFor(
      async () => (await productOn(b, sandwich.id))?.eatInVatRateBp === 2000,
      'the toastie on till B',
      5_000,
    );
    await a.ok<Product>('catalogue:upsert', {
      id: sandwich.id,
      name: 'Toastie',
      category: 'Food',
      priceMinor: 450,
      vatRateBp: 0,
      eatInVatRateBp: 1350,
    });
    await waitFor(
      async () => (await productOn(b, sandwich.id))?.eatInVatRateBp === 1350,
      'the new eat-in rate on till B',
      5_000,
    );
    const line = { kind: 'product', productId: sandwich.id, quantity: 1 };
    const eatIn = (await sellCash(b, { lines: [line], eatIn: true })).order;
    const takeAway = (await sellCash(b, { lines: [line] })).order;
    // 450 including 13.5 %: 450 × 1350 / 11350 = 53.5… → 54; taken away it is zero-rated.
    expect(eatIn.lines[0]).toMatchObject({ vatRateBp: 1350, vatMinor: 54 });
    expect(eatIn.vatMinor).toBe(54);
    expect(takeAway.vatMinor).toBe(0);
    const receipt = b.core.db
      .prepare<[string], { vat_rate_bp: number; vat_minor: number }>(
        'SELECT vat_rate_bp, vat_minor FROM order_lines WHERE order_id = ?',
      )
      .all(eatIn.id);
    expect(receipt).toEqual([{ vat_rate_bp: 1350, vat_minor: 54 }]);
    // The customer's receipt B prints says so too.
    const preview = await b.ok<ReceiptPreviewData>('printing:preview', {
      kind: 'customer',
      id: eatIn.id,
    });
    const text = laidOutText(layoutDocument(preview.document, preview.columns), preview.columns);
    expect(text).toMatch(/^Eat in$/m);
    expect(text).toMatch(/^VAT 13\.5% on €4\.50 +€0\.54$/m);
  }, 60_000);

  it('a shop row that fails B’s own rules is skipped and named in plain words; B keeps selling', async () => {
    const badVariant = randomUUID();
    const badModifier = randomUUID();
    const goodVariant = randomUUID();
    const [{ shop_id: shopId } = { shop_id: '' }] = await admin<{ shop_id: string }>(
      'SELECT shop_id FROM opentill.products WHERE id = $1',
      [latte.id],
    );
    await admin(
      `INSERT INTO opentill.product_variants (shop_id, id, product_id, name, price_minor, barcode, position)
       VALUES ($1, $2, $3, 'Huge', 450, '5000000000013', 5), ($1, $4, $3, 'Kids', 200, NULL, 6)`,
      [shopId, badVariant, latte.id, goodVariant],
    );
    await admin(
      `INSERT INTO opentill.modifiers (shop_id, id, group_id, name, price_minor, vat_rate_bp, position)
       VALUES ($1, $2, $3, 'Hemp', 50, 1234, 9)`,
      [shopId, badModifier, milk.id],
    );
    const status = await waitFor(
      async () => {
        const s = await b.ok<ShopLinkStatus>('shop:status');
        return s.refusedRows.some((r) => r.id === `variant:${badVariant}`) &&
          s.refusedRows.some((r) => r.id === `modifier:${badModifier}`)
          ? s
          : null;
      },
      'the refused rows named on till B',
      5_000,
    );
    expect(status.refusedRows.find((r) => r.id === `variant:${badVariant}`)?.reason).toBe(
      'Variant Spiced Latte, Huge: Barcode "5000000000013" has a wrong check digit (last digit)',
    );
    expect(status.refusedRows.find((r) => r.id === `modifier:${badModifier}`)?.reason).toBe(
      "Modifier Plant milk, Hemp: VAT 12.34 % is not one of this till's VAT rates",
    );
    const p = await productOn(b, latte.id);
    expect(p?.variants.map((v) => v.name)).toEqual(['Large', 'Kids']);
    expect(p?.modifierGroups[0]?.modifiers.map((m) => m.name)).toEqual(['Oat', 'Soy']);
    const { order } = await sellCash(b, {
      lines: [{ kind: 'product', productId: latte.id, variantId: goodVariant, quantity: 1 }],
    });
    expect(order).toMatchObject({ status: 'paid', totalMinor: 200 });
  }, 60_000);

  it('a sale on A with a modifier and a cash rounding reaches PostgreSQL with them; B’s return of it sees the modifier', async () => {
    const p = await productOn(a, latte.id);
    const large = p?.variants.find((v) => v.name === 'Large');
    const oat = p?.modifierGroups[0]?.modifiers.find((m) => m.name === 'Oat');
    // 370 + 42 = 412: a 5-cent till takes 410 in cash (rounding −2).
    const { order, paid } = await sellCash(
      a,
      {
        lines: [
          {
            kind: 'product',
            productId: latte.id,
            variantId: large?.id,
            modifierIds: [oat?.id],
            quantity: 1,
          },
        ],
      },
      500,
    );
    expect([order.totalMinor, paid.roundingMinor, paid.changeMinor]).toEqual([412, -2, 90]);
    await caughtUp(a);
    const shopRows = async () => ({
      lines: await admin(
        `SELECT position, name, variant_name, line_total_minor::int AS total FROM opentill.order_lines
          WHERE order_id = $1`,
        [order.id],
      ),
      modifiers: await admin(
        `SELECT position, seq, group_name, name, price_minor::int AS price, total_minor::int AS total
           FROM opentill.order_line_modifiers WHERE order_id = $1 ORDER BY position, seq`,
        [order.id],
      ),
      tenders: await admin(
        `SELECT kind, amount_minor::int AS amount, rounding_minor::int AS rounding
           FROM opentill.tenders WHERE order_id = $1`,
        [order.id],
      ),
      order: await admin('SELECT status, eat_in FROM opentill.orders WHERE id = $1', [order.id]),
    });
    const first = await shopRows();
    expect(first).toEqual({
      lines: [{ position: 1, name: 'Spiced Latte (Large)', variant_name: 'Large', total: 412 }],
      modifiers: [
        { position: 1, seq: 1, group_name: 'Plant milk', name: 'Oat', price: 42, total: 42 },
      ],
      tenders: [{ kind: 'cash', amount: 412, rounding: -2 }],
      order: [{ status: 'paid', eat_in: false }],
    });

    // The same order sent again (a replayed batch) changes nothing.
    a.core.db
      .prepare("INSERT INTO change_log (entity, entity_id) VALUES ('order', ?), ('tender', ?)")
      .run(order.id, order.tenders[0]?.id ?? '');
    await caughtUp(a);
    expect(await shopRows()).toEqual(first);

    // Till B returns the latte (A's order): the modifier's price is part of what goes back.
    const quote = await b.ok<ReturnQuote>('returns:quote', {
      orderId: order.id,
      lines: [{ position: 1, quantity: 1 }],
    });
    expect(quote.returnMinor).toBe(412);
  }, 60_000);
});
