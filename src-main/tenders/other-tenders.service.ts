import type { MatchRun, OtherTenderResult, ToMatchTender } from '../../src-shared/domain/tenders';
import type { OrderSummary } from '../../src-shared/domain/orders';
import type { ParsedInputOf } from '../../src-shared/contract';
import { TillError } from '../../src-shared/errors';
import type { Db } from '../db/connection';
import type { DojoClient } from '../dojo/dojo-client';
import type { Logger } from '../logging/logger';
import type { OrdersPort, TenderApplied } from '../orders/orders-port';
import { countLiveAttempts } from '../orders/orders.mutations';
import { currentActor } from '../staff/actor';
import { matchWaitingTenders } from './outage-matcher';
import { insertToMatch, matchesIn, openMatches } from './tender-matches.repo';

export type OtherTendersDeps = {
  db: Db;
  logger: Logger;
  dojo: () => DojoClient;
  /** The orders feature's one way to apply a tender (events, the paid hook). */
  applyTender: OrdersPort['applyTender'];
  getOrderSummary: (orderId: string) => OrderSummary;
  /**
   * True only when Dojo is known to be unreachable and a fresh probe agrees: a card on another
   * terminal is an outage measure, never a way round the till's own terminals.
   */
  dojoUnreachable: () => Promise<boolean>;
  onMatched?: (run: MatchRun) => void;
};

export type OtherTendersService = ReturnType<typeof createOtherTendersService>;

/**
 * Tenders the till does not take itself (docs/PAYMENTS.md "Card on another terminal", "Voucher"):
 * a card taken on a terminal used standalone while Dojo was down (marked to match, linked later to
 * Dojo's record of it), and a voucher or other tender with its reference.
 */
export function createOtherTendersService(deps: OtherTendersDeps) {
  const { db } = deps;
  const log = deps.logger.child('tenders');

  /** A card payment running on the order may have taken the money: finish it first. */
  const refuseWhileCardRuns = (orderId: string) => {
    if (countLiveAttempts(db, orderId) > 0)
      throw new TillError(
        'ATTEMPT_IN_PROGRESS',
        'A card payment on this order is still running or could not be confirmed. Finish it first, then record the rest.',
      );
  };

  const result = (applied: TenderApplied, orderId: string): OtherTenderResult => ({
    tenderId: applied.tenderId,
    remainingMinor: applied.remainingMinor,
    orderCompleted: applied.orderCompleted,
    order: deps.getOrderSummary(orderId),
  });

  let running: Promise<MatchRun> | null = null;

  return {
    /** Every card taken on another terminal in the window, matched or not (the close's check). */
    takenIn: (start: string, end: string): ToMatchTender[] => matchesIn(db, start, end),

    async cardOnOtherTerminal(
      input: Omit<ParsedInputOf<'tenders:card-other'>, 'idempotencyKey' | 'approval'>,
    ): Promise<OtherTenderResult> {
      if (!(await deps.dojoUnreachable()))
        throw new TillError(
          'VALIDATION',
          'Dojo can be reached, so take the card on one of the till’s own terminals. "Card on another terminal" is only for when Dojo is down; nothing was recorded.',
        );
      refuseWhileCardRuns(input.orderId);
      const approvedBy = currentActor()?.approvedBy ?? null;
      const applied = deps.applyTender(
        {
          orderId: input.orderId,
          kind: 'card_other',
          amountMinor: input.amountMinor,
          cardLast4: input.last4,
          ...(input.authCode ? { authCode: input.authCode } : {}),
          upToRemaining: true,
        },
        (a) => insertToMatch(db, a.tenderId, approvedBy),
      );
      log.info('card on another terminal recorded, to match', {
        orderId: input.orderId,
        amountMinor: input.amountMinor,
      });
      return result(applied, input.orderId);
    },

    voucher(input: Omit<ParsedInputOf<'tenders:voucher'>, 'idempotencyKey'>): OtherTenderResult {
      refuseWhileCardRuns(input.orderId);
      const applied = deps.applyTender({
        orderId: input.orderId,
        kind: 'voucher',
        amountMinor: input.amountMinor,
        reference: input.reference,
        upToRemaining: true,
      });
      log.info('voucher recorded', { orderId: input.orderId, amountMinor: input.amountMinor });
      return result(applied, input.orderId);
    },

    toMatch: (): ToMatchTender[] => openMatches(db),

    /** One search at a time: a second caller shares the run in progress. */
    matchNow(): Promise<MatchRun> {
      running ??= matchWaitingTenders(db, deps.dojo())
        .then((run) => {
          if (run.matched.length)
            log.info('cards on another terminal matched with Dojo', {
              matched: run.matched.length,
              open: run.open.length,
            });
          if (run.matched.length) deps.onMatched?.(run);
          return run;
        })
        .finally(() => {
          running = null;
        });
      return running;
    },

    /** Anything still waiting? (the connectivity hook runs a search only then). */
    hasWaiting: (): boolean => openMatches(db).length > 0,
  };
}
