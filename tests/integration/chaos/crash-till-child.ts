// Child process for the crash suite: a till core (orders, payments, outbox, printing) on a data
// folder, against the simulator and a virtual printer given by the parent. It recovers what the
// last run left, prints `ready`, then works through a seeded list of counter operations (cash and
// card sales, matched and server refunds, day close). The parent SIGKILLs it at a random moment.
// With CRASH_FINAL=1 it is the operator's last pass instead: check again what is unconfirmed,
// finish open orders in cash, drain the queue and the printer, then exit.
import { createEventBus } from '../../../src-main/platform/event-bus';
import { openDatabase } from '../../../src-main/db/connection';
import { createDojoClient } from '../../../src-main/dojo/dojo-client';
import { silentLogger } from '../../../src-main/logging/logger';
import { createOrdersService } from '../../../src-main/orders/orders.service';
import { listLiveAttempts } from '../../../src-main/payments/attempts.repo';
import { createPaymentsService } from '../../../src-main/payments/payments.service';
import { createPrintService } from '../../../src-main/printing/print-service';
import { createReportsService } from '../../../src-main/reports/reports.service';
import { createOutbox } from '../../../src-main/queue/outbox';
import { seededRandom } from '../../../src-main/simulator/chaos';
import { baseSettings } from '../printing/seed';
import { TEST_POLLING } from '../payments/harness-constants';
import { waitFor } from '../../support/wait';
import { memoryDefaultTerminal } from '../../support/payments-service';

const env = process.env;
const db = openDatabase(env.CRASH_DB ?? '');
const settings = baseSettings(env.CRASH_PRINTER ?? '');
const bus = createEventBus();
const printing = createPrintService({
  db,
  logger: silentLogger,
  getSettings: () => settings,
  logoPath: null,
  worker: { backoff: { baseMs: 20, maxMs: 100 }, connectTimeoutMs: 1000 },
});
const reports = createReportsService({
  db,
  logger: silentLogger,
  currency: () => settings.currency,
  printing,
});
const printOrder = (orderId: string) => void printing.onOrderCompleted(orderId);
const orders = createOrdersService({
  db,
  logger: silentLogger,
  bus,
  tillId: () => 'T1',
  currency: () => 'GBP',
  onOrderPaid: (orderId) => printOrder(orderId),
});
const outbox = createOutbox({ db, logger: silentLogger, baseDelayMs: 20, maxDelayMs: 100 });
const dojo = createDojoClient({
  baseUrl: env.CRASH_SIM_URL ?? '',
  apiKey: 'sk_sandbox_test_crash',
  softwareHouseId: 'softwareHouse1',
  resellerId: 'reseller1',
  timeoutMs: 3000,
  logger: silentLogger,
});
const payments = createPaymentsService({
  db,
  logger: silentLogger,
  bus,
  dojo: () => dojo,
  currency: () => 'GBP',
  orders,
  defaultTerminal: memoryDefaultTerminal(),
  onRefundCompleted: (refundId) => void printing.onRefundCompleted(refundId),
  polling: TEST_POLLING,
  outbox,
  refundWaitMs: 2000,
  env: {},
});

const TERMINAL = 'tm_sandbox_65f0a1c0e1d2c3b4a5960001';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits for the attempt to end (accepting a signature it asks for); its final state kind. */
async function settle(attemptId: string): Promise<string> {
  return waitFor(
    async () => {
      const a = payments.get(attemptId);
      if (a.state.kind === 'signature_required' && a.state.decided === null)
        await payments.signature(attemptId, true).catch(() => undefined);
      return a.isFinal || a.state.kind === 'unconfirmed' ? a.state.kind : null;
    },
    () => `attempt ${attemptId} to end (stuck in ${payments.get(attemptId).state.kind})`,
    30_000,
    10,
  );
}

/** Whatever the last run left: live attempts end (unconfirmed ones are checked again). */
async function settleLeftovers(): Promise<void> {
  for (const a of listLiveAttempts(db)) {
    if (a.state.kind === 'unconfirmed') await payments.checkAgain(a.id).catch(() => undefined);
    await settle(a.id);
  }
}

const newOrder = (total: number) =>
  orders.createOrder({
    lines: [
      { kind: 'custom', name: 'Crash item', unitPriceMinor: total, vatRateBp: 2000, quantity: 1 },
    ],
  }).id;

function payRestInCash(orderId: string): void {
  const o = orders.getOrder(orderId);
  const rest = o.totalMinor - o.paidMinor;
  if (rest > 0) orders.payCash({ orderId, amountMinor: rest, tenderedMinor: rest });
}

const cardSales = () =>
  db
    .prepare(
      "SELECT id FROM payment_attempts WHERE kind = 'sale' AND state = 'succeeded' ORDER BY created_at",
    )
    .all() as { id: string }[];

async function operation(rnd: () => number): Promise<string> {
  const pick = rnd();
  const pounds = (2 + Math.floor(rnd() * 30)) * 100;
  if (pick < 0.25) {
    payRestInCash(newOrder(pounds + 50));
    return 'cash';
  }
  if (pick < 0.55) {
    // Ending in 00 (chip and PIN) or 02 (signature, accepted).
    const orderId = newOrder(pounds + (rnd() < 0.3 ? 2 : 0));
    const a = await payments.startSale({ orderId, terminalId: TERMINAL });
    const end = await settle(a.id);
    if (end !== 'succeeded' && end !== 'unconfirmed') payRestInCash(orderId);
    return 'card';
  }
  const sales = cardSales();
  const sale = sales[Math.floor(rnd() * sales.length)];
  if (pick < 0.72 && sale) {
    const r = await payments
      .matchedRefund({ originalAttemptId: sale.id, terminalId: TERMINAL, amountMinor: 100 })
      .catch(() => null);
    if (r) await settle(r.attempt.id);
    return 'matched';
  }
  if (pick < 0.9 && sale) {
    await payments.serverRefund({ originalAttemptId: sale.id, amountMinor: 100 }).catch(() => null);
    return 'server';
  }
  reports.closeDay('crash-suite');
  return 'close';
}

async function main(): Promise<void> {
  outbox.start();
  printing.start();
  await payments.start();
  await settleLeftovers();
  process.stdout.write('ready\n');
  if (env.CRASH_FINAL === '1') {
    await settleLeftovers();
    for (const { id } of db.prepare("SELECT id FROM orders WHERE status = 'open'").all() as {
      id: string;
    }[]) {
      const unconfirmed = payments.listForOrder(id).some((a) => a.state.kind === 'unconfirmed');
      if (!unconfirmed) payRestInCash(id);
    }
    const end = Date.now() + 60_000;
    for (;;) {
      const pending = db
        .prepare(
          "SELECT (SELECT count(*) FROM outbox WHERE status = 'pending') + (SELECT count(*) FROM print_jobs WHERE status IN ('pending', 'printing')) AS n",
        )
        .get() as { n: number };
      if (pending.n === 0) break;
      if (Date.now() > end) throw new Error('queue or printer did not drain');
      db.prepare(
        "UPDATE outbox SET next_attempt_at = '2000-01-01T00:00:00.000Z' WHERE status = 'pending'",
      ).run();
      outbox.kick();
      await sleep(50);
    }
  } else {
    const rnd = seededRandom(Number(env.CRASH_SEED ?? '1'));
    const count = Number(env.CRASH_OPS ?? '6');
    for (let i = 0; i < count; i++) process.stdout.write(`op ${await operation(rnd)}\n`);
  }
  await payments.stop();
  await outbox.stop();
  await printing.stop();
  db.close();
  process.stdout.write('done\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
