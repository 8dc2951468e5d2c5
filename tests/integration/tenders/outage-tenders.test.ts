import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { DayClosure } from '../../../src-shared/contract/printing.contract';
import type { DojoCheck } from '../../../src-shared/domain/dojo-check';
import type { OrderDetail } from '../../../src-shared/domain/orders';
import type {
  MatchRun,
  OtherTenderResult,
  ToMatchTender,
} from '../../../src-shared/domain/tenders';
import { PINS } from '../staff/core-fixture';
import { QUICK_LINK, till, until, type Till } from './fixture';

let t: Till;
afterEach(async () => {
  await t.close();
});

/** Every Dojo path fails with a dropped connection (`*` is one segment). */
const dojoDown = (x: Till) => {
  for (const path of ['/*', '/*/*', '/*/*/*'])
    x.sim.injectFault({ kind: 'reset', path, count: 100_000 });
};

async function goOffline(x: Till): Promise<void> {
  dojoDown(x);
  await x.call('credentials:test');
  await until(
    () => x.core.status().dojo.state,
    (s) => s === 'offline',
    5000,
  );
}

const cardOther = (orderId: string, amountMinor: number, last4: string, extra = {}) => ({
  orderId,
  amountMinor,
  last4,
  idempotencyKey: randomUUID(),
  ...extra,
});

describe('card on another terminal, while Dojo is down', () => {
  it('refused while Dojo can be reached: nothing written', async () => {
    t = await till({ connectivity: QUICK_LINK });
    await until(
      () => t.core.status().dojo.state,
      (s) => s === 'online',
    );
    const orderId = await t.order(1200);
    const before = t.counts();
    const e = await t.refused('tenders:card-other', cardOther(orderId, 1200, '4242'));
    expect(e.message).toMatch(
      /^Dojo can be reached, so take the card on one of the till’s own terminals/,
    );
    expect(t.counts()).toEqual(before);
  });

  it('a supervisor allows it; matched automatically when Dojo is back, or left for the manager', async () => {
    t = await till({ connectivity: QUICK_LINK });
    await until(
      () => t.core.status().dojo.state,
      (s) => s === 'online',
    );
    const first = await t.order(1234);
    const second = await t.order(2500);
    await goOffline(t);

    // A cashier may not on their own; a supervisor's PIN approves it.
    t.as('cashier');
    const before = t.counts();
    const denied = await t.refused('tenders:card-other', cardOther(first, 1234, '4242'));
    expect(denied.code).toBe('PERMISSION_DENIED');
    expect(denied.message).toMatch(/take a card on another terminal/);
    // Bad input is refused in words.
    const badLast4 = await t.refused('tenders:card-other', cardOther(first, 1234, '42'));
    expect(badLast4.message).toMatch(/last four digits of the card are four digits/);
    const tooMuch = await t.refused(
      'tenders:card-other',
      cardOther(first, 1300, '4242', { approval: { pin: PINS.supervisor } }),
    );
    expect(tooMuch.message).toBe(
      'That is more than the £12.34 left to pay on this order; nothing was recorded.',
    );
    expect(t.counts()).toEqual(before);

    const key = randomUUID();
    const paid = await t.ok<OtherTenderResult>('tenders:card-other', {
      ...cardOther(first, 1234, '4242', { authCode: 'AB12C3' }),
      idempotencyKey: key,
      approval: { pin: PINS.supervisor },
    });
    expect(paid).toMatchObject({ orderCompleted: true, remainingMinor: 0 });
    // The same press again: the first answer, nothing new.
    const again = await t.ok<OtherTenderResult>('tenders:card-other', {
      ...cardOther(first, 1234, '4242', { authCode: 'AB12C3' }),
      idempotencyKey: key,
      approval: { pin: PINS.supervisor },
    });
    expect(again.tenderId).toBe(paid.tenderId);
    await t.ok('tenders:card-other', {
      ...cardOther(second, 2500, '1111'),
      approval: { pin: PINS.supervisor },
    });
    const detail = await t.ok<OrderDetail>('orders:get', { orderId: first });
    expect(detail.status).toBe('paid');
    expect(
      detail.tenders.map((x) => [x.kind, x.amountMinor, x.cardLast4, x.authCode, x.match]),
    ).toEqual([['card_other', 1234, '4242', 'AB12C3', 'to_match']]);
    expect(
      t.core.db
        .prepare(
          'SELECT staff_id, approved_by FROM tender_matches m JOIN tenders t ON t.id = m.tender_id WHERE t.order_id = ?',
        )
        .get(first),
    ).toEqual({ staff_id: t.ids.cashier, approved_by: t.ids.supervisor });

    // Dojo holds the first card (taken on a standalone terminal) but nothing for the second.
    t.sim.holdOutsidePayment({
      amount: 1234,
      last4: '4242',
      authCode: 'AB12C3',
      reference: 'standalone-1',
    });
    t.sim.holdOutsidePayment({ amount: 2500, last4: '9999', reference: 'someone-else' });

    // Dojo comes back: the till searches and links the first by itself.
    t.sim.clearFaults();
    t.as('manager');
    const matched = await until(
      () => t.ok<OrderDetail>('orders:get', { orderId: first }),
      (d) => d.tenders[0]?.match === 'matched',
      10_000,
    );
    expect(matched.tenders[0]?.match).toBe('matched');
    const left = await t.ok<ToMatchTender[]>('tenders:to-match');
    expect(left.map((x) => [x.orderId, x.amountMinor, x.last4, x.status, x.staffName])).toEqual([
      [second, 2500, '1111', 'to_match', 'Cy'],
    ]);
    expect(left[0]?.checks).toBeGreaterThanOrEqual(1);
    const search = t.sim.records().requests.find((r) => r.path === '/payment-intents/search');
    expect(search?.body).toMatchObject({ statuses: ['Captured', 'Refunded'] });

    // Searching again by hand changes nothing for it (the other 25.00 is another card).
    const run = await t.ok<MatchRun>('tenders:match-now');
    expect(run).toMatchObject({ matched: [], error: null });
    expect(run.open.map((x) => x.orderId)).toEqual([second]);

    // The close's three-way check: the first counts as matched, its capture is not "Dojo only",
    // the second is listed to match.
    const z = await t.ok<DayClosure & { dojoCheck: DojoCheck | null }>('reports:close-day', {
      confirm: true,
    });
    const r = z.dojoCheck?.result;
    expect(r?.matched).toEqual({ count: 1, amountMinor: 1234 });
    expect(r?.dojoOnly.map((i) => i.reference)).toEqual(['someone-else']);
    expect(r?.toMatch?.map((i) => [i.amountMinor, i.card])).toEqual([[2500, '************1111']]);
    expect(z.summary.toMatch).toEqual({ count: 1, amountMinor: 2500 });
    expect(z.summary.tenders).toEqual([{ kind: 'card_other', count: 2, amountMinor: 3734 }]);
    expect(JSON.stringify(z.document.blocks)).toMatch(/Other terminal, to match \(1\)/);
    t.expectRequestsValid();
  });

  it('two equally good captures are not guessed between: left for the manager', async () => {
    t = await till({ connectivity: QUICK_LINK });
    await until(
      () => t.core.status().dojo.state,
      (s) => s === 'online',
    );
    const orderId = await t.order(800);
    await goOffline(t);
    await t.ok('tenders:card-other', cardOther(orderId, 800, '5555'));
    const at = new Date().toISOString();
    t.sim.holdOutsidePayment({ amount: 800, last4: '5555', at });
    t.sim.holdOutsidePayment({ amount: 800, last4: '5555', at });
    t.sim.clearFaults();
    await until(
      () => t.core.status().dojo.state,
      (s) => s === 'online',
    );
    const run = await t.ok<MatchRun>('tenders:match-now');
    expect(run.matched).toEqual([]);
    expect(run.open.map((x) => x.orderId)).toEqual([orderId]);
  });
});

