import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ordersFixture, tempDb, type TempDb } from '../../tests/integration/orders/helpers';
import type { Db } from '../db/connection';
import { addTender } from './tenders.repo';

let t: TempDb | undefined;
afterEach(() => t?.cleanup());

function insertAttempt(db: Db, orderId: string, amountMinor: number): string {
  const id = randomUUID();
  const now = new Date().toISOString();
  db.prepare(
    `INSERT INTO payment_attempts (id, order_id, kind, amount_minor, currency, terminal_id, state, is_final, created_at, updated_at)
     VALUES (?, ?, 'sale', ?, 'GBP', 'tm_1', 'Captured', 1, ?, ?)`,
  ).run(id, orderId, amountMinor, now, now);
  return id;
}

function setup(totalPence = 1000) {
  t = tempDb();
  const f = ordersFixture(t.db);
  const order = f.orders.createOrder({
    lines: [
      { kind: 'custom', name: 'Hamper', unitPriceMinor: totalPence, vatRateBp: 2000, quantity: 1 },
    ],
  });
  return { ...f, db: t.db, order };
}

describe('addTender', () => {
  it('gives change for cash and completes the order', () => {
    const { db, order } = setup(1000);
    const r = addTender(db, {
      orderId: order.id,
      kind: 'cash',
      amountMinor: 1000,
      tenderedMinor: 2000,
    });
    expect(r).toMatchObject({ orderCompleted: true, remainingMinor: 0, changeMinor: 1000 });
    const row = db
      .prepare('SELECT status, paid_minor, change_minor FROM orders WHERE id = ?')
      .get(order.id);
    expect(row).toEqual({ status: 'paid', paid_minor: 1000, change_minor: 1000 });
  });

  it('takes cash beyond what is owed as change, never as an overpayment', () => {
    const { db, order } = setup(1000);
    const r = addTender(db, {
      orderId: order.id,
      kind: 'cash',
      amountMinor: 1500,
      tenderedMinor: 1500,
    });
    expect(r).toMatchObject({ orderCompleted: true, changeMinor: 500 });
  });

  it('splits cash then card; the card tender is idempotent on its attempt id', () => {
    const { db, order } = setup(1000);
    const cash = addTender(db, {
      orderId: order.id,
      kind: 'cash',
      amountMinor: 400,
      tenderedMinor: 500,
    });
    expect(cash).toMatchObject({ orderCompleted: false, remainingMinor: 600, changeMinor: 100 });
    const attemptId = insertAttempt(db, order.id, 600);
    const card = {
      orderId: order.id,
      kind: 'card' as const,
      amountMinor: 600,
      attemptId,
      terminalId: 'tm_1',
      cardLast4: '4242',
    };
    const first = addTender(db, card);
    expect(first).toMatchObject({ orderCompleted: true, remainingMinor: 0, changeMinor: 0 });
    expect(first.alreadyRecorded).toBeUndefined();
    const again = addTender(db, card);
    expect(again).toEqual({
      tenderId: first.tenderId,
      orderCompleted: true,
      remainingMinor: 0,
      changeMinor: 0,
      roundingMinor: 0,
      alreadyRecorded: true,
    });
    expect(
      db.prepare('SELECT count(*) AS n FROM tenders WHERE order_id = ?').get(order.id),
    ).toEqual({ n: 2 });
    expect(db.prepare('SELECT paid_minor FROM orders WHERE id = ?').get(order.id)).toEqual({
      paid_minor: 1000,
    });
  });

  it('records a card payment above the remainder in full (money already taken)', () => {
    const { db, order } = setup(1000);
    addTender(db, {
      orderId: order.id,
      kind: 'card',
      amountMinor: 1200,
      attemptId: insertAttempt(db, order.id, 1200),
    });
    expect(db.prepare('SELECT paid_minor, status FROM orders WHERE id = ?').get(order.id)).toEqual({
      paid_minor: 1200,
      status: 'paid',
    });
  });

  it('refuses: short cash, bad amounts, paid, voided, parked, unknown order, attempt on another order', () => {
    const { db, order, orders } = setup(1000);
    expect(() =>
      addTender(db, { orderId: order.id, kind: 'cash', amountMinor: 500, tenderedMinor: 400 }),
    ).toThrow('Cash handed over is less than the amount to pay.');
    expect(() => addTender(db, { orderId: order.id, kind: 'cash', amountMinor: 0 })).toThrow(
      'A payment must be a whole, positive number of pence.',
    );
    expect(() => addTender(db, { orderId: order.id, kind: 'cash', amountMinor: 1.5 })).toThrow(
      'A payment must be a whole, positive number of pence.',
    );
    expect(() => addTender(db, { orderId: randomUUID(), kind: 'cash', amountMinor: 100 })).toThrow(
      'That order does not exist.',
    );
    const attemptId = insertAttempt(db, order.id, 1000);
    addTender(db, { orderId: order.id, kind: 'card', amountMinor: 1000, attemptId });
    expect(() => addTender(db, { orderId: order.id, kind: 'cash', amountMinor: 100 })).toThrow(
      'This order is already paid',
    );
    const other = orders.createOrder({
      lines: [{ kind: 'custom', name: 'Tea', unitPriceMinor: 250, vatRateBp: 2000, quantity: 1 }],
    });
    expect(() =>
      addTender(db, { orderId: other.id, kind: 'card', amountMinor: 250, attemptId }),
    ).toThrow('This card payment is already recorded against a different order.');
    orders.park({ orderId: other.id });
    expect(() => addTender(db, { orderId: other.id, kind: 'cash', amountMinor: 250 })).toThrow(
      'This order is parked: resume it before taking payment.',
    );
    const third = orders.createOrder({
      lines: [{ kind: 'custom', name: 'Tea', unitPriceMinor: 250, vatRateBp: 2000, quantity: 1 }],
    });
    orders.void(third.id);
    expect(() => addTender(db, { orderId: third.id, kind: 'cash', amountMinor: 250 })).toThrow(
      'This order is already voided',
    );
  });

  it('keeps an awaiting-card order awaiting card after a part payment in cash', () => {
    const { db, order, orders } = setup(1000);
    orders.park({ orderId: order.id, awaitingCard: true });
    addTender(db, { orderId: order.id, kind: 'cash', amountMinor: 300, tenderedMinor: 300 });
    expect(orders.listAwaitingCard().map((o) => [o.id, o.remainingMinor])).toEqual([
      [order.id, 700],
    ]);
  });
});
