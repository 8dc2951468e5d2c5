import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PaymentAttempt, Refund } from '../../../src-shared/domain/payments';
import type { CreateReturnResult, Reversal } from '../../../src-shared/domain/returns';
import type { EndOfDayReport, PrintJob } from '../../../src-shared/contract/printing.contract';
import type { VirtualPrinter } from '../../../src-main/printing/dev/virtual-printer';
import type { StaffCore } from '../staff/core-fixture';
import { T2, lines, useReturnsTill, value, words } from './fixture';

/**
 * One rule for what may still go back on an order and on each card payment (docs/PAYMENTS.md
 * rule 10), whatever the way: card refunds, cash refunds, returns by cash or card, exchange
 * credit, reversals. Through a real core and the simulator over HTTP.
 */

const till = useReturnsTill();
const { until, cashSale, cardSale, settled, printedWith } = till;
let t: StaffCore;
let printer: VirtualPrinter;
beforeEach(() => {
  ({ t, printer } = till);
});

const refundable = async (attemptId: string) =>
  value(await t.call<PaymentAttempt>('payments:get', { attemptId })).refundableMinor;

/** Money tables only: signing in and out is journalled, and that may move. */
const moneyRows = () => ({ ...t.rows(), audit_log: 0 });
const dojoRefunds = () => t.core.simulator()?.control.records().refunds.length ?? 0;
const refundSessions = () =>
  t.core
    .simulator()
    ?.control.records()
    .sessions.filter((s) => s.session.details.sessionType !== 'Sale').length ?? 0;

/** Everything that went back on an order, summed from the rows (card refunds not failed, cash). */
const givenBack = (orderId: string) =>
  t.core.db
    .prepare<[string, string], { n: number }>(
      `SELECT (SELECT coalesce(sum(amount_minor), 0) FROM refunds WHERE order_id = ? AND status <> 'failed')
            + (SELECT coalesce(sum(amount_minor), 0) FROM cash_movements WHERE order_id = ? AND kind = 'cash-refund') AS n`,
    )
    .get(orderId, orderId)?.n ?? -1;

