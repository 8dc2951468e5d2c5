import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PaymentAttempt } from '../../../src-shared/domain/payments';
import type { OrderSummary } from '../../../src-shared/domain/orders';
import type { Product } from '../../../src-shared/domain/catalogue';
import type {
  CreateReturnResult,
  ReturnQuote,
  ReturnsOfOrder,
  Reversal,
} from '../../../src-shared/domain/returns';
import type { CashSummary } from '../../../src-shared/domain/cash';
import type { EndOfDayReport } from '../../../src-shared/contract/printing.contract';
import type { VirtualPrinter } from '../../../src-main/printing/dev/virtual-printer';
import type { StaffCore } from '../staff/core-fixture';
import { T1, T2, lines, useReturnsTill, value, words } from './fixture';

const till = useReturnsTill();
const { until, cashSale, cardSale, settled, printedWith } = till;
let t: StaffCore;
let printer: VirtualPrinter;
beforeEach(() => {
  ({ t, printer } = till);
});

const value2 = <T>(row: { status: T } | undefined): T | undefined => row?.status;

const returnsOf = async (orderId: string) =>
  value(await t.call<ReturnsOfOrder>('returns:for-order', { orderId }));

const receiptText = (n: number) => printer.jobs[n - 1]?.decoded.text ?? '';
/** The first printed job whose text has `marker`. */
const printed = (marker: string): Promise<string> => printedWith(marker);

