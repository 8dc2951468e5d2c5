import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rolePermissions, type Permission } from '../../../src-shared/domain/staff';
import { PINS, staffCore, type StaffCore } from './core-fixture';

const T1 = 'tm_sandbox_65f0a1c0e1d2c3b4a5960001';
const NO_SUCH = '6c1b1b3e-6b7a-4f53-9d7a-1d2f3a4b5c6d';

/** Refusals that mean "the guard stopped it"; anything else means the guard let it through. */
const GUARD = [
  'PERMISSION_DENIED',
  'SIGN_IN_REQUIRED',
  'MANAGER_PIN_INVALID',
  'MANAGER_PIN_LOCKED',
];

describe('permissions are enforced in the core, on every channel that needs one', () => {
  let t: StaffCore;
  let productId = '';
  beforeAll(async () => {
    t = await staffCore();
    const list = await t.call<{ id: string }[]>('catalogue:list', {});
    productId = list.ok ? (list.value[0]?.id ?? '') : '';
  });
  afterAll(async () => {
    await t.close();
  });

  /** A fresh cash sale by whoever is signed in; its order id. */
  const cashSale = async (totalDiscount?: number) => {
    const order = await t.call<{ id: string; totalMinor: number }>('orders:create', {
      lines: [{ kind: 'product', productId, quantity: 1 }],
      ...(totalDiscount ? { discount: { kind: 'percent', percentBp: totalDiscount } } : {}),
    });
    if (!order.ok) throw new Error(order.error.message);
    return order.value;
  };

  // One input per permission: something the channel accepts (or refuses for its own reasons).
  const cases: [Permission, string, () => unknown][] = [
    [
      'refund.matched',
      'refunds:matched',
      () => ({ originalAttemptId: NO_SUCH, terminalId: T1, idempotencyKey: randomUUID() }),
    ],
    [
      'refund.server',
      'refunds:server',
      () => ({ originalAttemptId: NO_SUCH, idempotencyKey: randomUUID() }),
    ],
    [
      'refund.unlinked',
      'refunds:unlinked',
      () => ({ terminalId: 'tm_nope', amountMinor: 100, idempotencyKey: randomUUID() }),
    ],
    [
      'refund.cash',
      'refunds:cash',
      () => ({ orderId: NO_SUCH, amountMinor: 100, idempotencyKey: randomUUID() }),
    ],
    [
      'payment.record-manually',
      'payments:record-manually',
      () => ({ attemptId: NO_SUCH, outcome: 'paid', note: 'slip says approved' }),
    ],
    [
      'discount.above-limit',
      'orders:create',
      () => ({
        lines: [{ kind: 'product', productId, quantity: 1 }],
        discount: { kind: 'percent', percentBp: 5000 },
      }),
    ],
    [
      'discount.above-limit',
      'orders:sell-cash',
      () => ({
        lines: [{ kind: 'product', productId, quantity: 1 }],
        discount: { kind: 'percent', percentBp: 5000 },
        tenderedMinor: 100_000,
        idempotencyKey: randomUUID(),
      }),
    ],
    [
      'order.void',
      'orders:void',
      async () => {
        // Someone else's order (the cashier's own unpaid order is hers to void on going back).
        const { id } = await cashSale();
        t.core.db.prepare('UPDATE orders SET staff_id = ? WHERE id = ?').run(t.ids.manager, id);
        return { orderId: id };
      },
    ],
    ['drawer.no-sale', 'drawer:no-sale', () => ({ reason: 'change for the float' })],
    [
      'drawer.pay-in-out',
      'drawer:pay',
      () => ({
        movement: { direction: 'in', amountMinor: 500, reason: 'change' },
        idempotencyKey: randomUUID(),
      }),
    ],
    ['day.open', 'day:open', () => ({ float: [{ valueMinor: 1000, quantity: 5 }] })],
    [
      'day.close',
      'reports:close-day',
      () => ({ confirm: true, count: [{ valueMinor: 1000, quantity: 1 }] }),
    ],
    ['report.x', 'reports:end-of-day', () => ({})],
    ['report.x', 'cash:summary', () => ({})],
    ['report.x', 'reports:dojo-checks', () => ({})],
    ['settings.edit', 'settings:update', () => ({ shopName: 'The Corner Café' })],
    ['settings.printer', 'settings:update', () => ({ printer: 'none' })],
    // Removing the key also asks for a manager's PIN of its own (the key-change check).
    ['settings.dojo-key', 'credentials:clear', () => ({ managerPin: PINS.manager })],
    ['settings.printer', 'printing:test', () => undefined],
    [
      'catalogue.edit',
      'catalogue:upsert',
      () => ({ name: 'Scone', category: 'Bakery', priceMinor: 250, vatRateBp: 0 }),
    ],
    [
      'catalogue.edit',
      'catalogue:import-csv',
      () => ({ csv: 'name,category,price,vat\nMuffin,Bakery,2.10,0\n' }),
    ],
    ['staff.manage', 'staff:list', () => ({})],
    [
      'staff.manage',
      'staff:create',
      () => ({
        name: `New ${Math.random()}`.slice(0, 20),
        role: 'cashier',
        pin: String(20_000 + Math.floor(Math.random() * 70_000)),
      }),
    ],
    ['staff.manage', 'staff:set-config', () => ({ idleMinutes: 5, discountLimitBp: 1000 })],
  ];

  const guardCode = (r: { ok: boolean; error?: { code: string } }) =>
    r.ok ? null : GUARD.includes(r.error?.code ?? '') ? r.error?.code : null;

  it('the table: cashiers sell, supervisors run the floor, managers do everything', () => {
    expect(rolePermissions.cashier).toEqual([]);
    expect(rolePermissions.supervisor).not.toContain('day.close');
    expect(rolePermissions.supervisor).not.toContain('settings.dojo-key');
    expect(rolePermissions.supervisor).not.toContain('staff.manage');
    expect(rolePermissions.supervisor).toContain('refund.matched');
  });

  it.each(cases)('%s (%s): refused, overridden, allowed', async (permission, channel, input) => {
    // Refused: a cashier, in plain words, nothing written.
    t.as('cashier');
    const body = await input();
    const before = t.rows();
    const refused = await t.call(channel, body);
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'PERMISSION_DENIED',
        message:
          /^Cy \(cashier\) may not .+: a supervisor or manager can approve it with their PIN\.$/,
      },
    });
    expect(t.rows()).toEqual(before);

    // A cashier's PIN cannot approve.
    expect(
      await t.call(channel, { ...(body as object), approval: { pin: PINS.cashier } }),
    ).toMatchObject({
      ok: false,
      error: { code: 'PERMISSION_DENIED', message: /is a cashier and cannot approve/ },
    });
    expect(t.rows()).toEqual(before);

    // Overridden: the lowest role that has the permission approves this one action.
    const approver = rolePermissions.supervisor.includes(permission) ? 'supervisor' : 'manager';
    if (approver === 'manager') {
      expect(
        await t.call(channel, { ...(body as object), approval: { pin: PINS.supervisor } }),
      ).toMatchObject({
        ok: false,
        error: { code: 'PERMISSION_DENIED', message: /cannot approve this: ask a manager/ },
      });
    }
    const overridden = await t.call(channel, {
      ...(body as object),
      approval: { pin: PINS[approver] },
    });
    expect([channel, guardCode(overridden)]).toEqual([channel, null]);
    if (overridden.ok) {
      const row = t.core.db
        .prepare(
          "SELECT staff_id, approved_by, details FROM audit_log WHERE action = 'staff.override' ORDER BY id DESC LIMIT 1",
        )
        .get() as { staff_id: string; approved_by: string; details: string };
      expect(row).toMatchObject({ staff_id: t.ids.cashier, approved_by: t.ids[approver] });
      expect(JSON.parse(row.details)).toMatchObject({ permission, action: channel });
    }

    // Allowed: signed in with the role, no PIN needed.
    t.as(approver);
    const allowed = await t.call(channel, await input());
    expect([channel, guardCode(allowed)]).toEqual([channel, null]);
    if (approver === 'manager') {
      t.as('supervisor');
      expect(await t.call(channel, await input())).toMatchObject({
        ok: false,
        error: { code: 'PERMISSION_DENIED', message: /^Sue \(supervisor\) may not/ },
      });
    }
  });

  it('with nobody signed in only the PIN pad and status answer; selling needs someone', async () => {
    t.as(null);
    expect(
      await t.call('orders:create', { lines: [{ kind: 'product', productId, quantity: 1 }] }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'SIGN_IN_REQUIRED',
        message: 'Nobody is signed in: sign in with your PIN first.',
      },
    });
    expect((await t.call('staff:session')).ok).toBe(true);
    expect((await t.call('app:info')).ok).toBe(true);
    expect(await t.call('staff:sign-in', { pin: '12a4' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: /4 to 8 digits/ },
    });
  });

  it('names on the money: the order, its tender and the audit carry who did it', async () => {
    t.as('cashier');
    const order = await cashSale();
    const paid = await t.call('orders:pay-cash', {
      orderId: order.id,
      amountMinor: order.totalMinor,
      tenderedMinor: order.totalMinor,
      idempotencyKey: randomUUID(),
    });
    expect(paid.ok).toBe(true);
    expect(await t.call('orders:get', { orderId: order.id })).toMatchObject({
      ok: true,
      value: { staffName: 'Cy' },
    });
    expect(t.core.db.prepare('SELECT staff_id FROM orders WHERE id = ?').get(order.id)).toEqual({
      staff_id: t.ids.cashier,
    });
    expect(
      t.core.db.prepare('SELECT staff_id FROM tenders WHERE order_id = ?').all(order.id),
    ).toEqual([{ staff_id: t.ids.cashier }]);
  });

  it('a discount within the limit needs nobody; above it, an approval', async () => {
    t.as('cashier');
    expect((await cashSale(1000)).id).toBeTruthy();
    await expect(cashSale(1001)).rejects.toThrow(/may not give a discount above the limit/);
    const before = t.rows();
    expect(
      await t.call('orders:park', {
        basket: {
          lines: [{ kind: 'product', productId, quantity: 1 }],
          discount: { kind: 'percent', percentBp: 5000 },
        },
      }),
    ).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } });
    expect(t.rows()).toEqual(before);
  });
});