describe('one refundable rule for every way money goes back', () => {
  it('a card sale returned for cash: every later refund of the card is refused in plain words, nothing written', async () => {
    const { order, sale } = await cardSale([
      { name: 'Lamp', pence: 1500 },
      { name: 'Bulb', pence: 503 },
    ]);
    // Both items back for cash from the drawer.
    value(
      await t.call<CreateReturnResult>('returns:create', {
        orderId: order.id,
        lines: [
          { position: 1, quantity: 1 },
          { position: 2, quantity: 1 },
        ],
        reason: 'Does not fit',
        payouts: [{ method: 'cash', amountMinor: 2003 }],
        idempotencyKey: randomUUID(),
      }),
    );
    expect(await refundable(sale.id)).toBe(0);
    const before = moneyRows();
    const nothingLeft = words(
      /^Order .+ has nothing left to refund: £20\.03 already went back \(£20\.03 in cash\)\. Nothing was written\.$/,
    );
    // The old order-level refund screens: server, matched (terminal), unlinked against the order, cash.
    expect(
      await t.call('refunds:server', { originalAttemptId: sale.id, idempotencyKey: randomUUID() }),
    ).toMatchObject({
      ok: false,
      error: { code: 'REFUND_EXCEEDS_REMAINING', message: nothingLeft },
    });
    expect(
      await t.call('refunds:server', {
        originalAttemptId: sale.id,
        amountMinor: 2003,
        idempotencyKey: randomUUID(),
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'REFUND_EXCEEDS_REMAINING', message: nothingLeft },
    });
    expect(
      await t.call('refunds:matched', {
        originalAttemptId: sale.id,
        terminalId: T2,
        amountMinor: 2003,
        idempotencyKey: randomUUID(),
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'REFUND_EXCEEDS_REMAINING', message: nothingLeft },
    });
    expect(
      await t.call('refunds:unlinked', {
        terminalId: T2,
        amountMinor: 100,
        orderId: order.id,
        idempotencyKey: randomUUID(),
      }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'REFUND_EXCEEDS_REMAINING',
        message:
          'This order has nothing left to refund: £20.03 already went back (£20.03 in cash). Nothing was written.',
      },
    });
    expect(
      await t.call('refunds:cash', {
        idempotencyKey: randomUUID(),
        orderId: order.id,
        amountMinor: 1,
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'REFUND_EXCEEDS_REMAINING', message: words(/nothing left to refund/) },
    });
    expect(
      await t.call('payments:reverse', { attemptId: sale.id, idempotencyKey: randomUUID() }),
    ).toMatchObject({ ok: false, error: { code: 'ORDER_STATE' } });
    // Nothing written, nothing asked of Dojo: no refund, no refund session.
    expect(moneyRows()).toEqual(before);
    expect(dojoRefunds()).toBe(0);
    expect(refundSessions()).toBe(0);
    expect(givenBack(order.id)).toBe(2003);
  });

  it('a cash return of one item leaves the rest refundable to the card, and no more', async () => {
    const { order, sale } = await cardSale([
      { name: 'Lamp', pence: 1500 },
      { name: 'Bulb', pence: 503 },
    ]);
    value(
      await t.call('returns:create', {
        orderId: order.id,
        lines: [{ position: 1, quantity: 1 }],
        reason: 'Scratched',
        payouts: [{ method: 'cash', amountMinor: 1500 }],
        idempotencyKey: randomUUID(),
      }),
    );
    expect(await refundable(sale.id)).toBe(503);
    const before = moneyRows();
    expect(
      await t.call('refunds:server', {
        originalAttemptId: sale.id,
        amountMinor: 2003,
        idempotencyKey: randomUUID(),
      }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'REFUND_EXCEEDS_REMAINING',
        message: words(
          /^At most £5\.03 of this payment can still be refunded: £15\.00 already went back \(£15\.00 in cash\) on order .+\. Nothing was written\.$/,
        ),
      },
    });
    expect(moneyRows()).toEqual(before);
    // The happy path: what is left goes back to the card through Dojo.
    const refund = value(
      await t.call<Refund>('refunds:server', {
        originalAttemptId: sale.id,
        idempotencyKey: randomUUID(),
      }),
    );
    expect(refund).toMatchObject({ amountMinor: 503, status: 'completed' });
    expect(
      t.core
        .simulator()
        ?.control.records()
        .refunds.map((r) => r.amount),
    ).toEqual([503]);
    expect(await refundable(sale.id)).toBe(0);
    expect(givenBack(order.id)).toBe(2003);
  });

  it('an exchange uses up what the returned item was worth: a refund beyond what is left is refused', async () => {
    const { order, sale } = await cardSale([
      { name: 'Jumper', pence: 2500 },
      { name: 'Hat', pence: 1000 },
    ]);
    // Jumper for a dearer coat: 25.00 of exchange credit, the new order open for 5.03.
    const swap = value(
      await t.call<CreateReturnResult>('returns:create', {
        orderId: order.id,
        lines: [{ position: 1, quantity: 1 }],
        reason: 'Wants a coat',
        payouts: [],
        exchange: { lines: lines([{ name: 'Coat', pence: 3003 }]) },
        idempotencyKey: randomUUID(),
      }),
    );
    expect(swap.exchangeOrder).toMatchObject({ paidMinor: 2500, remainingMinor: 503 });
    expect(await refundable(sale.id)).toBe(1000);
    const before = moneyRows();
    expect(
      await t.call('refunds:matched', {
        originalAttemptId: sale.id,
        terminalId: T2,
        idempotencyKey: randomUUID(),
        amountMinor: 3500,
      }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'REFUND_EXCEEDS_REMAINING',
        message: words(
          /^At most £10\.00 of this payment can still be refunded: £25\.00 already went back \(£25\.00 as exchange credit\)/,
        ),
      },
    });
    expect(
      await t.call('refunds:cash', {
        idempotencyKey: randomUUID(),
        orderId: order.id,
        amountMinor: 1001,
      }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'REFUND_EXCEEDS_REMAINING',
        message:
          'At most £10.00 of this order is left to refund: £25.00 already went back (£25.00 as exchange credit). Nothing was written.',
      },
    });
    expect(moneyRows()).toEqual(before);
    expect(refundSessions()).toBe(0);
    // What is left (the hat) refunds on the terminal as before.
    const r = value(
      await t.call<{ attempt: PaymentAttempt }>('refunds:matched', {
        originalAttemptId: sale.id,
        terminalId: T2,
        idempotencyKey: randomUUID(),
      }),
    );
    expect(r.attempt.amountMinor).toBe(1000);
    expect((await settled(r.attempt.id)).state.kind).toBe('succeeded');
    // Nothing is left: not even the hat can now be returned for cash.
    expect(
      await t.call('returns:create', {
        orderId: order.id,
        lines: [{ position: 2, quantity: 1 }],
        reason: 'Too small',
        payouts: [{ method: 'cash', amountMinor: 1000 }],
        idempotencyKey: randomUUID(),
      }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'REFUND_EXCEEDS_REMAINING',
        message: words(
          /^This order has nothing left to refund: £35\.00 already went back \(£10\.00 to a card, £25\.00 as exchange credit\)\. Nothing was written\.$/,
        ),
      },
    });
  });

  it('an amount refunded in cash first caps what a return of items can give back', async () => {
    const order = await cashSale([{ name: 'Cup', pence: 500, quantity: 2 }]);
    value(
      await t.call('refunds:cash', {
        idempotencyKey: randomUUID(),
        orderId: order.id,
        amountMinor: 500,
        reason: 'Late',
      }),
    );
    const before = moneyRows();
    expect(
      await t.call('returns:create', {
        orderId: order.id,
        lines: [{ position: 1, quantity: 2 }],
        reason: 'Cracked',
        payouts: [{ method: 'cash', amountMinor: 1000 }],
        idempotencyKey: randomUUID(),
      }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'REFUND_EXCEEDS_REMAINING',
        message:
          'At most £5.00 of this order is left to refund: £5.00 already went back (£5.00 in cash). Nothing was written.',
      },
    });
    expect(moneyRows()).toEqual(before);
    expect(t.core.db.prepare('SELECT count(*) AS n FROM returns').get()).toEqual({ n: 0 });
    // One cup still goes back.
    const one = value(
      await t.call<CreateReturnResult>('returns:create', {
        orderId: order.id,
        lines: [{ position: 1, quantity: 1 }],
        reason: 'Cracked',
        payouts: [{ method: 'cash', amountMinor: 500 }],
        idempotencyKey: randomUUID(),
      }),
    );
    expect(one.ret.status).toBe('completed');
    expect(givenBack(order.id)).toBe(1000);
  });

  it('a card payment with cash already refunded on its order cannot be reversed', async () => {
    const { order, sale } = await cardSale([{ name: 'Mistake', pence: 1203 }]);
    value(
      await t.call('refunds:cash', {
        idempotencyKey: randomUUID(),
        orderId: order.id,
        amountMinor: 200,
      }),
    );
    expect(
      await t.call<Reversal>('payments:reverse', {
        attemptId: sale.id,
        idempotencyKey: randomUUID(),
      }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'ORDER_STATE',
        message:
          '£2.00 already went back (£2.00 in cash) on this order, so its card payment of £12.03 can no longer be reversed. Refund what is left instead.',
      },
    });
    expect(t.core.db.prepare('SELECT count(*) AS n FROM reversals').get()).toEqual({ n: 0 });
    expect(await refundable(sale.id)).toBe(1003);
  });

  it('two tabs at once, a cash return and a card refund of the whole sale: the money goes back once', async () => {
    const { order, sale } = await cardSale([{ name: 'Toaster', pence: 3003 }]);
    const [byReturn, byCard] = await Promise.all([
      t.call('returns:create', {
        orderId: order.id,
        lines: [{ position: 1, quantity: 1 }],
        reason: 'Burns toast',
        payouts: [{ method: 'cash', amountMinor: 3003 }],
        idempotencyKey: randomUUID(),
      }),
      t.call<{ attempt: PaymentAttempt }>('refunds:matched', {
        originalAttemptId: sale.id,
        terminalId: T2,
        idempotencyKey: randomUUID(),
      }),
    ]);
    expect([byReturn.ok, byCard.ok].sort()).toEqual([false, true]);
    const refused = (byReturn.ok ? byCard : byReturn) as { ok: false; error: { code: string } };
    expect(refused.error.code).toBe('REFUND_EXCEEDS_REMAINING');
    if (byCard.ok) expect((await settled(byCard.value.attempt.id)).state.kind).toBe('succeeded');
    expect(givenBack(order.id)).toBe(3003);
    expect(await refundable(sale.id)).toBe(0);

    // And a cash refund racing a server refund on another sale.
    const b = await cardSale([{ name: 'Kettle', pence: 2503 }]);
    const refundsAtDojo = dojoRefunds();
    const [cash, server] = await Promise.all([
      t.call('refunds:cash', {
        idempotencyKey: randomUUID(),
        orderId: b.order.id,
        amountMinor: 2503,
      }),
      t.call('refunds:server', { originalAttemptId: b.sale.id, idempotencyKey: randomUUID() }),
    ]);
    expect([cash.ok, server.ok].sort()).toEqual([false, true]);
    expect(givenBack(b.order.id)).toBe(2503);
    expect(dojoRefunds()).toBe(refundsAtDojo + (server.ok ? 1 : 0));
  });
});

