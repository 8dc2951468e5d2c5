import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { staffCore, type StaffCore } from '../staff/core-fixture';
import { waitFor } from '../../support/wait';

const TERMINAL = 'tm_sandbox_65f0a1c0e1d2c3b4a5960001';

/**
 * "New sale" asks the core first: the sale screen may empty only when no card payment or refund is
 * still running on this till, so a live attempt is never left without a screen to follow it.
 */
describe('payments:new-sale', () => {
  let t: StaffCore;
  beforeEach(async () => {
    // Real time: the no-card session must stay open while the new sale is refused.
    t = await staffCore({ simulatorTimeScale: 1 });
  });
  afterEach(async () => {
    await t?.close();
  });

  const cardSaleOf = async (pounds: string) => {
    const order = await t.call<{ id: string }>('orders:create', {
      lines: [
        {
          kind: 'custom',
          name: 'Test',
          unitPriceMinor: Math.round(Number(pounds) * 100),
          vatRateBp: 0,
          quantity: 1,
        },
      ],
    });
    if (!order.ok) throw new Error(order.error.message);
    const card = await t.call<{ id: string }>('payments:start-sale', {
      orderId: order.value.id,
      terminalId: TERMINAL,
      idempotencyKey: randomUUID(),
    });
    if (!card.ok) throw new Error(card.error.message);
    return card.value.id;
  };

  const isFinal = (attemptId: string) =>
    t.core.db
      .prepare<[string], { is_final: number }>('SELECT is_final FROM payment_attempts WHERE id = ?')
      .get(attemptId)?.is_final === 1;

  it('is agreed on a till with no card payment running, for anyone signed in', async () => {
    t.as('cashier');
    expect(await t.call('payments:new-sale')).toEqual({ ok: true, value: null });
  });

  it('is refused in plain words while a card payment runs, and agreed once it has ended', async () => {
    t.as('cashier');
    t.core.simulator()?.control.forceScenario('no-card-expires');
    const attemptId = await cardSaleOf('7.04');
    const before = t.rows();

    const refused = await t.call('payments:new-sale');
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'ATTEMPT_IN_PROGRESS',
        message:
          'A card payment of £7.04 is still in progress on TID 28340001: wait for its result, or cancel it, before starting a new sale.',
        retryable: true,
      },
    });
    // Refusing writes nothing and leaves the payment running.
    expect(t.rows()).toEqual(before);
    expect(isFinal(attemptId)).toBe(false);

    expect((await t.call('payments:cancel', { attemptId })).ok).toBe(true);
    await waitFor(() => isFinal(attemptId), 'the cancelled payment to end');
    expect(await t.call('payments:new-sale')).toEqual({ ok: true, value: null });
  });

  it('is refused with nobody signed in, and refuses any input', async () => {
    t.as('cashier');
    expect(await t.call('payments:new-sale', { orderId: randomUUID() })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    t.as(null);
    expect(await t.call('payments:new-sale')).toMatchObject({
      ok: false,
      error: { code: 'SIGN_IN_REQUIRED' },
    });
  });
});