describe('returns by item, exchanges and same-day reversal, through the core', () => {
  it('a cash sale: one item back for cash out of the drawer, with a return receipt; the rest is capped', async () => {
    const order = await cashSale([
      { name: 'Mug', pence: 600, quantity: 2 },
      { name: 'Tea', pence: 350, vat: 0 },
    ]);
    const before = value(await t.call<CashSummary>('cash:summary', {}));
    t.as('supervisor');
    const quote = value(
      await t.call<ReturnQuote>('returns:quote', {
        orderId: order.id,
        lines: [{ position: 1, quantity: 1 }],
      }),
    );
    expect(quote).toMatchObject({ returnMinor: 600, vatMinor: 100, owedBackMinor: 600 });
    const done = value(
      await t.call<CreateReturnResult>('returns:create', {
        orderId: order.id,
        lines: [{ position: 1, quantity: 1 }],
        reason: 'Chipped',
        payouts: [{ method: 'cash', amountMinor: 600 }],
        idempotencyKey: randomUUID(),
      }),
    );
    expect(done.ret).toMatchObject({
      status: 'completed',
      kind: 'return',
      totalMinor: 600,
      vatMinor: 100,
      staffName: 'Sue',
      lines: [{ position: 1, name: 'Mug', quantity: 1, amountMinor: 600, vatMinor: 100 }],
      payouts: [{ method: 'cash', amountMinor: 600, status: 'completed' }],
    });
    // The drawer should now hold 6.00 less.
    const after = value(await t.call<CashSummary>('cash:summary', {}));
    expect(after.expectedMinor).toBe(before.expectedMinor - 600);
    expect(after.cashRefundedMinor).toBe(before.cashRefundedMinor + 600);
    // The order shows what was returned, when and by whom.
    const of = await returnsOf(order.id);
    expect(of.lines[0]).toMatchObject({ sold: 2, returned: 1, returnable: 1 });
    expect(of.returns).toHaveLength(1);
    expect(of.returns[0]?.staffId).toBe(t.ids.supervisor);
    // The return receipt, decoded from the printer's bytes.
    const text = await printed('RETURN');
    expect(text).toContain('1 x Mug');
    expect(text).toMatch(/VALUE RETURNED\s+-£6\.00/);
    expect(text).toMatch(/VAT 20% on £6\.00\s+-£1\.00/);
    expect(text).toMatch(/Cash from the drawer\s+£6\.00/);
    expect(text).toContain('Reason: Chipped');
    // Preview and reprint give the same receipt.
    const preview = value(
      await t.call<{ document: { title: string } }>('returns:receipt', { returnId: done.ret.id }),
    );
    expect(preview.document.title).toBe(`Return ${order.reference}`);
    const jobs = printer.jobs.length;
    value(await t.call('returns:reprint', { returnId: done.ret.id }));
    await printer.waitForJobs(jobs + 1);
    expect(receiptText(jobs + 1)).toContain('*** REPRINT ***');

    // More than is left: refused in plain words, nothing written.
    const rows = t.rows();
    const more = await t.call('returns:create', {
      orderId: order.id,
      lines: [{ position: 1, quantity: 2 }],
      reason: 'Chipped',
      payouts: [{ method: 'cash', amountMinor: 1200 }],
      idempotencyKey: randomUUID(),
    });
    expect(more).toMatchObject({
      ok: false,
      error: {
        code: 'REFUND_EXCEEDS_REMAINING',
        message:
          'Mug: only 1 of the 2 sold can still be returned (1 already returned). Nothing was written.',
      },
    });
    expect(t.rows()).toEqual(rows);
  });

  it('two tabs returning the last item at once: one return, the other refused, nothing double', async () => {
    const order = await cashSale([{ name: 'Lamp', pence: 1500 }]);
    const ask = () =>
      t.call('returns:create', {
        orderId: order.id,
        lines: [{ position: 1, quantity: 1 }],
        reason: 'Broken',
        payouts: [{ method: 'cash', amountMinor: 1500 }],
        idempotencyKey: randomUUID(),
      });
    const [a, b] = await Promise.all([ask(), ask()]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    const refused = (a.ok ? b : a) as { ok: false; error: { code: string; message: string } };
    expect(refused.error.message).toMatch(/Lamp: all 1 sold was already returned/);
    const of = await returnsOf(order.id);
    expect(of.returns).toHaveLength(1);
    expect(
      t.core.db
        .prepare("SELECT count(*) AS n FROM cash_movements WHERE kind = 'cash-refund'")
        .get(),
    ).toEqual({ n: 1 });
  });

  it('refuses returns on an unpaid or voided order, wrong payouts, and a cashier without approval', async () => {
    const open = value(
      await t.call<OrderSummary>('orders:create', { lines: lines([{ name: 'Pen', pence: 200 }]) }),
    );
    const rows = t.rows();
    const on = (orderId: string, extra: Record<string, unknown> = {}) =>
      t.call('returns:create', {
        orderId,
        lines: [{ position: 1, quantity: 1 }],
        reason: 'Not wanted',
        payouts: [{ method: 'cash', amountMinor: 200 }],
        idempotencyKey: randomUUID(),
        ...extra,
      });
    expect(await on(open.id)).toMatchObject({
      ok: false,
      error: { code: 'ORDER_STATE', message: words(/is not paid yet/) },
    });
    value(await t.call('orders:void', { orderId: open.id }));
    const afterVoid = t.rows();
    expect(await on(open.id)).toMatchObject({
      ok: false,
      error: { code: 'ORDER_STATE', message: words(/was voided/) },
    });
    expect(t.rows()).toEqual(afterVoid);
    expect(afterVoid.orders).toBe(rows.orders);

    const paid = await cashSale([{ name: 'Pen', pence: 200 }]);
    // Signing in and out is journalled; the money tables are what must not move.
    const moneyRows = () => ({ ...t.rows(), audit_log: 0 });
    const before = moneyRows();
    expect(await on(paid.id, { payouts: [{ method: 'cash', amountMinor: 150 }] })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: words(/add up to £1\.50, but £2\.00/) },
    });
    expect(await on(paid.id, { reason: '' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    t.as('cashier');
    expect(await on(paid.id)).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } });
    expect(moneyRows()).toEqual(before);
    expect(t.core.db.prepare('SELECT count(*) AS n FROM returns').get()).toEqual({ n: 0 });
    // A supervisor's PIN approves it for the cashier; both names are kept.
    const approved = value(await on(paid.id, { approval: { pin: '8024' } }));
    expect((approved as CreateReturnResult).ret).toMatchObject({
      staffId: t.ids.cashier,
      approvedBy: t.ids.supervisor,
    });
  });

  it('a card sale of three items: one back to the card on the terminal, one exchanged for a dearer item', async () => {
    const { order, sale } = await cardSale([
      { name: 'Scarf', pence: 1000 },
      { name: 'Hat', pence: 500 },
      { name: 'Gloves', pence: 803 },
    ]);
    // Hat back to the card, on the terminal (a matched refund of its share).
    const back = value(
      await t.call<CreateReturnResult>('returns:create', {
        orderId: order.id,
        lines: [{ position: 2, quantity: 1 }],
        reason: 'Too small',
        payouts: [{ method: 'card', amountMinor: 500, attemptId: sale.id, terminalId: T2 }],
        idempotencyKey: randomUUID(),
      }),
    );
    expect(back.ret.status).toBe('pending');
    expect(back.attemptId).toBeTruthy();
    const refundAttempt = await settled(back.attemptId ?? '');
    expect(refundAttempt).toMatchObject({ kind: 'matched_refund', state: { kind: 'succeeded' } });
    const ret = await until(
      () =>
        t.core.db
          .prepare<[string], { status: string }>('SELECT status FROM returns WHERE id = ?')
          .get(back.ret.id),
      (r) => r?.status === 'completed',
    );
    expect(ret?.status).toBe('completed');
    const returnSlip = await printed('RETURN');
    expect(returnSlip).toContain('1 x Hat');
    expect(returnSlip).toMatch(/To card \(terminal\) \*\*\*\*\d{4}\s+£5\.00/);
    expect(
      t.core
        .simulator()
        ?.control.records()
        .refunds.map((r) => r.amount),
    ).toContain(500);

    // Scarf (10.00) exchanged for a coat (14.03): the till takes only 4.03 by card.
    const quote = value(
      await t.call<ReturnQuote>('returns:quote', {
        orderId: order.id,
        lines: [{ position: 1, quantity: 1 }],
        exchange: { lines: lines([{ name: 'Coat', pence: 1403 }]) },
      }),
    );
    expect(quote).toMatchObject({ returnMinor: 1000, newTotalMinor: 1403, owedBackMinor: -403 });
    const swap = value(
      await t.call<CreateReturnResult>('returns:create', {
        orderId: order.id,
        lines: [{ position: 1, quantity: 1 }],
        reason: 'Wants a coat',
        payouts: [],
        exchange: { lines: lines([{ name: 'Coat', pence: 1403 }]) },
        idempotencyKey: randomUUID(),
      }),
    );
    expect(swap.ret).toMatchObject({ kind: 'exchange', status: 'completed' });
    expect(swap.exchangeOrder).toMatchObject({
      totalMinor: 1403,
      paidMinor: 1000,
      remainingMinor: 403,
    });
    const diff = value(
      await t.call<PaymentAttempt>('payments:start-sale', {
        orderId: swap.exchangeOrder?.id,
        terminalId: T1,
        idempotencyKey: randomUUID(),
      }),
    );
    expect(diff.amountMinor).toBe(403);
    expect((await settled(diff.id)).state.kind).toBe('succeeded');
    // One receipt shows both sides.
    const slip = await printed('EXCHANGE');
    expect(slip).toContain('1 x Scarf');
    expect(slip).toContain('1 x Coat');
    expect(slip).toMatch(/Paid by items returned\s+-£10\.00/);
    expect(slip).toMatch(/DIFFERENCE TO PAY\s+£4\.03/);
    expect(slip).toMatch(/Card \*\*\*\*\d{4}\s+£4\.03/);
    // No separate sale receipt for the exchange's new order.
    expect(
      printer.jobs.filter((j) =>
        j.decoded.text.includes(`Order ${swap.exchangeOrder?.reference ?? ''}`),
      ),
    ).toHaveLength(0);
    const of = await returnsOf(order.id);
    expect(of.lines.map((l) => l.returnable)).toEqual([0, 0, 1]);

    // An exchange whose new basket is empty is refused, nothing written.
    const rows = t.rows();
    const empty = await t.call('returns:create', {
      orderId: order.id,
      lines: [{ position: 3, quantity: 1 }],
      reason: 'Swap',
      payouts: [],
      exchange: { lines: [] },
      idempotencyKey: randomUUID(),
    });
    expect(empty).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: words(/basket is empty/) },
    });
    expect(t.rows()).toEqual(rows);
  });

  it('an exchange for something cheaper gives the difference back in cash', async () => {
    const order = await cashSale([{ name: 'Jumper', pence: 2500 }]);
    const done = value(
      await t.call<CreateReturnResult>('returns:create', {
        orderId: order.id,
        lines: [{ position: 1, quantity: 1 }],
        reason: 'Wrong size',
        payouts: [{ method: 'cash', amountMinor: 1000 }],
        exchange: { lines: lines([{ name: 'Socks', pence: 1500 }]) },
        idempotencyKey: randomUUID(),
      }),
    );
    expect(done.exchangeOrder).toBeNull();
    expect(done.ret.payouts.map((p) => [p.method, p.amountMinor])).toEqual([
      ['exchange', 1500],
      ['cash', 1000],
    ]);
    const slip = await printed('EXCHANGE');
    expect(slip).toMatch(/DIFFERENCE BACK\s+£10\.00/);
    expect(slip).toContain('1 x Socks');
  });

  it('an exchange is priced by the catalogue rules a sale uses: the size chosen, or a plain refusal', async () => {
    const order = await cashSale([{ name: 'Mug', pence: 500 }]);
    const products = value(await t.call<Product[]>('catalogue:list', {}));
    const americano = products.find((p) => p.name === 'Americano');
    const large = americano?.variants.find((v) => v.name === 'Large');
    if (!americano || !large) throw new Error('the sample catalogue has no Americano, Large');
    const quoteFor = (line: Record<string, unknown>) =>
      t.call<ReturnQuote>('returns:quote', {
        orderId: order.id,
        lines: [{ position: 1, quantity: 1 }],
        exchange: { lines: [{ kind: 'product', productId: americano.id, quantity: 1, ...line }] },
      });
    // The Large, not the product's own (Regular) price.
    expect(value(await quoteFor({ variantId: large.id }))).toMatchObject({
      returnMinor: 500,
      newTotalMinor: large.priceMinor,
    });
    expect(large.priceMinor).not.toBe(americano.priceMinor);
    // No size chosen: refused in the sale's words, nothing written.
    const refused = await quoteFor({});
    expect(refused.ok).toBe(false);
    expect(refused.ok ? '' : refused.error.message).toMatch(
      /^Americano comes in Regular, Large: choose one\./,
    );
    expect((await returnsOf(order.id)).returns).toHaveLength(0);
  });

  it('a repeated press (same request key) answers the first return and writes nothing more', async () => {
    const order = await cashSale([{ name: 'Cup', pence: 400, quantity: 3 }]);
    const request = {
      orderId: order.id,
      lines: [{ position: 1, quantity: 1 }],
      reason: 'Cracked',
      payouts: [{ method: 'cash', amountMinor: 400 }],
      idempotencyKey: randomUUID(),
    };
    const [first, again] = await Promise.all([
      t.call<CreateReturnResult>('returns:create', request),
      t.call<CreateReturnResult>('returns:create', request),
    ]);
    const later = await t.call<CreateReturnResult>('returns:create', request);
    expect(value(again).ret.id).toBe(value(first).ret.id);
    expect(value(later).ret.id).toBe(value(first).ret.id);
    expect((await returnsOf(order.id)).lines[0]).toMatchObject({ returned: 1, returnable: 2 });
  });

  it('a split sale returned split: some cash from the drawer, the rest to the card through Dojo', async () => {
    const order = value(
      await t.call<OrderSummary>('orders:create', {
        lines: lines([
          { name: 'Bowl', pence: 1200 },
          { name: 'Spoon', pence: 803 },
        ]),
      }),
    );
    value(
      await t.call('orders:pay-cash', {
        orderId: order.id,
        amountMinor: 1000,
        tenderedMinor: 1000,
        idempotencyKey: randomUUID(),
      }),
    );
    const started = value(
      await t.call<PaymentAttempt>('payments:start-sale', {
        orderId: order.id,
        terminalId: T1,
        idempotencyKey: randomUUID(),
      }),
    );
    const sale = await settled(started.id);
    expect(sale).toMatchObject({ amountMinor: 1003, state: { kind: 'succeeded' } });
    const quote = value(
      await t.call<ReturnQuote>('returns:quote', {
        orderId: order.id,
        lines: [{ position: 1, quantity: 1 }],
      }),
    );
    expect(quote).toMatchObject({
      cashPaidMinor: 1000,
      cards: [{ attemptId: sale.id, refundableMinor: 1003 }],
    });
    // More to the card than is left on it is refused before anything is written.
    const rows = t.rows();
    expect(
      await t.call('returns:create', {
        orderId: order.id,
        lines: [
          { position: 1, quantity: 1 },
          { position: 2, quantity: 1 },
        ],
        reason: 'Set returned',
        payouts: [{ method: 'card', amountMinor: 2003, attemptId: sale.id }],
        idempotencyKey: randomUUID(),
      }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'REFUND_EXCEEDS_REMAINING',
        message: words(/At most £10\.03 can go back to that card/),
      },
    });
    expect(t.rows()).toEqual(rows);
    const before = value(await t.call<CashSummary>('cash:summary', {}));
    const done = value(
      await t.call<CreateReturnResult>('returns:create', {
        orderId: order.id,
        lines: [{ position: 1, quantity: 1 }],
        reason: 'Chipped',
        payouts: [
          { method: 'cash', amountMinor: 200 },
          { method: 'card', amountMinor: 1000, attemptId: sale.id },
        ],
        idempotencyKey: randomUUID(),
      }),
    );
    const ret = await until(
      () =>
        value2(
          t.core.db
            .prepare<[string], { status: string }>('SELECT status FROM returns WHERE id = ?')
            .get(done.ret.id),
        ),
      (r) => r === 'completed',
    );
    expect(ret).toBe('completed');
    expect(
      (await returnsOf(order.id)).returns[0]?.payouts.map((p) => [
        p.method,
        p.amountMinor,
        p.status,
      ]),
    ).toEqual([
      ['cash', 200, 'completed'],
      ['card-server', 1000, 'completed'],
    ]);
    expect(value(await t.call<CashSummary>('cash:summary', {})).expectedMinor).toBe(
      before.expectedMinor - 200,
    );
    expect(
      t.core
        .simulator()
        ?.control.records()
        .refunds.map((r) => r.amount),
    ).toEqual([1000]);
    const slip = await printed('RETURN');
    expect(slip).toMatch(/AMOUNT REFUNDED\s+£12\.00/);
    expect(slip).toMatch(/To card \(online\) \*\*\*\*\d{4}\s+£10\.00/);
  });

  it('two tabs returning the same item to the card on two terminals at once: one refund starts', async () => {
    const { order, sale } = await cardSale([{ name: 'Toaster', pence: 3003 }]);
    const ask = (terminalId: string) =>
      t.call<CreateReturnResult>('returns:create', {
        orderId: order.id,
        lines: [{ position: 1, quantity: 1 }],
        reason: 'Burns toast',
        payouts: [{ method: 'card', amountMinor: 3003, attemptId: sale.id, terminalId }],
        idempotencyKey: randomUUID(),
      });
    const [a, b] = await Promise.all([ask(T1), ask(T2)]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    const refused = (a.ok ? b : a) as { ok: false; error: { code: string; message: string } };
    expect(refused.error.code).toBe('REFUND_EXCEEDS_REMAINING');
    const started = (a.ok ? a : b) as { ok: true; value: CreateReturnResult };
    expect((await settled(started.value.attemptId ?? '')).state.kind).toBe('succeeded');
    // One refund, one refund session at Dojo, one return.
    expect(t.core.db.prepare('SELECT count(*) AS n FROM refunds').get()).toEqual({ n: 1 });
    expect(
      t.core
        .simulator()
        ?.control.records()
        .sessions.filter((x) => x.session.details.sessionType === 'MatchedRefund'),
    ).toHaveLength(1);
    expect((await returnsOf(order.id)).returns).toHaveLength(1);
  });

  it('a refund declined on the terminal fails its return, and the item can be returned again', async () => {
    const { order, sale } = await cardSale([{ name: 'Kettle', pence: 2503 }]);
    t.core.simulator()?.control.forceScenario('declined', T2);
    const first = value(
      await t.call<CreateReturnResult>('returns:create', {
        orderId: order.id,
        lines: [{ position: 1, quantity: 1 }],
        reason: 'Leaks',
        payouts: [{ method: 'card', amountMinor: 2503, attemptId: sale.id, terminalId: T2 }],
        idempotencyKey: randomUUID(),
      }),
    );
    expect((await settled(first.attemptId ?? '')).state.kind).toBe('declined');
    const of = await until(
      () =>
        t.core.db
          .prepare<[string], { status: string }>('SELECT status FROM returns WHERE id = ?')
          .get(first.ret.id)?.status,
      (s) => s === 'failed',
    );
    expect(of).toBe('failed');
    expect((await returnsOf(order.id)).lines[0]).toMatchObject({ returned: 0, returnable: 1 });
    const again = value(
      await t.call<CreateReturnResult>('returns:create', {
        orderId: order.id,
        lines: [{ position: 1, quantity: 1 }],
        reason: 'Leaks',
        payouts: [{ method: 'cash', amountMinor: 2503 }],
        idempotencyKey: randomUUID(),
      }),
    );
    expect(again.ret.status).toBe('completed');
  });

  it('a split return whose card part is declined keeps the items returned and says the card part is owed', async () => {
    const { order, sale } = await cardSale([{ name: 'Blender', pence: 4003 }]);
    t.core.simulator()?.control.forceScenario('declined', T2);
    const done = value(
      await t.call<CreateReturnResult>('returns:create', {
        orderId: order.id,
        lines: [{ position: 1, quantity: 1 }],
        reason: 'Too loud',
        payouts: [
          { method: 'cash', amountMinor: 1000 },
          { method: 'card', amountMinor: 3003, attemptId: sale.id, terminalId: T2 },
        ],
        idempotencyKey: randomUUID(),
      }),
    );
    expect((await settled(done.attemptId ?? '')).state.kind).toBe('declined');
    const ret = await until(
      () =>
        t.core.db
          .prepare<[string], { status: string; last_error: string | null }>(
            'SELECT status, last_error FROM returns WHERE id = ?',
          )
          .get(done.ret.id),
      (r) => r?.last_error !== null,
    );
    expect(ret).toMatchObject({
      status: 'pending',
      last_error: words(/card part did not go through.*give it in cash/),
    });
    // The cash went out, so the blender stays returned: it cannot be returned (and paid) twice.
    expect((await returnsOf(order.id)).lines[0]).toMatchObject({ returned: 1, returnable: 0 });
  });

  it('a mistaken card sale reversed the same day; refused when refunded, and when Dojo has settled it', async () => {
    const { order, sale } = await cardSale([{ name: 'Mistake', pence: 1203 }]);
    t.as('cashier');
    expect(
      await t.call('payments:reverse', { attemptId: sale.id, idempotencyKey: randomUUID() }),
    ).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } });
    t.as('supervisor');
    const rev = value(
      await t.call<Reversal>('payments:reverse', {
        attemptId: sale.id,
        reason: 'Wrong amount keyed',
        idempotencyKey: randomUUID(),
      }),
    );
    expect(rev).toMatchObject({ status: 'completed', amountMinor: 1203, staffName: 'Sue' });
    const pi = t.core
      .simulator()
      ?.control.records()
      .paymentIntents.find((i) => i.id === sale.paymentIntentId);
    expect(pi?.status).toBe('Reversed');
    // Nothing is left to refund, return or reverse on it.
    expect(
      value(await t.call<PaymentAttempt>('payments:get', { attemptId: sale.id })).refundableMinor,
    ).toBe(0);
    expect(
      await t.call('payments:reverse', { attemptId: sale.id, idempotencyKey: randomUUID() }),
    ).toMatchObject({ ok: false, error: { message: words(/already reversed/) } });
    expect(
      await t.call('returns:quote', { orderId: order.id, lines: [{ position: 1, quantity: 1 }] }),
    ).toMatchObject({ ok: false, error: { message: words(/was reversed/) } });
    expect((await returnsOf(order.id)).reversals).toHaveLength(1);

    // A sale refunded in part cannot be reversed: the till says so before asking Dojo.
    const b = await cardSale([{ name: 'Book', pence: 903 }]);
    const refund = value(
      await t.call<{ attempt: PaymentAttempt }>('refunds:server', {
        originalAttemptId: b.sale.id,
        amountMinor: 100,
        idempotencyKey: randomUUID(),
      }),
    );
    expect(refund).toBeTruthy();
    const reversalsBefore = t.core
      .simulator()
      ?.control.records()
      .requests.filter((r) => r.path.endsWith('/reversal')).length;
    expect(
      await t.call('payments:reverse', { attemptId: b.sale.id, idempotencyKey: randomUUID() }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'ORDER_STATE',
        message: words(/already been \(partly\) refunded.*Refund the rest instead/),
      },
    });
    expect(
      t.core
        .simulator()
        ?.control.records()
        .requests.filter((r) => r.path.endsWith('/reversal')).length,
    ).toBe(reversalsBefore);

    // Dojo refuses one it has settled: plain words, the offer of a refund, nothing reversed.
    const c = await cardSale([{ name: 'Vase', pence: 2003 }]);
    t.core.simulator()?.control.settleCaptured(c.sale.paymentIntentId ?? '');
    const refused = await t.call('payments:reverse', {
      attemptId: c.sale.id,
      idempotencyKey: randomUUID(),
    });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'DOJO_HTTP',
        message: words(
          /Dojo did not reverse this payment: .*already been settled.*Nothing was reversed; refund it instead/,
        ),
      },
    });
    expect((await returnsOf(c.order.id)).reversals).toMatchObject([{ status: 'failed' }]);
    expect(
      value(await t.call<PaymentAttempt>('payments:get', { attemptId: c.sale.id })).refundableMinor,
    ).toBe(2003);

    // The Z report shows the reversal apart from refunds.
    t.as('manager');
    const report = value(await t.call<EndOfDayReport>('reports:end-of-day', {}));
    expect(report.summary).toMatchObject({
      reversalsCount: 1,
      reversalsMinor: 1203,
      refundsMinor: 100,
    });
    const lines2 = report.document.blocks.flatMap((bl) =>
      bl.type === 'columns' ? [`${bl.left} ${bl.right}`] : [],
    );
    expect(lines2).toContain('Reversals (1) -£12.03');
    expect(lines2).toContain('Card refunds (1) -£1.00');
    // At close, Dojo's record agrees: the reversed sale is not "in the till, not at Dojo".
    const closed = value(
      await t.call<{ dojoCheck: { result: { tillOnly: { paymentIntentId: string }[] } } }>(
        'reports:close-day',
        { confirm: true, count: [{ valueMinor: 2000, quantity: 5 }] },
      ),
    );
    expect(closed.dojoCheck.result.tillOnly.map((i) => i.paymentIntentId)).not.toContain(
      sale.paymentIntentId,
    );
  });
});
