import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, insertOrder, orderState, T1, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  h.expectRequestsValid();
  await h.close();
});

/**
 * Payments applies card tenders through the orders feature (docs/ARCHITECTURE.md, the card-sale
 * path): every screen hears `orders:changed` for a card payment as it does for cash, and the
 * order-paid hook runs once, from the orders feature, whichever tender completed the order.
 */
describe('card payments go through the orders port', () => {
  it('a captured card sale announces the paid order before its final progress, and runs the paid hook once', async () => {
    const orderId = insertOrder(h.db, 1250);
    const done = await h.settle(await h.service.startSale({ orderId, terminalId: T1 }));
    expect(done.state.kind).toBe('succeeded');
    const changes = h.ordersChanged.filter((c) => c.orderId === orderId);
    expect(changes).toEqual([{ orderId, reference: expect.any(String) as string, status: 'paid' }]);
    expect(h.paidOrders).toEqual([orderId]);
    // The screen that hears the final progress has already been told the order is paid.
    const seen = h.eventOrder.filter(
      (e) => e === `orders:changed ${orderId}` || e === `final ${done.id}`,
    );
    expect([...new Set(seen)]).toEqual([`orders:changed ${orderId}`, `final ${done.id}`]);
    expect(orderState(h.db, orderId)).toMatchObject({ status: 'paid', paid_minor: 1250 });
  });

  it('a part payment by card announces the order still open; cash for the rest pays it, hook once', async () => {
    const orderId = insertOrder(h.db, 1000);
    const part = await h.settle(
      await h.service.startSale({ orderId, terminalId: T1, amountMinor: 400 }),
    );
    expect(part.state.kind).toBe('succeeded');
    expect(h.ordersChanged.filter((c) => c.orderId === orderId).map((c) => c.status)).toEqual([
      'open',
    ]);
    expect(h.paidOrders).toEqual([]);
    h.orders.payCash({ orderId, amountMinor: 600, tenderedMinor: 600 });
    expect(h.ordersChanged.filter((c) => c.orderId === orderId).map((c) => c.status)).toEqual([
      'open',
      'paid',
    ]);
    expect(h.paidOrders).toEqual([orderId]);
  });

  it('a declined card changes nothing on the order and announces nothing', async () => {
    const orderId = insertOrder(h.db, 1250);
    h.sim.control.forceScenario('declined', T1);
    const done = await h.settle(await h.service.startSale({ orderId, terminalId: T1 }));
    expect(done.state.kind).toBe('declined');
    expect(h.ordersChanged.filter((c) => c.orderId === orderId)).toEqual([]);
    expect(h.paidOrders).toEqual([]);
    expect(orderState(h.db, orderId)).toMatchObject({ status: 'open', paid_minor: 0 });
  });

  it('no payment flow writes or queries the orders tables itself', () => {
    const flows = [
      'sale-flow.ts',
      'refund-flow.ts',
      'recovery.ts',
      'session-create.ts',
      'attempt-driver.ts',
      'session-read.ts',
      'attempt-outcome.ts',
      'attempt-transitions.ts',
      'cashier-flow.ts',
      'manual-record.ts',
      'server-refunds.ts',
      'payments.service.ts',
      'attempts.repo.ts',
      'terminals.ts',
    ];
    const offending = flows.filter((file) => {
      const text = readFileSync(path.join('src-main/payments', file), 'utf8');
      return /\b(FROM|JOIN|INTO|UPDATE)\s+(orders|order_lines|order_line_modifiers|tenders)\b/i.test(
        text,
      );
    });
    expect(offending).toEqual([]);
  });
});