describe('net takings deduct every way money went back, on the screen and on paper', () => {
  it('cash refunds, cash returns and exchange credit come off net takings, and net by tender adds up', async () => {
    const cash = await cashSale([{ name: 'Mug', pence: 500, quantity: 2 }]);
    const card = await cardSale([
      { name: 'Lamp', pence: 1500 },
      { name: 'Bulb', pence: 503 },
    ]);
    value(
      await t.call('refunds:cash', {
        idempotencyKey: randomUUID(),
        orderId: cash.id,
        amountMinor: 200,
        reason: 'Late',
      }),
    );
    value(
      await t.call('returns:create', {
        orderId: cash.id,
        lines: [{ position: 1, quantity: 1 }],
        reason: 'Chipped',
        payouts: [{ method: 'cash', amountMinor: 500 }],
        idempotencyKey: randomUUID(),
      }),
    );
    const refund = value(
      await t.call<Refund>('refunds:server', {
        originalAttemptId: card.sale.id,
        amountMinor: 300,
        idempotencyKey: randomUUID(),
      }),
    );
    expect(refund.status).toBe('completed');
    // Lamp (15.00) for socks (10.00): 10.00 of exchange credit, 5.00 back in cash.
    value(
      await t.call('returns:create', {
        orderId: card.order.id,
        lines: [{ position: 1, quantity: 1 }],
        reason: 'Wrong colour',
        payouts: [{ method: 'cash', amountMinor: 500 }],
        exchange: { lines: lines([{ name: 'Socks', pence: 1000 }]) },
        idempotencyKey: randomUUID(),
      }),
    );
    // Sales 10.00 + 20.03 + 10.00 (the socks) = 40.03; back: card 3.00, cash 2.00 + 5.00 + 5.00,
    // exchange credit 10.00; net 15.03 = cash (10.00 - 12.00) + card (20.03 - 3.00).
    const screen = value(await t.call<EndOfDayReport>('reports:end-of-day', {})).summary;
    expect(screen).toMatchObject({
      salesMinor: 4003,
      refundsCount: 1,
      refundsMinor: 300,
      cashRefundsCount: 3,
      cashRefundsMinor: 1200,
      exchangeCreditCount: 1,
      exchangeCreditMinor: 1000,
      netMinor: 1503,
    });
    expect(screen.netByTender).toEqual(
      expect.arrayContaining([
        { kind: 'cash', amountMinor: -200 },
        { kind: 'card', amountMinor: 1703 },
      ]),
    );
    expect((screen.netByTender ?? []).reduce((a, x) => a + x.amountMinor, 0)).toBe(screen.netMinor);
    // The printed X report, decoded from the printer's bytes, says the same.
    const jobs = printer.jobs.length;
    value(await t.call<PrintJob>('reports:print-x'));
    const paper = await printedWith('X REPORT', jobs);
    expect(paper).toMatch(/Sales +£40\.03/);
    expect(paper).toMatch(/Card refunds \(1\) +-£3\.00/);
    expect(paper).toMatch(/Cash refunds \(3\) +-£12\.00/);
    expect(paper).toMatch(/Exchange credit \(1\) +-£10\.00/);
    expect(paper).toMatch(/NET TAKINGS +£15\.03/);
    expect(paper).toMatch(/Net by tender[\s\S]*Cash +-£2\.00[\s\S]*Card +£17\.03/);
    // The Z report at close keeps the same figures.
    const before = printer.jobs.length;
    value(
      await t.call('reports:close-day', {
        confirm: true,
        count: [{ valueMinor: 2000, quantity: 5 }],
      }),
    );
    const z = await printedWith('Z REPORT', before);
    expect(z).toMatch(/NET TAKINGS +£15\.03/);
    expect(z).toMatch(/Cash refunds \(3\) +-£12\.00/);
  });
});

