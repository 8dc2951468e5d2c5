import type { Db } from '../db/connection';
import { preparedFor } from '../platform/prepared';
import type { EndOfDaySummary } from '../../src-shared/domain/receipt';
import type { CardByTerminal, DaySummary } from '../printing/report-documents';
import type { CurrencyCode } from '../../src-shared/money';
// The day report is one read of the window it covers, inside the close's transaction when it is a
// Z report; the drawer, tips and cards-to-match figures of that window are those features' reads.
// eslint-disable-next-line opentill/no-foreign-repo -- the drawer's figures for the report's window (float, movements, per person), read in the report's transaction
import { cashSummary } from '../cash/cash.queries';
// eslint-disable-next-line opentill/no-foreign-repo -- the tips of the report's window, read in the report's transaction (tips.ts keeps the report figures behind tips.repo)
import { tipsSummary } from '../tips/tips.repo';
// eslint-disable-next-line opentill/no-foreign-repo -- the cards still to match of the report's window, read in the report's transaction
import { toMatchTotals } from '../tenders/tender-matches.repo';
import type { TenderKind } from '../../src-shared/domain/order-status';
import type { CashCount } from '../../src-shared/domain/cash';

// The day report's reads, prepared once per database: an X report is asked for many times a day.
const stmts = preparedFor((db: Db) => ({
  lastClosure: db.prepare<[], { e: string | null }>(
    'SELECT max(period_end) AS e FROM day_closures',
  ),
  refunds: db.prepare<Window, { n: number; total: number | null }>(
    `SELECT count(*) AS n, sum(amount_minor) AS total FROM refunds WHERE status = 'completed' AND updated_at > @start AND updated_at <= @end`,
  ),
  reversals: db.prepare<Window, { n: number; total: number | null }>(
    `SELECT count(*) AS n, sum(amount_minor) AS total FROM reversals WHERE status = 'completed' AND updated_at > @start AND updated_at <= @end`,
  ),
  returns: db.prepare<Window, { n: number; total: number | null }>(
    `SELECT count(*) AS n, sum(total_minor) AS total FROM returns WHERE status = 'completed' AND completed_at > @start AND completed_at <= @end`,
  ),
  cashBack: db.prepare<Window, { n: number; total: number | null }>(
    `SELECT count(*) AS n, sum(amount_minor) AS total FROM cash_movements
       WHERE kind = 'cash-refund' AND created_at > @start AND created_at <= @end`,
  ),
  credit: db.prepare<Window, { n: number; total: number | null }>(
    `SELECT count(*) AS n, sum(pay.amount_minor) AS total FROM return_payouts pay
       JOIN returns r ON r.id = pay.return_id JOIN orders o ON o.id = r.exchange_order_id
       WHERE pay.method = 'exchange' AND ${PAID_IN_PERIOD}`,
  ),
  paidOrders: db.prepare<Window, PaidOrders>(
    `SELECT count(*) AS n, sum(subtotal_minor) AS gross, sum(discount_minor) AS disc, sum(total_minor) AS total FROM orders o WHERE ${PAID_IN_PERIOD}`,
  ),
  vatByRate: db.prepare<Window, VatRow>(
    // A modifier with a VAT rate of its own counts under that rate and comes off its line's
    // (the line's total includes it). Lines are summed from their covering index alone; only
    // the day's modifiers are read, each once for its own rate and once against its line.
    `SELECT rateBp, sum(grossMinor) AS grossMinor, sum(vatMinor) AS vatMinor FROM (
         SELECT l.vat_rate_bp AS rateBp, l.line_total_minor AS grossMinor, l.vat_minor AS vatMinor
           FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE ${PAID_IN_PERIOD}
         UNION ALL
         SELECT lm.vat_rate_bp, lm.total_minor, lm.vat_minor
           FROM orders o JOIN order_line_modifiers lm ON lm.order_id = o.id WHERE ${PAID_IN_PERIOD}
         UNION ALL
         SELECT l.vat_rate_bp, -lm.total_minor, -lm.vat_minor
           FROM orders o JOIN order_line_modifiers lm ON lm.order_id = o.id
           JOIN order_lines l ON l.order_id = lm.order_id AND l.position = lm.position
          WHERE ${PAID_IN_PERIOD}
       ) GROUP BY rateBp ORDER BY rateBp DESC`,
  ),
  tenders: db.prepare<Window, TenderRow>(
    `SELECT t.kind AS kind,
              CASE WHEN t.kind = 'card' THEN coalesce(t.terminal_id, 'unknown') END AS terminalId,
              max(a.terminal_tid) AS terminalTid, count(*) AS count, sum(t.amount_minor) AS amountMinor
       FROM orders o JOIN tenders t ON t.order_id = o.id
       LEFT JOIN payment_attempts a INDEXED BY payment_attempts_tid
         ON t.kind = 'card' AND a.id = t.attempt_id
       WHERE ${PAID_IN_PERIOD} GROUP BY t.kind, 2`,
  ),
  runningTotals: db.prepare<
    [string],
    {
      figure: 'orders' | 'vat' | 'tender';
      kind: string;
      terminal_id: string;
      rate_bp: number;
      count: number;
      amount_minor: number;
      vat_minor: number;
      terminal_tid: string | null;
    }
  >('SELECT * FROM day_running_totals WHERE period_start = ? ORDER BY figure, rate_bp DESC'),
}));

