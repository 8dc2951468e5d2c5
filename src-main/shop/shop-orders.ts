import type pg from 'pg';
import type {
  ShopDayFigures,
  ShopDojoCheck,
  ShopEndOfDay,
  ShopOrderDetail,
  ShopOrderHit,
  ShopOrderPage,
} from '../../src-shared/contract/shop.contract';
import type { z } from 'zod';
import type { shopOrderSearchSchema } from '../../src-shared/contract/shop.contract';
import { TillError } from '../../src-shared/errors';
import { formatMoney, type CurrencyCode } from '../../src-shared/money';
import { connectTill, describeShopError } from './shop-link';

/**
 * Reading the whole shop from the shop database: every till's orders, one order of another till
 * (read-only), and the shop's end of day. Each read opens its own short connection as the till
 * (`opentill_till`), so row-level security limits it to this till's shop. Nothing here writes.
 */
export const SHOP_PAGE_SIZE = 50;

export type ShopOrderSearch = z.output<typeof shopOrderSearchSchema>;

/** Runs `read` on a fresh connection; every failure becomes a plain-words SHOP_UNAVAILABLE. */
export async function withShopReader<T>(
  url: string | null,
  read: (client: pg.Client) => Promise<T>,
  options: { connectTimeoutMs?: number } = {},
): Promise<T> {
  if (!url) {
    throw new TillError(
      'SHOP_UNAVAILABLE',
      'This till is not joined to a shop database, so only its own orders can be seen. Join a shop in Settings → Shop database.',
    );
  }
  let client: pg.Client | null = null;
  try {
    client = (await connectTill(url, options)).client;
    return await read(client);
  } catch (error) {
    if (error instanceof TillError) throw error;
    const described = describeShopError(error);
    throw new TillError(
      'SHOP_UNAVAILABLE',
      described.state === 'unreachable'
        ? 'The shop database cannot be reached just now, so other tills’ records cannot be shown. This till keeps selling; try again in a moment.'
        : described.message,
      { retryable: described.state === 'unreachable', cause: error },
    );
  } finally {
    await client?.end().catch(() => undefined);
  }
}

type HitRow = {
  id: string;
  till_id: string;
  till_name: string | null;
  reference: string;
  status: string;
  currency: string;
  total_minor: string;
  refunded_minor: string;
  created_at: Date;
  completed_at: Date | null;
};

const hit = (r: HitRow): ShopOrderHit => ({
  orderId: r.id,
  tillId: r.till_id,
  tillName: r.till_name ?? r.till_id,
  reference: r.reference,
  status: r.status,
  currency: r.currency,
  totalMinor: Number(r.total_minor),
  refundedMinor: Number(r.refunded_minor),
  createdAt: r.created_at.toISOString(),
  completedAt: r.completed_at?.toISOString() ?? null,
});

const HIT_COLUMNS = `o.id, o.till_id, t.name AS till_name, o.reference, o.status, o.currency,
  o.total_minor, o.refunded_minor, o.created_at, o.completed_at`;

