import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/connection';
import type { CurrencyCode } from '../../src-shared/money';
import type { OrderStatus, TenderKind } from '../../src-shared/domain/order-status';
import type {
  AttemptSummary,
  Discount,
  Order,
  OrderDetail,
  OrderLine,
  OrderListQuery,
  OrderPage,
  OrderSummary,
  RefundView,
  TenderView,
  VatBreakdownRow,
} from '../../src-shared/domain/orders';
import { preparedFor } from '../platform/prepared';
import { vatByRate } from '../../src-shared/domain/pricing';

export type OrderRow = {
  id: string;
  reference: string;
  status: string;
  currency: string;
  subtotal_minor: number;
  discount_minor: number;
  vat_minor: number;
  total_minor: number;
  paid_minor: number;
  change_minor: number;
  refunded_minor: number;
  till_id: string;
  note: string | null;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
  basket_discount: string | null;
  basket_discount_minor: number;
  /** Who committed the order (null when nobody was signed in). */
  staff_name?: string | null;
};

type LineRow = {
  position: number;
  product_id: string | null;
  name: string;
  quantity: number;
  unit_price_minor: number;
  discount_minor: number;
  line_discount_minor: number;
  line_discount: string | null;
  vat_rate_bp: number;
  line_total_minor: number;
  vat_minor: number;
  variant_id: string | null;
  variant_name: string | null;
  weight_grams: number | null;
  price_per_kg_minor: number | null;
  scale_barcode: string | null;
};

type ModifierRow = {
  position: number;
  modifier_id: string | null;
  group_name: string;
  name: string;
  price_minor: number;
  vat_rate_bp: number;
  total_minor: number;
  vat_minor: number;
};

type TenderRow = {
  id: string;
  kind: string;
  amount_minor: number;
  tendered_minor: number | null;
  change_minor: number;
  attempt_id: string | null;
  terminal_id: string | null;
  card_type: string | null;
  card_last4: string | null;
  auth_code: string | null;
  reference: string | null;
  match: 'to_match' | 'matched' | null;
  tip_minor: number;
  rounding_minor: number;
  created_at: string;
};

type RefundRow = {
  id: string;
  kind: string;
  amount_minor: number;
  currency: string;
  status: string;
  reason: string | null;
  created_at: string;
};
type AttemptRow = {
  id: string;
  kind: string;
  state: string;
  amount_minor: number;
  terminal_id: string;
  is_final: number;
  created_at: string;
};

const ORDER_COLUMNS = `id, reference, status, currency, subtotal_minor, discount_minor, vat_minor, total_minor, paid_minor,
  change_minor, refunded_minor, till_id, note, created_at, updated_at, completed_at, basket_discount, basket_discount_minor,
  (SELECT s.name FROM staff s WHERE s.id = orders.staff_id) AS staff_name`;

const parseDiscount = (json: string | null): Discount | null =>
  json ? (JSON.parse(json) as Discount) : null;

export function toOrderSummary(row: OrderRow): OrderSummary {
  return {
    id: row.id,
    reference: row.reference,
    status: row.status as OrderStatus,
    currency: row.currency as CurrencyCode,
    subtotalMinor: row.subtotal_minor,
    discountMinor: row.discount_minor,
    vatMinor: row.vat_minor,
    totalMinor: row.total_minor,
    paidMinor: row.paid_minor,
    remainingMinor: Math.max(0, row.total_minor - row.paid_minor),
    changeMinor: row.change_minor,
    refundedMinor: row.refunded_minor,
    tillId: row.till_id,
    note: row.note,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    completedAt: row.completed_at,
    staffName: row.staff_name ?? null,
  };
}

function toLine(row: LineRow, mods: readonly ModifierRow[] = []): OrderLine {
  return {
    position: row.position,
    productId: row.product_id,
    name: row.name,
    quantity: row.quantity,
    unitPriceMinor: row.unit_price_minor,
    lineDiscountMinor: row.line_discount_minor,
    discountMinor: row.discount_minor,
    lineDiscount: parseDiscount(row.line_discount),
    vatRateBp: row.vat_rate_bp,
    lineTotalMinor: row.line_total_minor,
    vatMinor: row.vat_minor,
    variantId: row.variant_id,
    variantName: row.variant_name,
    weightGrams: row.weight_grams,
    pricePerKgMinor: row.price_per_kg_minor,
    scaleBarcode: row.scale_barcode,
    modifiers: mods
      .filter((m) => m.position === row.position)
      .map((m) => ({
        modifierId: m.modifier_id,
        groupName: m.group_name,
        name: m.name,
        priceMinor: m.price_minor,
        vatRateBp: m.vat_rate_bp,
        totalMinor: m.total_minor,
        vatMinor: m.vat_minor,
      })),
  };
}

/** Amount, VAT and net per rate; modifiers taxed at their own rate count under that rate. */
export function vatBreakdown(lines: readonly OrderLine[]): VatBreakdownRow[] {
  return vatByRate(lines).map((r) => ({ ...r, netMinor: r.grossMinor - r.vatMinor }));
}

