import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { TillError } from '../../src-shared/errors';
import { formatMoney, type CurrencyCode } from '../../src-shared/money';
import type {
  CreateReturnInput,
  CreateReturnResult,
  ReturnLine,
  ReturnQuote,
  ReturnQuoteInput,
  ReturnRecord,
  ReturnsOfOrder,
} from '../../src-shared/domain/returns';
import type { TakenBackElsewhere } from '../returns/returns.service';
import { assertReturnable, priceReturnLines } from '../returns/return-rules';
import { nowIso, type Db } from '../db/connection';
import type { Logger } from '../logging/logger';
import { audit } from '../platform/audit';
import { currentActor } from '../staff/actor';
import { staffName } from '../staff/staff-names';
// eslint-disable-next-line opentill/no-foreign-repo -- a return of another till's order writes the same return rows as a return of this till's, in one transaction with the drawer (docs/SHOP-DATABASE.md "Returns across tills")
import * as returnRows from '../returns/returns.repo';
import { payReturnInCash } from '../returns/cash-payout';
import type { CashService } from '../cash/cash.service';
import type { ServerRefundInput } from '../payments/server-refunds';
import { readBatchRows, type Entity } from './change-log.repo';
import { connectTill, describeShopError, type ShopIdentity } from './shop-link';

/**
 * Returns of another till's order, taken where the customer stands (docs/SHOP-DATABASE.md
 * "Returns across tills"). The decision — what is left to return of each line, what is left on the
 * order and on each card — is read from the shop database (every till's returns, refunds, cash
 * refunds and reversals) plus this till's own rows not sent yet, under a PostgreSQL advisory lock
 * on the order held until this till's new rows are in the shop database too, so two tills
 * returning the same line at once cannot both pass the cap. No shop database: refused, nothing
 * written, no money moved.
 *
 * This till keeps a read-only copy of the order (its header and lines, and its card sales) only so
 * that its own return rows have an order to name: the copy's `till_id` is `shop:<till>`, it is
 * never sent to the shop database, and it has no completion time, so it counts in no report of
 * this till — the sale stays the selling till's; the return, the cash out of this drawer and the
 * card refund are this till's.
 */
export const COPY_TILL_PREFIX = 'shop:';

export type ShopReturnsDeps = {
  db: Db;
  log: Logger;
  url: () => string | null;
  currency: () => CurrencyCode;
  /** The returns feature: a return by id, and what follows a return once written (receipt). */
  returns: { get(returnId: string): ReturnRecord; written(returnId: string): void };
  serverRefund(input: ServerRefundInput): Promise<{ id: string }>;
  openDrawer(reference: string | null): unknown;
  /** The open till day and the drawer's expected cash now, as for any cash refund. */
  cash: Pick<CashService, 'day' | 'summary'>;
  announce(orderId: string): void;
  /** Whether the shop link is up now: a look at an own order does not wait on a link known down. */
  linkUp: () => boolean;
  connectTimeoutMs?: number;
};

type Card = {
  attemptId: string;
  amountMinor: number;
  paymentIntentId: string;
  terminalId: string;
  last4: string | null;
  createdAt: string;
};

type OrderState = {
  id: string;
  tillId: string;
  tillName: string;
  reference: string;
  status: string;
  currency: CurrencyCode;
  order: Record<string, unknown>;
  lines: (returnRows.SoldLine & { raw: Record<string, unknown> })[];
  cards: (Card & { remainingMinor: number })[];
  paidMinor: number;
  cashPaidMinor: number;
  givenBackMinor: number;
  reversed: boolean;
};

const unreachable = (error: unknown) =>
  new TillError(
    'SHOP_UNAVAILABLE',
    describeShopError(error).state === 'unreachable'
      ? 'The shop database cannot be reached, so what the other tills already took back of this order cannot be checked. Nothing was returned and no money moved: try again in a moment, or at the till that sold it.'
      : `${describeShopError(error).message} Nothing was returned and no money moved.`,
    { retryable: describeShopError(error).state === 'unreachable', cause: error },
  );

const num = (v: unknown) => Number(v ?? 0);

