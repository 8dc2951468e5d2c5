import { randomUUID } from 'node:crypto';
import { TillError } from '../../src-shared/errors';
import { formatMoney, type CurrencyCode } from '../../src-shared/money';
import type { Basket, OrderSummary } from '../../src-shared/domain/orders';
import { priceBasket } from '../../src-shared/domain/pricing';
import type { PaymentAttempt, Refund } from '../../src-shared/domain/payments';
import type {
  CreateReturnInput,
  CreateReturnResult,
  PayoutInput,
  ReturnLine,
  ReturnQuote,
  ReturnQuoteInput,
  ReturnRecord,
  ReturnsOfOrder,
} from '../../src-shared/domain/returns';
import type { ReceiptPreviewData, PrintJob } from '../../src-shared/contract/printing.contract';
import type { Db } from '../db/connection';
import type { Logger } from '../logging/logger';
import { assertReturnable, priceReturnLines } from './return-rules';
import type { EventBus } from '../platform/event-bus';
import type { OrdersPort } from '../orders/orders-port';
import { audit } from '../platform/audit';
import { currentActor } from '../staff/actor';
import { staffName } from '../staff/staff-names';
import { payReturnInCash } from './cash-payout';
import type { CashService } from '../cash/cash.service';
import type { MatchedRefundInput } from '../payments/refund-flow';
import { assertOrderRefundable, orderRefundable } from '../payments/refundable';
import type { ServerRefundInput } from '../payments/server-refunds';
import {
  findReturn,
  insertPayout,
  pendingReturnIds,
  insertReturn,
  orderHasLiveReversal,
  returnIdsOfRefund,
  returnOfExchangeOrder,
  returnsOfOrder,
  reversalsOfOrder,
  setReceiptJob,
  setReturnStatus,
  soldLines,
} from './returns.repo';
import { buildReturnReceipt, loadReturnReceiptInput } from './return-receipt';
import type { ShopInfo } from '../printing/receipt-model';
import type { ReceiptDocument } from '../../src-shared/domain/receipt';

/**
 * What other tills took back of one of this till's orders (the shop database, docs/SHOP-DATABASE.md
 * "Returns across tills"), read by the caller inside its lock on the order; counted with this
 * till's own rows by every cap below.
 */
export type TakenBackElsewhere = {
  lines: ReadonlyMap<number, { quantity: number; amountMinor: number; vatMinor: number }>;
  givenBackMinor: number;
  /** Card refunds other tills made, by this till's card sale (attempt id). */
  cards: ReadonlyMap<string, number>;
};

export type ReturnsDeps = {
  db: Db;
  logger: Logger;
  bus: EventBus;
  currency: () => CurrencyCode;
  tillId: () => string;
  /** The orders feature: reads an order's summary, tells the screens an order changed. */
  orders: Pick<
    OrdersPort,
    'findSummary' | 'announceChange' | 'recordRefunded' | 'lineForSale' | 'openCreditedOrder'
  >;
  payments: {
    matchedRefund(
      input: MatchedRefundInput,
    ): Promise<{ attempt: PaymentAttempt; refund: { id: string } }>;
    serverRefund(input: ServerRefundInput): Promise<{ id: string }>;
    listForOrder(orderId: string): PaymentAttempt[];
    findRefund(refundId: string): Refund | null;
  };
  /**
   * Whether the customer wants a paid order's receipt printed (their receipt choice, or the till's
   * default: docs/PAYMENTS.md rule 13). An exchange's receipt follows its new order's choice.
   */
  receiptWanted?: (orderId: string) => boolean;
  /** Other tills' returns and refunds of this order, when the till is joined to a shop. */
  elsewhere?: (orderId: string) => TakenBackElsewhere | null;
  /** The open till day and the drawer's expected cash now (a cash payout may not exceed it). */
  cash: Pick<CashService, 'day' | 'summary'>;
  printing: {
    shopInfo(): ShopInfo;
    columns(): 32 | 48;
    printDocument(doc: ReceiptDocument, orderId: string | null): PrintJob | null;
    reprint(jobId: string): PrintJob;
    openDrawer(reference: string | null): unknown;
    standInForCustomerReceipt(rule: (orderId: string) => (() => PrintJob | null) | null): void;
    standInForRefundSlip(rule: (refundId: string) => boolean): void;
  };
};

export type ReturnsService = ReturnType<typeof createReturnsService>;

const refuse = (message: string) => new TillError('VALIDATION', message);

