import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, T1, type Harness } from './harness';

/**
 * An unlinked refund has no payment intent, so when Dojo may or may not have started its session
 * there is nothing to look it up by (Dojo has no session search). An idle terminal does not prove
 * it never ran: a quick contactless refund is over before the till looks. Found by the chaos
 * suite: the till used to ask again, and the customer was refunded twice.
 */
describe('unlinked refund whose session create may have happened', () => {
  let h: Harness;
  beforeEach(async () => {
    // Fast enough that the refund is over before the till checks the terminal.
    h = await createHarness({ timeScale: 0.001 });
  });
  afterEach(async () => {
    await h.close();
  });

  it('check again never concludes "not refunded" from an idle terminal; a manager records it', async () => {
    h.sim.control.injectFault({
      kind: 'reset',
      path: '/terminal-sessions',
      method: 'POST',
      applyRequest: true,
    });
    await h.service.unlinkedRefund({ terminalId: T1, amountMinor: 203 }).catch(() => undefined);
    const attempt = h.db
      .prepare("SELECT id FROM payment_attempts WHERE kind = 'unlinked_refund'")
      .get() as { id: string };
    await h.settle(attempt.id);
    // The refund ran on the terminal (Dojo's own records) and the terminal is idle again.
    await h.until(() => h.sim.control.records().refunds.length === 1);
    await h.until(() => h.sim.control.records().terminals[0]?.status === 'Available');
    const checked = await h.service.checkAgain(attempt.id);
    expect(checked.state).toMatchObject({
      kind: 'unconfirmed',
      reason: /cannot tell whether this refund ran/,
    });
    const refundRow = () =>
      h.db.prepare('SELECT status FROM refunds WHERE attempt_id = ?').get(attempt.id) as {
        status: string;
      };
    expect(refundRow().status).toBe('pending');
    // The manager looked at the terminal: refunded.
    const recorded = await h.service.recordManually({
      attemptId: attempt.id,
      outcome: 'paid',
      note: 'terminal printed REFUND APPROVED',
    });
    expect(recorded.state.kind).toBe('succeeded');
    expect(refundRow().status).toBe('completed');
    await h.until(() => h.completedRefunds.length === 1);
    expect(h.sim.control.records().refunds).toHaveLength(1);
    expect(h.service.needsAttention()).toBe(0);
  });

  it('a create that may have run is never sent again, even when the terminal looks idle', async () => {
    h.sim.control.injectFault({
      kind: 'reset',
      path: '/terminal-sessions',
      method: 'POST',
      applyRequest: true,
    });
    // The till's look at the terminal comes back late: by then the quick refund is over and the
    // terminal idle, which proves nothing about whether it ran.
    h.sim.control.setChaos({ seed: 1, latencyMs: { min: 150, max: 150 } });
    await h.service.unlinkedRefund({ terminalId: T1, amountMinor: 207 }).catch(() => undefined);
    const attempt = h.db
      .prepare("SELECT id FROM payment_attempts WHERE kind = 'unlinked_refund'")
      .get() as { id: string };
    expect((await h.settle(attempt.id)).state.kind).toBe('unconfirmed');
    await h.until(() => h.sim.control.records().refunds.length >= 1);
    const sessions = h.sim.control
      .records()
      .sessions.filter((s) => s.session.details?.sessionType === 'UnlinkedRefund');
    expect(sessions).toHaveLength(1);
    expect(h.sim.control.records().refunds).toHaveLength(1);
  });

  it('a manager can record it as not refunded', async () => {
    h.sim.control.injectFault({
      kind: 'reset',
      path: '/terminal-sessions',
      method: 'POST',
      applyRequest: true,
    });
    await h.service.unlinkedRefund({ terminalId: T1, amountMinor: 500 }).catch(() => undefined);
    const attempt = h.db
      .prepare("SELECT id, state FROM payment_attempts WHERE kind = 'unlinked_refund'")
      .get() as { id: string; state: string };
    expect((await h.settle(attempt.id)).state.kind).toBe('unconfirmed');
    const done = await h.service.recordManually({
      attemptId: attempt.id,
      outcome: 'not-paid',
      note: 'nothing on the terminal',
    });
    expect(done.state).toMatchObject({ kind: 'failed', reason: /not refunded/ });
    expect(h.db.prepare('SELECT status FROM refunds WHERE attempt_id = ?').get(attempt.id)).toEqual(
      { status: 'failed' },
    );
  });
});
