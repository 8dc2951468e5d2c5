import { afterEach, describe, expect, it } from 'vitest';
import { getAttempt } from '../../../src-main/payments/attempts.repo';
import { createHarness, insertOrder, T1, type Harness } from './harness';
import { staysTrueFor } from '../../support/wait';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

describe('Dojo lost mid-payment', () => {
  it('the renderer is told the link is lost while polls cannot reach Dojo, and when it is back', async () => {
    // Time scale 0.1: the card never comes and the session stays live for 9 s.
    h = await createHarness({ timeScale: 0.1 });
    const harness = h;
    harness.sim.control.forceScenario('no-card-expires', T1);
    const orderId = insertOrder(harness.db, 1100);
    const a = await harness.service.startSale({ orderId, terminalId: T1 });
    await harness.until(() => harness.progress.some((p) => p.attemptId === a.id && p.prompt));
    harness.sim.control.injectFault({
      kind: 'reset',
      path: '/terminal-sessions/*',
      method: 'GET',
      count: 100_000,
    });
    await harness.until(() => harness.progress.some((p) => p.linkLost === true));
    const lost = harness.progress.find((p) => p.linkLost === true);
    expect(lost).toMatchObject({ attemptId: a.id, isFinal: false });
    expect(lost?.state.kind).toBe('in_progress');
    // Told once, not on every failed poll.
    await staysTrueFor(
      () => harness.progress.filter((p) => p.linkLost === true).length === 1,
      300,
      'one link-lost notice',
    );
    expect(harness.progress.filter((p) => p.linkLost === true)).toHaveLength(1);

    harness.sim.control.clearFaults();
    await harness.until(() => harness.progress.some((p) => p.linkLost === false));
    const types = harness.service.get(a.id).events.map((e) => e.type);
    expect(types.indexOf('link-lost')).toBeGreaterThan(-1);
    expect(types.indexOf('link-back')).toBeGreaterThan(types.indexOf('link-lost'));
    await harness.service.cancel(a.id);
    expect((await harness.settle(a)).state.kind).toBe('canceled');
  });
});

describe('a refund on the terminal', () => {
  it('keeps the card the terminal read (as the slip shows it) and sends it to the renderer', async () => {
    h = await createHarness();
    const harness = h;
    const orderId = insertOrder(harness.db, 2400);
    const sale = await harness.settle(await harness.service.startSale({ orderId, terminalId: T1 }));
    expect(sale.card?.last4).toMatch(/^\d{4}$/);
    const { attempt } = await harness.service.matchedRefund({
      originalAttemptId: sale.id,
      terminalId: T1,
      amountMinor: 400,
    });
    const done = await harness.settle(attempt);
    expect(done.state.kind).toBe('succeeded');
    const refund = getAttempt(harness.db, attempt.id);
    expect(refund.card?.last4).toBe(sale.card?.last4);
    expect(refund.card?.cardType).toBe(sale.card?.cardType);
    expect(refund.card?.authCode).toMatch(/^\d{6}$/);
    const slip = JSON.stringify(refund.customerReceipt);
    expect(slip).toContain(refund.card?.last4 ?? 'none');
    const final = harness.progress.filter((p) => p.attemptId === attempt.id).at(-1);
    expect(final?.card?.last4).toBe(sale.card?.last4);
  });
});
