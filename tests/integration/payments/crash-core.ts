/**
 * The till core the crash test kills and restarts: opens the SQLite file, runs payment recovery,
 * performs one action, waits for everything to settle, and closes. Run in a child process by
 * `crash-child.ts` (killed at `OPENTILL_CRASH_AT`), and in-process for the restart.
 */
import { openDatabase, type Db } from '../../../src-main/db/connection';
import { silentLogger } from '../../../src-main/logging/logger';
import { listAttemptsForOrder, listLiveAttempts } from '../../../src-main/payments/attempts.repo';
import { type PaymentsService } from '../../../src-main/payments/payments.service';
import { createOutbox, type Outbox } from '../../../src-main/queue/outbox';
import { TEST_POLLING } from './harness-constants';
import { paymentsAgainst } from '../../support/payments-service';

export type CrashAction =
  | { op: 'recover' }
  | { op: 'sale'; orderId: string; terminalId: string }
  | { op: 'matched'; originalAttemptId: string; terminalId: string; amountMinor?: number }
  | { op: 'server'; originalAttemptId: string; amountMinor: number };

export type CoreResult = { ok: boolean; error: string | null; attempts: number | null };

/** Until nothing is in flight: attempts final or for the operator, no outbox work pending. */
async function settleEverything(db: Db, service: PaymentsService, outbox: Outbox): Promise<void> {
  const until = Date.now() + 20_000;
  for (;;) {
    const live = listLiveAttempts(db);
    for (const a of live) {
      // A late answer (Dojo already accepted at its deadline) is refused with a clear error: fine here.
      if (a.state.kind === 'signature_required' && a.state.decided === null)
        await service.signature(a.id, true).catch(() => undefined);
    }
    const pendingOutbox =
      db
        .prepare<[], { n: number }>("SELECT count(*) AS n FROM outbox WHERE status = 'pending'")
        .get()?.n ?? 0;
    if (live.every((a) => a.state.kind === 'unconfirmed') && pendingOutbox === 0) return;
    if (Date.now() > until)
      throw new Error(`still live: ${live.map((a) => a.state.kind).join(',')}`);
    if (pendingOutbox > 0) {
      db.prepare(
        "UPDATE outbox SET next_attempt_at = '2000-01-01T00:00:00.000Z' WHERE status = 'pending'",
      ).run();
      outbox.kick();
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function runCore(opts: {
  dbFile: string;
  simUrl: string;
  action: CrashAction;
  env: NodeJS.ProcessEnv;
}): Promise<CoreResult> {
  const db = openDatabase(opts.dbFile);
  const outbox = createOutbox({ db, logger: silentLogger, baseDelayMs: 20, maxDelayMs: 100 });
  const service = paymentsAgainst(db, opts.simUrl, {
    polling: TEST_POLLING,
    outbox,
    env: opts.env,
    timeoutMs: 3000,
  });
  const { action } = opts;
  try {
    outbox.start();
    await service.start();
    await settleEverything(db, service, outbox);
    let error: string | null = null;
    try {
      if (action.op === 'sale')
        await service.startSale({ orderId: action.orderId, terminalId: action.terminalId });
      if (action.op === 'matched') {
        await service.matchedRefund({
          originalAttemptId: action.originalAttemptId,
          terminalId: action.terminalId,
          amountMinor: action.amountMinor,
        });
      }
      if (action.op === 'server')
        await service.serverRefund({
          originalAttemptId: action.originalAttemptId,
          amountMinor: action.amountMinor,
        });
    } catch (e) {
      error =
        e instanceof Error
          ? `${(e as { code?: string }).code ?? 'Error'}: ${e.message}`
          : String(e);
    }
    await settleEverything(db, service, outbox);
    return {
      ok: true,
      error,
      attempts: action.op === 'sale' ? listAttemptsForOrder(db, action.orderId).length : null,
    };
  } finally {
    await service.stop();
    await outbox.stop();
    db.close();
  }
}