/**
 * Returns by item and exchanges (docs/RETURNS.md). Every check that caps what may go back runs
 * again inside the transaction that writes the return, so two tabs returning the same item at
 * once cannot both succeed; a card payout writes its refund in that same transaction.
 */
export function createReturnsService(deps: ReturnsDeps) {
  const { db } = deps;
  const log = deps.logger.child('returns');

  const orderRow = (orderId: string) => {
    const o = db
      .prepare<
        [string],
        {
          id: string;
          reference: string;
          status: string;
          currency: CurrencyCode;
          paid: number;
          refunded: number;
        }
      >(
        'SELECT id, reference, status, currency, paid_minor AS paid, refunded_minor AS refunded FROM orders WHERE id = ?',
      )
      .get(orderId);
    if (!o) throw new TillError('NOT_FOUND', 'That order does not exist.');
    return o;
  };

  /** A paid order that was not reversed (return-rules.ts); answers its row. */
  function returnableOrder(orderId: string) {
    const o = orderRow(orderId);
    assertReturnable({ ...o, reversed: orderHasLiveReversal(db, orderId) });
    return o;
  }

  const money = (m: number) => formatMoney(m, deps.currency());

  /** The order's lines with what this till and (joined to a shop) every other till took back. */
  const sold = (orderId: string) => {
    const lines = soldLines(db, orderId);
    const el = deps.elsewhere?.(orderId);
    if (!el) return lines;
    return lines.map((l) => {
      const e = el.lines.get(l.position);
      return e
        ? {
            ...l,
            returned: l.returned + e.quantity,
            returnable: l.returnable - e.quantity,
            returnedMinor: l.returnedMinor + e.amountMinor,
            returnedVatMinor: l.returnedVatMinor + e.vatMinor,
          }
        : l;
    });
  };

  /** The one refundable rule, with what other tills already gave back on the order. */
  const assertFits = (orderId: string, amountMinor: number) => {
    assertOrderRefundable(db, orderId, amountMinor);
    const el = deps.elsewhere?.(orderId);
    if (!el || el.givenBackMinor === 0) return;
    const left = Math.max(
      0,
      (orderRefundable(db, orderId)?.remainingMinor ?? 0) - el.givenBackMinor,
    );
    if (amountMinor > left)
      throw new TillError(
        'REFUND_EXCEEDS_REMAINING',
        left === 0
          ? `This order has nothing left to refund: ${money(el.givenBackMinor)} already went back at another till. Nothing was written.`
          : `At most ${money(left)} can still go back on this order (${money(el.givenBackMinor)} already went back at another till). Nothing was written.`,
      );
  };

  /** The lines asked for, priced as their share of what the customer paid (return-rules.ts). */
  const priceLines = (orderId: string, wanted: ReturnQuoteInput['lines']): ReturnLine[] =>
    priceReturnLines(sold(orderId), wanted);

  const priceExchange = (basket: Basket | undefined) =>
    basket
      ? priceBasket(
          // Catalogue prices by the orders' own rules, never the screen's.
          basket.lines.map((l) => deps.orders.lineForSale(l, basket.eatIn === true)),
          basket.discount,
          deps.currency(),
        )
      : null;

  const cardsOf = (orderId: string) =>
    deps.payments
      .listForOrder(orderId)
      .filter(
        (a) => a.kind === 'sale' && a.state.kind === 'succeeded' && a.refundableMinor !== null,
      );

  const cashPaid = (orderId: string) =>
    db
      .prepare<[string], { n: number | null }>(
        "SELECT sum(amount_minor) AS n FROM tenders WHERE order_id = ? AND kind = 'cash'",
      )
      .get(orderId)?.n ?? 0;

  function quote(input: ReturnQuoteInput): ReturnQuote {
    const o = returnableOrder(input.orderId);
    const lines = priceLines(input.orderId, input.lines);
    const returnMinor = lines.reduce((a, l) => a + l.amountMinor, 0);
    // Whatever the way (cash, card, exchange credit), the return gives back its whole value: it
    // must fit in what is left on the order after every refund, return and reversal so far.
    assertFits(o.id, returnMinor);
    const priced = priceExchange(input.exchange);
    const newTotalMinor = priced?.totalMinor ?? 0;
    return {
      orderId: o.id,
      currency: o.currency,
      lines,
      returnMinor,
      vatMinor: lines.reduce((a, l) => a + l.vatMinor, 0),
      newTotalMinor,
      owedBackMinor: returnMinor - newTotalMinor,
      cards: cardsOf(o.id).map((a) => {
        const other = deps.elsewhere?.(o.id)?.cards.get(a.id) ?? 0;
        return {
          attemptId: a.id,
          refundableMinor: Math.max(0, (a.refundableMinor ?? 0) - other),
          last4: a.card?.last4 ?? null,
          reversible: a.refundableMinor === a.amountMinor && other === 0,
        };
      }),
      cashPaidMinor: cashPaid(o.id),
    };
  }

  /** The payouts must give back exactly what is owed, in ways this order allows. */
  function checkPayouts(q: ReturnQuote, payouts: readonly PayoutInput[]): void {
    const owed = Math.max(0, q.owedBackMinor);
    const sum = payouts.reduce((a, p) => a + p.amountMinor, 0);
    if (owed === 0 && payouts.length > 0)
      throw refuse('Nothing is owed back: the new basket costs at least what is returned.');
    if (sum !== owed)
      throw refuse(
        `The ways to pay back add up to ${money(sum)}, but ${money(owed)} is owed back. Nothing was written.`,
      );
    const cards = payouts.filter((p) => p.method === 'card');
    if (cards.length > 1) throw refuse('Pay back to one card at a time; give the rest in cash.');
    for (const p of cards) {
      const card = q.cards.find((c) => c.attemptId === p.attemptId);
      if (!card)
        throw refuse('That card payment is not one of this order: choose a card it was paid with.');
      if (p.amountMinor > card.refundableMinor)
        throw new TillError(
          'REFUND_EXCEEDS_REMAINING',
          card.refundableMinor === 0
            ? 'That card payment has nothing left to refund: give the money back in cash.'
            : `At most ${money(card.refundableMinor)} can go back to that card; give the rest in cash.`,
        );
    }
  }

  const expectedCash = () => deps.cash.summary().expectedMinor;

  function announce(orderId: string): void {
    deps.orders.announceChange(orderId);
  }

  async function create(input: CreateReturnInput): Promise<CreateReturnResult> {
    // Everything checkable is checked before anything is written (and again inside the write).
    const q = quote(input);
    checkPayouts(q, input.payouts);
    const cash = input.payouts
      .filter((p) => p.method === 'cash')
      .reduce((a, p) => a + p.amountMinor, 0);
    if (cash > 0 && cash > expectedCash())
      throw refuse(
        `${money(cash)} in cash is more than the ${money(Math.max(0, expectedCash()))} the drawer should hold: pay back to the card, or pay cash in first. Nothing was written.`,
      );
    const card = input.payouts.find((p) => p.method === 'card');
    const returnId = randomUUID();
    const exchangeOrderId = input.exchange ? randomUUID() : null;
    const actor = currentActor();
    const who = staffName(db, actor?.staffId ?? null) ?? 'till';
    let exchangeCompleted = false;

    /** The return, its lines and every payout but the card's refund, in the caller's transaction. */
    const write = (refundId: string | null) => {
      const o = returnableOrder(input.orderId);
      const lines = priceLines(input.orderId, input.lines); // again: two tabs cannot both pass
      const returnMinor = lines.reduce((a, l) => a + l.amountMinor, 0);
      if (returnMinor !== q.returnMinor)
        throw new TillError(
          'CONFLICT',
          'The order changed meanwhile (another return?): look at it again. Nothing was written.',
        );
      if (cash > 0 && cash > expectedCash())
        throw refuse('The drawer no longer holds that much cash. Nothing was written.');
      // The one refundable rule, here where it is written: the card part (if any) is already a
      // refund row of this transaction, so what else goes back (cash, credit) must fit in the rest.
      const creditNow = input.exchange
        ? Math.min(returnMinor, priceExchange(input.exchange)?.totalMinor ?? 0)
        : 0;
      assertFits(o.id, cash + creditNow);
      let exchangeCredit = 0;
      if (input.exchange && exchangeOrderId) {
        const priced = priceExchange(input.exchange);
        if (!priced) throw new Error('exchange basket not priced');
        const credit = Math.min(returnMinor, priced.totalMinor);
        // The new basket is an order of the orders feature, opened in this transaction with the
        // returned items' worth already paid on it.
        exchangeCompleted = deps.orders.openCreditedOrder({
          id: exchangeOrderId,
          currency: o.currency,
          note: input.exchange.note ?? `Exchange for ${o.reference}`,
          basketDiscount: input.exchange.discount ?? null,
          priced,
          at: new Date(),
          creditMinor: credit,
        }).paid;
        if (credit > 0 || exchangeCompleted) exchangeCredit = credit;
      }
      insertReturn(db, {
        id: returnId,
        orderId: o.id,
        kind: input.exchange ? 'exchange' : 'return',
        status: card ? 'pending' : 'completed',
        reason: input.reason,
        currency: o.currency,
        totalMinor: returnMinor,
        vatMinor: lines.reduce((a, l) => a + l.vatMinor, 0),
        exchangeOrderId,
        staffId: actor?.staffId ?? null,
        approvedBy: actor?.approvedBy ?? null,
        lines,
      });
      let backOnOrder = 0;
      if (exchangeCredit > 0) {
        insertPayout(db, {
          id: randomUUID(),
          returnId,
          method: 'exchange',
          amountMinor: exchangeCredit,
        });
        backOnOrder += exchangeCredit;
      }
      if (cash > 0) {
        payReturnInCash(db, {
          returnId,
          orderId: o.id,
          amountMinor: cash,
          currency: o.currency,
          reason: `Return: ${input.reason}`,
          dayId: deps.cash.day()?.id ?? null,
          actor,
        });
        backOnOrder += cash;
      }
      if (card && card.method === 'card' && refundId)
        insertPayout(db, {
          id: randomUUID(),
          returnId,
          method: card.terminalId ? 'card-terminal' : 'card-server',
          amountMinor: card.amountMinor,
          refundId,
          saleAttemptId: card.attemptId,
        });
      // The card part counts on the order when its refund completes (as every refund does).
      if (backOnOrder > 0) deps.orders.recordRefunded(o.id, backOnOrder);
      audit(db, who, input.exchange ? 'return.exchange' : 'return.created', returnId, {
        orderId: o.id,
        totalMinor: returnMinor,
        payouts: input.payouts.map((p) => [p.method, p.amountMinor]),
        exchangeOrderId,
      });
    };

    let attemptId: string | null = null;
    const settleThenThrow = (error: unknown): never => {
      // The refund was written with the return but could not start: the return fails with it.
      settle(returnId);
      if (findReturn(db, returnId)) announce(input.orderId);
      throw error;
    };
    if (card && card.method === 'card') {
      if (card.terminalId) {
        const r = await deps.payments
          .matchedRefund({
            originalAttemptId: card.attemptId,
            terminalId: card.terminalId,
            amountMinor: card.amountMinor,
            reason: input.reason,
            alsoWrite: write,
          })
          .catch(settleThenThrow);
        attemptId = r.attempt.id;
      } else {
        await deps.payments
          .serverRefund({
            originalAttemptId: card.attemptId,
            amountMinor: card.amountMinor,
            reason: input.reason,
            alsoWrite: write,
          })
          .catch(settleThenThrow);
      }
    } else {
      db.transaction(() => write(null))();
    }
    log.info('return recorded', { returnId, orderId: input.orderId, total: q.returnMinor });
    if (cash > 0) deps.printing.openDrawer(q.orderId);
    settle(returnId);
    announce(input.orderId);
    if (exchangeOrderId) {
      announce(exchangeOrderId);
      if (exchangeCompleted) exchangeOrderPaid(exchangeOrderId);
    }
    const ret = get(returnId);
    return {
      ret,
      attemptId,
      exchangeOrder:
        exchangeOrderId && !exchangeCompleted ? deps.orders.findSummary(exchangeOrderId) : null,
    };
  }

  const get = (id: string): ReturnRecord => {
    const r = findReturn(db, id);
    if (!r) throw new TillError('NOT_FOUND', 'That return does not exist.');
    const { receiptJobId: _job, ...rest } = r;
    return rest;
  };

  /**
   * A pending return follows its card refund: done → the return is done (and its receipt
   * prints); failed → a card-only return failed and its items can be returned again, while one
   * that also gave cash or new items stays pending with the card part still owed.
   */
  function settle(returnId: string): void {
    const r = findReturn(db, returnId);
    if (!r) return;
    if (r.status === 'pending') {
      const card = r.payouts.find((p) => p.refundId);
      const refund = card?.refundId ? deps.payments.findRefund(card.refundId) : null;
      if (refund?.status === 'completed') setReturnStatus(db, r.id, 'completed', null);
      else if (refund?.status === 'failed') {
        const why = refund.lastError ?? 'the card refund did not go through';
        // Cash or new items already went back: the items stay returned and the card part is
        // still owed (refund it again, or in cash). Card only: nothing went back, so it failed.
        if (r.payouts.some((p) => p.method === 'cash' || p.method === 'exchange'))
          setReturnStatus(
            db,
            r.id,
            'pending',
            `The card part did not go through (${why}): refund it again, or give it in cash.`,
          );
        else setReturnStatus(db, r.id, 'failed', why);
        return;
      } else return;
    }
    printOnce(returnId);
  }

  /**
   * The return (or exchange) receipt, once: when the return is done and the new order paid. An
   * exchange's receipt stands for its new order's sale receipt, so it prints only when the
   * customer wants that printed (`chosen`: they just chose Print).
   */
  function printOnce(returnId: string, chosen = false): PrintJob | null {
    const r = findReturn(db, returnId);
    if (!r || r.status !== 'completed' || r.receiptJobId) return null;
    if (r.exchangeOrderId) {
      if (deps.orders.findSummary(r.exchangeOrderId)?.status !== 'paid') return null;
      if (!chosen && !(deps.receiptWanted?.(r.exchangeOrderId) ?? true)) return null;
    }
    const doc = buildReturnReceipt(
      loadReturnReceiptInput(db, returnId, deps.printing.shopInfo(), deps.tillId()),
    );
    const job = deps.printing.printDocument(doc, r.orderId);
    if (job) setReceiptJob(db, returnId, job.id);
    return job;
  }

  /** The new order of an exchange is paid: one receipt shows both sides (no second sale receipt). */
  function exchangeOrderPaid(orderId: string): void {
    const returnId = returnOfExchangeOrder(db, orderId);
    if (returnId) printOnce(returnId);
  }

  // An exchange's new order has the exchange receipt (both sides) for its customer receipt, and a
  // refund that pays a return prints the return's receipt, not a refund slip: returns' own rules.
  deps.printing.standInForCustomerReceipt((orderId) =>
    returnOfExchangeOrder(db, orderId) ? () => service.printExchangeReceipt(orderId) : null,
  );
  deps.printing.standInForRefundSlip((refundId) => returnIdsOfRefund(db, refundId).length > 0);

  const service = {
    quote,
    create,
    get,
    /** A return written elsewhere (another till's order, src-main/shop/shop-returns.ts) follows its payouts. */
    written(returnId: string): void {
      settle(returnId);
    },
    forOrder(orderId: string): ReturnsOfOrder {
      orderRow(orderId);
      for (const id of pendingReturnIds(db, orderId)) settle(id);
      return {
        lines: sold(orderId).map(
          ({ vatMinor: _v, returnedMinor: _r, returnedVatMinor: _rv, ...l }) => l,
        ),
        returns: returnsOfOrder(db, orderId),
        reversals: reversalsOfOrder(db, orderId),
      };
    },
    /**
     * A return left pending because its card part did not go through (docs/RETURNS.md "Card part
     * owed"): a manager gives what is owed in cash from the drawer instead. The drawer movement,
     * the cash payout, the order's figures and the return's completion are one transaction, with
     * every check (still owed, the order's refundable rule, the drawer) run again inside it.
     */
    settleOwedInCash(input: { returnId: string; note?: string | undefined }): ReturnRecord {
      const owedOf = () => {
        const r = findReturn(db, input.returnId);
        if (!r) throw new TillError('NOT_FOUND', 'That return does not exist.');
        const failed = r.payouts.filter((p) => p.refundId && p.status === 'failed');
        const live = r.payouts.some((p) => p.refundId && p.status !== 'failed');
        if (r.status !== 'pending' || failed.length === 0 || live)
          throw new TillError(
            'ORDER_STATE',
            r.status === 'completed'
              ? 'This return is already settled: nothing is owed on it.'
              : r.status === 'failed'
                ? 'This return failed and gave nothing back: return the items again instead.'
                : 'The card part of this return is still going through: wait for its result.',
          );
        return { r, owed: failed.reduce((a, p) => a + p.amountMinor, 0) };
      };
      const { r, owed } = owedOf();
      if (owed > expectedCash())
        throw refuse(
          `${money(owed)} in cash is more than the ${money(Math.max(0, expectedCash()))} the drawer should hold: pay cash in first. Nothing was written.`,
        );
      const actor = currentActor();
      const who = staffName(db, actor?.staffId ?? null) ?? 'till';
      db.transaction(() => {
        owedOf(); // again: two presses cannot both pay it
        if (owed > expectedCash())
          throw refuse('The drawer no longer holds that much cash. Nothing was written.');
        assertOrderRefundable(db, r.orderId, owed);
        payReturnInCash(db, {
          returnId: r.id,
          orderId: r.orderId,
          amountMinor: owed,
          currency: r.currency,
          reason: `Return, card part owed: ${r.reason}`,
          note: input.note ?? null,
          dayId: deps.cash.day()?.id ?? null,
          actor,
        });
        deps.orders.recordRefunded(r.orderId, owed);
        setReturnStatus(db, r.id, 'completed', null);
        audit(db, who, 'return.owed-paid-in-cash', r.id, {
          orderId: r.orderId,
          amountMinor: owed,
          note: input.note ?? null,
          approvedBy: actor?.approvedBy ?? null,
        });
      })();
      log.info('owed card part paid in cash', { returnId: r.id, amountMinor: owed });
      deps.printing.openDrawer(r.orderId);
      printOnce(r.id);
      announce(r.orderId);
      return get(r.id);
    },
    /** Whether a refund pays a return (its receipt is then the return's, not a refund slip). */
    ownsRefund: (refundId: string): boolean => returnIdsOfRefund(db, refundId).length > 0,
    /** A card attempt ended: pending returns follow their refunds (done or failed). */
    onAttemptFinal(): void {
      for (const id of pendingReturnIds(db)) {
        settle(id);
        const r = findReturn(db, id);
        if (r && r.status !== 'pending') announce(r.orderId);
      }
    },
    /** A refund finished (payments feature): the return it pays, if any, follows. */
    onRefundSettled(refundId: string): void {
      for (const id of returnIdsOfRefund(db, refundId)) {
        settle(id);
        const r = findReturn(db, id);
        if (r) announce(r.orderId);
      }
    },
    /**
     * Any order paid: an exchange's new order prints the exchange receipt, under the same rule as a
     * sale's (the customer's receipt choice); its drawer kick (cash difference) and merchant copy go
     * through printing as for any sale, which leaves its sale receipt out (the stand-in below).
     */
    onOrderPaid(orderId: string): void {
      exchangeOrderPaid(orderId);
    },
    /** The order is the new basket of an exchange: its receipt is the exchange receipt. */
    isExchangeOrder: (orderId: string): boolean => returnOfExchangeOrder(db, orderId) !== null,
    /**
     * The customer chose Print for an exchange's new order: its exchange receipt, once. Null when
     * it was already journalled; refused while the exchange is not finished or with no printer.
     */
    printExchangeReceipt(orderId: string): PrintJob | null {
      const returnId = returnOfExchangeOrder(db, orderId);
      const r = returnId ? findReturn(db, returnId) : null;
      if (!r) throw new TillError('NOT_FOUND', 'That order is not the new basket of an exchange.');
      if (r.receiptJobId) return null;
      if (r.status !== 'completed')
        throw new TillError(
          'ORDER_STATE',
          'This exchange is not finished yet, so it has no receipt to print.',
        );
      const job = printOnce(r.id, true);
      if (!job)
        throw new TillError(
          'PRINTER_CONFIG',
          'No receipt printer is set up, so the receipt cannot be printed: e-mail it (card payments) or choose No receipt.',
        );
      return job;
    },
    receipt(returnId: string): ReceiptPreviewData {
      get(returnId);
      return {
        document: buildReturnReceipt(
          loadReturnReceiptInput(db, returnId, deps.printing.shopInfo(), deps.tillId()),
        ),
        columns: deps.printing.columns(),
      };
    },
    reprint(returnId: string): PrintJob {
      const r = findReturn(db, returnId);
      if (!r) throw new TillError('NOT_FOUND', 'That return does not exist.');
      if (r.receiptJobId) return deps.printing.reprint(r.receiptJobId);
      if (r.status !== 'completed')
        throw new TillError(
          'ORDER_STATE',
          'This return is not finished yet, so it has no receipt to print.',
        );
      const doc = buildReturnReceipt(
        loadReturnReceiptInput(db, returnId, deps.printing.shopInfo(), deps.tillId()),
      );
      const job = deps.printing.printDocument(doc, r.orderId);
      if (!job)
        throw new TillError(
          'PRINTER_CONFIG',
          'No receipt printer is set up. Choose one in Settings.',
        );
      setReceiptJob(db, returnId, job.id);
      return job;
    },
  };
  return service;
}

export type { OrderSummary };