/**
 * The figures of the open till day. The day starts after the latest closure (`day_closures`) and
 * runs to `periodEnd`; a paid order counts on the day it completed, a refund on the day it did.
 */
export function lastClosureEnd(db: Db): string | null {
  return stmts(db).lastClosure.get()?.e ?? null;
}

const PAID_IN_PERIOD = `o.status = 'paid' AND o.completed_at > @start AND o.completed_at <= @end`;

export function daySummary(
  db: Db,
  periodEnd: string,
  currency: CurrencyCode,
  mode: 'running' | 'recompute' = 'running',
): DaySummary {
  const periodStart = lastClosureEnd(db);
  const p = { start: periodStart ?? '', end: periodEnd };
  const orders = paidOrders(db, p);
  const refunds = stmts(db).refunds.get(p);
  const reversals = stmts(db).reversals.get(p);
  const returns = stmts(db).returns.get(p);
  // Cash handed back from the drawer against orders: amount-based cash refunds and the cash part of
  // returns (both are `cash-refund` drawer movements), on the day the drawer paid them.
  const cashBack = stmts(db).cashBack.get(p);
  // Exchange credit pays for part of an exchange's new order: that order is in Sales at its full
  // total, but the credit is not money taken, so it comes off on the day the new order is paid.
  const credit = stmts(db).credit.get(p);
  // The VAT by rate and the tenders come from the running totals of the open day (migration 018)
  // while they agree with the day's orders; otherwise every line and tender of the day is read.
  const running = mode === 'running' ? currentRunningTotals(db, p, orders) : null;
  const vat = running ? running.vat : vatByRate(db, p);
  const tenderRows = running ? running.tenders : tendersRead(db, p);
  const byKind = new Map<string, { count: number; amountMinor: number }>();
  for (const r of tenderRows) {
    const k = byKind.get(r.kind) ?? { count: 0, amountMinor: 0 };
    byKind.set(r.kind, { count: k.count + r.count, amountMinor: k.amountMinor + r.amountMinor });
  }
  const binary = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const tenders = [...byKind]
    .map(([kind, t]) => ({ kind, ...t }))
    .sort((a, b) => binary(b.kind, a.kind));
  const terminals: CardByTerminal[] = tenderRows
    .filter((r) => r.kind === 'card')
    .map((r) => ({
      terminalId: r.terminalId ?? 'unknown',
      terminalTid: r.terminalTid,
      count: r.count,
      amountMinor: r.amountMinor,
    }))
    .sort((a, b) => binary(a.terminalId, b.terminalId));
  const sales = orders?.total ?? 0;
  const refunded = refunds?.total ?? 0;
  const reversed = reversals?.total ?? 0;
  const cashRefunded = cashBack?.total ?? 0;
  const credited = credit?.total ?? 0;
  const takings = tenders.map((t) => ({
    kind: t.kind as TenderKind,
    count: t.count,
    amountMinor: t.amountMinor,
  }));
  return {
    periodStart,
    periodEnd,
    currency,
    ordersCount: orders?.n ?? 0,
    grossSalesMinor: orders?.gross ?? 0,
    discountsMinor: orders?.disc ?? 0,
    salesMinor: sales,
    refundsCount: refunds?.n ?? 0,
    refundsMinor: refunded,
    reversalsCount: reversals?.n ?? 0,
    reversalsMinor: reversed,
    cashRefundsCount: cashBack?.n ?? 0,
    cashRefundsMinor: cashRefunded,
    exchangeCreditCount: credit?.n ?? 0,
    exchangeCreditMinor: credited,
    returnsCount: returns?.n ?? 0,
    returnsMinor: returns?.total ?? 0,
    // Net takings: what customers paid for, less every way money went back (docs/RETURNS.md
    // "Day report"); it equals the sum of "Net by tender".
    netMinor: sales - refunded - reversed - cashRefunded - credited,
    vatByRate: vat,
    tenders: takings,
    netByTender: netByTender(takings, { card: refunded + reversed, cash: cashRefunded }),
    cardByTerminal: terminals,
    tips: tipsSummary(db, p.start, p.end),
    toMatch: toMatchTotals(db, p.start, p.end),
    cash: cashSummary(db, periodStart, periodEnd),
  };
}

type Window = { start: string; end: string };
type PaidOrders = { n: number; gross: number | null; disc: number | null; total: number | null };

/** The count and sums of the orders paid in the window, from `orders_completed` alone. */
const paidOrders = (db: Db, p: Window): PaidOrders | undefined => stmts(db).paidOrders.get(p);

/**
 * The running totals of the open day, when they agree with the orders paid in the window: same
 * count and total. An order paid after the window's end is in the totals but not in the window,
 * so a report for a moment in the past reads the rows.
 */