describe('an override on a real card refund', () => {
  it("a cashier's unlinked refund with a supervisor's PIN: both names on the refund and the attempt", async () => {
    const t = await staffCore();
    try {
      const list = await t.call<{ id: string }[]>('catalogue:list', {});
      const productId = list.ok ? (list.value[0]?.id ?? '') : '';
      t.as('cashier');
      const order = await t.call<{ id: string; totalMinor: number }>('orders:create', {
        lines: [{ kind: 'product', productId, quantity: 1 }],
      });
      if (!order.ok) throw new Error(order.error.message);
      await t.call('orders:pay-cash', {
        orderId: order.value.id,
        amountMinor: order.value.totalMinor,
        tenderedMinor: order.value.totalMinor,
        idempotencyKey: randomUUID(),
      });
      const r = await t.call<{ refund: { id: string } }>('refunds:unlinked', {
        terminalId: T1,
        amountMinor: 100,
        orderId: order.value.id,
        approval: { pin: PINS.supervisor },
        idempotencyKey: randomUUID(),
      });
      expect(r.ok ? null : r.error).toBeNull();
      if (!r.ok) return;
      expect(
        t.core.db
          .prepare('SELECT staff_id, approved_by FROM refunds WHERE id = ?')
          .get(r.value.refund.id),
      ).toEqual({ staff_id: t.ids.cashier, approved_by: t.ids.supervisor });
      expect(
        t.core.db
          .prepare(
            "SELECT staff_id, approved_by FROM payment_attempts WHERE kind = 'unlinked_refund'",
          )
          .all(),
      ).toEqual([{ staff_id: t.ids.cashier, approved_by: t.ids.supervisor }]);
    } finally {
      await t.close();
    }
  });
});

