/**
 * A real till core for the crash test, run with `npx tsx` as a child process:
 * opens the SQLite file, runs payment recovery, performs one action, waits for it to settle,
 * prints one JSON line and exits. `OPENTILL_CRASH_AT=<step>` makes it SIGKILL itself at that step.
 *
 * env: CRASH_DB, CRASH_SIM_URL, CRASH_ACTION (JSON), OPENTILL_CRASH_AT (optional)
 */
import { createEventBus } from '../../../src-main/core/event-bus';
import { openDatabase } from '../../../src-main/db/connection';
import { createDojoClient } from '../../../src-main/dojo/dojo-client';
import { silentLogger } from '../../../src-main/logging/logger';
import { listAttemptsForOrder, listLiveAttempts } from '../../../src-main/payments/attempts.repo';
import { createPaymentsService } from '../../../src-main/payments/payments.service';
import { createOutbox } from '../../../src-main/queue/outbox';
import { TEST_POLLING } from './harness-constants';

export type CrashAction =
  | { op: 'recover' }
  | { op: 'sale'; orderId: string; terminalId: string }
  | { op: 'matched'; originalAttemptId: string; terminalId: string; amountMinor?: number }
  | { op: 'server'; originalAttemptId: string; amountMinor: number };

const env = process.env;
const db = openDatabase(env.CRASH_DB ?? '');
const dojo = createDojoClient({
  baseUrl: env.CRASH_SIM_URL ?? '',
  apiKey: 'sk_sandbox_crashtest',
  softwareHouseId: 'softwareHouse1',
  resellerId: 'reseller1',
  timeoutMs: 3000,
  logger: silentLogger,
});
const outbox = createOutbox({ db, logger: silentLogger, baseDelayMs: 20, maxDelayMs: 100 });
const service = createPaymentsService({
  db,
  logger: silentLogger,
  bus: createEventBus(),
  dojo: () => dojo,
  currency: () => 'GBP',
  onOrderPaid: () => undefined,
  onRefundCompleted: () => undefined,
  polling: TEST_POLLING,
  outbox,
});

async function settleEverything(): Promise<void> {
  const until = Date.now() + 20_000;
  for (;;) {
    const live = listLiveAttempts(db);
    for (const a of live) {
      // A late answer (Dojo already accepted at its deadline) is refused with a clear error: fine here.
      if (a.state.kind === 'signature_required' && a.state.decided === null) await service.signature(a.id, true).catch(() => undefined);
    }
    const pendingOutbox = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM outbox WHERE status = 'pending'").get()?.n ?? 0;
    if (live.every((a) => a.state.kind === 'unconfirmed') && pendingOutbox === 0) return;
    if (Date.now() > until) throw new Error(`still live: ${live.map((a) => a.state.kind).join(',')}`);
    if (pendingOutbox > 0) {
      db.prepare("UPDATE outbox SET next_attempt_at = '2000-01-01T00:00:00.000Z' WHERE status = 'pending'").run();
      outbox.kick();
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function main(): Promise<void> {
  const action = JSON.parse(env.CRASH_ACTION ?? '{"op":"recover"}') as CrashAction;
  outbox.start();
  await service.start();
  await settleEverything();
  let error: string | null = null;
  try {
    if (action.op === 'sale') await service.startSale({ orderId: action.orderId, terminalId: action.terminalId });
    if (action.op === 'matched') {
      await service.matchedRefund({ originalAttemptId: action.originalAttemptId, terminalId: action.terminalId, amountMinor: action.amountMinor });
    }
    if (action.op === 'server') await service.serverRefund({ originalAttemptId: action.originalAttemptId, amountMinor: action.amountMinor });
  } catch (e) {
    error = e instanceof Error ? `${(e as { code?: string }).code ?? 'Error'}: ${e.message}` : String(e);
  }
  await settleEverything();
  const orderId = action.op === 'sale' ? action.orderId : null;
  process.stdout.write(JSON.stringify({ ok: true, error, attempts: orderId ? listAttemptsForOrder(db, orderId).length : null }) + '\n');
  await service.stop();
  await outbox.stop();
  db.close();
}

main().catch((e: unknown) => {
  process.stdout.write(JSON.stringify({ ok: false, error: e instanceof Error ? e.message : String(e) }) + '\n');
  process.exit(1);
});