function currentRunningTotals(db: Db, p: Window, orders: PaidOrders | undefined) {
  const running = runningTotals(db, p.start);
  return running.orders.count === (orders?.n ?? 0) &&
    running.orders.amountMinor === (orders?.total ?? 0)
    ? running
    : null;
}

/** Whether the day report up to `periodEnd` takes its VAT and tenders from the running totals. */
export function runningTotalsInUse(db: Db, periodEnd: string): boolean {
  const p = { start: lastClosureEnd(db) ?? '', end: periodEnd };
  return currentRunningTotals(db, p, paidOrders(db, p)) !== null;
}
type VatRow = { rateBp: number; grossMinor: number; vatMinor: number };
type TenderRow = {
  kind: string;
  terminalId: string | null;
  terminalTid: string | null;
  count: number;
  amountMinor: number;
};

/** VAT by rate of the orders paid in the window, from their lines and modifiers. */
function vatByRate(db: Db, p: Window): VatRow[] {
  return stmts(db).vatByRate.all(p);
}

/** The tenders of the orders paid in the window, by kind and card terminal. */
function tendersRead(db: Db, p: Window): TenderRow[] {
  // One read of the day's tenders gives both the tenders by kind and the card ones by terminal.
  // The TID comes from the payment attempt behind a card tender (recorded when the sale started);
  // attempts from before the till recorded it have none, and the report falls back to the id.
  // `payment_attempts_tid` holds the TID beside the id: without INDEXED BY the planner takes the
  // primary key and then reads each attempt's row (with its Dojo receipts) from the table.
  return stmts(db).tenders.all(p);
}

/**
 * The running totals of the open day that starts at `start` (migration 018), in the shapes the
 * reads above give. `orders` is what they must agree with before they are used.
 */
function runningTotals(
  db: Db,
  start: string,
): { orders: { count: number; amountMinor: number }; vat: VatRow[]; tenders: TenderRow[] } {
  const rows = stmts(db).runningTotals.all(start);
  const orders = { count: 0, amountMinor: 0 };
  const vat: VatRow[] = [];
  const tenders: TenderRow[] = [];
  // A rate or tender whose rows were all taken away is not shown, as a read would not show it.
  for (const r of rows) {
    switch (r.figure) {
      case 'orders':
        orders.count = r.count;
        orders.amountMinor = r.amount_minor;
        break;
      case 'vat':
        if (r.count !== 0)
          vat.push({ rateBp: r.rate_bp, grossMinor: r.amount_minor, vatMinor: r.vat_minor });
        break;
      case 'tender':
        if (r.count !== 0)
          tenders.push({
            kind: r.kind,
            terminalId: r.kind === 'card' ? r.terminal_id : null,
            terminalTid: r.terminal_tid,
            count: r.count,
            amountMinor: r.amount_minor,
          });
        break;
    }
  }
  return { orders, vat, tenders };
}

/**
 * Takings by tender less what went back through that tender: card refunds and reversals off the
 * card, cash refunds off the cash (a tender with money back but no takings still shows).
 */
function netByTender(
  takings: { kind: TenderKind; amountMinor: number }[],
  back: { card: number; cash: number },
): { kind: TenderKind; amountMinor: number }[] {
  const out = takings.map((t) => ({ kind: t.kind, amountMinor: t.amountMinor }));
  for (const kind of ['card', 'cash'] as const) {
    if (back[kind] === 0) continue;
    const row = out.find((t) => t.kind === kind);
    if (row) row.amountMinor -= back[kind];
    else out.push({ kind, amountMinor: -back[kind] });
  }
  return out;
}

export type DayClosureRow = {
  id: string;
  periodStart: string | null;
  periodEnd: string;
  closedBy: string;
  closedAt: string;
};

export function insertClosure(
  db: Db,
  id: string,
  s: EndOfDaySummary,
  closedBy: string,
  closedAt: string,
): DayClosureRow {
  db.prepare(
    `INSERT INTO day_closures (id, period_start, period_end, orders_count, sales_minor, refunds_minor, currency, summary, closed_by, closed_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    id,
    s.periodStart,
    s.periodEnd,
    s.ordersCount,
    s.salesMinor,
    s.refundsMinor,
    s.currency,
    JSON.stringify(s),
    closedBy,
    closedAt,
  );
  return { id, periodStart: s.periodStart, periodEnd: s.periodEnd, closedBy, closedAt };
}

/** What the cash close adds to its closure: the till day, who closed it, the drawer count. */
export type DrawerClose = {
  dayId: string | null;
  closedByStaff: string | null;
  countedMinor: number | null;
  expectedMinor: number | null;
  count: CashCount | null;
};

export function recordDrawerClose(db: Db, closureId: string, d: DrawerClose): void {
  db.prepare(
    `UPDATE day_closures SET day_id = ?, closed_by_staff = ?, counted_minor = ?, expected_minor = ?, cash_count = ? WHERE id = ?`,
  ).run(
    d.dayId,
    d.closedByStaff,
    d.countedMinor,
    d.expectedMinor,
    d.count ? JSON.stringify(d.count) : null,
    closureId,
  );
}
