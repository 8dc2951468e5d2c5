import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import type { PayloadOf } from '../../../src-shared/contract';
import type { PaymentAttempt } from '../../../src-shared/domain/payments';
import { createEventBus } from '../../../src-main/platform/event-bus';
import { openDatabase, type Db } from '../../../src-main/db/connection';
import { createDojoClient, type DojoClient } from '../../../src-main/dojo/dojo-client';
import { silentLogger } from '../../../src-main/logging/logger';
import { createPaymentsService } from '../../../src-main/payments/payments.service';
import type { OrdersService } from '../../../src-main/orders/orders.service';
import type { PollingOptions } from '../../../src-main/payments/payment-poller';
import { createOutbox, type Outbox } from '../../../src-main/queue/outbox';
import { startSimulator, type Simulator } from '../../../src-main/simulator/simulator';
import { DojoSpecValidator } from '../../support/dojo-spec';
import { TEST_POLLING } from './harness-constants';
import { waitFor } from '../../support/wait';
import {
  memoryDefaultTerminal,
  ordersFor,
  withTestSeams,
  type TestPayments,
} from '../../support/payments-service';

export const T1 = 'tm_sandbox_65f0a1c0e1d2c3b4a5960001';
export const T2 = 'tm_sandbox_65f0a1c0e1d2c3b4a5960002';
export const T3 = 'tm_sandbox_65f0a1c0e1d2c3b4a5960003';
export const T_IN_USE = 'tm_sandbox_65f0a1c0e1d2c3b4a5960004';
export const T_OFFLINE = 'tm_sandbox_65f0a1c0e1d2c3b4a5960005';

export { TEST_POLLING };