const stmts = preparedFor((db) => ({
  order: db.prepare<[string], OrderRow>(`SELECT ${ORDER_COLUMNS} FROM orders WHERE id = ?`),
  lines: db.prepare<[string], LineRow>(
    `SELECT position, product_id, name, quantity, unit_price_minor, discount_minor, line_discount_minor, line_discount,
            vat_rate_bp, line_total_minor, vat_minor, variant_id, variant_name, weight_grams, price_per_kg_minor,
            scale_barcode
     FROM order_lines WHERE order_id = ? ORDER BY position`,
  ),
  modifiers: db.prepare<[string], ModifierRow>(
    `SELECT position, modifier_id, group_name, name, price_minor, vat_rate_bp, total_minor, vat_minor
     FROM order_line_modifiers WHERE order_id = ? ORDER BY position, seq`,
  ),
  eatIn: db.prepare<[string], { eat_in: number }>('SELECT eat_in FROM orders WHERE id = ?'),
  tenders: db.prepare<[string], TenderRow>(
    `SELECT t.id, t.kind, t.amount_minor, t.tendered_minor, t.change_minor, t.attempt_id, t.terminal_id, t.card_type,
            t.card_last4, t.auth_code, t.reference, m.status AS match, coalesce(tp.amount_minor, 0) AS tip_minor, t.created_at,
            t.rounding_minor
     FROM tenders t LEFT JOIN tender_matches m ON m.tender_id = t.id LEFT JOIN tips tp ON tp.tender_id = t.id WHERE t.order_id = ? ORDER BY t.created_at, t.rowid`,
  ),
  refunds: db.prepare<[string], RefundRow>(
    'SELECT id, kind, amount_minor, currency, status, reason, created_at FROM refunds WHERE order_id = ? ORDER BY created_at, rowid',
  ),
  attempts: db.prepare<[string], AttemptRow>(
    `SELECT id, kind, state, amount_minor, terminal_id, is_final, created_at
     FROM payment_attempts WHERE order_id = ? ORDER BY created_at, rowid`,
  ),
  hasCash: db.prepare<[string], { n: number }>(
    "SELECT count(*) AS n FROM tenders WHERE order_id = ? AND kind = 'cash'",
  ),
  byStatus: db.prepare<[string], OrderRow>(
    `SELECT ${ORDER_COLUMNS} FROM orders WHERE status = ? ORDER BY created_at, rowid`,
  ),
}));

export function getOrderSummary(db: Db, id: string): OrderSummary | null {
  const row = stmts(db).order.get(id);
  return row ? toOrderSummary(row) : null;
}

export function getOrder(db: Db, id: string): Order | null {
  const s = stmts(db);
  const row = s.order.get(id);
  if (!row) return null;
  const mods = s.modifiers.all(id);
  const lines = s.lines.all(id).map((l) => toLine(l, mods));
  return {
    ...toOrderSummary(row),
    eatIn: (s.eatIn.get(id)?.eat_in ?? 0) === 1,
    basketDiscount: parseDiscount(row.basket_discount),
    basketDiscountMinor: row.basket_discount_minor,
    lines,
    vatBreakdown: vatBreakdown(lines),
  };
}

export function getOrderDetail(db: Db, id: string): OrderDetail | null {
  const order = getOrder(db, id);
  if (!order) return null;
  const s = stmts(db);
  const tenders: TenderView[] = s.tenders.all(id).map((t) => ({
    id: t.id,
    kind: t.kind as TenderKind,
    amountMinor: t.amount_minor,
    tenderedMinor: t.tendered_minor,
    changeMinor: t.change_minor,
    attemptId: t.attempt_id,
    terminalId: t.terminal_id,
    cardType: t.card_type,
    cardLast4: t.card_last4,
    authCode: t.auth_code,
    reference: t.reference,
    match: t.match,
    tipMinor: t.tip_minor,
    roundingMinor: t.rounding_minor,
    createdAt: t.created_at,
  }));
  const refunds: RefundView[] = s.refunds.all(id).map((r) => ({
    id: r.id,
    kind: r.kind,
    amountMinor: r.amount_minor,
    currency: r.currency,
    status: r.status,
    reason: r.reason,
    createdAt: r.created_at,
  }));
  const attempts: AttemptSummary[] = s.attempts.all(id).map((a) => ({
    id: a.id,
    kind: a.kind,
    state: a.state,
    amountMinor: a.amount_minor,
    terminalId: a.terminal_id,
    isFinal: a.is_final === 1,
    createdAt: a.created_at,
  }));
  return { ...order, tenders, refunds, attempts };
}

/** Who committed the order (null when nobody was signed in, or no such order). */
export function orderStaffId(db: Db, orderId: string): string | null {
  return (
    db
      .prepare<[string], { staff_id: string | null }>('SELECT staff_id FROM orders WHERE id = ?')
      .get(orderId)?.staff_id ?? null
  );
}

