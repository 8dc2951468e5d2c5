import { randomUUID } from 'node:crypto';
import {
  countTotal,
  denominations,
  type CashCount,
  type CashCountResult,
  type CashMovement,
  type CashReason,
  type CashSummary,
  type TillDay,
} from '../../src-shared/domain/cash';
import type { DojoCheck } from '../../src-shared/domain/dojo-check';
import type { DayClosure } from '../../src-shared/contract/printing.contract';
import { TillError } from '../../src-shared/errors';
import { formatMoney, type CurrencyCode } from '../../src-shared/money';
import { nowIso, type Db } from '../db/connection';
import type { DojoClient } from '../dojo/dojo-client';
import type { Logger } from '../logging/logger';
import type { PrintService } from '../printing/print-service';
import type { ReportsService } from '../reports/reports.service';
import { audit } from '../platform/audit';
import { assertOrderRefundable } from '../payments/refundable';
import { currentActor } from '../staff/actor';
import { staffName } from '../staff/staff-names';
import {
  cashSummary,
  getMovement,
  insertDay,
  insertMovement,
  liveAttempts,
  openDay,
} from './cash.queries';
import type { OrdersPort } from '../orders/orders-port';
import type { OtherTendersService } from '../tenders/other-tenders.service';
import {
  compareWithDojo,
  getCheck,
  insertCheck,
  listChecks,
  pendingChecks,
  saveCheckOutcome,
} from './dojo-check';

export type CashServiceDeps = {
  db: Db;
  logger: Logger;
  currency: () => CurrencyCode;
  /** The drawer kick of each movement. */
  printing: Pick<PrintService, 'openDrawer'>;
  /** Where the open day starts, and the closure record (with the drawer count) and Z report. */
  reports: Pick<ReportsService, 'openDayStart' | 'closeDay' | 'recordDrawerClose'>;
  dojo: () => DojoClient;
  /** Called when a pending three-way check completes (status, Reports). */
  onCheckCompleted?: (check: DojoCheck) => void;
  /** A cash refund counts on its order (the refund caps read it). */
  orders: Pick<OrdersPort, 'recordRefunded'>;
  /** Cards taken on another terminal: the three-way check lists those of its window. */
  tenders: Pick<OtherTendersService, 'takenIn'>;
};

export type CashService = ReturnType<typeof createCashService>;

const refuse = (message: string) => new TillError('VALIDATION', message);

/**
 * The cash drawer and the till day: float, pay-ins and pay-outs, no-sales, cash refunds, and the
 * close: the count against the expected cash, and the card takings against Dojo's own record.
 */
