import { afterEach, describe, expect, it } from 'vitest';
import { getAttempt } from '../../../src-main/payments/attempts.repo';
import { defaultPolling } from '../../../src-main/payments/payment-poller';
import { createHarness, insertOrder, orderState, T1, type Harness } from './harness';

/**
 * Dojo can report a sale `Captured` and ask for the signature check afterwards (its own example:
 * `InitiateRequested → Initiated → Captured → SignatureVerificationAccepted`). The simulator's
 * `signature-after-capture` scenario (amount ending .09) plays that with a configurable gap; these
 * runs use real time (time scale 1) and the core's real polling (500 ms fast, 2 s idle), with
 * gaps shorter and longer than the poll interval.
 */
let h: Harness | null = null;
afterEach(async () => {
  h?.expectRequestsValid();
  await h?.close();
  h = null;
});

type Seen = { kind: string; at: number; orderStatus: string | undefined };

async function runToSignaturePrompt(gapMs: number) {
  h = await createHarness({ timeScale: 1, polling: defaultPolling });
  const harness = h;
  harness.sim.control.setSignatureGap(gapMs);
  const orderId = insertOrder(harness.db, 1209);
  const seen: Seen[] = [];
  const a = await harness.service.startSale({ orderId, terminalId: T1 });
  // Every state the cashier's screen was told about, with the order's status at that moment.
  let last = '';
  const watch = setInterval(() => {
    const kind = getAttempt(harness.db, a.id).state.kind;
    if (kind !== last) {
      last = kind;
      seen.push({ kind, at: Date.now(), orderStatus: orderState(harness.db, orderId)?.status });
    }
  }, 20);
  try {
    await harness.until(
      () => getAttempt(harness.db, a.id).state.kind === 'signature_required',
      20_000 + gapMs,
    );
  } finally {
    clearInterval(watch);
  }
  if (last !== 'signature_required')
    seen.push({
      kind: 'signature_required',
      at: Date.now(),
      orderStatus: orderState(harness.db, orderId)?.status,
    });
  // What the renderer was told, in order: the same story.
  const told = harness.progress.filter((p) => p.attemptId === a.id).map((p) => p.state.kind);
  expect(told.at(-1)).toBe('signature_required');
  expect(told).not.toContain('succeeded');
  const session = harness.sim.control.records().sessions.at(-1)?.session;
  const required = session?.statusEvents.find((e) => e.status === 'SignatureVerificationRequired');
  const captured = session?.statusEvents.find((e) => e.status === 'Captured');
  return { harness, orderId, attempt: a, seen, session, required, captured };
}

