import { describe, expect, it } from 'vitest';
import type { TillApi } from '../../src-shared/contract';
import type { CashSaleResult, Order } from '../../src-shared/domain/orders';
import type { ErrorShape } from '../../src-shared/errors';
import { createTillStore } from './store';

type Answer = { ok: true; value: unknown } | { ok: false; error: ErrorShape };

/** A till connection answering each channel from `answers`; the others fail as if unreachable. */
function fakeTill(answers: Record<string, (input: unknown) => Answer | Promise<Answer>>) {
  const sent: { channel: string; input: Record<string, unknown> }[] = [];
  const till = new Proxy({} as TillApi, {
    get: (_t, channel: string) =>
      channel === 'on'
        ? () => () => undefined
        : async (input: unknown) => {
            sent.push({ channel, input: input as Record<string, unknown> });
            const answer = answers[channel];
            if (answer) return answer(input);
            return { ok: false, error: { code: 'INTERNAL', message: 'offline', retryable: false } };
          },
  });
  return { till, sent };
}

const paidOrder = (totalMinor: number, changeMinor: number): Order => ({
  id: 'o-1',
  reference: 'T1-20261202-0001',
  status: 'paid',
  currency: 'GBP',
  subtotalMinor: totalMinor,
  discountMinor: 0,
  vatMinor: 0,
  totalMinor,
  paidMinor: totalMinor,
  remainingMinor: 0,
  changeMinor,
  refundedMinor: 0,
  tillId: 'T1',
  note: null,
  createdAt: '2026-12-02T09:00:00.000Z',
  updatedAt: '2026-12-02T09:00:00.000Z',
  completedAt: '2026-12-02T09:00:00.000Z',
  basketDiscount: null,
  basketDiscountMinor: 0,
  lines: [],
  vatBreakdown: [],
});

const sold = (totalMinor: number, tenderedMinor: number): Answer => ({
  ok: true,
  value: {
    tenderId: 't-1',
    changeMinor: tenderedMinor - totalMinor,
    roundingMinor: 0,
    remainingMinor: 0,
    orderCompleted: true,
    order: paidOrder(totalMinor, tenderedMinor - totalMinor),
  } satisfies CashSaleResult,
});

/** What the WebSocket transport answers when the core's answer never arrives. */
const unreachable: Answer = {
  ok: false,
  error: { code: 'INTERNAL', message: 'The till core did not answer in time.', retryable: true },
};

describe('one-press cash from the basket', () => {
  it('a press whose answer never came is sent again under the same key; the basket stays', async () => {
    let calls = 0;
    const t = fakeTill({
      'orders:sell-cash': (input) => {
        calls++;
        const { tenderedMinor } = input as { tenderedMinor: number };
        return calls === 1 ? unreachable : sold(750, tenderedMinor);
      },
    });
    const store = createTillStore(t.till);
    const s = () => store.getState();
    expect(s().addCustom({ name: 'Lunch', unitPriceMinor: 750, vatRateBp: 0 })).toBeNull();

    expect(await s().sellCash('exact')).toBe(false);
    expect(s().basketMessage).toEqual({
      kind: 'error',
      text: 'The till core did not answer in time.',
    });
    expect(s().items).toHaveLength(1);
    expect(s().checkout).toBeNull();
    expect(s().checkoutBusy).toBe(false);

    expect(await s().sellCash('exact')).toBe(true);
    const presses = t.sent.filter((x) => x.channel === 'orders:sell-cash').map((x) => x.input);
    expect(presses).toHaveLength(2);
    expect(presses[0]).toMatchObject({ tenderedMinor: 750, lines: [{ name: 'Lunch' }] });
    expect(presses[1]?.idempotencyKey).toBe(presses[0]?.idempotencyKey);
    expect(s().checkout).toMatchObject({
      order: { status: 'paid', totalMinor: 750 },
      lastChangeMinor: 0,
      soldForCash: true,
    });
    expect(s().basketOrderId).toBe('o-1');
  });

  it('a second tap while the first is on its way sends nothing; another basket gets a new key', async () => {
    let release: (a: Answer) => void = () => undefined;
    let calls = 0;
    const t = fakeTill({
      'orders:sell-cash': () =>
        ++calls === 1 ? new Promise<Answer>((r) => (release = r)) : unreachable,
    });
    const store = createTillStore(t.till);
    const s = () => store.getState();
    s().addCustom({ name: 'Lunch', unitPriceMinor: 750, vatRateBp: 0 });
    const first = s().sellCash(1000);
    expect(s().checkoutBusy).toBe(true);
    expect(await s().sellCash(1000)).toBe(false);
    expect(await s().sellCash('exact')).toBe(false);
    expect(t.sent.filter((x) => x.channel === 'orders:sell-cash')).toHaveLength(1);
    release(unreachable);
    expect(await first).toBe(false);

    // The basket changed: what was pressed before is another sale, with its own key.
    s().addCustom({ name: 'Tea', unitPriceMinor: 150, vatRateBp: 0 });
    await s().sellCash(1000);
    const keys = t.sent
      .filter((x) => x.channel === 'orders:sell-cash')
      .map((x) => x.input.idempotencyKey);
    expect(keys).toHaveLength(2);
    expect(keys[1]).not.toBe(keys[0]);
  });
});