describe('the exchange receipt follows the customer’s receipt choice', () => {
  const jobsOf = (orderId: string) =>
    t.core.db
      .prepare<[string], { kind: string }>(
        'SELECT kind FROM print_jobs WHERE order_id = ? ORDER BY created_at, rowid',
      )
      .all(orderId)
      .map((j) => j.kind);

  it('with No receipt as the default none prints; Print then prints the exchange receipt, once', async () => {
    value(await t.call('settings:update', { receiptDefault: 'none' }));
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
    const newOrder = done.ret.exchangeOrderId ?? '';
    expect(done.ret.status).toBe('completed');
    // Journalled in the exchange's own step: nothing for the customer, as for a sale.
    expect(jobsOf(order.id)).not.toContain('return');
    expect(jobsOf(newOrder)).not.toContain('customer');
    expect(
      value(await t.call<{ choice: string }>('receipts:options', { orderId: newOrder })).choice,
    ).toBe('none');

    const jobs = printer.jobs.length;
    const chosen = value(
      await t.call<{ message: string }>('receipts:choose', { orderId: newOrder, choice: 'print' }),
    );
    expect(chosen.message).toBe('Printing the receipt.');
    const slip = await printedWith('EXCHANGE', jobs);
    expect(slip).toContain('1 x Jumper');
    expect(slip).toContain('1 x Socks');
    expect(slip).toMatch(/DIFFERENCE BACK\s+£10\.00/);
    // Not a sale receipt of the new order, and not twice.
    expect(jobsOf(newOrder)).not.toContain('customer');
    const again = value(
      await t.call<{ message: string }>('receipts:choose', { orderId: newOrder, choice: 'print' }),
    );
    expect(again.message).toMatch(/already printing/);
    expect(
      t.core.db.prepare("SELECT count(*) AS n FROM print_jobs WHERE kind = 'return'").get(),
    ).toEqual({ n: 1 });
  });

  /** A £10 scarf exchanged for a £14.03 coat, the £4.03 difference paid in cash. */
  const scarfForCoatPaidInCash = async () => {
    const order = await cashSale([{ name: 'Scarf', pence: 1000 }]);
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
    const newOrder = swap.exchangeOrder?.id ?? '';
    value(
      await t.call('orders:pay-cash', {
        orderId: newOrder,
        amountMinor: 403,
        tenderedMinor: 500,
        idempotencyKey: randomUUID(),
      }),
    );
    return { order, newOrder };
  };

  it('a dearer exchange paid in cash with No receipt: the drawer opens, no receipt is journalled', async () => {
    value(await t.call('settings:update', { receiptDefault: 'none' }));
    const { order, newOrder } = await scarfForCoatPaidInCash();
    // The receipt step runs after the payment commits: wait for the drawer kick it journals.
    await until(
      () => jobsOf(newOrder),
      (kinds) => kinds.includes('drawer'),
    );
    expect(jobsOf(newOrder)).toEqual(['drawer']);
    expect(jobsOf(order.id)).not.toContain('return');
  });

  it('with Print as the default, a dearer exchange paid in cash prints the exchange receipt and no sale receipt', async () => {
    const { newOrder } = await scarfForCoatPaidInCash();
    const slip = await printedWith('EXCHANGE');
    expect(slip).toMatch(/DIFFERENCE TO PAY\s+£4\.03/);
    expect(jobsOf(newOrder)).toEqual(['drawer']);
  });
});

