import { TillError } from '../../src-shared/errors';
import type { CurrencyCode } from '../../src-shared/money';
import type {
  AttemptToCheck,
  PaymentAttempt,
  PaymentAttemptWithJournal,
  Refund,
  TerminalInfo,
} from '../../src-shared/domain/payments';
import type { EventBus } from '../platform/event-bus';
import type { Db } from '../db/connection';
import type { DojoClient } from '../dojo/dojo-client';
import { isDojoError } from '../dojo/dojo-errors';
import type { Logger } from '../logging/logger';
import type { Outbox } from '../queue/outbox';
import type { OrdersPort } from '../orders/orders-port';
import { createEmitter } from '../platform/emitter';
import { pollOnce } from './attempt-driver';
import {
  getAttempt,
  listAttemptsForOrder,
  listAttemptsToCheck,
  listEvents,
  listLiveAttempts,
  advanceAttempt,
} from './attempts.repo';
import { crashPoint } from './crash-points';
import {
  createAttemptPoller,
  defaultPolling,
  type AttemptPoller,
  type PollingOptions,
} from './payment-poller';
import { emitProgress, type DefaultTerminalStore, type PaymentsContext } from './payments-context';
import { errorText } from '../platform/error-text';
import { recoverAll, recoverOne } from './recovery';
import {
  matchedRefund,
  unlinkedRefund,
  type MatchedRefundInput,
  type UnlinkedRefundInput,
} from './refund-flow';
import { recordManually, type RecordManuallyInput } from './manual-record';
import { answerSignature, cancelAttempt, readyForNewSale } from './cashier-flow';
import { findRefund, listRefundsForOrder } from './refunds.repo';
import { startSale, type StartSaleInput } from './sale-flow';
import { createServerRefunds, type ServerRefundInput } from './server-refunds';
import { listTerminals, refreshTerminalsQuietly, setDefaultTerminal } from './terminals';

/** The polling of each live attempt, as it happens (status screens, benchmarks, tests). */
export type PollingEvents = {
  started: { attemptId: string };
  polled: { attemptId: string };
  stopped: { attemptId: string };
};

export type PaymentsServiceOptions = {
  /** Where the till's default terminal is kept: the settings service's `defaultTerminalId`. */
  defaultTerminal: DefaultTerminalStore;
  db: Db;
  logger: Logger;
  bus: EventBus;
  dojo: () => DojoClient;
  currency: () => CurrencyCode;
  /** The orders feature: orders are read and card tenders applied only through it. */
  orders: OrdersPort;
  onRefundCompleted: (refundId: string) => void | Promise<void>;
  polling?: Partial<PollingOptions>;
  /** The till's one outbox (started and stopped by its owner): server refunds are its `dojo.refund` items. */
  outbox: Outbox;
  /** False while Dojo is known to be unreachable (a server refund then answers "queued" at once). */
  online?: () => boolean;
  /** How long a server refund waits for its first try before answering "queued" (default 15 s). */
  refundWaitMs?: number;
  /**
   * How often the terminals' status is refreshed from Dojo in the background (default 30 s; 0
   * turns it off), and how old a listed `Available` may be for a sale to skip its terminal read
   * (default 60 s).
   */
  terminalRefreshMs?: number;
  terminalFreshMs?: number;
  env?: NodeJS.ProcessEnv;
};