/** Inserts an open order the way the orders feature would (test helper; orders owns the real one). */
export function insertOrder(
  db: Db,
  totalMinor: number,
  opts: {
    lines?: { name: string; qty: number; totalMinor: number; vatBp: number }[];
    currency?: 'GBP' | 'EUR';
  } = {},
): string {
  const id = randomUUID();
  const now = new Date().toISOString();
  const lines = opts.lines ?? [{ name: 'Flat white', qty: 1, totalMinor, vatBp: 2000 }];
  const vat = lines.reduce(
    (s, l) => s + Math.round((l.totalMinor * l.vatBp) / (10_000 + l.vatBp)),
    0,
  );
  db.transaction(() => {
    db.prepare(
      `INSERT INTO orders (id, reference, status, currency, subtotal_minor, vat_minor, total_minor, till_id, created_at, updated_at)
       VALUES (?, ?, 'open', ?, ?, ?, ?, 'T1', ?, ?)`,
    ).run(
      id,
      `T1-${id.slice(0, 8)}`,
      opts.currency ?? 'GBP',
      totalMinor,
      vat,
      totalMinor,
      now,
      now,
    );
    lines.forEach((l, i) =>
      db
        .prepare(
          `INSERT INTO order_lines (order_id, position, name, quantity, unit_price_minor, vat_rate_bp, line_total_minor, vat_minor)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          i + 1,
          l.name,
          l.qty,
          Math.round(l.totalMinor / l.qty),
          l.vatBp,
          l.totalMinor,
          Math.round((l.totalMinor * l.vatBp) / (10_000 + l.vatBp)),
        ),
    );
  })();
  return id;
}

export type OrderState = {
  status: string;
  paid_minor: number;
  refunded_minor: number;
  total_minor: number;
};
export const orderState = (db: Db, id: string): OrderState | undefined =>
  db
    .prepare<[string], OrderState>(
      'SELECT status, paid_minor, refunded_minor, total_minor FROM orders WHERE id = ?',
    )
    .get(id);

export type Progress = PayloadOf<'payments:progress'>;

export type Harness = {
  db: Db;
  dir: string;
  sim: Simulator;
  /** The payments service, with the test seams (settled, pollCount, drainRefundOutbox). */
  service: TestPayments;
  /** The orders feature the payments core reads orders and applies card tenders through. */
  orders: OrdersService;
  /** The till's outbox, started: server refunds are its `dojo.refund` items. */
  outbox: Outbox;
  progress: Progress[];
  /** Every `orders:changed` push, oldest first (the orders feature's, for card tenders too). */
  ordersChanged: PayloadOf<'orders:changed'>[];
  /** The order in which the events above were pushed (`orders:changed <id>`, `final <attemptId>`). */
  eventOrder: string[];
  /** Every `terminals:status` push, oldest first. */
  terminalsStatus: PayloadOf<'terminals:status'>[];
  paidOrders: string[];
  completedRefunds: string[];
  validator: DojoSpecValidator;
  /** Requests the simulator received, as `METHOD /path`, consecutive repeats collapsed. */
  sequence(): string[];
  /** Every request the client sent is valid against the Dojo wire schema. */
  expectRequestsValid(): void;
  settle(attempt: PaymentAttempt | string, timeoutMs?: number): Promise<PaymentAttempt>;
  until(check: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
};

let validator: DojoSpecValidator | null = null;

export type HarnessOptions = {
  timeScale?: number;
  apiKey?: string;
  dbFile?: string;
  /** Wraps the real client to the simulator, to shape an answer the simulator does not give. */
  wrapDojo?: (client: DojoClient) => DojoClient;
  /** The core's polling (default: the fast test polling); `defaultPolling` for real speed. */
  polling?: Partial<PollingOptions>;
  /** The background terminal refresh (the service's default when absent). */
  terminalRefreshMs?: number;
};

export async function createHarness(opts: HarnessOptions = {}): Promise<Harness> {
  validator ??= new DojoSpecValidator();
  const dir = mkdtempSync(path.join(tmpdir(), 'opentill-pay-'));
  const db = openDatabase(opts.dbFile ?? path.join(dir, 'till.db'));
  const sim = await startSimulator({ timeScale: opts.timeScale ?? 0.01 });
  const bus = createEventBus();
  const progress: Progress[] = [];
  const terminalsStatus: PayloadOf<'terminals:status'>[] = [];
  const ordersChanged: PayloadOf<'orders:changed'>[] = [];
  const eventOrder: string[] = [];
  bus.subscribe((name, payload) => {
    if (name === 'payments:progress') {
      const p = payload as Progress;
      progress.push(p);
      if (p.isFinal) eventOrder.push(`final ${p.attemptId}`);
    }
    if (name === 'orders:changed') {
      const c = payload as PayloadOf<'orders:changed'>;
      ordersChanged.push(c);
      eventOrder.push(`orders:changed ${c.orderId}`);
    }
    if (name === 'terminals:status') terminalsStatus.push(payload as PayloadOf<'terminals:status'>);
  });
  const paidOrders: string[] = [];
  const completedRefunds: string[] = [];
  const client = createDojoClient({
    baseUrl: sim.url,
    apiKey: opts.apiKey ?? 'sk_sandbox_test_integration',
    softwareHouseId: 'softwareHouse1',
    resellerId: 'reseller1',
    timeoutMs: 2000,
    logger: silentLogger,
  });
  const dojo = opts.wrapDojo ? opts.wrapDojo(client) : client;
  const outbox = createOutbox({ db, logger: silentLogger });
  const orders = ordersFor(db, bus, (id) => void paidOrders.push(id));
  const payments = createPaymentsService({
    db,
    logger: silentLogger,
    bus,
    dojo: () => dojo,
    currency: () => 'GBP',
    // The orders feature on the same db: its one order-paid hook records the paid orders.
    orders,
    defaultTerminal: memoryDefaultTerminal(),
    onRefundCompleted: (id) => void completedRefunds.push(id),
    polling: opts.polling ?? TEST_POLLING,
    ...(opts.terminalRefreshMs !== undefined ? { terminalRefreshMs: opts.terminalRefreshMs } : {}),
    outbox,
    env: {},
  });
  const service = withTestSeams(payments, db, outbox);
  outbox.start();
  await service.start();
  const v = validator;
  return {
    db,
    dir,
    sim,
    service,
    orders,
    outbox,
    progress,
    ordersChanged,
    eventOrder,
    terminalsStatus,
    paidOrders,
    completedRefunds,
    validator: v,
    sequence() {
      const out: string[] = [];
      for (const r of sim.control.records().requests) {
        const p = r.path.replace(/\/(pi|ts|tm)_[A-Za-z0-9_-]+/g, (_m, k: string) => `/{${k}}`);
        const line = `${r.method} ${p}`;
        if (out.at(-1) !== line) out.push(line);
      }
      return out;
    },
    expectRequestsValid() {
      expect(v.recordedProblems(sim.control.records().requests)).toEqual([]);
    },
    settle: (attempt, timeoutMs = 20_000) =>
      service.settled(typeof attempt === 'string' ? attempt : attempt.id, timeoutMs),
    async until(check, timeoutMs = 10_000) {
      await waitFor(check, 'condition', timeoutMs, 5);
    },
    async close() {
      await service.stop();
      await outbox.stop();
      await sim.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