describe('a card part owed on a return, settled in cash', () => {
  it('a split return whose card part was declined is settled from the drawer by a supervisor, journalled', async () => {
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
    await until(
      () =>
        t.core.db
          .prepare<[string], { last_error: string | null }>(
            'SELECT last_error FROM returns WHERE id = ?',
          )
          .get(done.ret.id)?.last_error ?? null,
      (e) => e !== null,
    );
    // The card part is owed: still refundable on the order, by the one rule.
    expect(await refundable(sale.id)).toBe(3003);
    const drawer = async () =>
      value(await t.call<{ expectedMinor: number }>('cash:summary', {})).expectedMinor;
    const before = await drawer();
    const settle = (extra: Record<string, unknown> = {}) =>
      t.call<{
        status: string;
        payouts: { method: string; amountMinor: number; status: string }[];
      }>('returns:settle-owed', {
        returnId: done.ret.id,
        way: 'cash',
        note: 'Card kept declining; paid from the drawer',
        idempotencyKey: randomUUID(),
        ...extra,
      });
    // A cashier may not take cash out for it without a supervisor's or manager's PIN.
    t.as('cashier');
    const rows = moneyRows();
    expect(await settle()).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } });
    expect(moneyRows()).toEqual(rows);
    const jobs = printer.jobs.length;
    const ret = value(await settle({ approval: { pin: '2468' } }));
    expect(ret.status).toBe('completed');
    expect(ret.payouts.map((p) => [p.method, p.amountMinor, p.status])).toEqual([
      ['cash', 1000, 'completed'],
      ['card-terminal', 3003, 'failed'],
      ['cash', 3003, 'completed'],
    ]);
    t.as('manager');
    expect(await drawer()).toBe(before - 3003);
    expect(await refundable(sale.id)).toBe(0);
    // Journalled with who, who approved, the amount and the note.
    const journal = t.core.db
      .prepare<[string], { actor: string; details: string }>(
        "SELECT actor, details FROM audit_log WHERE action = 'return.owed-paid-in-cash' AND subject = ?",
      )
      .all(done.ret.id);
    expect(journal).toHaveLength(1);
    expect(journal[0]?.actor).toBe('Cy');
    expect(JSON.parse(journal[0]?.details ?? '{}')).toMatchObject({
      amountMinor: 3003,
      approvedBy: t.ids.manager,
      note: 'Card kept declining; paid from the drawer',
    });
    // The return receipt now prints, with what actually went back.
    const slip = await printedWith('RETURN', jobs);
    expect(slip).toMatch(/AMOUNT REFUNDED\s+£40\.03/);
    expect(slip).not.toMatch(/To card/);
    // Settled once: a second press (another key) is refused, nothing more goes out.
    const after = moneyRows();
    expect(await settle()).toMatchObject({
      ok: false,
      error: {
        code: 'ORDER_STATE',
        message: 'This return is already settled: nothing is owed on it.',
      },
    });
    expect(moneyRows()).toEqual(after);
  });
});