describe('voucher / other tender', () => {
  it('pays with a reference, never more than is left, and is refused in words when bad', async () => {
    t = await till();
    const orderId = await t.order(1500);
    const before = t.counts();
    const short = await t.refused('tenders:voucher', {
      orderId,
      amountMinor: 500,
      reference: 'x',
      idempotencyKey: randomUUID(),
    });
    expect(short.message).toMatch(/Type the voucher number or a reference/);
    const over = await t.refused('tenders:voucher', {
      orderId,
      amountMinor: 1600,
      reference: 'GV-1001',
      idempotencyKey: randomUUID(),
    });
    expect(over.message).toBe(
      'That is more than the £15.00 left to pay on this order; nothing was recorded.',
    );
    expect(t.counts()).toEqual(before);
    const part = await t.ok<OtherTenderResult>('tenders:voucher', {
      orderId,
      amountMinor: 1000,
      reference: 'GV-1001',
      idempotencyKey: randomUUID(),
    });
    expect(part).toMatchObject({ orderCompleted: false, remainingMinor: 500 });
    await t.ok('orders:pay-cash', {
      orderId,
      amountMinor: 500,
      tenderedMinor: 500,
      idempotencyKey: randomUUID(),
    });
    const detail = await t.ok<OrderDetail>('orders:get', { orderId });
    expect(detail.status).toBe('paid');
    expect(detail.tenders.map((x) => [x.kind, x.amountMinor, x.reference])).toEqual([
      ['voucher', 1000, 'GV-1001'],
      ['cash', 500, null],
    ]);
  });
});