export function hasCashTender(db: Db, orderId: string): boolean {
  return (stmts(db).hasCash.get(orderId)?.n ?? 0) > 0;
}

export function listOrdersByStatus(db: Db, status: OrderStatus): OrderSummary[] {
  return stmts(db).byStatus.all(status).map(toOrderSummary);
}

type ListParams = Partial<
  Record<'refFrom' | 'refTo' | 'ref' | 'from' | 'to' | 'status', string> &
    Record<'min' | 'max', number>
>;

/**
 * Fixed, parameterised fragments: only the filters in use go into the SQL, so SQLite can use its
 * indexes. A reference fragment of 3 characters or more is a range of the reference suffixes
 * (`order_reference_suffixes`, migration 017): the references holding it are those with a suffix
 * that starts with it; the few references the pause has not indexed yet (migration 020) are
 * looked at one by one beside it. A shorter one is looked for in every reference, which is what
 * such a short fragment matches anyway.
 */
const FILTERS: Record<Exclude<keyof ListParams, 'refTo'>, string> = {
  refFrom: `reference IN (SELECT head || suffix FROM order_reference_suffixes WHERE suffix >= :refFrom AND suffix < :refTo
      UNION ALL SELECT reference FROM order_reference_pending WHERE instr(reference, :refFrom) > 0)`,
  ref: 'instr(reference, :ref) > 0',
  from: 'created_at >= :from',
  to: 'created_at < :to',
  min: 'total_minor >= :min',
  max: 'total_minor <= :max',
  status: 'status = :status',
};

type ListStatements = {
  page: Statement<ListParams & { limit: number; offset: number }, OrderRow>;
  count: Statement<ListParams, { n: number }>;
};

const listStmts = preparedFor(() => new Map<string, ListStatements>());

function listStatements(db: Db, keys: (keyof typeof FILTERS)[]): ListStatements {
  const cache = listStmts(db);
  const id = keys.join(',');
  let stmts = cache.get(id);
  if (!stmts) {
    // Another till's order copied here for a return of it (src-main/shop/shop-returns.ts) is not
    // this till's: it is found under Orders → Whole shop.
    const where = `WHERE ${[...keys.map((k) => FILTERS[k]), "till_id NOT LIKE 'shop:%'"].join(' AND ')}`;
    stmts = {
      page: db.prepare(
        `SELECT ${ORDER_COLUMNS} FROM orders ${where} ORDER BY created_at DESC, rowid DESC LIMIT :limit OFFSET :offset`,
      ),
      count: db.prepare(`SELECT count(*) AS n FROM orders ${where}`),
    };
    cache.set(id, stmts);
  }
  return stmts;
}

/** The suffix index serves fragments of at least 3 characters (its shortest suffix). */
export function usesReferenceIndex(fragment: string): boolean {
  return [...fragment].length >= 3;
}

/**
 * Above every character that can follow a fragment: a suffix starts with the fragment exactly
 * when it sorts at or after it and before it + U+10FFFF (text compares as UTF-8 bytes).
 */
const AFTER_EVERY_CHARACTER = '\u{10FFFF}';

/** History, newest first. Dates are compared as UTC ISO strings, which sort like the instants. */
export function listOrders(db: Db, query: OrderListQuery = {}): OrderPage {
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? 50;
  const params: ListParams = {};
  if (query.reference) {
    const ref = query.reference.toUpperCase();
    if (usesReferenceIndex(ref)) {
      params.refFrom = ref;
      params.refTo = ref + AFTER_EVERY_CHARACTER;
    } else params.ref = ref;
  }
  if (query.from) params.from = new Date(query.from).toISOString();
  if (query.to) params.to = new Date(query.to).toISOString();
  if (query.minTotalMinor !== undefined) params.min = query.minTotalMinor;
  if (query.maxTotalMinor !== undefined) params.max = query.maxTotalMinor;
  if (query.status) params.status = query.status;
  const keys = (Object.keys(FILTERS) as (keyof typeof FILTERS)[]).filter(
    (k) => params[k] !== undefined,
  );
  const s = listStatements(db, keys);
  const items = s.page
    .all({ ...params, limit: pageSize, offset: (page - 1) * pageSize })
    .map(toOrderSummary);
  return { items, total: s.count.get(params)?.n ?? 0, page, pageSize };
}

/** What the refund caps read of an order: its reference, status, currency and what was paid. */
export type PaidFigures = {
  reference: string;
  status: string;
  currency: CurrencyCode;
  paidMinor: number;
};

/** The order's paid figures, or null when there is no such order (read in the caller's transaction). */
export function paidFigures(db: Db, orderId: string): PaidFigures | null {
  const o = db
    .prepare<[string], { reference: string; status: string; currency: string; paid: number }>(
      'SELECT reference, status, currency, paid_minor AS paid FROM orders WHERE id = ?',
    )
    .get(orderId);
  return o
    ? {
        reference: o.reference,
        status: o.status,
        currency: o.currency as CurrencyCode,
        paidMinor: o.paid,
      }
    : null;
}