export function createCashService(deps: CashServiceDeps) {
  const { db } = deps;
  const log = deps.logger.child('cash');
  const money = (m: number) => formatMoney(m, deps.currency());
  const actor = () => currentActor();
  let checking: Promise<void> | null = null;

  /** A count must use the till currency's notes and coins, each at most once. */
  function checkCount(count: CashCount): number {
    const currency = deps.currency();
    const known = new Set([...denominations[currency].notes, ...denominations[currency].coins]);
    const seen = new Set<number>();
    for (const c of count) {
      if (!known.has(c.valueMinor))
        throw refuse(`${money(c.valueMinor)} is not a ${currency} note or coin.`);
      if (seen.has(c.valueMinor)) throw refuse(`${money(c.valueMinor)} is counted twice.`);
      seen.add(c.valueMinor);
    }
    return countTotal(count);
  }

  const summaryNow = (): CashSummary => cashSummary(db, deps.reports.openDayStart(), nowIso());

  function movement(
    kind: CashMovement['kind'],
    amountMinor: number,
    fields: { reason?: string | null; note?: string | null; orderId?: string | null },
    hooks: { before?: () => void; after?: () => void } = {},
  ): CashMovement {
    const id = randomUUID();
    const a = actor();
    db.transaction(() => {
      hooks.before?.(); // checks that must see the rows as they are before this movement
      insertMovement(db, {
        id,
        dayId: openDay(db)?.id ?? null,
        kind,
        amountMinor,
        currency: deps.currency(),
        reason: fields.reason ?? null,
        note: fields.note ?? null,
        orderId: fields.orderId ?? null,
        staffId: a?.staffId ?? null,
        approvedBy: a?.approvedBy ?? null,
      });
      hooks.after?.();
      audit(db, staffName(db, a?.staffId ?? null) ?? 'till', `drawer.${kind}`, id, {
        amountMinor,
        reason: fields.reason ?? null,
        orderId: fields.orderId ?? null,
      });
    })();
    // The drawer opens for the cash to go in or out; a no-sale is nothing but that.
    deps.printing.openDrawer(kind);
    log.info('drawer movement', { kind, amountMinor });
    return getMovement(db, id);
  }

  const assertFitsInDrawer = (amountMinor: number, what: string) => {
    const expected = summaryNow().expectedMinor;
    if (amountMinor > expected)
      throw refuse(
        `${what} of ${money(amountMinor)} is more than the ${money(Math.max(0, expected))} the drawer should hold: nothing was recorded.`,
      );
  };

  async function runCheck(closureId: string): Promise<DojoCheck> {
    const check = getCheck(db, closureId);
    if (!check) throw new TillError('NOT_FOUND', 'There is no Dojo check for that closure.');
    if (check.status === 'completed') return check;
    try {
      const result = await compareWithDojo(
        db,
        deps.dojo(),
        check.windowStart,
        check.windowEnd,
        deps.tenders.takenIn,
      );
      saveCheckOutcome(db, closureId, { result });
      log.info('three-way check completed', {
        closureId,
        matched: result.matched.count,
        dojoOnly: result.dojoOnly.length,
        tillOnly: result.tillOnly.length,
      });
      const done = getCheck(db, closureId) ?? check;
      deps.onCheckCompleted?.(done);
      return done;
    } catch (error) {
      const message =
        error instanceof TillError ? error.message : 'Dojo could not be asked for its record.';
      saveCheckOutcome(db, closureId, { error: message });
      log.warn('three-way check still pending', { closureId, error: message });
      return getCheck(db, closureId) ?? check;
    }
  }

  return {
    day: (): TillDay | null => openDay(db),

    openDay(float: CashCount): TillDay {
      if (openDay(db))
        throw new TillError(
          'DAY_STATE',
          'The till day is already open: close it before opening another.',
        );
      const floatMinor = checkCount(float);
      const id = randomUUID();
      const a = actor();
      db.transaction(() => {
        insertDay(db, {
          id,
          openedBy: a?.staffId ?? null,
          float,
          floatMinor,
          currency: deps.currency(),
        });
        audit(db, staffName(db, a?.staffId ?? null) ?? 'till', 'day.opened', id, { floatMinor });
      })();
      deps.printing.openDrawer('float');
      const day = openDay(db);
      if (!day) throw new Error('till day not stored');
      return day;
    },

    pay(m: {
      direction: 'in' | 'out';
      amountMinor: number;
      reason: CashReason;
      note?: string | undefined;
    }): CashMovement {
      if (!openDay(db))
        throw new TillError(
          'DAY_STATE',
          'Open the till day with a float before paying cash in or out.',
        );
      if (m.direction === 'out') assertFitsInDrawer(m.amountMinor, 'A pay-out');
      return movement(m.direction === 'in' ? 'pay-in' : 'pay-out', m.amountMinor, {
        reason: m.reason,
        note: m.note ?? null,
      });
    },

    noSale(reason: string | undefined): CashMovement {
      return movement('no-sale', 0, { reason: reason ?? null });
    },

    /**
     * Cash handed back from the drawer against a paid order: within what is left to refund on it
     * by every way (docs/PAYMENTS.md rule 10: card refunds, cash, returns, exchange credit,
     * reversals), checked again inside the transaction that writes, and within the cash the
     * drawer should hold.
     */
    cashRefund(input: {
      orderId: string;
      amountMinor: number;
      reason?: string | undefined;
    }): CashMovement {
      assertOrderRefundable(db, input.orderId, input.amountMinor);
      assertFitsInDrawer(input.amountMinor, 'A cash refund');
      return movement(
        'cash-refund',
        input.amountMinor,
        { reason: input.reason ?? null, orderId: input.orderId },
        {
          // Again inside the transaction: two tabs giving money back at once cannot overspend.
          before: () => void assertOrderRefundable(db, input.orderId, input.amountMinor),
          after: () => deps.orders.recordRefunded(input.orderId, input.amountMinor),
        },
      );
    },

    summary: summaryNow,

    /**
     * Closes the day: refused while a card payment is live; with a day opened on a float, the
     * drawer count is required. Dojo is asked for its record first; when it cannot be reached the
     * day still closes and the check stays pending until Dojo is back.
     */
    async closeDay(input: {
      count?: CashCount | undefined;
      closedBy?: string | undefined;
    }): Promise<DayClosure & { dojoCheck: DojoCheck | null }> {
      const assertClosable = () => {
        if (liveAttempts(db) > 0)
          throw new TillError(
            'DAY_STATE',
            'A card payment or refund is still in progress: finish it before closing the day.',
          );
      };
      assertClosable();
      const day = openDay(db);
      if (day && !input.count)
        throw refuse('Count the drawer before closing the day: it was opened with a float.');
      const countedMinor = input.count ? checkCount(input.count) : null;
      const closedAt = nowIso();
      const windowStart =
        deps.reports.openDayStart() ??
        day?.openedAt ??
        new Date(Date.parse(closedAt) - 86_400_000).toISOString();
      const a = actor();
      const closedBy = staffName(db, a?.staffId ?? null) ?? input.closedBy ?? 'operator';

      let result: DojoCheck['result'] = null;
      let lastError: string | null = null;
      try {
        result = await compareWithDojo(
          db,
          deps.dojo(),
          windowStart,
          closedAt,
          deps.tenders.takenIn,
        );
      } catch (error) {
        lastError =
          error instanceof TillError ? error.message : 'Dojo could not be asked for its record.';
        log.warn('three-way check pending at close', { error: lastError });
      }

      let check: DojoCheck | null = null;
      const closure = deps.reports.closeDay(closedBy, {
        closedAt,
        extras: (s, closureId) => {
          assertClosable();
          const cash = cashSummary(db, s.periodStart, closedAt);
          const count: CashCountResult | null =
            input.count && countedMinor !== null
              ? {
                  count: input.count,
                  countedMinor,
                  expectedMinor: cash.expectedMinor,
                  overShortMinor: countedMinor - cash.expectedMinor,
                }
              : null;
          check = {
            closureId,
            windowStart,
            windowEnd: closedAt,
            status: result ? 'completed' : 'pending',
            lastError,
            result,
          };
          return { cash, count, dojoCheck: check };
        },
        record: (closureId, s) => {
          if (s.dojoCheck) insertCheck(db, s.dojoCheck);
          deps.reports.recordDrawerClose(closureId, {
            dayId: day?.id ?? null,
            closedByStaff: a?.staffId ?? null,
            countedMinor: s.count?.countedMinor ?? null,
            expectedMinor: s.cash?.expectedMinor ?? null,
            count: s.count?.count ?? null,
          });
          if (day)
            db.prepare('UPDATE till_days SET closure_id = ? WHERE id = ?').run(closureId, day.id);
          audit(db, closedBy, 'day.closed', closureId, {
            countedMinor: s.count?.countedMinor ?? null,
            expectedMinor: s.cash?.expectedMinor ?? null,
            overShortMinor: s.count?.overShortMinor ?? null,
            dojoCheck: s.dojoCheck?.status ?? null,
          });
        },
      });
      return { ...closure, dojoCheck: check };
    },

    checks: (): DojoCheck[] => listChecks(db),
    runCheck,

    /** Runs every pending check (Dojo is back); one run at a time. */
    runPending(): Promise<void> {
      // `.finally` runs after the assignment even when there is nothing to check, so a finished
      // run never stays in `checking`.
      checking ??= (async () => {
        for (const c of pendingChecks(db)) await runCheck(c.closureId);
      })().finally(() => {
        checking = null;
      });
      return checking;
    },
  };
}
