import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, beforeEach, expect } from 'vitest';
import type { PaymentAttempt } from '../../../src-shared/domain/payments';
import type { OrderSummary } from '../../../src-shared/domain/orders';
import {
  startVirtualPrinter,
  type VirtualPrinter,
} from '../../../src-main/printing/dev/virtual-printer';
import { DojoSpecValidator } from '../../support/dojo-spec';
import { staffCore, type StaffCore } from '../staff/core-fixture';

export const T1 = 'tm_sandbox_65f0a1c0e1d2c3b4a5960001';
export const T2 = 'tm_sandbox_65f0a1c0e1d2c3b4a5960002';

/** A message matching `re` (the matcher typed as the string it stands for). */
export const words = (re: RegExp): string => expect.stringMatching(re) as string;

export const value = <T>(
  r: { ok: true; value: T } | { ok: false; error: { message: string } },
): T => {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

export type Line = { name: string; pence: number; vat?: 0 | 500 | 2000; quantity?: number };

export const lines = (items: Line[]) =>
  items.map((i) => ({
    kind: 'custom' as const,
    name: i.name,
    unitPriceMinor: i.pence,
    vatRateBp: i.vat ?? 2000,
    quantity: i.quantity ?? 1,
  }));

export type ReturnsTill = {
  /** The real core of the current test (training simulator over HTTP), a manager signed in. */
  readonly t: StaffCore;
  /** The virtual printer it prints to. */
  readonly printer: VirtualPrinter;
  /** Resolves when `ok(read())` holds, re-checked on every event the core emits (no fixed sleeps). */
  until: <T>(read: () => T, ok: (v: T) => boolean, timeoutMs?: number) => Promise<T>;
  cashSale: (items: Line[]) => Promise<OrderSummary>;
  cardSale: (
    items: Line[],
    terminalId?: string,
  ) => Promise<{ order: OrderSummary; sale: PaymentAttempt }>;
  /** The attempt once it is final. */
  settled: (attemptId: string) => Promise<PaymentAttempt>;
  /** The first printed job (from job `from` on) whose text has `marker`. */
  printedWith: (marker: string, from?: number) => Promise<string>;
};

/**
 * Each test of a returns suite gets a fresh till: a manager signed in, a virtual printer, a day
 * opened with £100 in the drawer (so cash can go back out). After each test every request the till
 * sent to the simulated Dojo must be valid on Dojo's wire.
 */
export function useReturnsTill(): ReturnsTill {
  let t: StaffCore | undefined;
  let printer: VirtualPrinter | undefined;
  let validator: DojoSpecValidator;
  const core = (): StaffCore => {
    if (!t) throw new Error('no till: use the fixture inside a test');
    return t;
  };
  const jobs = (): VirtualPrinter => {
    if (!printer) throw new Error('no printer: use the fixture inside a test');
    return printer;
  };
  beforeAll(() => {
    validator = new DojoSpecValidator();
  });
  beforeEach(async () => {
    t = await staffCore();
    printer = await startVirtualPrinter({ port: 0 });
    t.as('manager');
    expect((await t.call('settings:update', { printer: printer.url })).ok).toBe(true);
    expect((await t.call('day:open', { float: [{ valueMinor: 2000, quantity: 5 }] })).ok).toBe(
      true,
    );
  });
  afterEach(async () => {
    const sim = t?.core.simulator();
    expect(validator.recordedProblems(sim?.control.records().requests ?? [])).toEqual([]);
    await t?.close();
    await printer?.close();
    t = undefined;
    printer = undefined;
  });

  const until = <T>(read: () => T, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> =>
    new Promise((resolve, reject) => {
      let off = () => {};
      const timer = setTimeout(() => {
        off();
        reject(new Error(`not in time: ${JSON.stringify(read())}`));
      }, timeoutMs);
      const test = () => {
        const v = read();
        if (!ok(v)) return;
        clearTimeout(timer);
        off();
        resolve(v);
      };
      off = core().core.bus.subscribe(() => test());
      test();
    });

  const isFinal = (id: string) =>
    core()
      .core.db.prepare<[string], { is_final: number }>(
        'SELECT is_final FROM payment_attempts WHERE id = ?',
      )
      .get(id)?.is_final === 1;

  const settled = async (attemptId: string): Promise<PaymentAttempt> => {
    await until(() => isFinal(attemptId), Boolean);
    return value(await core().call<PaymentAttempt>('payments:get', { attemptId }));
  };

  return {
    get t() {
      return core();
    },
    get printer() {
      return jobs();
    },
    until,
    settled,
    cashSale: async (items) => {
      const t = core();
      const order = value(await t.call<OrderSummary>('orders:create', { lines: lines(items) }));
      value(
        await t.call('orders:pay-cash', {
          orderId: order.id,
          amountMinor: order.totalMinor,
          tenderedMinor: order.totalMinor,
          idempotencyKey: randomUUID(),
        }),
      );
      return order;
    },
    cardSale: async (items, terminalId = T1) => {
      const t = core();
      const order = value(await t.call<OrderSummary>('orders:create', { lines: lines(items) }));
      const started = value(
        await t.call<PaymentAttempt>('payments:start-sale', {
          orderId: order.id,
          terminalId,
          idempotencyKey: randomUUID(),
        }),
      );
      const sale = await settled(started.id);
      expect(sale.state.kind).toBe('succeeded');
      return { order, sale };
    },
    printedWith: async (marker, from = 0) => {
      const p = jobs();
      for (;;) {
        const hit = p.jobs.slice(from).find((j) => j.decoded.text.includes(marker));
        if (hit) return hit.decoded.text;
        await p.waitForJobs(p.jobs.length + 1, 15_000);
      }
    },
  };
}