describe('approval PINs lock out like sign-in', () => {
  it('five wrong approval PINs lock every PIN for 5 minutes, nothing written', async () => {
    const t = await staffCore();
    try {
      t.as('cashier');
      const before = t.rows();
      for (let i = 0; i < 4; i++)
        expect(await t.call('drawer:no-sale', { approval: { pin: '9090' } })).toMatchObject({
          ok: false,
          error: {
            code: 'MANAGER_PIN_INVALID',
            message: 'That approval PIN is not right: nothing was done.',
          },
        });
      const locked = {
        ok: false,
        error: {
          code: 'MANAGER_PIN_LOCKED',
          message: 'Too many wrong PINs — try again in 5 minutes.',
        },
      };
      expect(await t.call('drawer:no-sale', { approval: { pin: '9090' } })).toMatchObject(locked);
      expect(await t.call('drawer:no-sale', { approval: { pin: PINS.supervisor } })).toMatchObject(
        locked,
      );
      expect(await t.call('staff:sign-in', { pin: PINS.manager })).toMatchObject(locked);
      const after = t.rows();
      // Only the lockout itself is journalled.
      expect({ ...after, settings: 0, audit_log: 0 }).toEqual({
        ...before,
        settings: 0,
        audit_log: 0,
      });
      expect(after.audit_log).toBe(before.audit_log! + 1);
    } finally {
      await t.close();
    }
  });
});