export type PaymentsService = {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** True once recovery has run: new sales are refused until then (docs/PAYMENTS.md rule 8). */
  readonly ready: boolean;
  needsAttention(): number;
  listTerminals(): Promise<TerminalInfo[]>;
  /** Attempts whose result cannot be confirmed, with their order's reference (oldest first). */
  listToCheck(): AttemptToCheck[];
  setDefaultTerminal(terminalId: string): Promise<{ defaultTerminalId: string }>;
  startSale(input: StartSaleInput): Promise<PaymentAttempt>;
  matchedRefund(input: MatchedRefundInput): Promise<{ refund: Refund; attempt: PaymentAttempt }>;
  unlinkedRefund(input: UnlinkedRefundInput): Promise<{ refund: Refund; attempt: PaymentAttempt }>;
  serverRefund(input: ServerRefundInput): Promise<Refund>;
  cancel(attemptId: string): Promise<PaymentAttempt>;
  signature(attemptId: string, accepted: boolean): Promise<PaymentAttempt>;
  /** The sale screen may start the next sale: refused while a card payment or refund runs. */
  newSale(): null;
  checkAgain(attemptId: string): Promise<PaymentAttempt>;
  /** A manager records the outcome of an attempt that cannot be confirmed (docs/PAYMENTS.md rule 7). */
  recordManually(input: RecordManuallyInput): Promise<PaymentAttempt>;
  get(attemptId: string): PaymentAttemptWithJournal;
  /** The attempt without its journal; NOT_FOUND when there is none. */
  attempt(attemptId: string): PaymentAttempt;
  listForOrder(orderId: string): PaymentAttempt[];
  listRefundsForOrder(orderId: string): Refund[];
  /** One refund (its status, its error), or null when there is none. */
  findRefund(refundId: string): Refund | null;
  /** Follows the polling of live attempts: started, each poll, stopped. Returns the unsubscribe. */
  onPolling: <E extends keyof PollingEvents>(
    event: E,
    listener: (payload: PollingEvents[E]) => void,
  ) => () => void;
};

