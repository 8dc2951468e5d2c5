import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { PaymentAttempt } from '../../../src-shared/domain/payments';
import type { SimulatorControl } from '../../../src-main/simulator/control';
import { DojoSpecValidator } from '../../support/dojo-spec';
import { staffCore, type StaffCore } from '../staff/core-fixture';

export const T1 = 'tm_sandbox_65f0a1c0e1d2c3b4a5960001';
export const T2 = 'tm_sandbox_65f0a1c0e1d2c3b4a5960002';

/** Probes only when a call fails (connectivity tests' timings): offline and back in well under a second. */
export const QUICK_LINK = { intervalMs: 600_000, offlineBaseMs: 100, maxBackoffMs: 200 };

/** Tables a refused tender, tip or receipt choice must leave alone. */
export const MONEY_TABLES = [
  'orders',
  'tenders',
  'tips',
  'tender_matches',
  'receipt_choices',
  'payment_attempts',
  'print_jobs',
];

export type Till = StaffCore & {
  sim: SimulatorControl;
  counts(): Record<string, number>;
  order(pence: number, name?: string): Promise<string>;
  cardSale(orderId: string, extra?: Record<string, unknown>): Promise<PaymentAttempt>;
  ok<T>(channel: string, input?: unknown): Promise<T>;
  refused(channel: string, input?: unknown): Promise<{ code: string; message: string }>;
  expectRequestsValid(): void;
};

let validator: DojoSpecValidator | null = null;

export async function until<T>(
  read: () => T | Promise<T>,
  ok: (v: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`not in time: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A real core in training mode (simulator over HTTP) with a manager, a supervisor and a cashier. */
export async function till(options: Parameters<typeof staffCore>[0] = {}): Promise<Till> {
  validator ??= new DojoSpecValidator();
  const v = validator;
  const t = await staffCore(options);
  const sim = t.core.simulator()?.control;
  if (!sim) throw new Error('training simulator expected');
  const ok = async <T>(channel: string, input?: unknown): Promise<T> => {
    const r = await t.call<T>(channel, input);
    if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
    return r.value;
  };
  return Object.assign(t, {
    sim,
    ok,
    counts: () =>
      Object.fromEntries(
        MONEY_TABLES.map((name) => [
          name,
          (t.core.db.prepare(`SELECT count(*) AS n FROM ${name}`).get() as { n: number }).n,
        ]),
      ),
    async order(pence: number, name = 'Cake') {
      const o = await ok<{ id: string }>('orders:create', {
        lines: [{ kind: 'custom', name, unitPriceMinor: pence, vatRateBp: 2000, quantity: 1 }],
      });
      return o.id;
    },
    async cardSale(orderId: string, extra: Record<string, unknown> = {}) {
      const started = await ok<PaymentAttempt>('payments:start-sale', {
        orderId,
        terminalId: T1,
        idempotencyKey: randomUUID(),
        ...extra,
      });
      return until(
        () => ok<PaymentAttempt>('payments:get', { attemptId: started.id }),
        (a) => a.isFinal || a.state.kind === 'unconfirmed',
      );
    },
    async refused(channel: string, input?: unknown) {
      const r = await t.call(channel, input);
      if (r.ok) throw new Error(`${channel} was expected to be refused`);
      return r.error;
    },
    expectRequestsValid() {
      const requests = sim.records().requests;
      expect(requests.length).toBeGreaterThan(0);
      expect(v.recordedProblems(requests)).toEqual([]);
    },
  });
}
