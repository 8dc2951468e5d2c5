import { afterEach, describe, expect, it } from 'vitest';
import { getAttempt } from '../../../src-main/payments/attempts.repo';
import { paymentsAgainst } from '../../support/payments-service';
import {
  createHarness,
  insertOrder,
  orderState,
  T1,
  T2,
  TEST_POLLING,
  type Harness,
} from './harness';

/**
 * "Close and check later" must not be a dead end: an attempt whose result cannot be confirmed is
 * listed for the operator (across restarts), can be checked again or recorded by hand, and does
 * not hold a terminal whose session is over.
 */
let h: Harness | null = null;
afterEach(async () => {
  h?.expectRequestsValid();
  await h?.close();
  h = null;
});

const refusal = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected a refusal');
};

describe('payments to check', () => {
  it('£12.04 expires unconfirmed: listed, the terminal is free, the order waits for Check again (also after a restart), then pays', async () => {
    h = await createHarness();
    const harness = h;
    const orderId = insertOrder(harness.db, 1204);
    const a = await harness.service.startSale({ orderId, terminalId: T1 });
    const expired = await harness.settle(a);
    expect(expired.state).toMatchObject({ kind: 'unconfirmed', sessionStatus: 'Expired' });

    // Listed for the operator, with the order's reference.
    const listed = harness.service.listToCheck();
    expect(listed.map((x) => [x.id, x.orderReference, x.amountMinor])).toEqual([
      [a.id, expect.stringMatching(/^T1-/), 1204],
    ]);
    expect(harness.service.needsAttention()).toBe(1);

    // The terminal is not held by a session that is over: another order pays on it.
    const other = insertOrder(harness.db, 500);
    const paidOther = await harness.settle(
      await harness.service.startSale({ orderId: other, terminalId: T1 }),
    );
    expect(paidOther.state.kind).toBe('succeeded');

    // The order itself waits for the check, on any terminal, and Dojo is not even asked.
    const before = harness.sim.control.records().requests.length;
    for (const terminalId of [T1, T2]) {
      const e = await refusal(harness.service.startSale({ orderId, terminalId }));
      expect(e.code).toBe('ATTEMPT_IN_PROGRESS');
      expect(e.message).toMatch(
        /cannot be confirmed yet[\s\S]*Check it again[\s\S]*payments to check/,
      );
    }
    expect(harness.sim.control.records().requests.length).toBe(before);

    // A restart (a new core on the same database and Dojo) still lists it.
    await harness.service.stop();
    const restarted = paymentsAgainst(harness.db, harness.sim.url, { polling: TEST_POLLING });
    await restarted.start();
    try {
      expect(restarted.listToCheck().map((x) => x.id)).toEqual([a.id]);
      const checked = await restarted.checkAgain(a.id);
      expect(checked.state).toMatchObject({ kind: 'canceled' });
      expect(restarted.listToCheck()).toEqual([]);
      expect(restarted.needsAttention()).toBe(0);
      // Once the check resolves, the order pays on the same terminal, on the same intent.
      harness.sim.control.forceScenario('chip-pin', T1);
      const paid = await restarted.settled(
        (await restarted.startSale({ orderId, terminalId: T1 })).id,
        20_000,
      );
      expect(paid.state.kind).toBe('succeeded');
      expect(paid.paymentIntentId).toBe(a.paymentIntentId);
      expect(orderState(harness.db, orderId)).toMatchObject({ status: 'paid', paid_minor: 1204 });
    } finally {
      await restarted.stop();
    }
  });

  it('an unconfirmed attempt whose session may still run holds its terminal only while Dojo says it is busy', async () => {
    h = await createHarness();
    const harness = h;
    await harness.service.listTerminals();
    // The terminal is taken after the till listed it, and the session create is cut off: the till
    // cannot tell whether the terminal is running this payment.
    harness.sim.control.setTerminalStatus(T1, 'InUse');
    harness.sim.control.injectFault({ kind: 'reset', path: '/terminal-sessions', method: 'POST' });
    const orderId = insertOrder(harness.db, 800);
    await expect(harness.service.startSale({ orderId, terminalId: T1 })).rejects.toMatchObject({
      code: 'DOJO_UNREACHABLE',
    });
    const stuck = harness.service.listToCheck()[0];
    expect(stuck?.state).toMatchObject({ kind: 'unconfirmed', sessionStatus: null });

    const next = insertOrder(harness.db, 300);
    const e = await refusal(harness.service.startSale({ orderId: next, terminalId: T1 }));
    expect(e.code).toBe('TERMINAL_BUSY');
    expect(e.message).toMatch(/cannot confirm[\s\S]*payments to check/);

    harness.sim.control.setTerminalStatus(T1, 'Available');
    const paid = await harness.settle(
      await harness.service.startSale({ orderId: next, terminalId: T1 }),
    );
    expect(paid.state.kind).toBe('succeeded');
    // The stuck one is still there for the operator.
    expect(getAttempt(harness.db, stuck?.id ?? '').state.kind).toBe('unconfirmed');
  });
});