/** Escapes LIKE's wildcards so a typed `%` or `_` matches itself. */
const likeFragment = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function searchShopOrders(
  client: pg.Client,
  q: ShopOrderSearch,
): Promise<ShopOrderPage> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (n: string) => string, value: unknown) => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  if (q.reference) add((n) => `o.reference ILIKE ${n}`, likeFragment(q.reference));
  if (q.from) add((n) => `coalesce(o.completed_at, o.created_at) >= ${n}`, q.from);
  if (q.to) add((n) => `coalesce(o.completed_at, o.created_at) < ${n}`, q.to);
  if (q.amountMinor !== undefined) add((n) => `o.total_minor = ${n}`, q.amountMinor);
  if (q.minTotalMinor !== undefined) add((n) => `o.total_minor >= ${n}`, q.minTotalMinor);
  if (q.maxTotalMinor !== undefined) add((n) => `o.total_minor <= ${n}`, q.maxTotalMinor);
  params.push(SHOP_PAGE_SIZE + 1, q.offset ?? 0);
  const rows = await client.query<HitRow>(
    `SELECT ${HIT_COLUMNS} FROM opentill.orders o LEFT JOIN opentill.tills t ON t.id = o.till_id
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY coalesce(o.completed_at, o.created_at) DESC, o.id
     LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  return {
    orders: rows.rows.slice(0, SHOP_PAGE_SIZE).map(hit),
    hasMore: rows.rows.length > SHOP_PAGE_SIZE,
  };
}

export async function getShopOrder(client: pg.Client, orderId: string): Promise<ShopOrderDetail> {
  const found = await client.query<
    HitRow & {
      subtotal_minor: string;
      discount_minor: string;
      vat_minor: string;
      paid_minor: string;
      change_minor: string;
    }
  >(
    `SELECT ${HIT_COLUMNS}, o.subtotal_minor, o.discount_minor, o.vat_minor, o.paid_minor, o.change_minor
     FROM opentill.orders o LEFT JOIN opentill.tills t ON t.id = o.till_id WHERE o.id = $1`,
    [orderId],
  );
  const row = found.rows[0];
  if (!row) {
    throw new TillError(
      'NOT_FOUND',
      'That order is not in the shop database (its till may not have sent it yet).',
    );
  }
  const lines = await client.query<{
    position: number;
    name: string;
    quantity: number;
    unit_price_minor: string;
    discount_minor: string;
    vat_rate_bp: number;
    line_total_minor: string;
  }>(
    `SELECT position, name, quantity, unit_price_minor, discount_minor, vat_rate_bp, line_total_minor
     FROM opentill.order_lines WHERE order_id = $1 ORDER BY position`,
    [orderId],
  );
  const tenders = await client.query<{
    id: string;
    kind: string;
    amount_minor: string;
    terminal_id: string | null;
    card_type: string | null;
    card_last4: string | null;
    created_at: Date;
  }>(
    `SELECT id, kind, amount_minor, terminal_id, card_type, card_last4, created_at
     FROM opentill.tenders WHERE order_id = $1 ORDER BY created_at, id`,
    [orderId],
  );
  const refunds = await client.query<{
    id: string;
    kind: string;
    amount_minor: string;
    status: string;
    created_at: Date;
  }>(
    `SELECT id, kind, amount_minor, status, created_at FROM opentill.refunds
     WHERE order_id = $1 ORDER BY created_at, id`,
    [orderId],
  );
  return {
    ...hit(row),
    subtotalMinor: Number(row.subtotal_minor),
    discountMinor: Number(row.discount_minor),
    vatMinor: Number(row.vat_minor),
    paidMinor: Number(row.paid_minor),
    changeMinor: Number(row.change_minor),
    lines: lines.rows.map((l) => ({
      position: l.position,
      name: l.name,
      quantity: l.quantity,
      unitPriceMinor: Number(l.unit_price_minor),
      discountMinor: Number(l.discount_minor),
      vatRateBp: l.vat_rate_bp,
      lineTotalMinor: Number(l.line_total_minor),
    })),
    tenders: tenders.rows.map((t) => ({
      id: t.id,
      kind: t.kind,
      amountMinor: Number(t.amount_minor),
      terminalId: t.terminal_id,
      cardType: t.card_type,
      cardLast4: t.card_last4,
      createdAt: t.created_at.toISOString(),
    })),
    refunds: refunds.rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      amountMinor: Number(r.amount_minor),
      status: r.status,
      createdAt: r.created_at.toISOString(),
    })),
  };
}

/**
 * The period each till is read over: the given one, or (with no `from`) the till's open day,
 * from its own latest closure — the same rule as the till's X report: a paid order counts on the
 * day it completed, a completed refund on the day it completed. With `$3` (the closed day) each
 * till is read over its own latest closed day, exactly the window its Z report counted
 * (`period_start` to `period_end` of its latest closure); a till that never closed counts nothing.
 */
const PERIODS = `WITH periods AS (
  SELECT t.id AS till_id, t.name AS till_name, lc.period_end AS last_closed,
    CASE WHEN $3::boolean THEN coalesce(lc.period_start, '-infinity'::timestamptz)
         ELSE coalesce($1::timestamptz, lc.period_end, '-infinity'::timestamptz) END AS start,
    CASE WHEN $3::boolean THEN lc.period_end ELSE $2::timestamptz END AS stop
  FROM opentill.tills t
  LEFT JOIN LATERAL (
    SELECT d.period_start, d.period_end FROM opentill.day_closures d
     WHERE d.till_id = t.id ORDER BY d.period_end DESC LIMIT 1) lc ON true),
paid AS (
  SELECT o.* FROM opentill.orders o JOIN periods p ON p.till_id = o.till_id
  WHERE o.status = 'paid' AND o.completed_at > p.start AND o.completed_at <= p.stop),
refunded AS (
  SELECT r.* FROM opentill.refunds r JOIN periods p ON p.till_id = r.till_id
  WHERE r.status = 'completed' AND r.updated_at > p.start AND r.updated_at <= p.stop),
reversed AS (
  SELECT r.* FROM opentill.reversals r JOIN periods p ON p.till_id = r.till_id
  WHERE r.status = 'completed' AND r.updated_at > p.start AND r.updated_at <= p.stop),
returned AS (
  SELECT r.* FROM opentill.returns r JOIN periods p ON p.till_id = r.till_id
  WHERE r.status = 'completed' AND r.completed_at > p.start AND r.completed_at <= p.stop)`;

/**
 * The drawer of each till over its period, by the till's own cash rule: the float of a day opened
 * in it, cash taken (what was handed over) less change, cash refunds, pay-ins and pay-outs.
 */
const DRAWER = `, drawer AS (
  SELECT d.till_id, d.float_minor AS float_minor, 0 AS taken, 0 AS change, 0 AS refunded, 0 AS paid_in,
         0 AS paid_out, 0 AS no_sale
    FROM opentill.till_days d JOIN periods p ON p.till_id = d.till_id
   WHERE d.opened_at > p.start AND d.opened_at <= p.stop
  UNION ALL
  SELECT t.till_id, 0, coalesce(t.tendered_minor, t.amount_minor), t.change_minor, 0, 0, 0, 0
    FROM opentill.tenders t JOIN periods p ON p.till_id = t.till_id
   WHERE t.kind = 'cash' AND t.created_at > p.start AND t.created_at <= p.stop
  UNION ALL
  SELECT m.till_id, 0, 0, 0,
         CASE m.kind WHEN 'cash-refund' THEN m.amount_minor ELSE 0 END,
         CASE m.kind WHEN 'pay-in' THEN m.amount_minor ELSE 0 END,
         CASE m.kind WHEN 'pay-out' THEN m.amount_minor ELSE 0 END,
         CASE m.kind WHEN 'no-sale' THEN 1 ELSE 0 END
    FROM opentill.cash_movements m JOIN periods p ON p.till_id = m.till_id
   WHERE m.created_at > p.start AND m.created_at <= p.stop)`;

type DrawerRow = {
  till_id: string | null;
  float_minor: string;
  taken: string;
  change: string;
  refunded: string;
  paid_in: string;
  paid_out: string;
  no_sale: string;
};

/**
 * Per staff member by the till's own rule (src-main/cash/cash.queries.ts `staffTotals`): a paid
 * order counts for whoever it was rung up by, a cash or card tender for who took it (on the day it
 * was taken), a completed card refund and cash handed back from the drawer (cash refunds and the
 * cash part of returns) for who gave it.
 */
const STAFFED = `, staffed AS (
  SELECT o.till_id, o.staff_id, 1 AS orders, 0 AS cash, 0 AS card, 0 AS refunds FROM paid o
  UNION ALL
  SELECT t.till_id, t.staff_id, 0, CASE t.kind WHEN 'cash' THEN t.amount_minor ELSE 0 END,
         CASE WHEN t.kind IN ('card', 'card_other') THEN t.amount_minor ELSE 0 END, 0
    FROM opentill.tenders t JOIN periods p ON p.till_id = t.till_id
   WHERE t.created_at > p.start AND t.created_at <= p.stop
  UNION ALL
  SELECT r.till_id, r.staff_id, 0, 0, 0, r.amount_minor FROM refunded r
  UNION ALL
  SELECT m.till_id, m.staff_id, 0, 0, 0, m.amount_minor
    FROM opentill.cash_movements m JOIN periods p ON p.till_id = m.till_id
   WHERE m.kind = 'cash-refund' AND m.created_at > p.start AND m.created_at <= p.stop)`;

type StaffRow = {
  till_id: string | null;
  staff_id: string | null;
  orders: string;
  cash: string;
  card: string;
  refunds: string;
};

/** A person's name from the shop's list; never blank. */
export const staffName = (names: ReadonlyMap<string, string>, id: string | null): string =>
  id === null ? 'Nobody signed in' : (names.get(id) ?? `Unknown staff ${id.slice(0, 8)}`);

type Grouped = { till_id: string | null; n: string; amount: string | null };
type GroupedBy = Grouped & { key: string };

const emptyCash = (): ShopDayFigures['cash'] => ({
  floatMinor: 0,
  cashTakenMinor: 0,
  changeMinor: 0,
  cashRefundedMinor: 0,
  payInsMinor: 0,
  payOutsMinor: 0,
  noSales: 0,
  expectedMinor: 0,
});

const emptyFigures = (): ShopDayFigures => ({
  ordersCount: 0,
  salesMinor: 0,
  refundsCount: 0,
  refundsMinor: 0,
  reversalsCount: 0,
  reversalsMinor: 0,
  returnsCount: 0,
  returnsMinor: 0,
  tipsCount: 0,
  tipsMinor: 0,
  exchangeCreditCount: 0,
  exchangeCreditMinor: 0,
  netMinor: 0,
  tenders: [],
  cardByTerminal: [],
  tipsByTerminal: [],
  tipsByStaff: [],
  byStaff: [],
  cash: emptyCash(),
});

/** A period, each till's open day (nothing given), or each till's latest closed day (`closed`). */
type Period = { from?: string | undefined; to?: string | undefined; closed?: boolean | undefined };

/**
 * The shop's day, every figure read in one snapshot (a read-only REPEATABLE READ transaction), so
 * a till sending rows meanwhile cannot make one table of the report disagree with another.
 */
export async function shopEndOfDay(
  client: pg.Client,
  period: Period = {},
  now: () => Date = () => new Date(),
  /** The shop's time zone for trading days (IANA name); the till's own when not given. */
  timeZone?: string,
): Promise<ShopEndOfDay> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
  try {
    return await readShopDay(client, period, now, timeZone);
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
  }
}

type LatestClosureRow = {
  till_id: string;
  period_end: Date;
  opened_at: Date | null;
  check_status: string | null;
  check_result: {
    tillOnly?: { kind: string; amountMinor: number }[];
    dojoOnly?: { kind: string; amountMinor: number }[];
  } | null;
};

/**
 * A till's close against Dojo, from the replicated check: the till's card takings less Dojo's
 * (a sale on one side only counts for that side, a refund against it), as the till's own
 * three-way close lists them.
 */
export function dojoCheckOf(
  status: string | null,
  result: LatestClosureRow['check_result'],
): ShopDojoCheck | null {
  if (status === null) return null;
  if (status !== 'completed' || !result) return { status: 'pending', differenceMinor: 0, items: 0 };
  const signed = (list: { kind: string; amountMinor: number }[] | undefined, side: 1 | -1) =>
    (list ?? []).reduce((a, i) => a + side * (i.kind === 'refund' ? -1 : 1) * i.amountMinor, 0);
  const items = (result.tillOnly?.length ?? 0) + (result.dojoOnly?.length ?? 0);
  return {
    status: items === 0 ? 'matched' : 'differs',
    differenceMinor: signed(result.tillOnly, 1) + signed(result.dojoOnly, -1),
    items,
  };
}

/** "2026-12-01" → "Tue 1 Dec 2026". */
const dayText = (ymd: string) => {
  const parts = new Intl.DateTimeFormat('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).formatToParts(new Date(`${ymd}T12:00:00Z`));
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((p) => p.type === type)?.value ?? '';
  return `${part('weekday')} ${part('day')} ${part('month')} ${part('year')}`;
};

const listed = (names: string[]) =>
  names.length < 2 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;

/**
 * What a reader of the closed day must know before trusting its sums: tills whose latest closed
 * days are not the same trading day (added together all the same), and tills whose close does
 * not match Dojo's record.
 */
export function closedDayAlerts(
  tills: { tillName: string; tradingDay: string | null; dojoCheck: ShopDojoCheck | null }[],
  currency: CurrencyCode,
): string[] {
  const alerts: string[] = [];
  const days = [...new Set(tills.flatMap((t) => (t.tradingDay ? [t.tradingDay] : [])))].sort();
  const latest = days.at(-1);
  if (latest && days.length > 1) {
    const onLatest = tills.filter((t) => t.tradingDay === latest).map((t) => t.tillName);
    for (const t of tills)
      if (t.tradingDay && t.tradingDay !== latest)
        alerts.push(
          `${t.tillName}’s latest closed day is ${dayText(t.tradingDay)}, not ${dayText(latest)} like ${listed(onLatest)}: ` +
            'the figures below add that earlier day to theirs.',
        );
  }
  for (const t of tills)
    if (t.dojoCheck?.status === 'differs')
      alerts.push(
        `${t.tillName}’s card takings differ from Dojo’s record by ${formatMoney(Math.abs(t.dojoCheck.differenceMinor), currency)} ` +
          `(${t.dojoCheck.items} ${t.dojoCheck.items === 1 ? 'payment' : 'payments'} on one side only): see that till’s Dojo check.`,
      );
  return alerts;
}

async function readShopDay(
  client: pg.Client,
  period: Period,
  now: () => Date,
  timeZone: string | undefined,
): Promise<ShopEndOfDay> {
  const closed = period.closed === true;
  const to = period.to ?? now().toISOString();
  const params = [period.from ?? null, to, closed];
  // GROUPING SETS: one row per till and one for the whole shop (till_id NULL), each summed by
  // PostgreSQL from the rows themselves, so the sum check below compares two real countings.
  const q = (sql: string) => client.query<Grouped>(`${PERIODS} ${sql}`, params);
  const qBy = (sql: string) => client.query<GroupedBy>(`${PERIODS} ${sql}`, params);
  // One client answers one query at a time: read in turn.
  const tills = await client.query<{
    till_id: string;
    till_name: string;
    last_closed: Date | null;
  }>(
    `${PERIODS} SELECT till_id, till_name, last_closed FROM periods ORDER BY till_name, till_id`,
    params,
  );
  const orders = await q(`SELECT till_id, count(*) AS n, sum(total_minor) AS amount FROM paid
     GROUP BY GROUPING SETS ((till_id), ())`);
  const refunds = await q(`SELECT till_id, count(*) AS n, sum(amount_minor) AS amount FROM refunded
     GROUP BY GROUPING SETS ((till_id), ())`);
  const tenders = await qBy(`SELECT t.till_id, t.kind AS key, count(*) AS n,
     sum(t.amount_minor) AS amount
     FROM opentill.tenders t JOIN paid o ON o.id = t.order_id
     GROUP BY GROUPING SETS ((t.till_id, t.kind), (t.kind)) ORDER BY key DESC`);
  const terminals = await qBy(`SELECT t.till_id, coalesce(t.terminal_id, 'unknown') AS key,
     count(*) AS n, sum(t.amount_minor) AS amount
     FROM opentill.tenders t JOIN paid o ON o.id = t.order_id WHERE t.kind = 'card'
     GROUP BY GROUPING SETS ((t.till_id, coalesce(t.terminal_id, 'unknown')),
                             (coalesce(t.terminal_id, 'unknown'))) ORDER BY key`);
  const reversals =
    await q(`SELECT till_id, count(*) AS n, sum(amount_minor) AS amount FROM reversed
     GROUP BY GROUPING SETS ((till_id), ())`);
  const returns = await q(`SELECT till_id, count(*) AS n, sum(total_minor) AS amount FROM returned
     GROUP BY GROUPING SETS ((till_id), ())`);
  // A tip counts with its sale: on the day the order was paid, as on the till's own report.
  const tips = await q(`SELECT tp.till_id, count(*) AS n, sum(tp.amount_minor) AS amount
     FROM opentill.tips tp JOIN paid o ON o.id = tp.order_id
     GROUP BY GROUPING SETS ((tp.till_id), ())`);
  // Exchange credit counts on the day the exchange's new order was paid, as on the till.
  const credit = await q(`SELECT pay.till_id, count(*) AS n, sum(pay.amount_minor) AS amount
     FROM opentill.return_payouts pay JOIN opentill.returns r ON r.id = pay.return_id
     JOIN paid o ON o.id = r.exchange_order_id
     WHERE pay.method = 'exchange'
     GROUP BY GROUPING SETS ((pay.till_id), ())`);
  const drawer = await client.query<DrawerRow>(
    `${PERIODS}${DRAWER} SELECT till_id, sum(float_minor) AS float_minor, sum(taken) AS taken,
       sum(change) AS change, sum(refunded) AS refunded, sum(paid_in) AS paid_in,
       sum(paid_out) AS paid_out, sum(no_sale) AS no_sale
     FROM drawer GROUP BY GROUPING SETS ((till_id), ())`,
    params,
  );
  const tipTerminals = await qBy(`SELECT tp.till_id, coalesce(tp.terminal_id, 'unknown') AS key,
     count(*) AS n, sum(tp.amount_minor) AS amount
     FROM opentill.tips tp JOIN paid o ON o.id = tp.order_id
     GROUP BY GROUPING SETS ((tp.till_id, coalesce(tp.terminal_id, 'unknown')),
                             (coalesce(tp.terminal_id, 'unknown'))) ORDER BY key`);
  const tipStaff = await client.query<Grouped & { staff_id: string | null }>(
    `${PERIODS} SELECT tp.till_id, tp.staff_id, count(*) AS n, sum(tp.amount_minor) AS amount
     FROM opentill.tips tp JOIN paid o ON o.id = tp.order_id
     GROUP BY GROUPING SETS ((tp.till_id, tp.staff_id), (tp.staff_id))`,
    params,
  );
  const staffed = await client.query<StaffRow>(
    `${PERIODS}${STAFFED} SELECT till_id, staff_id, sum(orders) AS orders, sum(cash) AS cash,
       sum(card) AS card, sum(refunds) AS refunds
     FROM staffed GROUP BY GROUPING SETS ((till_id, staff_id), (staff_id))`,
    params,
  );
  // Names: the shop's staff list first; a till's own account the list does not hold (the training
  // demo manager, a person added while the till worked alone or since taken off the list) by the
  // name the till knew, from the latest sign-in it recorded (audit rows replicate: the actor is
  // the name, the subject the id) — with the till's name after it when only one till knew them,
  // so two tills' demo managers read apart. Never a PIN or its hash: neither is in these rows.
  const names = new Map<string, string>();
  for (const r of (
    await client.query<{ id: string; name: string; tills: (string | null)[] }>(
      `SELECT a.subject AS id, (array_agg(a.actor ORDER BY a.at DESC, a.id DESC))[1] AS name,
              array_agg(DISTINCT coalesce(t.name, a.till_id)) AS tills
         FROM opentill.audit_log a LEFT JOIN opentill.tills t ON t.id = a.till_id
        WHERE a.action IN ('staff.sign-in', 'staff.first-manager') AND a.subject IS NOT NULL
        GROUP BY a.subject`,
    )
  ).rows)
    names.set(r.id, r.tills.length === 1 && r.tills[0] ? `${r.name} · ${r.tills[0]}` : r.name);
  for (const r of (
    await client.query<{ id: string; name: string }>('SELECT id, name FROM opentill.staff')
  ).rows)
    names.set(r.id, r.name);
  const shopRow = await client.query<{ currency: string }>('SELECT currency FROM opentill.shops');
  // The closed day: each till's latest closure, its trading day and its check against Dojo.
  const latestClosures = new Map(
    closed
      ? (
          await client.query<LatestClosureRow>(
            `SELECT t.id AS till_id, lc.period_end,
                    (SELECT min(d.opened_at) FROM opentill.till_days d
                      WHERE d.till_id = t.id AND d.closure_id = lc.id) AS opened_at,
                    c.status AS check_status, c.result AS check_result
               FROM opentill.tills t
               JOIN LATERAL (SELECT d.id, d.period_end FROM opentill.day_closures d
                              WHERE d.till_id = t.id ORDER BY d.period_end DESC LIMIT 1) lc ON true
               LEFT JOIN opentill.dojo_checks c ON c.closure_id = lc.id AND c.till_id = t.id`,
          )
        ).rows.map((r) => [r.till_id, r])
      : [],
  );
  const localDate = new Intl.DateTimeFormat('en-CA', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    ...(timeZone ? { timeZone } : {}),
  });
  const figures = new Map<string | null, ShopDayFigures>();
  const of = (tillId: string | null) => {
    let f = figures.get(tillId);
    if (!f) figures.set(tillId, (f = emptyFigures()));
    return f;
  };
  // Each counted figure: its rows (one per till and one for the shop) into a count and a sum.
  type Counted = {
    [K in keyof ShopDayFigures]: ShopDayFigures[K] extends number ? K : never;
  }[keyof ShopDayFigures];
  const counted: [Grouped[], Counted, Counted][] = [
    [orders.rows, 'ordersCount', 'salesMinor'],
    [refunds.rows, 'refundsCount', 'refundsMinor'],
    [reversals.rows, 'reversalsCount', 'reversalsMinor'],
    [returns.rows, 'returnsCount', 'returnsMinor'],
    [tips.rows, 'tipsCount', 'tipsMinor'],
    [credit.rows, 'exchangeCreditCount', 'exchangeCreditMinor'],
  ];
  for (const [rows, count, amount] of counted)
    for (const r of rows) {
      of(r.till_id)[count] = Number(r.n);
      of(r.till_id)[amount] = Number(r.amount ?? 0);
    }
  for (const r of drawer.rows) {
    const c = {
      floatMinor: Number(r.float_minor),
      cashTakenMinor: Number(r.taken),
      changeMinor: Number(r.change),
      cashRefundedMinor: Number(r.refunded),
      payInsMinor: Number(r.paid_in),
      payOutsMinor: Number(r.paid_out),
      noSales: Number(r.no_sale),
    };
    of(r.till_id).cash = {
      ...c,
      expectedMinor:
        c.floatMinor +
        c.cashTakenMinor -
        c.changeMinor -
        c.cashRefundedMinor +
        c.payInsMinor -
        c.payOutsMinor,
    };
  }
  for (const r of tenders.rows)
    of(r.till_id).tenders.push({ kind: r.key, count: Number(r.n), amountMinor: Number(r.amount) });
  for (const r of terminals.rows)
    of(r.till_id).cardByTerminal.push({
      terminalId: r.key,
      count: Number(r.n),
      amountMinor: Number(r.amount),
    });
  for (const r of tipTerminals.rows)
    of(r.till_id).tipsByTerminal.push({
      terminalId: r.key,
      count: Number(r.n),
      amountMinor: Number(r.amount),
    });
  for (const r of tipStaff.rows)
    of(r.till_id).tipsByStaff.push({
      staffId: r.staff_id,
      name: staffName(names, r.staff_id),
      count: Number(r.n),
      amountMinor: Number(r.amount),
    });
  for (const r of staffed.rows) {
    const cashMinor = Number(r.cash);
    const cardMinor = Number(r.card);
    const refundsMinor = Number(r.refunds);
    of(r.till_id).byStaff.push({
      staffId: r.staff_id,
      name: staffName(names, r.staff_id),
      ordersCount: Number(r.orders),
      cashMinor,
      cardMinor,
      salesMinor: cashMinor + cardMinor,
      refundsMinor,
      netMinor: cashMinor + cardMinor - refundsMinor,
    });
  }
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  for (const f of figures.values()) {
    f.byStaff.sort(byName);
    f.tipsByStaff.sort(byName);
  }
  // Net takings by the till's own rule (its day report): sales less every way money went back.
  for (const f of figures.values())
    f.netMinor =
      f.salesMinor -
      f.refundsMinor -
      f.reversalsMinor -
      f.cash.cashRefundedMinor -
      f.exchangeCreditMinor;

  // The closed day ends at the latest closure of any till (each till's own window is its own).
  const lastClosures = tills.rows.flatMap((t) => (t.last_closed ? [t.last_closed.getTime()] : []));
  const end = closed && lastClosures.length ? Math.max(...lastClosures) : Date.parse(to);
  const perTill = tills.rows.map((t) => ({
    tillId: t.till_id,
    tillName: t.till_name,
    lastClosedAt: t.last_closed?.toISOString() ?? null,
    // With a period given, the day is closed when a closure reaches its end; the open day never is.
    // The closed day: each till that has closed one.
    dayClosed: closed
      ? t.last_closed !== null
      : period.from !== undefined && t.last_closed !== null && t.last_closed.getTime() >= end,
    ...(figures.get(t.till_id) ?? emptyFigures()),
    tradingDay: ((c) => (c ? localDate.format(c.opened_at ?? c.period_end) : null))(
      latestClosures.get(t.till_id),
    ),
    dojoCheck: ((c) => (c ? dojoCheckOf(c.check_status, c.check_result) : null))(
      latestClosures.get(t.till_id),
    ),
  }));
  const currency = shopRow.rows[0]?.currency === 'EUR' ? 'EUR' : 'GBP';
  const shop = figures.get(null) ?? emptyFigures();
  const sum = (pick: (f: ShopDayFigures) => number) => perTill.reduce((a, t) => a + pick(t), 0);
  const total = (rows: { amountMinor: number }[]) => rows.reduce((a, r) => a + r.amountMinor, 0);
  const net = (rows: { netMinor: number }[]) => rows.reduce((a, r) => a + r.netMinor, 0);
  const differenceMinor = shop.netMinor - sum((f) => f.netMinor);
  const ok =
    differenceMinor === 0 &&
    shop.salesMinor === sum((f) => f.salesMinor) &&
    shop.refundsMinor === sum((f) => f.refundsMinor) &&
    shop.ordersCount === sum((f) => f.ordersCount) &&
    shop.reversalsMinor === sum((f) => f.reversalsMinor) &&
    shop.tipsMinor === sum((f) => f.tipsMinor) &&
    total(shop.tipsByTerminal) === shop.tipsMinor &&
    total(shop.tipsByStaff) === shop.tipsMinor &&
    net(shop.byStaff) === sum((f) => net(f.byStaff)) &&
    shop.cash.expectedMinor === sum((f) => f.cash.expectedMinor);
  return {
    from: closed ? null : (period.from ?? null),
    to: new Date(end).toISOString(),
    closedDay: closed,
    currency,
    tills: perTill,
    shop,
    sumCheck: { ok, differenceMinor },
    alerts: closed ? closedDayAlerts(perTill, currency) : [],
  };
}
