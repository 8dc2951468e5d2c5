import type { PaymentAttempt } from '../../src-shared/domain/payments';
import { createEventBus, type EventBus } from '../../src-main/platform/event-bus';
import type { Db } from '../../src-main/db/connection';
import { createDojoClient } from '../../src-main/dojo/dojo-client';
import { silentLogger } from '../../src-main/logging/logger';
import { createOrdersService, type OrdersService } from '../../src-main/orders/orders.service';
import type { DefaultTerminalStore } from '../../src-main/payments/payments-context';
import {
  createPaymentsService,
  type PaymentsService,
  type PaymentsServiceOptions,
} from '../../src-main/payments/payments.service';
import { createOutbox, type Outbox } from '../../src-main/queue/outbox';
import { waitFor } from './wait';

/**
 * The payments service as tests and benchmarks drive it: the production service plus the seams
 * only tests need, built from what the service emits (its polling events, the outbox's events),
 * never kept inside the service.
 */
export type TestPayments = PaymentsService & {
  /** Polls made so far for the attempt (counted from the service's `polled` events). */
  pollCount(attemptId: string): number;
  /** Resolves when the attempt is final or needs the operator, and its polling has stopped. */
  settled(attemptId: string, timeoutMs?: number): Promise<PaymentAttempt>;
  /** Wakes the outbox for every server refund due now; resolves once each was tried. How many. */
  drainRefundOutbox(): Promise<number>;
};

/** The till's default terminal kept in memory (the settings service keeps it in the till). */
export function memoryDefaultTerminal(): DefaultTerminalStore {
  let id: string | null = null;
  return {
    get: () => id,
    set: (terminalId) => void (id = terminalId),
  };
}

/** The orders feature on the db, as the payments core reaches it (its orders port). */
export function ordersFor(
  db: Db,
  bus: EventBus,
  onOrderPaid: (orderId: string) => void = () => undefined,
): OrdersService {
  return createOrdersService({
    db,
    logger: silentLogger,
    bus,
    tillId: () => 'T1',
    currency: () => 'GBP',
    onOrderPaid: (orderId) => onOrderPaid(orderId),
  });
}

/**
 * Adds the test seams to a service. Call it before `start()`, so that attempts recovery drives at
 * start are followed too. With `ownOutbox` the outbox starts and stops with the service.
 */
export function withTestSeams(
  service: PaymentsService,
  db: Db,
  outbox: Outbox,
  ownOutbox = false,
): TestPayments {
  const polls = new Map<string, number>();
  const running = new Set<string>();
  service.onPolling('started', ({ attemptId }) => running.add(attemptId));
  service.onPolling('stopped', ({ attemptId }) => running.delete(attemptId));
  service.onPolling('polled', ({ attemptId }) =>
    polls.set(attemptId, (polls.get(attemptId) ?? 0) + 1),
  );
  const seams = {
    async start() {
      await service.start();
      if (ownOutbox) outbox.start();
    },
    async stop() {
      await service.stop();
      if (ownOutbox) await outbox.stop();
    },
    pollCount: (attemptId: string) => polls.get(attemptId) ?? 0,
    settled: (attemptId: string, timeoutMs = 30_000) =>
      waitFor(
        () => {
          const a = service.get(attemptId);
          return (a.isFinal || a.state.kind === 'unconfirmed') && !running.has(attemptId)
            ? a
            : null;
        },
        () => `attempt ${attemptId} still ${service.get(attemptId).state.kind}`,
        timeoutMs,
        5,
      ),
    drainRefundOutbox: () => drainRefunds(db, outbox),
  };
  // The service's own properties (its `ready` getter included) with the seams over them.
  return Object.defineProperties(
    {},
    {
      ...Object.getOwnPropertyDescriptors(service),
      ...Object.getOwnPropertyDescriptors(seams),
    },
  ) as TestPayments;
}

/** Every pending `dojo.refund` item due now, woken and waited for until each was tried. */
async function drainRefunds(db: Db, outbox: Outbox): Promise<number> {
  const ids = db
    .prepare<[string], { id: number }>(
      `SELECT id FROM outbox WHERE kind = 'dojo.refund' AND status = 'pending' AND next_attempt_at <= ? ORDER BY id`,
    )
    .all(new Date().toISOString())
    .map((r) => r.id);
  if (ids.length === 0) return 0;
  const left = new Set(ids);
  await new Promise<void>((resolve) => {
    const offs: (() => void)[] = [];
    const finish = () => {
      clearTimeout(timer);
      for (const off of offs) off();
      resolve();
    };
    const seen = ({ id }: { id: number }) => {
      left.delete(id);
      if (left.size === 0) finish();
    };
    const timer = setTimeout(finish, 15_000);
    offs.push(outbox.on('done', seen), outbox.on('retry', seen), outbox.on('dead', seen));
    outbox.kick();
  });
  return ids.length;
}

/**
 * The payments core on its own, talking to the Dojo at `baseUrl` (the simulator, or a test server),
 * with the orders feature on the same db and no other hooks: for tests and benchmarks that need
 * the service without the whole till. Without an outbox it runs one of its own between `start()`
 * and `stop()`.
 */
export function paymentsAgainst(
  db: Db,
  baseUrl: string,
  options: Partial<Pick<PaymentsServiceOptions, 'polling' | 'outbox' | 'env'>> & {
    timeoutMs?: number;
  } = {},
): TestPayments {
  const dojo = createDojoClient({
    baseUrl,
    apiKey: 'sk_sandbox_test_payments',
    softwareHouseId: 'softwareHouse1',
    resellerId: 'reseller1',
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    logger: silentLogger,
  });
  const bus = createEventBus();
  const outbox = options.outbox ?? createOutbox({ db, logger: silentLogger });
  const service = createPaymentsService({
    db,
    logger: silentLogger,
    bus,
    dojo: () => dojo,
    currency: () => 'GBP',
    orders: ordersFor(db, bus),
    defaultTerminal: memoryDefaultTerminal(),
    onRefundCompleted: () => undefined,
    ...(options.polling ? { polling: options.polling } : {}),
    outbox,
    env: options.env ?? {},
  });
  return withTestSeams(service, db, outbox, options.outbox === undefined);
}
