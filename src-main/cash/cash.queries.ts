import type {
  CashCount,
  CashMovement,
  CashMovementKind,
  CashSummary,
  StaffTotals,
  TillDay,
} from '../../src-shared/domain/cash';
import type { CurrencyCode } from '../../src-shared/money';
import { nowIso, type Db } from '../db/connection';

type DayRow = {
  id: string;
  opened_at: string;
  opened_by: string | null;
  opened_by_name: string | null;
  float_minor: number;
  currency: CurrencyCode;
};

const toDay = (r: DayRow): TillDay => ({
  id: r.id,
  openedAt: r.opened_at,
  openedBy: r.opened_by,
  openedByName: r.opened_by_name,
  floatMinor: r.float_minor,
  currency: r.currency,
});

/** The till day open now (opened with a float, not yet closed), or null. */
export function openDay(db: Db): TillDay | null {
  const row = db
    .prepare<[], DayRow>(
      `SELECT d.*, s.name AS opened_by_name FROM till_days d LEFT JOIN staff s ON s.id = d.opened_by
       WHERE d.closure_id IS NULL`,
    )
    .get();
  return row ? toDay(row) : null;
}

export function insertDay(
  db: Db,
  d: {
    id: string;
    openedBy: string | null;
    float: CashCount;
    floatMinor: number;
    currency: CurrencyCode;
  },
): void {
  db.prepare(
    `INSERT INTO till_days (id, opened_at, opened_by, float_minor, float_count, currency)
     VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(d.id, nowIso(), d.openedBy, d.floatMinor, JSON.stringify(d.float), d.currency);
}

export function insertMovement(
  db: Db,
  m: {
    id: string;
    dayId: string | null;
    kind: CashMovementKind;
    amountMinor: number;
    currency: CurrencyCode;
    reason: string | null;
    note: string | null;
    orderId: string | null;
    staffId: string | null;
    approvedBy: string | null;
  },
): void {
  db.prepare(
    `INSERT INTO cash_movements (id, day_id, kind, amount_minor, currency, reason, note, order_id, staff_id, approved_by, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    m.id,
    m.dayId,
    m.kind,
    m.amountMinor,
    m.currency,
    m.reason,
    m.note,
    m.orderId,
    m.staffId,
    m.approvedBy,
    nowIso(),
  );
}

type MovementRow = {
  id: string;
  kind: CashMovementKind;
  amount_minor: number;
  reason: string | null;
  note: string | null;
  order_id: string | null;
  staff_id: string | null;
  staff_name: string | null;
  approved_by: string | null;
  created_at: string;
};

const toMovement = (r: MovementRow): CashMovement => ({
  id: r.id,
  kind: r.kind,
  amountMinor: r.amount_minor,
  reason: r.reason,
  note: r.note,
  orderId: r.order_id,
  staffId: r.staff_id,
  staffName: r.staff_name,
  approvedBy: r.approved_by,
  createdAt: r.created_at,
});

export function getMovement(db: Db, id: string): CashMovement {
  const row = db
    .prepare<[string], MovementRow>(
      `SELECT m.*, s.name AS staff_name FROM cash_movements m LEFT JOIN staff s ON s.id = m.staff_id WHERE m.id = ?`,
    )
    .get(id);
  if (!row) throw new Error(`cash movement ${id} not stored`);
  return toMovement(row);
}

/**
 * The drawer over a period (after `start`, up to `end`): float, cash taken and change from cash
 * tenders, cash refunds, pay-ins/outs and no-sales, and the totals per person.
 */
export function cashSummary(db: Db, start: string | null, end: string): CashSummary {
  const p = { start: start ?? '', end };
  const day = openDay(db);
  const dayInPeriod = day && day.openedAt > p.start ? day : null;
  const tenders = db
    .prepare<
      typeof p,
      { taken: number | null; change: number | null; rounding: number | null; rounded: number }
    >(
      `SELECT sum(coalesce(tendered_minor, amount_minor)) AS taken, sum(change_minor) AS change,
              sum(rounding_minor) AS rounding, count(nullif(rounding_minor, 0)) AS rounded
       FROM tenders WHERE kind = 'cash' AND created_at > @start AND created_at <= @end`,
    )
    .get(p);
  const movements = db
    .prepare<typeof p, MovementRow>(
      `SELECT m.*, s.name AS staff_name FROM cash_movements m LEFT JOIN staff s ON s.id = m.staff_id
       WHERE m.created_at > @start AND m.created_at <= @end ORDER BY m.created_at`,
    )
    .all(p)
    .map(toMovement);
  const sum = (kind: CashMovementKind) =>
    movements.filter((m) => m.kind === kind).reduce((a, m) => a + m.amountMinor, 0);
  const floatMinor = dayInPeriod?.floatMinor ?? 0;
  const cashTakenMinor = tenders?.taken ?? 0;
  const changeMinor = tenders?.change ?? 0;
  const cashRefundedMinor = sum('cash-refund');
  const payInsMinor = sum('pay-in');
  const payOutsMinor = sum('pay-out');
  return {
    day: dayInPeriod,
    floatMinor,
    cashTakenMinor,
    changeMinor,
    // Already inside cash taken − change (the change is counted from the rounded amount due).
    cashRoundingMinor: tenders?.rounding ?? 0,
    cashRoundedCount: tenders?.rounded ?? 0,
    cashRefundedMinor,
    payInsMinor,
    payOutsMinor,
    noSales: movements.filter((m) => m.kind === 'no-sale').length,
    expectedMinor:
      floatMinor + cashTakenMinor - changeMinor - cashRefundedMinor + payInsMinor - payOutsMinor,
    movements,
    byStaff: staffTotals(db, p),
  };
}

function staffTotals(db: Db, p: { start: string; end: string }): StaffTotals[] {
  const rows = db
    .prepare<
      typeof p,
      { staff_id: string | null; orders: number; cash: number; card: number; refunds: number }
    >(
      `WITH x AS (
         SELECT staff_id, 1 AS orders, 0 AS cash, 0 AS card, 0 AS refunds FROM orders
           WHERE status = 'paid' AND completed_at > @start AND completed_at <= @end
         UNION ALL
         SELECT staff_id, 0, CASE kind WHEN 'cash' THEN amount_minor ELSE 0 END,
                CASE WHEN kind IN ('card', 'card_other') THEN amount_minor ELSE 0 END, 0 FROM tenders
           WHERE created_at > @start AND created_at <= @end
         UNION ALL
         SELECT staff_id, 0, 0, 0, amount_minor FROM refunds
           WHERE status = 'completed' AND updated_at > @start AND updated_at <= @end
         UNION ALL
         SELECT staff_id, 0, 0, 0, amount_minor FROM cash_movements
           WHERE kind = 'cash-refund' AND created_at > @start AND created_at <= @end
       )
       SELECT staff_id, sum(orders) AS orders, sum(cash) AS cash, sum(card) AS card, sum(refunds) AS refunds
       FROM x GROUP BY staff_id`,
    )
    .all(p);
  const names = new Map(
    db
      .prepare<[], { id: string; name: string }>('SELECT id, name FROM staff')
      .all()
      .map((s) => [s.id, s.name]),
  );
  return rows
    .map((r) => ({
      staffId: r.staff_id,
      name: r.staff_id ? (names.get(r.staff_id) ?? 'Unknown') : 'Nobody signed in',
      orders: r.orders,
      cashMinor: r.cash,
      cardMinor: r.card,
      refundsMinor: r.refunds,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Card payments and refunds still running: the day cannot close under them. */
export const liveAttempts = (db: Db): number =>
  db
    .prepare<[], { n: number }>('SELECT count(*) AS n FROM payment_attempts WHERE is_final = 0')
    .get()?.n ?? 0;