export function createPaymentsService(options: PaymentsServiceOptions): PaymentsService {
  const log = options.logger.child('payments');
  const pollers = new Map<string, AttemptPoller>();
  const polling = createEmitter<PollingEvents>((error) =>
    log.error('polling listener failed', { error: errorText(error) }),
  );
  /** Attempts an operator action (check again, manual record) is working on right now. */
  const operatorBusy = new Set<string>();
  let ready = false;
  let stopped = false;
  const env = options.env ?? process.env;

  const ctx: PaymentsContext = {
    db: options.db,
    log,
    bus: options.bus,
    dojo: options.dojo,
    currency: options.currency,
    orders: options.orders,
    onRefundCompleted: options.onRefundCompleted,
    polling: { ...defaultPolling, ...options.polling },
    defaultTerminal: options.defaultTerminal,
    crash: (step) => crashPoint(step, env),
    terminalCache: new Map(),
    terminalFreshMs: options.terminalFreshMs ?? 60_000,
    drive(attemptId, firstPollAfterMs = 0) {
      if (stopped || pollers.get(attemptId)?.running) return;
      const poller = createAttemptPoller({
        attemptId,
        polling: ctx.polling,
        log,
        tick: async () => {
          polling.emit('polled', { attemptId });
          const result = await pollOnce(ctx, attemptId);
          if (linkLost.delete(attemptId)) {
            advanceAttempt(ctx.db, attemptId, { type: 'link-back' });
            emitProgress(ctx, getAttempt(ctx.db, attemptId), undefined, { lost: false });
          }
          return result;
        },
        onError: (error, n) => {
          noteLinkLoss(attemptId, error, n);
          onPollError(attemptId, error, n);
        },
        onStop: () => {
          pollers.delete(attemptId);
          linkLost.delete(attemptId);
          polling.emit('stopped', { attemptId });
        },
      });
      pollers.set(attemptId, poller);
      polling.emit('started', { attemptId });
      poller.start(firstPollAfterMs);
    },
  };
  const refunds = createServerRefunds(ctx, options.outbox, {
    firstTryWaitMs: options.refundWaitMs ?? 15_000,
    online: options.online ?? (() => true),
  });

  /** Live attempts whose polls cannot reach Dojo (the renderer was told). */
  const linkLost = new Set<string>();
  /** Two polls in a row that could not reach Dojo: the cashier is told the result waits for it. */
  function noteLinkLoss(attemptId: string, error: unknown, consecutive: number) {
    if (!isDojoError(error) || error.code !== 'DOJO_UNREACHABLE' || consecutive < 2) return;
    if (linkLost.has(attemptId)) return;
    linkLost.add(attemptId);
    advanceAttempt(ctx.db, attemptId, { type: 'link-lost', error: errorText(error) });
    emitProgress(ctx, getAttempt(ctx.db, attemptId), undefined, { lost: true });
  }

  /** A session Dojo no longer knows, after a few tries, is a case for the operator. */
  function onPollError(attemptId: string, error: unknown, consecutive: number) {
    if (!(isDojoError(error) && error.code === 'NOT_FOUND' && consecutive >= 3)) return;
    pollers.get(attemptId)?.stop();
    // A poll that failed never finished the attempt; should it be final all the same, it stays so.
    if (getAttempt(ctx.db, attemptId).isFinal) return;
    emitProgress(
      ctx,
      advanceAttempt(ctx.db, attemptId, { type: 'session-lost', error: errorText(error) }).attempt,
    );
  }

  // Keeps the terminals' status fresh so a sale need not read its terminal first (skipped while
  // Dojo is known to be unreachable). The first refresh waits one interval: the renderer lists the
  // terminals when it opens.
  const refreshEvery = options.terminalRefreshMs ?? 30_000;
  let refreshTimer: NodeJS.Timeout | null = null;
  const scheduleRefresh = () => {
    if (stopped || refreshEvery <= 0) return;
    refreshTimer = setTimeout(() => {
      refreshTimer = null;
      const online = options.online ?? (() => true);
      void (online() ? refreshTerminalsQuietly(ctx) : Promise.resolve()).finally(scheduleRefresh);
    }, refreshEvery);
    refreshTimer.unref();
  };

  const requireReady = () => {
    if (!ready)
      throw new TillError(
        'ATTEMPT_IN_PROGRESS',
        'The till is still checking earlier card payments. Try again in a moment.',
        { retryable: true },
      );
  };

  const service: PaymentsService = {
    async start() {
      stopped = false;
      await recoverAll(ctx);
      ready = true;
      if (!refreshTimer) scheduleRefresh();
    },
    stop() {
      stopped = true;
      ready = false;
      if (refreshTimer) clearTimeout(refreshTimer);
      refreshTimer = null;
      for (const p of [...pollers.values()]) p.stop();
      pollers.clear();
      return Promise.resolve();
    },
    get ready() {
      return ready;
    },
    needsAttention: () =>
      listLiveAttempts(ctx.db).filter((a) => a.state.kind === 'unconfirmed').length,
    listTerminals: () => listTerminals(ctx),
    listToCheck: () =>
      listAttemptsToCheck(ctx.db).map((a) => ({
        ...a,
        orderReference: a.orderId ? (ctx.orders.findSummary(a.orderId)?.reference ?? null) : null,
      })),
    setDefaultTerminal: (id) => setDefaultTerminal(ctx, id),
    async startSale(input) {
      requireReady();
      return startSale(ctx, input);
    },
    async matchedRefund(input) {
      requireReady();
      return matchedRefund(ctx, input);
    },
    async unlinkedRefund(input) {
      requireReady();
      return unlinkedRefund(ctx, input);
    },
    serverRefund: (input) => refunds.create(input),
    cancel: (id) => cancelAttempt(ctx, id),
    signature: (id, accepted) => answerSignature(ctx, id, accepted),
    newSale: () => readyForNewSale(ctx),
    async checkAgain(attemptId) {
      const attempt = getAttempt(ctx.db, attemptId);
      if (attempt.isFinal) return attempt;
      if (pollers.get(attemptId)?.running || operatorBusy.has(attemptId)) return attempt;
      operatorBusy.add(attemptId);
      try {
        await recoverOne(ctx, attempt, true);
      } finally {
        operatorBusy.delete(attemptId);
      }
      const after = getAttempt(ctx.db, attemptId);
      emitProgress(ctx, after);
      return after;
    },
    async recordManually(input) {
      requireReady();
      const id = input.attemptId;
      const polling = () => pollers.get(id)?.running === true;
      // While another operator action runs on this attempt, it is refused (after the usual checks).
      if (operatorBusy.has(id)) return recordManually(ctx, input, () => true);
      operatorBusy.add(id);
      try {
        return await recordManually(ctx, input, polling);
      } finally {
        operatorBusy.delete(id);
      }
    },
    get: (id) => ({ ...getAttempt(ctx.db, id), events: listEvents(ctx.db, id) }),
    attempt: (id) => getAttempt(ctx.db, id),
    listForOrder: (orderId) => listAttemptsForOrder(ctx.db, orderId),
    listRefundsForOrder: (orderId) => listRefundsForOrder(ctx.db, orderId),
    findRefund: (refundId) => findRefund(ctx.db, refundId),
    onPolling: polling.on,
  };
  return service;
}