export function createShopReturns(deps: ShopReturnsDeps) {
  const { db } = deps;
  const log = deps.log.child('shop-returns');
  const money = (m: number) => formatMoney(m, deps.currency());

  /** Another till's order: not in this till's orders, or only as a read-only copy. */
  const isForeign = (orderId: string): boolean => {
    if (!deps.url()) return false;
    const row = db
      .prepare<[string], { till_id: string }>('SELECT till_id FROM orders WHERE id = ?')
      .get(orderId);
    return !row || row.till_id.startsWith(COPY_TILL_PREFIX);
  };

  async function connect(): Promise<{ client: pg.Client; identity: ShopIdentity }> {
    const url = deps.url();
    if (!url)
      throw new TillError(
        'SHOP_UNAVAILABLE',
        'This till is not joined to a shop database, so another till’s order cannot be returned here.',
      );
    try {
      return await connectTill(url, { connectTimeoutMs: deps.connectTimeoutMs ?? 5_000 });
    } catch (error) {
      throw unreachable(error);
    }
  }

  /** This till's own rows about the order that the shop database may not hold yet. */
  function localRows(orderId: string, attemptIds: string[]) {
    const returns = db
      .prepare<[string], { id: string }>(
        "SELECT id FROM returns WHERE order_id = ? AND status <> 'failed'",
      )
      .all(orderId)
      .map((r) => r.id);
    const lines = db
      .prepare<
        [string],
        {
          return_id: string;
          position: number;
          quantity: number;
          amount_minor: number;
          vat_minor: number;
        }
      >(
        `SELECT l.return_id, l.position, l.quantity, l.amount_minor, l.vat_minor FROM return_lines l
         JOIN returns r ON r.id = l.return_id WHERE r.order_id = ? AND r.status <> 'failed'`,
      )
      .all(orderId);
    const refunds = db
      .prepare<
        [string, string],
        { id: string; original_attempt_id: string | null; amount_minor: number }
      >(
        `SELECT id, original_attempt_id, amount_minor FROM refunds
         WHERE status IN ('pending', 'queued', 'completed')
           AND (order_id = ? OR original_attempt_id IN (SELECT value FROM json_each(?)))`,
      )
      .all(orderId, JSON.stringify(attemptIds));
    const cash = db
      .prepare<[string], { id: string; amount_minor: number }>(
        "SELECT id, amount_minor FROM cash_movements WHERE order_id = ? AND kind = 'cash-refund'",
      )
      .all(orderId);
    return { returns, lines, refunds, cash };
  }

  /** Everything the decision needs, read on `client` (inside the lock for a write). */
  async function readState(
    client: pg.Client,
    orderId: string,
    ownTillId: string,
  ): Promise<OrderState> {
    const o = (
      await client.query<Record<string, unknown>>(
        `SELECT o.*, t.name AS till_name FROM opentill.orders o
         LEFT JOIN opentill.tills t ON t.id = o.till_id WHERE o.id = $1`,
        [orderId],
      )
    ).rows[0];
    if (!o)
      throw new TillError(
        'NOT_FOUND',
        'That order is not in the shop database (its till may not have sent it yet).',
      );
    if (o.till_id === ownTillId)
      throw new TillError(
        'ORDER_STATE',
        'This is an order of this till: return its items from its own detail.',
      );
    const lines = (
      await client.query<Record<string, unknown>>(
        'SELECT * FROM opentill.order_lines WHERE order_id = $1 ORDER BY position',
        [orderId],
      )
    ).rows;
    const cards = (
      await client.query<{
        id: string;
        amount_minor: string;
        payment_intent_id: string;
        terminal_id: string;
        card_last4: string | null;
        created_at: Date;
      }>(
        `SELECT a.id, a.amount_minor, a.payment_intent_id, a.terminal_id, t.card_last4, a.created_at
           FROM opentill.tenders t JOIN opentill.payment_attempts a ON a.id = t.attempt_id
          WHERE t.order_id = $1 AND t.kind = 'card' AND a.kind = 'sale' AND a.state = 'succeeded'
            AND a.payment_intent_id IS NOT NULL ORDER BY t.created_at, t.id`,
        [orderId],
      )
    ).rows.map((c): Card => ({
      attemptId: c.id,
      amountMinor: num(c.amount_minor),
      paymentIntentId: c.payment_intent_id,
      terminalId: c.terminal_id,
      last4: c.card_last4,
      createdAt: c.created_at.toISOString(),
    }));
    const attemptIds = cards.map((c) => c.attemptId);
    const cashPaid = (
      await client.query<{ n: string | null }>(
        "SELECT sum(amount_minor) AS n FROM opentill.tenders WHERE order_id = $1 AND kind = 'cash'",
        [orderId],
      )
    ).rows[0]?.n;
    // Every till's returns that have not failed, with their lines.
    const returns = (
      await client.query<{ id: string }>(
        "SELECT id FROM opentill.returns WHERE order_id = $1 AND status <> 'failed'",
        [orderId],
      )
    ).rows.map((r) => r.id);
    const returnLines = (
      await client.query<{
        return_id: string;
        position: number;
        quantity: number;
        amount_minor: string;
        vat_minor: string;
      }>(
        `SELECT l.return_id, l.position, l.quantity, l.amount_minor, l.vat_minor FROM opentill.return_lines l
          JOIN opentill.returns r ON r.id = l.return_id WHERE r.order_id = $1 AND r.status <> 'failed'`,
        [orderId],
      )
    ).rows;
    // Every till's card refunds of the order (a till's own refunds name the order; another
    // till's name only the card sale), cash handed back against it, exchange credit, reversals.
    const refunds = (
      await client.query<{ id: string; original_attempt_id: string | null; amount_minor: string }>(
        `SELECT id, original_attempt_id, amount_minor FROM opentill.refunds
          WHERE status IN ('pending', 'queued', 'completed')
            AND (order_id = $1 OR original_attempt_id = ANY($2::text[]))`,
        [orderId, attemptIds],
      )
    ).rows;
    const cash = (
      await client.query<{ id: string; amount_minor: string }>(
        "SELECT id, amount_minor FROM opentill.cash_movements WHERE order_id = $1 AND kind = 'cash-refund'",
        [orderId],
      )
    ).rows;
    const exchange = (
      await client.query<{ n: string | null }>(
        `SELECT sum(p.amount_minor) AS n FROM opentill.return_payouts p JOIN opentill.returns r ON r.id = p.return_id
          WHERE r.order_id = $1 AND p.method = 'exchange' AND r.status <> 'failed'`,
        [orderId],
      )
    ).rows[0]?.n;
    const reversals = (
      await client.query<{ attempt_id: string; amount_minor: string }>(
        "SELECT attempt_id, amount_minor FROM opentill.reversals WHERE order_id = $1 AND status <> 'failed'",
        [orderId],
      )
    ).rows;

    // This till's own rows count too, whether or not they have reached the shop database yet.
    const local = localRows(orderId, attemptIds);
    const seenReturns = new Set(returns);
    const allLines = [
      ...returnLines.map((l) => ({
        ...l,
        amount_minor: num(l.amount_minor),
        vat_minor: num(l.vat_minor),
      })),
      ...local.lines.filter((l) => !seenReturns.has(l.return_id)),
    ];
    const refundById = new Map<string, { attempt: string | null; amount: number }>();
    for (const r of refunds)
      refundById.set(r.id, { attempt: r.original_attempt_id, amount: num(r.amount_minor) });
    for (const r of local.refunds)
      refundById.set(r.id, { attempt: r.original_attempt_id, amount: r.amount_minor });
    const cashById = new Map<string, number>();
    for (const c of cash) cashById.set(c.id, num(c.amount_minor));
    for (const c of local.cash) cashById.set(c.id, c.amount_minor);

    const refundsTotal = [...refundById.values()].reduce((a, r) => a + r.amount, 0);
    const cashTotal = [...cashById.values()].reduce((a, n) => a + n, 0);
    const reversedTotal = reversals.reduce((a, r) => a + num(r.amount_minor), 0);
    const sold: OrderState['lines'] = lines.map((l) => {
      const back = allLines.filter((r) => r.position === l.position);
      const returned = back.reduce((a, r) => a + r.quantity, 0);
      const quantity = num(l.quantity);
      return {
        position: num(l.position),
        name: String(l.name),
        sold: quantity,
        returned,
        returnable: quantity - returned,
        lineTotalMinor: num(l.line_total_minor),
        vatRateBp: num(l.vat_rate_bp),
        vatMinor: num(l.vat_minor),
        returnedMinor: back.reduce((a, r) => a + r.amount_minor, 0),
        returnedVatMinor: back.reduce((a, r) => a + r.vat_minor, 0),
        raw: l,
      };
    });
    return {
      id: orderId,
      tillId: String(o.till_id),
      tillName: String(o.till_name ?? o.till_id),
      reference: String(o.reference),
      status: String(o.status),
      currency: String(o.currency) as CurrencyCode,
      order: o,
      lines: sold,
      cards: cards.map((c) => ({
        ...c,
        remainingMinor:
          c.amountMinor -
          [...refundById.values()]
            .filter((r) => r.attempt === c.attemptId)
            .reduce((a, r) => a + r.amount, 0) -
          reversals
            .filter((r) => r.attempt_id === c.attemptId)
            .reduce((a, r) => a + num(r.amount_minor), 0),
      })),
      paidMinor: num(o.paid_minor),
      cashPaidMinor: num(cashPaid),
      givenBackMinor: refundsTotal + cashTotal + num(exchange) + reversedTotal,
      reversed: reversals.length > 0,
    };
  }

  /** The same pricing and words as a return of this till's own order (return-rules.ts). */
  const priceLines = (s: OrderState, wanted: ReturnQuoteInput['lines']): ReturnLine[] =>
    priceReturnLines(s.lines, wanted, ', at this till or another');

  function toQuote(s: OrderState, lines: ReturnLine[]): ReturnQuote {
    const returnMinor = lines.reduce((a, l) => a + l.amountMinor, 0);
    const remaining = Math.max(0, s.paidMinor - s.givenBackMinor);
    if (returnMinor > remaining)
      throw new TillError(
        'REFUND_EXCEEDS_REMAINING',
        remaining === 0
          ? `Order ${s.reference} has nothing left to refund: ${money(s.givenBackMinor)} already went back, at this till or another. Nothing was written.`
          : `At most ${money(remaining)} can still go back on order ${s.reference} (${money(s.givenBackMinor)} already went back, at this till or another). Nothing was written.`,
      );
    return {
      orderId: s.id,
      currency: s.currency,
      lines,
      returnMinor,
      vatMinor: lines.reduce((a, l) => a + l.vatMinor, 0),
      newTotalMinor: 0,
      owedBackMinor: returnMinor,
      cards: s.cards.map((c) => ({
        attemptId: c.attemptId,
        refundableMinor: Math.max(0, Math.min(c.remainingMinor, remaining)),
        last4: c.last4,
        reversible: false,
      })),
      cashPaidMinor: s.cashPaidMinor,
    };
  }

  const expectedCash = () => deps.cash.summary().expectedMinor;

  function checkPayouts(q: ReturnQuote, input: CreateReturnInput) {
    const sum = input.payouts.reduce((a, p) => a + p.amountMinor, 0);
    if (sum !== q.owedBackMinor)
      throw new TillError(
        'VALIDATION',
        `The ways to pay back add up to ${money(sum)}, but ${money(q.owedBackMinor)} is owed back. Nothing was written.`,
      );
    const cards = input.payouts.filter((p) => p.method === 'card');
    if (cards.length > 1)
      throw new TillError('VALIDATION', 'Pay back to one card at a time; give the rest in cash.');
    for (const p of cards) {
      if (p.terminalId)
        throw new TillError(
          'VALIDATION',
          'For another till’s order the card part goes back without the card (a refund to the original card through Dojo), or give it in cash.',
        );
      const card = q.cards.find((c) => c.attemptId === p.attemptId);
      if (!card)
        throw new TillError(
          'VALIDATION',
          'That card payment is not one of this order: choose a card it was paid with.',
        );
      if (p.amountMinor > card.refundableMinor)
        throw new TillError(
          'REFUND_EXCEEDS_REMAINING',
          card.refundableMinor === 0
            ? 'That card payment has nothing left to refund (at this till or another): give the money back in cash.'
            : `At most ${money(card.refundableMinor)} can go back to that card; give the rest in cash.`,
        );
    }
    const cash = input.payouts
      .filter((p) => p.method === 'cash')
      .reduce((a, p) => a + p.amountMinor, 0);
    if (cash > 0 && cash > expectedCash())
      throw new TillError(
        'VALIDATION',
        `${money(cash)} in cash is more than the ${money(Math.max(0, expectedCash()))} this drawer should hold: pay back to the card, or pay cash in first. Nothing was written.`,
      );
    return { cash, card: cards[0] ?? null };
  }

  /** The read-only copy this till's return rows name; never sent up, counted in no report. */
  function ensureCopy(s: OrderState, cardAttemptId: string | null) {
    db.transaction(() => {
      const o = s.order;
      const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v));
      // Orders written before the tills joined the shop may share a reference with one of this
      // till's own (both "T1-…"): the copy then reads with the other till's name after it.
      const clash = db
        .prepare<[string, string], { id: string }>(
          'SELECT id FROM orders WHERE reference = ? AND id <> ?',
        )
        .get(s.reference, s.id);
      const reference = clash ? `${s.reference} (${s.tillName})` : s.reference;
      db.prepare(
        `INSERT OR IGNORE INTO orders (id, reference, status, currency, subtotal_minor, discount_minor, vat_minor,
           total_minor, paid_minor, change_minor, refunded_minor, till_id, note, created_at, updated_at, completed_at)
         VALUES (?, ?, 'paid', ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, NULL)`,
      ).run(
        s.id,
        reference,
        s.currency,
        num(o.subtotal_minor),
        num(o.discount_minor),
        num(o.vat_minor),
        num(o.total_minor),
        num(o.paid_minor),
        num(o.change_minor),
        `${COPY_TILL_PREFIX}${s.tillId}`,
        `Sold at ${s.tillName}`,
        iso(o.created_at),
        nowIso(),
      );
      const line = db.prepare(
        `INSERT OR IGNORE INTO order_lines (order_id, position, product_id, name, quantity, unit_price_minor,
           discount_minor, vat_rate_bp, line_total_minor, vat_minor)
         VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const l of s.lines)
        line.run(
          s.id,
          l.position,
          l.name,
          l.sold,
          num(l.raw.unit_price_minor),
          num(l.raw.discount_minor),
          l.vatRateBp,
          l.lineTotalMinor,
          l.vatMinor,
        );
      const card = s.cards.find((c) => c.attemptId === cardAttemptId);
      if (card)
        // A card sale of the copy, with no order of its own here: its refund names the sale only.
        db.prepare(
          `INSERT OR IGNORE INTO payment_attempts (id, order_id, kind, amount_minor, currency, terminal_id,
             payment_intent_id, state, state_data, is_final, card, created_at, updated_at)
           VALUES (?, NULL, 'sale', ?, ?, ?, ?, 'succeeded', json_object('copyOfTill', ?), 1, ?, ?, ?)`,
        ).run(
          card.attemptId,
          card.amountMinor,
          s.currency,
          card.terminalId,
          card.paymentIntentId,
          s.tillId,
          card.last4 ? JSON.stringify({ last4: card.last4 }) : null,
          card.createdAt,
          nowIso(),
        );
      // The copy is the other till's record: it never goes up from here (the change log drops
      // orders whose till_id starts with `shop:` and attempts marked `copyOfTill`).
      db.prepare("DELETE FROM change_log WHERE entity = 'order' AND entity_id = ?").run(s.id);
    })();
  }

  /** This till's new rows, written to the shop database inside the lock (the replicator sends them again, harmlessly). */
  async function pushOwnRows(client: pg.Client, who: ShopIdentity, keys: Map<Entity, Set<string>>) {
    const rows = readBatchRows(db, keys);
    const tag = (list: Record<string, unknown>[]) =>
      JSON.stringify(list.map((r) => ({ ...r, shop_id: who.shopId, till_id: who.tillId })));
    const put = async (table: string, list: Record<string, unknown>[], conflict: string) => {
      if (!list.length) return;
      await client.query(
        `INSERT INTO opentill.${table} SELECT * FROM json_populate_recordset(NULL::opentill.${table}, $1::json)
         ON CONFLICT ${conflict}`,
        [tag(list)],
      );
    };
    await put(
      'refunds',
      rows.refunds,
      `(id) DO UPDATE SET status = EXCLUDED.status, amount_minor = EXCLUDED.amount_minor, updated_at = EXCLUDED.updated_at
       WHERE opentill.refunds.updated_at <= EXCLUDED.updated_at`,
    );
    await put('cash_movements', rows.cash_movements, '(id) DO NOTHING');
    await put(
      'returns',
      rows.returns,
      `(id) DO UPDATE SET status = EXCLUDED.status, completed_at = EXCLUDED.completed_at
       WHERE opentill.returns.status = 'pending'`,
    );
    await put('return_lines', rows.return_lines, '(return_id, position) DO NOTHING');
    await put('return_payouts', rows.return_payouts, '(id) DO NOTHING');
  }

  /** This till's rows of a return, as the shop database has them (for the push inside the lock). */
  const keysOfReturn = (returnId: string): Map<Entity, Set<string>> => {
    const payouts = db
      .prepare<[string], { refund_id: string | null; cash_movement_id: string | null }>(
        'SELECT refund_id, cash_movement_id FROM return_payouts WHERE return_id = ?',
      )
      .all(returnId);
    const set = (list: (string | null)[]) => new Set(list.filter((x): x is string => x !== null));
    return new Map<Entity, Set<string>>([
      ['return', new Set([returnId])],
      ['refund', set(payouts.map((p) => p.refund_id))],
      ['cash_movement', set(payouts.map((p) => p.cash_movement_id))],
    ]);
  };

  /** Other tills' returns, refunds and cash refunds of one of this till's orders. */
  async function readOthers(
    client: pg.Client,
    orderId: string,
    ownTillId: string,
  ): Promise<TakenBackElsewhere> {
    const attempts = db
      .prepare<[string], { id: string }>(
        "SELECT id FROM payment_attempts WHERE order_id = ? AND kind = 'sale'",
      )
      .all(orderId)
      .map((a) => a.id);
    const lines = await client.query<{ position: number; q: string; a: string; v: string }>(
      `SELECT l.position, sum(l.quantity) AS q, sum(l.amount_minor) AS a, sum(l.vat_minor) AS v
         FROM opentill.return_lines l JOIN opentill.returns r ON r.id = l.return_id
        WHERE r.order_id = $1 AND r.till_id <> $2 AND r.status <> 'failed' GROUP BY l.position`,
      [orderId, ownTillId],
    );
    const refunds = await client.query<{
      original_attempt_id: string | null;
      amount_minor: string;
    }>(
      `SELECT original_attempt_id, amount_minor FROM opentill.refunds
        WHERE till_id <> $2 AND status IN ('pending', 'queued', 'completed')
          AND (order_id = $1 OR original_attempt_id = ANY($3::text[]))`,
      [orderId, ownTillId, attempts],
    );
    const other = await client.query<{ n: string | null }>(
      `SELECT (SELECT coalesce(sum(amount_minor), 0) FROM opentill.cash_movements
                WHERE order_id = $1 AND till_id <> $2 AND kind = 'cash-refund')
            + (SELECT coalesce(sum(p.amount_minor), 0) FROM opentill.return_payouts p
                 JOIN opentill.returns r ON r.id = p.return_id
                WHERE r.order_id = $1 AND r.till_id <> $2 AND p.method = 'exchange' AND r.status <> 'failed') AS n`,
      [orderId, ownTillId],
    );
    const cards = new Map<string, number>();
    for (const r of refunds.rows)
      if (r.original_attempt_id)
        cards.set(
          r.original_attempt_id,
          (cards.get(r.original_attempt_id) ?? 0) + num(r.amount_minor),
        );
    return {
      lines: new Map(
        lines.rows.map((l) => [
          num(l.position),
          { quantity: num(l.q), amountMinor: num(l.a), vatMinor: num(l.v) },
        ]),
      ),
      givenBackMinor:
        refunds.rows.reduce((a, r) => a + num(r.amount_minor), 0) + num(other.rows[0]?.n),
      cards,
    };
  }

  /** The newest reading per order, while at least one request on it is running. */
  const held = new Map<string, { snap: TakenBackElsewhere; users: number }>();
  const hold = (orderId: string, snap: TakenBackElsewhere) => {
    const h = held.get(orderId);
    held.set(orderId, { snap, users: (h?.users ?? 0) + 1 });
  };
  const release = (orderId: string) => {
    const h = held.get(orderId);
    if (!h) return;
    if (h.users <= 1) held.delete(orderId);
    else h.users -= 1;
  };

  return {
    isForeign,

    /** For the returns feature's caps: what other tills took back of this till's order. */
    elsewhere: (orderId: string): TakenBackElsewhere | null => held.get(orderId)?.snap ?? null,

    /**
     * A return (`lock`) or a look at one of this till's own orders while joined to a shop: other
     * tills' returns of it are read first and counted by `run`, under the order's lock, and a new
     * return is in the shop database before the lock goes. The shop database unreachable: this
     * till's own order is still returned, against its own rows (the till keeps refunding alone).
     */
    async guardOwn<T>(
      orderId: string,
      run: () => T | Promise<T>,
      options: {
        lock: boolean;
        /** A look only (the order's detail): not worth waiting on a link known to be down. */
        onlyWhenUp?: boolean;
        returnIdOf?: (result: T) => string | null;
      },
    ): Promise<T> {
      const url = deps.url();
      if (!url || (options.onlyWhenUp && !deps.linkUp())) return run();
      let link: { client: pg.Client; identity: ShopIdentity } | null = null;
      let snap: TakenBackElsewhere | null = null;
      try {
        link = await connectTill(url, { connectTimeoutMs: deps.connectTimeoutMs ?? 3_000 });
        if (options.lock) {
          await link.client.query('BEGIN');
          await link.client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
            `opentill.order-return:${orderId}`,
          ]);
        }
        snap = await readOthers(link.client, orderId, link.identity.tillId);
      } catch (error) {
        log.warn('own order returned without the shop database', {
          code: describeShopError(error).detailCode,
        });
        await link?.client.end().catch(() => undefined);
        link = null;
      }
      if (snap) hold(orderId, snap);
      try {
        const result = await run();
        const returnId = options.returnIdOf?.(result) ?? null;
        if (link && options.lock && returnId) {
          try {
            await pushOwnRows(link.client, link.identity, keysOfReturn(returnId));
            await link.client.query('COMMIT');
          } catch (error) {
            log.warn('return not yet in the shop database', {
              returnId,
              code: describeShopError(error).detailCode,
            });
          }
        }
        return result;
      } finally {
        if (snap) release(orderId);
        await link?.client.end().catch(() => undefined);
      }
    },

    /** Another till's order: its lines with what every till took back, and this till's returns of it. */
    async forOrder(orderId: string): Promise<ReturnsOfOrder> {
      const { client, identity } = await connect();
      try {
        const s = await readState(client, orderId, identity.tillId).catch((e: unknown) => {
          throw e instanceof TillError ? e : unreachable(e);
        });
        return {
          lines: s.lines.map((l) => ({
            position: l.position,
            name: l.name,
            sold: l.sold,
            returned: l.returned,
            returnable: s.status === 'paid' && !s.reversed ? l.returnable : 0,
            lineTotalMinor: l.lineTotalMinor,
            vatRateBp: l.vatRateBp,
          })),
          returns: returnRows.returnsOfOrder(db, orderId),
          reversals: [],
        };
      } finally {
        await client.end().catch(() => undefined);
      }
    },

    async quote(input: ReturnQuoteInput): Promise<ReturnQuote> {
      if (input.exchange)
        throw new TillError(
          'VALIDATION',
          'Another till’s order can be returned here, not exchanged: return the items, then sell the new basket.',
        );
      const { client, identity } = await connect();
      try {
        const s = await readState(client, input.orderId, identity.tillId).catch((e: unknown) => {
          throw e instanceof TillError ? e : unreachable(e);
        });
        assertReturnable(s);
        return toQuote(s, priceLines(s, input.lines));
      } finally {
        await client.end().catch(() => undefined);
      }
    },

    async create(input: CreateReturnInput): Promise<CreateReturnResult> {
      if (input.exchange)
        throw new TillError(
          'VALIDATION',
          'Another till’s order can be returned here, not exchanged: return the items, then sell the new basket.',
        );
      const { client, identity } = await connect();
      const returnId = randomUUID();
      const actor = currentActor();
      let locked = false;
      let written = false;
      let cashPaid = 0;
      try {
        try {
          await client.query('BEGIN');
          // One decision per order across the shop: a till cannot UPDATE (nor SELECT … FOR UPDATE)
          // another till's order under row-level security, so the lock is an advisory one on the
          // order's id, held until this transaction ends — after this till's rows are in.
          await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
            `opentill.order-return:${input.orderId}`,
          ]);
          locked = true;
        } catch (error) {
          throw unreachable(error);
        }
        const s = await readState(client, input.orderId, identity.tillId).catch((e: unknown) => {
          throw e instanceof TillError ? e : unreachable(e);
        });
        assertReturnable(s);
        const lines = priceLines(s, input.lines);
        const q = toQuote(s, lines);
        const { cash, card } = checkPayouts(q, input);
        // A card refund needs the card sale here before it starts; cash writes the copy with the return.
        if (card) ensureCopy(s, card.attemptId);
        const keys = new Map<Entity, Set<string>>([['return', new Set([returnId])]]);
        const write = (refundId: string | null) => {
          if (cash > 0 && cash > expectedCash())
            throw new TillError(
              'VALIDATION',
              'The drawer no longer holds that much cash. Nothing was written.',
            );
          returnRows.insertReturn(db, {
            id: returnId,
            orderId: s.id,
            kind: 'return',
            status: card ? 'pending' : 'completed',
            reason: input.reason,
            currency: s.currency,
            totalMinor: q.returnMinor,
            vatMinor: q.vatMinor,
            exchangeOrderId: null,
            staffId: actor?.staffId ?? null,
            approvedBy: actor?.approvedBy ?? null,
            lines,
          });
          if (cash > 0) {
            const movementId = payReturnInCash(db, {
              returnId,
              orderId: s.id,
              amountMinor: cash,
              currency: s.currency,
              reason: `Return (${s.tillName}): ${input.reason}`,
              dayId: deps.cash.day()?.id ?? null,
              actor,
            });
            keys.set('cash_movement', new Set([movementId]));
          }
          if (card && card.method === 'card' && refundId) {
            returnRows.insertPayout(db, {
              id: randomUUID(),
              returnId,
              method: 'card-server',
              amountMinor: card.amountMinor,
              refundId,
              saleAttemptId: card.attemptId,
            });
            keys.set('refund', new Set([refundId]));
          }
          audit(db, staffName(db, actor?.staffId ?? null) ?? 'till', 'return.created', returnId, {
            orderId: s.id,
            soldAt: s.tillId,
            totalMinor: q.returnMinor,
            payouts: input.payouts.map((p) => [p.method, p.amountMinor]),
          });
        };
        if (card && card.method === 'card') {
          // The refund row, its outbox item and the return commit together; Dojo is tried once.
          await deps
            .serverRefund({
              originalAttemptId: card.attemptId,
              amountMinor: card.amountMinor,
              reason: input.reason,
              alsoWrite: (refundId) => {
                write(refundId);
                written = true;
              },
            })
            .catch((error: unknown) => {
              if (!written) throw error;
              // Dojo refused: the return failed with it (returns feature), and is sent up so.
              log.warn('cross-till card refund refused', { returnId });
              deps.returns.written(returnId);
              throw error;
            });
        } else {
          db.transaction(() => {
            ensureCopy(s, null);
            write(null);
          })();
          written = true;
        }
        cashPaid = cash;
        // Inside the lock: the shop database learns of this return before another till decides.
        try {
          await pushOwnRows(client, identity, keys);
          await client.query('COMMIT');
        } catch (error) {
          // Written here and money given: the replicator sends the rows when the link is back.
          log.warn('cross-till return not yet in the shop database', {
            returnId,
            code: describeShopError(error).detailCode,
          });
        }
      } finally {
        if (locked && !written) await client.query('ROLLBACK').catch(() => undefined);
        await client.end().catch(() => undefined);
      }
      log.info('cross-till return recorded', { returnId, orderId: input.orderId });
      if (cashPaid > 0) deps.openDrawer(input.orderId);
      deps.returns.written(returnId);
      deps.announce(input.orderId);
      return { ret: deps.returns.get(returnId), attemptId: null, exchangeOrder: null };
    },
  };
}

export type ShopReturns = ReturnType<typeof createShopReturns>;