describe('the signature check that comes after Captured (real speed)', () => {
  it('gap 0.2 s (shorter than a poll): the prompt comes with its 80 s countdown, never "approved" first; accepted → paid', async () => {
    const r = await runToSignaturePrompt(200);
    expect(r.session?.statusEvents.map((e) => e.status)).toEqual([
      'InitiateRequested',
      'Initiated',
      'Captured',
      'SignatureVerificationRequired',
    ]);
    // The till never finished the sale before the signature check, and the order was not paid.
    expect(r.seen.map((s) => s.kind)).not.toContain('succeeded');
    expect(r.seen.every((s) => s.orderStatus === 'open')).toBe(true);
    const state = getAttempt(r.harness.db, r.attempt.id).state;
    expect(
      state.kind === 'signature_required' && Date.parse(state.deadlineAt) - Date.now(),
    ).toBeGreaterThan(75_000);
    // The prompt shows the card to compare (read from the captured intent).
    expect(getAttempt(r.harness.db, r.attempt.id).card?.last4).toMatch(/^\d{4}$/);
    await r.harness.service.signature(r.attempt.id, true);
    const done = await r.harness.settle(r.attempt, 10_000);
    expect(done.state.kind).toBe('succeeded');
    expect(done.signatureTaken).toBe(true);
    expect(orderState(r.harness.db, r.orderId)?.status).toBe('paid');
    expect(r.harness.paidOrders).toEqual([r.orderId]);
    // The terminal is free for the next customer at once, not after Dojo's 80 s default.
    expect(r.harness.sim.control.records().terminals.find((t) => t.id === T1)?.status).toBe(
      'Available',
    );
  });

  it('gap 1.5 s: "approved — a signature check may follow", then the prompt within a poll; rejected → reversed, order still open', async () => {
    const r = await runToSignaturePrompt(1500);
    const kinds = r.seen.map((s) => s.kind);
    expect(kinds).toContain('signature_may_follow');
    expect(kinds.indexOf('signature_may_follow')).toBeLessThan(kinds.indexOf('signature_required'));
    expect(kinds).not.toContain('succeeded');
    expect(r.seen.every((s) => s.orderStatus === 'open')).toBe(true);
    const prompted = r.seen.find((s) => s.kind === 'signature_required')?.at ?? 0;
    // Seen within about one fast poll (500 ms) of Dojo asking, allowing for a loaded machine.
    expect(prompted - Date.parse(r.required?.createdAt ?? '')).toBeLessThan(1500);
    const journal = r.harness.service.get(r.attempt.id).events;
    expect(journal.find((e) => e.type === 'signature-may-follow')?.detail).toMatchObject({
      intentStatus: 'Captured',
      verificationMethod: 'Signature',
    });
    await r.harness.service.signature(r.attempt.id, false);
    const done = await r.harness.settle(r.attempt, 10_000);
    expect(done.state).toMatchObject({ kind: 'declined' });
    expect(orderState(r.harness.db, r.orderId)).toMatchObject({ status: 'open', paid_minor: 0 });
    expect(r.harness.sim.control.records().paymentIntents.at(-1)?.status).toBe('Reversed');
  });

  it('gap 5 s (longer than the idle poll): the till keeps watching, then prompts; accepted → paid once', async () => {
    const r = await runToSignaturePrompt(5000);
    const waiting = r.seen.find((s) => s.kind === 'signature_may_follow');
    expect(waiting).toBeDefined();
    expect(r.seen.map((s) => s.kind)).not.toContain('succeeded');
    expect(r.seen.every((s) => s.orderStatus === 'open')).toBe(true);
    // It waited through the whole gap.
    const gap = Date.parse(r.required?.createdAt ?? '') - Date.parse(r.captured?.createdAt ?? '');
    expect(gap).toBeGreaterThanOrEqual(4900);
    const prompted = r.seen.find((s) => s.kind === 'signature_required')?.at ?? 0;
    expect(prompted - Date.parse(r.required?.createdAt ?? '')).toBeLessThan(1500);
    await r.harness.service.signature(r.attempt.id, true);
    const done = await r.harness.settle(r.attempt, 10_000);
    expect(done.state.kind).toBe('succeeded');
    expect(orderState(r.harness.db, r.orderId)?.paid_minor).toBe(1209);
    const tenders = r.harness.db
      .prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM tenders WHERE order_id = ?')
      .get(r.orderId);
    expect(tenders?.n).toBe(1);
  });
});

describe('no signature check before the session expires', () => {
  it('the till watches until expireAt, then the captured intent has the last word (paid)', async () => {
    // Time scale 0.02: the session expires 1.8 s after it starts, the gap would be 4 s.
    h = await createHarness({ timeScale: 0.02 });
    const harness = h;
    harness.sim.control.setSignatureGap(200_000);
    const orderId = insertOrder(harness.db, 2509);
    const a = await harness.service.startSale({ orderId, terminalId: T1 });
    await harness.until(() => getAttempt(harness.db, a.id).state.kind === 'signature_may_follow');
    expect(orderState(harness.db, orderId)?.status).toBe('open');
    const done = await harness.settle(a, 10_000);
    expect(done.state.kind).toBe('succeeded');
    expect(orderState(harness.db, orderId)?.status).toBe('paid');
    const session = harness.sim.control.records().sessions.at(-1)?.session;
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(session?.expireAt ?? ''));
  });

  it('a chip-and-PIN sale does not wait for a signature (Pin verified)', async () => {
    h = await createHarness();
    const orderId = insertOrder(h.db, 1000);
    const a = await h.service.startSale({ orderId, terminalId: T1 });
    const done = await h.settle(a);
    expect(done.state.kind).toBe('succeeded');
    expect(h.service.get(a.id).events.map((e) => e.type)).not.toContain('signature-may-follow');
  });
});
