import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentAttempt } from '../../../src-shared/domain/payments';
import { seededRandom } from '../../../src-main/simulator/chaos';
import { createHarness, T1, T2, T3, type Harness } from '../payments/harness';
import { ordersFixture } from '../orders/helpers';
import { FULL, printFigures, SEED, size } from './figures';

/**
 * Chaos: a day of mixed counter work (cash and card sales, split tenders, declines, cancels,
 * signature decisions, matched, unlinked and server refunds) through the real orders and payments
 * services against the real simulator over HTTP, with 20 % of Dojo requests faulted (drops, 5xx,
 * 429 with Retry-After, applied-then-reset) and two full outages. Then the operator's pass (check
 * again what is unconfirmed, finish what is open) and the money is counted from both sides.
 */
const OPERATIONS = size(70, 240);
const FINAL = new Set(['succeeded', 'declined', 'canceled', 'failed', 'unconfirmed']);

let h: Harness;
let orders: ReturnType<typeof ordersFixture>['orders'];

beforeAll(async () => {
  h = await createHarness({ timeScale: 0.004 });
  orders = ordersFixture(h.db).orders;
});
afterAll(async () => {
  await h?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe(`chaos: ${OPERATIONS} mixed operations under 20 % faults and two outages`, () => {
  it('every order ends final or flagged; no duplicate, no loss; the money reconciles', async () => {
    const started = Date.now();
    const rnd = seededRandom(SEED);
    const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
    const outageMs = size(700, 2500);
    h.sim.control.setChaos({
      seed: SEED,
      latencyMs: { min: 0, max: 15 },
      dropRate: 0.05,
      serverErrorRate: 0.05,
      rateLimitRate: 0.05,
      retryAfterSeconds: 1,
      applyThenResetRate: 0.05,
      outages: [
        { startMs: size(1500, 6000), durationMs: outageMs },
        { startMs: size(6000, 30_000), durationMs: outageMs },
      ],
    });

    const created: string[] = [];
    const cardSales: PaymentAttempt[] = [];
    const refusals: string[] = [];
    let operations = 0;
    let checkedAgain = 0;
    let manualRecords = 0;

    /** Waits for an attempt to end (or to ask for a signature). */
    async function wait(id: string): Promise<PaymentAttempt> {
      const end = Date.now() + 60_000;
      for (;;) {
        const a = h.service.get(id);
        if (FINAL.has(a.state.kind)) return a;
        if (a.state.kind === 'signature_required' && a.state.decided === null) return a;
        if (Date.now() > end) throw new Error(`attempt ${id} stuck in ${a.state.kind}`);
        await sleep(10);
      }
    }

    /**
     * Work the till still does on a terminal after refusing a call ("the till will try again"):
     * the cashier watches it end (accepting a signature it asks for) before trying anything else.
     */
    async function settleTerminal(terminalId: string): Promise<void> {
      const live = h.db
        .prepare('SELECT id FROM payment_attempts WHERE terminal_id = ? AND is_final = 0')
        .all(terminalId) as { id: string }[];
      for (const { id } of live) {
        let a = await wait(id);
        if (a.state.kind === 'unconfirmed') {
          // The terminal stays blocked until someone checks again: the cashier presses it.
          checkedAgain += 1;
          await h.service.checkAgain(id).catch(() => undefined);
          a = await wait(id);
          if (a.state.kind === 'unconfirmed' && a.kind === 'unlinked_refund')
            a = await lookAtTerminal(a);
        }
        if (a.state.kind === 'signature_required') {
          await h.service.signature(id, true).catch(() => undefined);
          await wait(id);
        }
      }
    }

    /**
     * An unlinked refund the till cannot confirm: the manager looks at the terminal's last
     * transactions (here, the simulator's record of what the terminal did) and records it.
     */
    const claimed = new Set<string>();
    async function lookAtTerminal(a: PaymentAttempt): Promise<PaymentAttempt> {
      // A terminal still busy has not finished what it may be doing for us: wait for its screen.
      const end = Date.now() + 30_000;
      while (
        h.sim.control.records().terminals.find((t) => t.id === a.terminalId)?.status !==
          'Available' &&
        Date.now() < end
      )
        await sleep(10);
      const known = new Set(
        (
          h.db
            .prepare('SELECT session_id FROM payment_attempts WHERE session_id IS NOT NULL')
            .all() as { session_id: string }[]
        ).map((r) => r.session_id),
      );
      const sessions = h.sim.control.records().sessions;
      const ran = h.sim.control
        .records()
        .refunds.find(
          (r) =>
            !claimed.has(r.refundId) &&
            r.source === 'terminal' &&
            r.paymentIntentId === null &&
            r.amount === a.amountMinor &&
            r.terminalSessionId !== null &&
            !known.has(r.terminalSessionId) &&
            sessions.some(
              (s) => s.session.id === r.terminalSessionId && s.session.terminalId === a.terminalId,
            ),
        );
      manualRecords += 1;
      const recorded = await h.service
        .recordManually({
          attemptId: a.id,
          outcome: ran ? 'paid' : 'not-paid',
          note: ran ? 'the terminal shows the refund' : 'nothing on the terminal',
        })
        .catch(() => h.service.get(a.id));
      // The terminal's refund is this attempt's now: a second look does not count it again.
      if (ran && recorded.state.kind === 'succeeded') claimed.add(ran.refundId);
      return recorded;
    }

    /** A call the cashier repeats when the till refuses it (Dojo away): at most `tries` times. */
    async function tryCall<T>(
      what: string,
      fn: () => Promise<T>,
      tries = 4,
      terminalId?: string,
    ): Promise<T | null> {
      for (let i = 0; i < tries; i++) {
        try {
          return await fn();
        } catch (err) {
          refusals.push(`${what}: ${err instanceof Error ? err.message : String(err)}`);
          if (terminalId) await settleTerminal(terminalId);
          await sleep(100);
        }
      }
      return null;
    }

    function newOrder(totalMinor: number): string {
      const order = orders.createOrder({
        lines: [
          {
            kind: 'custom',
            name: 'Chaos item',
            unitPriceMinor: totalMinor,
            vatRateBp: 2000,
            quantity: 1,
          },
        ],
      });
      created.push(order.id);
      return order.id;
    }

    const remaining = (orderId: string) => {
      const o = orders.getOrder(orderId);
      return o.totalMinor - o.paidMinor;
    };

    async function payRestInCash(orderId: string): Promise<void> {
      // A card attempt the till still runs (or cannot confirm) blocks cash: wait for its end.
      for (const a of h.service.listForOrder(orderId)) {
        const end = await wait(a.id);
        if (end.state.kind === 'unconfirmed') return;
        if (end.state.kind === 'signature_required') {
          await tryCall('signature', () => h.service.signature(a.id, true), 3);
          if ((await wait(a.id)).state.kind === 'unconfirmed') return;
        }
      }
      const rest = remaining(orderId);
      if (rest <= 0) return;
      orders.payCash({ orderId, amountMinor: rest, tenderedMinor: Math.ceil(rest / 500) * 500 });
    }

    /** A card payment as a cashier takes it: retried a couple of times, cash when it will not go. */
    async function card(
      orderId: string,
      terminalId: string,
      opts: { amountMinor?: number; signature?: boolean; cancel?: boolean } = {},
    ): Promise<void> {
      for (let round = 0; round < 2; round++) {
        const start = await tryCall(
          'start sale',
          () =>
            h.service.startSale({
              orderId,
              terminalId,
              ...(opts.amountMinor ? { amountMinor: opts.amountMinor } : {}),
            }),
          4,
          terminalId,
        );
        // A refused start may still have taken the card in the background: count what succeeded.
        for (const a of h.service.listForOrder(orderId))
          if (a.state.kind === 'succeeded' && !cardSales.some((c) => c.id === a.id))
            cardSales.push(a);
        if (orders.getOrder(orderId).status === 'paid') return;
        if (!start) break;
        if (opts.cancel) {
          await sleep(int(20, 80));
          await tryCall('cancel', () => h.service.cancel(start.id), 2);
        }
        let a = await wait(start.id);
        if (a.state.kind === 'signature_required') {
          const accepted = rnd() < 0.5;
          await tryCall('signature', () => h.service.signature(start.id, accepted), 3);
          a = await wait(start.id);
        }
        if (a.state.kind === 'succeeded') {
          cardSales.push(a);
          return;
        }
        // Ambiguous: the order stays blocked, flagged for the operator (checked again below).
        if (a.state.kind === 'unconfirmed') return;
        if (opts.cancel || a.state.kind === 'declined') break;
      }
      await payRestInCash(orderId);
    }

    async function operation(terminalId: string): Promise<void> {
      operations += 1;
      const pounds = int(2, 40) * 100;
      const pick = rnd();
      if (pick < 0.14) {
        await payRestInCash(newOrder(pounds + int(0, 99)));
      } else if (pick < 0.4) {
        await card(newOrder(pounds + (rnd() < 0.5 ? 0 : 3)), terminalId);
      } else if (pick < 0.52) {
        // Split: cash first, then the card for the rest (ending in 00: a chip sale).
        const orderId = newOrder(pounds + 1050);
        orders.payCash({ orderId, amountMinor: 550, tenderedMinor: 1000 });
        await card(orderId, terminalId);
      } else if (pick < 0.6) {
        await card(newOrder(pounds + 2), terminalId, { signature: true });
      } else if (pick < 0.66) {
        await card(newOrder(pounds + 1), terminalId);
      } else if (pick < 0.72) {
        await card(newOrder(pounds + 4), terminalId, { cancel: true });
      } else {
        const sale = cardSales[int(0, cardSales.length - 1)];
        if (!sale) return card(newOrder(pounds), terminalId);
        const kind = pick < 0.82 ? 'matched' : pick < 0.9 ? 'server' : 'unlinked';
        if (kind === 'matched') {
          const r = await tryCall(
            'matched refund',
            () =>
              h.service.matchedRefund({
                originalAttemptId: sale.id,
                terminalId,
                amountMinor: 100,
              }),
            2,
            terminalId,
          );
          if (r) await wait(r.attempt.id);
        } else if (kind === 'server') {
          await tryCall(
            'server refund',
            () => h.service.serverRefund({ originalAttemptId: sale.id, amountMinor: 100 }),
            2,
          );
        } else {
          const r = await tryCall(
            'unlinked refund',
            () => h.service.unlinkedRefund({ terminalId, amountMinor: 200 }),
            2,
            terminalId,
          );
          if (r) await wait(r.attempt.id);
        }
      }
    }

    const terminals = [T1, T2, T3];
    let left = OPERATIONS;
    await Promise.all(
      terminals.map(async (t) => {
        while (left > 0) {
          left -= 1;
          await operation(t);
        }
      }),
    );
    const chaos = h.sim.control.chaosReport();
    h.sim.control.clearChaos();

    // The operator's pass: check again what could not be confirmed, then finish what is open.
    let flagged = 0;
    let finishedByOperator = 0;
    const unconfirmedIds = h.db
      .prepare("SELECT id FROM payment_attempts WHERE state = 'unconfirmed'")
      .all() as { id: string }[];
    for (const { id } of unconfirmedIds) {
      let b = await h.service.checkAgain(id).catch(() => h.service.get(id));
      if (b.state.kind === 'unconfirmed' && b.kind === 'unlinked_refund')
        b = await lookAtTerminal(b);
      if (b.state.kind === 'succeeded' && b.kind === 'sale') cardSales.push(b);
    }
    for (const id of created) {
      if (orders.getOrder(id).status === 'paid') continue;
      if (h.service.listForOrder(id).some((a) => a.state.kind === 'unconfirmed')) flagged += 1;
      else {
        finishedByOperator += 1;
        await payRestInCash(id);
      }
    }
    const drainEnd = Date.now() + 30_000;
    while (
      (
        h.db.prepare("SELECT count(*) AS n FROM outbox WHERE status = 'pending'").get() as {
          n: number;
        }
      ).n > 0
    ) {
      if (Date.now() > drainEnd) throw new Error('the refund queue did not drain');
      await h.service.drainRefundOutbox();
      await sleep(100);
    }

    // Invariants, counted from the simulator's own records and the till's database.
    let invariants = 0;
    const check = (ok: boolean, what: string) => {
      invariants += 1;
      expect(ok, what).toBe(true);
    };
    const rec = h.sim.control.records();
    type Row = Record<string, unknown>;
    const attempts = h.db.prepare('SELECT * FROM payment_attempts').all() as Row[];
    const tenders = h.db.prepare('SELECT * FROM tenders').all() as Row[];
    const refunds = h.db.prepare('SELECT * FROM refunds').all() as Row[];

    // Zero lost orders; each final (paid) or flagged (an unconfirmed attempt).
    for (const id of created) {
      const o = orders.getOrder(id);
      check(o !== undefined, `order ${id} kept`);
      const unconfirmed = h.service.listForOrder(id).some((a) => a.state.kind === 'unconfirmed');
      check(o.status === 'paid' || unconfirmed, `order ${o.reference} is ${o.status}`);
    }
    check(
      (h.db.prepare('SELECT count(*) AS n FROM orders').get() as { n: number }).n ===
        created.length,
      'no order appeared from nowhere',
    );

    // Zero duplicate payment intents: an intent is reused only after it took no money, and each
    // intent holding money is exactly one succeeded sale's, one card tender.
    const saleAttempts = attempts.filter((a) => a.kind === 'sale');
    const cardTenderRows = tenders.filter((t) => t.kind === 'card');
    for (const pi of rec.paymentIntents) {
      const holdsMoney = pi.status === 'Captured' || pi.status === 'Refunded';
      const owners = saleAttempts.filter((a) => a.payment_intent_id === pi.id);
      const succeeded = owners.filter((a) => a.state === 'succeeded');
      check(succeeded.length <= 1, `intent ${pi.id} succeeded ${succeeded.length} times`);
      if (holdsMoney) {
        check(succeeded.length === 1, `captured intent ${pi.id} belongs to a succeeded sale`);
        const tender = cardTenderRows.filter((t) => t.attempt_id === succeeded[0]?.id);
        check(tender.length === 1, `captured intent ${pi.id} is one card tender`);
      }
    }
    // Zero duplicate sessions: a session belongs to one attempt; an intent is captured once.
    const sessionOwners = new Map<string, number>();
    for (const a of attempts)
      if (typeof a.session_id === 'string')
        sessionOwners.set(a.session_id, (sessionOwners.get(a.session_id) ?? 0) + 1);
    for (const [sid, n] of sessionOwners) check(n === 1, `session ${sid} used ${n} times`);
    const captures = new Map<string, number>();
    for (const s of rec.sessions) {
      const pi = s.session.details.sale?.paymentIntentId;
      if (pi && ['Captured', 'SignatureVerificationAccepted'].includes(s.session.status))
        captures.set(pi, (captures.get(pi) ?? 0) + 1);
    }
    for (const [pi, n] of captures) check(n === 1, `intent ${pi} captured by ${n} sessions`);

    // Zero duplicate refunds: every refund Dojo made is one refund of the till's, completed or
    // (its terminal attempt unconfirmed) flagged; every completed one is one of Dojo's.
    const doneRefunds = refunds.filter((r) => r.status === 'completed');
    const attemptById = new Map(attempts.map((a) => [a.id, a]));
    const tillRefundOf = (r: (typeof rec.refunds)[number]) =>
      refunds.filter((x) =>
        r.source === 'api'
          ? x.dojo_refund_id === r.refundId
          : attemptById.get(String(x.attempt_id))?.session_id === r.terminalSessionId,
      );
    // An unlinked refund a manager recorded as refunded (the till never learnt its session) is
    // matched to the terminal's refund by terminal and amount, one for one.
    const manual = attempts.filter(
      (a) => a.kind === 'unlinked_refund' && a.session_id === null && a.state === 'succeeded',
    );
    const sessionTerminal = new Map(rec.sessions.map((s) => [s.session.id, s.session.terminalId]));
    let flaggedRefunds = 0;
    for (const r of rec.refunds) {
      let mine = tillRefundOf(r);
      if (mine.length === 0 && r.source === 'terminal') {
        const i = manual.findIndex(
          (a) =>
            a.amount_minor === r.amount &&
            a.terminal_id === sessionTerminal.get(String(r.terminalSessionId)),
        );
        const [a] = i >= 0 ? manual.splice(i, 1) : [];
        mine = refunds.filter((x) => a && x.attempt_id === a.id);
      }
      check(
        mine.length === 1,
        `Dojo refund ${JSON.stringify(r)} is ${mine.length} refunds of the till`,
      );
      const m = mine[0];
      const attemptState = attemptById.get(String(m?.attempt_id))?.state;
      if (m?.status !== 'completed') flaggedRefunds += 1;
      check(
        m?.status === 'completed' || attemptState === 'unconfirmed',
        `Dojo refund ${r.refundId}: the till's is ${String(m?.status)} (attempt ${String(attemptState)})`,
      );
    }
    check(manual.length === 0, `${manual.length} refunds recorded by hand that Dojo never made`);
    for (const x of doneRefunds)
      check(
        rec.refunds.some((r) => tillRefundOf(r).includes(x)) ||
          attemptById.get(String(x.attempt_id))?.session_id === null,
        `completed refund ${String(x.id)} is one of Dojo's`,
      );
    const keys = rec.refunds.map((r) => r.idempotencyKey).filter((k) => k !== null);
    check(new Set(keys).size === keys.length, 'no idempotency key refunded twice');

    // To the penny: Dojo's money = the till's card tenders and refunds; each order adds up.
    const sum = (xs: Row[], col: string) => xs.reduce((s, x) => s + Number(x[col]), 0);
    const dojoTaken = rec.paymentIntents
      .filter((p) => p.status === 'Captured' || p.status === 'Refunded')
      .reduce((s, p) => s + p.amount.value, 0);
    const cardTenders = tenders.filter((t) => t.kind === 'card');
    check(dojoTaken === sum(cardTenders, 'amount_minor'), 'card money reconciles with Dojo');
    const flaggedRefundMoney = rec.refunds
      .filter((r) => tillRefundOf(r)[0]?.status === 'pending')
      .reduce((s, r) => s + r.amount, 0);
    check(
      rec.refunds.reduce((s, r) => s + r.amount, 0) ===
        sum(doneRefunds, 'amount_minor') + flaggedRefundMoney,
      'refunded money reconciles with Dojo',
    );
    for (const id of created) {
      const o = orders.getOrder(id);
      const t = sum(
        tenders.filter((x) => x.order_id === id),
        'amount_minor',
      );
      const r = sum(
        doneRefunds.filter((x) => x.order_id === id),
        'amount_minor',
      );
      check(o.paidMinor === t, `order ${o.reference}: paid ${o.paidMinor} = tenders ${t}`);
      if (o.status === 'paid') check(t === o.totalMinor, `order ${o.reference} paid in full`);
      check(o.refundedMinor === r, `order ${o.reference}: refunded ${o.refundedMinor} = ${r}`);
    }
    check(chaos.byKind.outage > 0, 'the outages hit requests');
    const faults = chaos.injected;
    check(faults / Math.max(1, chaos.requests) > 0.1, 'faults were injected');
    h.expectRequestsValid();

    printFigures('chaos', {
      operations,
      faults,
      invariants,
      ms: Date.now() - started,
      extra: {
        seed: SEED,
        'Dojo requests': chaos.requests,
        orders: created.length,
        'card sales': cardSales.length,
        refunds: doneRefunds.length,
        'flagged for the operator': flagged,
        'refunds flagged': flaggedRefunds,
        'finished by the operator': finishedByOperator,
        'refused and retried': refusals.length,
        'checked again by the cashier': checkedAgain,
        'recorded by a manager': manualRecords,
      },
    });
    expect(operations).toBeGreaterThanOrEqual(OPERATIONS);
    if (FULL) expect(operations).toBeGreaterThanOrEqual(200);
  }, 600_000);
});
