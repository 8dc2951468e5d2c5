import { timeOrderedId } from '../platform/time-ordered-id';
import type { Db } from '../db/connection';
import type { Logger } from '../logging/logger';
import type { EventBus } from '../platform/event-bus';
import { TillError } from '../../src-shared/errors';
import { formatMoney, type CurrencyCode } from '../../src-shared/money';
import type { OrderStatus } from '../../src-shared/domain/order-status';
import type {
  Basket,
  BasketLine,
  CashPaymentResult,
  CashSaleResult,
  CreateOrderInput,
  Order,
  OrderDetail,
  OrderListQuery,
  OrderPage,
  OrderSummary,
  ParkInput,
  ResumeResult,
} from '../../src-shared/domain/orders';
import { getProduct, requireVatRate } from './catalogue.repo';
import { resolveScan } from './scan';
import type { ScaleBarcodeRule } from '../../src-shared/domain/scale-barcodes';
import { createCatalogueService } from './catalogue.service';
import {
  priceBasket,
  type LineToPrice,
  type ModifierToPrice,
} from '../../src-shared/domain/pricing';
import { nextReference } from './reference';
import {
  cashDue,
  cashRoundingStep,
  type CashRounding,
} from '../../src-shared/domain/cash-rounding';
import {
  audit,
  countLiveAttempts,
  addRefunded,
  countPaymentsTried,
  insertOrder,
  creditOrder,
  replaceOrderBasket,
  setOrderStatus,
} from './orders.mutations';
import {
  getOrder,
  getOrderDetail,
  getOrderSummary,
  hasCashTender,
  listOrders,
  listOrdersByStatus,
  orderStaffId,
} from './orders.queries';
import { addTender } from './tenders.repo';
import type { CreditedOrder, OrdersPort } from './orders-port';

export type OrdersServiceDeps = {
  db: Db;
  logger: Logger;
  bus: EventBus;
  tillId: () => string;
  currency: () => CurrencyCode;
  /** Called once, after commit, when an order becomes fully paid (printing prints; cash kicks the drawer). */
  onOrderPaid: (orderId: string, info: { cash: boolean }) => void | Promise<void>;
  /** Which 2x prefixes of scale labels carry a weight or a price (the shop's setting). */
  scaleRules?: () => readonly ScaleBarcodeRule[];
  /** The till's cash rounding setting (docs/staff-and-cash.md "Cash rounding"); none when absent. */
  cashRounding?: () => CashRounding;
  /** The one clock of orders: references, order, tender and status-change times (tests fix it). */
  now?: () => Date;
};

export type OrdersService = ReturnType<typeof createOrdersService>;

export function createOrdersService(deps: OrdersServiceDeps) {
  const { db, bus } = deps;
  const log = deps.logger.child('orders');
  const clock = deps.now ?? (() => new Date());

  const changed = (orderId: string, reference: string, status: OrderStatus | 'deleted') =>
    bus.emit('orders:changed', { orderId, reference, status });

  const firePaid = (orderId: string, cash: boolean) => {
    try {
      // A receipt or drawer problem must never undo or fail a payment already committed.
      void Promise.resolve(deps.onOrderPaid(orderId, { cash })).catch((error: unknown) =>
        log.error('onOrderPaid failed', { orderId, error: String(error) }),
      );
    } catch (error) {
      log.error('onOrderPaid failed', { orderId, error: String(error) });
    }
  };

  const mustGet = (orderId: string): Order => {
    const order = getOrder(db, orderId);
    if (!order) throw new TillError('NOT_FOUND', 'That order does not exist.');
    return order;
  };

  /** Catalogue prices, never the renderer's: an unknown or switched-off product is refused. */
  const resolveLine = (line: BasketLine, eatIn: boolean): LineToPrice => {
    if (line.kind === 'custom') {
      requireVatRate(db, line.vatRateBp, line.name);
      return {
        productId: null,
        name: line.name,
        unitPriceMinor: line.unitPriceMinor,
        vatRateBp: line.vatRateBp,
        quantity: line.quantity,
        discount: line.discount,
      };
    }
    const product = getProduct(db, line.productId);
    if (!product)
      throw new TillError(
        'NOT_FOUND',
        'A product in the basket is no longer in the catalogue. Remove it and add it again.',
      );
    if (!product.active)
      throw new TillError(
        'VALIDATION',
        `${product.name} is switched off in the catalogue and cannot be sold.`,
      );
    const vatRateBp =
      eatIn && product.eatInVatRateBp !== null ? product.eatInVatRateBp : product.vatRateBp;
    let name = product.name;
    let unitPriceMinor = product.priceMinor;
    let variant: { id: string; name: string } | null = null;
    if (product.variants.length > 0) {
      const v = product.variants.find((x) => x.id === line.variantId);
      if (!v)
        throw new TillError(
          'VALIDATION',
          `${product.name} comes in ${product.variants.map((x) => x.name).join(', ')}: choose one.`,
        );
      variant = v;
      name = `${product.name} (${v.name})`;
      unitPriceMinor = v.priceMinor;
    } else if (line.variantId) {
      throw new TillError('VALIDATION', `${product.name} has no variants any more: add it again.`);
    }
    let weight: { grams: number; perKg: number } | null = null;
    if (product.soldBy === 'weight' || line.scaleBarcode) {
      if (!line.scaleBarcode)
        throw new TillError(
          'VALIDATION',
          `${product.name} is sold by weight: scan the label printed by the scale.`,
        );
      const scan = resolveScan(db, line.scaleBarcode, deps.scaleRules?.() ?? []);
      if (scan.product.id !== product.id || !scan.scale)
        throw new TillError(
          'VALIDATION',
          `The scale label ${line.scaleBarcode} is not for ${product.name}.`,
        );
      unitPriceMinor = scan.scale.priceMinor;
      if (scan.scale.kind === 'weight')
        weight = { grams: scan.scale.grams, perKg: scan.scale.pricePerKgMinor };
    }
    const chosen = line.modifierIds ?? [];
    if (new Set(chosen).size !== chosen.length)
      throw new TillError('VALIDATION', `${name}: a choice is listed twice.`);
    const modifiers: ModifierToPrice[] = [];
    for (const group of product.modifierGroups) {
      const picked = group.modifiers.filter((m) => chosen.includes(m.id));
      if (picked.length < group.minChoices)
        throw new TillError(
          'VALIDATION',
          group.minChoices === 1
            ? `${name} needs a choice of ${group.name}.`
            : `${name} needs at least ${group.minChoices} choices of ${group.name}.`,
        );
      if (picked.length > group.maxChoices)
        throw new TillError(
          'VALIDATION',
          `${name}: at most ${group.maxChoices} ${group.maxChoices === 1 ? 'choice' : 'choices'} of ${group.name}.`,
        );
      for (const m of picked)
        modifiers.push({
          modifierId: m.id,
          groupName: group.name,
          name: m.name,
          priceMinor: m.priceMinor,
          vatRateBp: m.vatRateBp ?? vatRateBp,
        });
    }
    if (modifiers.length !== chosen.length)
      throw new TillError(
        'VALIDATION',
        `A choice on ${name} is no longer offered with it: open the line's options and choose again.`,
      );
    return {
      productId: product.id,
      name,
      unitPriceMinor,
      vatRateBp,
      quantity: line.quantity,
      discount: line.discount,
      modifiers,
      variantId: variant?.id ?? null,
      variantName: variant?.name ?? null,
      weightGrams: weight?.grams ?? null,
      pricePerKgMinor: weight?.perKg ?? null,
      scaleBarcode: line.scaleBarcode ?? null,
    };
  };

  /**
   * The order a basket already is, when it can take the basket's new lines: unpaid, not voided,
   * nothing tried on it yet. Otherwise null, and the basket becomes a new order (an old one that
   * had a card attempt is voided with its reason, so the history says what happened).
   */
  const reusable = (
    orderId: string | undefined,
    now: string,
    afterCommit: (() => void)[],
  ): Order | null => {
    if (!orderId) return null;
    const o = getOrder(db, orderId);
    if (!o || (o.status !== 'open' && o.status !== 'parked')) return null;
    if (countPaymentsTried(db, o.id) === 0) return o;
    if (o.paidMinor === 0 && countLiveAttempts(db, o.id) === 0) {
      setOrderStatus(db, o.id, 'voided', now);
      audit(
        db,
        'order.void',
        o.id,
        { reference: o.reference, reason: 'Basket changed after a card attempt' },
        now,
      );
      // Said once the void is committed: a transaction that rolls back voided nothing.
      afterCommit.push(() => changed(o.id, o.reference, 'voided'));
    }
    return null;
  };

  /**
   * Prices a basket and writes it as an order with its lines, inside the caller's transaction.
   * With `orderId` (the basket's own order), that order takes the new lines and keeps its
   * reference. A zero total with `status` open is paid at once (nothing to take). Events wait in
   * `afterCommit` for the caller to send once its transaction has committed.
   */
  const writeBasket = (
    basket: Basket,
    status: 'open' | 'parked' | 'awaiting_card',
    orderId: string | undefined,
    at: Date,
    afterCommit: (() => void)[],
  ): { id: string; reference: string; status: OrderStatus; totalMinor: number } => {
    const currency = deps.currency();
    const now = at.toISOString();
    const eatIn = basket.eatIn === true;
    const priced = priceBasket(
      basket.lines.map((l) => resolveLine(l, eatIn)),
      basket.discount,
      currency,
    );
    const settled: OrderStatus = priced.totalMinor === 0 && status === 'open' ? 'paid' : status;
    const own = reusable(orderId, now, afterCommit);
    if (own) {
      replaceOrderBasket(db, {
        id: own.id,
        status: settled,
        note: basket.note ?? null,
        basketDiscount: basket.discount ?? null,
        eatIn,
        priced,
        now,
      });
      return {
        id: own.id,
        reference: own.reference,
        status: settled,
        totalMinor: priced.totalMinor,
      };
    }
    const id = timeOrderedId();
    const reference = nextReference(db, deps.tillId(), at);
    insertOrder(db, {
      id,
      reference,
      status: settled,
      currency,
      tillId: deps.tillId(),
      note: basket.note ?? null,
      basketDiscount: basket.discount ?? null,
      eatIn,
      priced,
      now,
    });
    return { id, reference, status: settled, totalMinor: priced.totalMinor };
  };

  /**
   * Prices and commits a basket in one transaction: order, lines, reference. With `orderId` (the
   * basket's own order), that order takes the new lines and keeps its reference.
   */
  const commitBasket = (
    basket: Basket,
    status: 'open' | 'parked' | 'awaiting_card',
    orderId?: string,
  ): Order => {
    const afterCommit: (() => void)[] = [];
    const at = clock();
    const written = db.transaction(() => writeBasket(basket, status, orderId, at, afterCommit))();
    for (const say of afterCommit) say();
    log.info('order committed', {
      orderId: written.id,
      reference: written.reference,
      status: written.status,
    });
    changed(written.id, written.reference, written.status);
    if (written.status === 'paid') firePaid(written.id, false);
    return mustGet(written.id);
  };

  const basketOf = (order: Order): Basket => ({
    lines: order.lines.map((l): BasketLine => {
      const discount = l.lineDiscount ?? undefined;
      const mods = (l.modifiers ?? []).flatMap((m) => (m.modifierId ? [m.modifierId] : []));
      return l.productId
        ? {
            kind: 'product',
            productId: l.productId,
            quantity: l.quantity,
            ...(l.variantId ? { variantId: l.variantId } : {}),
            ...(mods.length > 0 ? { modifierIds: mods } : {}),
            ...(l.scaleBarcode ? { scaleBarcode: l.scaleBarcode } : {}),
            ...(discount ? { discount } : {}),
          }
        : {
            kind: 'custom',
            name: l.name,
            unitPriceMinor: l.unitPriceMinor,
            vatRateBp: l.vatRateBp,
            quantity: l.quantity,
            ...(discount ? { discount } : {}),
          };
    }),
    ...(order.basketDiscount ? { discount: order.basketDiscount } : {}),
    ...(order.eatIn ? { eatIn: true } : {}),
    ...(order.note ? { note: order.note } : {}),
  });

  /**
   * `addTender` plus what follows a payment: the change event, and the paid hook exactly once
   * (not on a repeated card tender). Every tender, cash or card, goes through here (OrdersPort).
   */
  const applyTender: OrdersPort['applyTender'] = (tender, inTransaction) => {
    const applied = db.transaction(() => {
      const a = addTender(db, tender, clock());
      inTransaction?.(a);
      return a;
    })();
    if (applied.alreadyRecorded) return applied;
    const order = getOrderSummary(db, tender.orderId);
    if (order) changed(order.id, order.reference, order.status);
    if (applied.orderCompleted) {
      log.info('order paid', { orderId: tender.orderId, kind: tender.kind });
      firePaid(tender.orderId, hasCashTender(db, tender.orderId));
    }
    return applied;
  };

  return {
    /** Catalogue CRUD, CSV import and barcode lookup. */
    catalogue: createCatalogueService({
      db,
      logger: deps.logger,
      bus,
      scaleRules: () => deps.scaleRules?.() ?? [],
      currency: deps.currency,
    }),
    createOrder: ({ orderId, ...basket }: CreateOrderInput): Order =>
      commitBasket(basket, 'open', orderId),

    park(input: ParkInput): OrderSummary {
      const target = input.awaitingCard ? 'awaiting_card' : 'parked';
      if ('basket' in input) return commitBasket(input.basket, target, input.orderId);
      const now = clock().toISOString();
      const order = db.transaction(() => {
        const o = mustGet(input.orderId);
        if (o.status !== 'open' && o.status !== 'parked' && o.status !== 'awaiting_card') {
          throw new TillError(
            'ORDER_STATE',
            `Order ${o.reference} is ${o.status} and cannot be parked.`,
          );
        }
        if (target === 'parked' && o.paidMinor > 0) {
          throw new TillError(
            'ORDER_STATE',
            `Order ${o.reference} is part paid: finish taking payment, or park it as awaiting card.`,
          );
        }
        if (countLiveAttempts(db, o.id) > 0) {
          throw new TillError(
            'ATTEMPT_IN_PROGRESS',
            'A card payment is still in progress on this order; wait for it to finish.',
          );
        }
        setOrderStatus(db, o.id, target, now);
        audit(db, 'order.park', o.id, { status: target }, now);
        return o;
      })();
      changed(order.id, order.reference, target);
      return getOrderSummary(db, order.id) as OrderSummary;
    },

    listParked: (): OrderSummary[] => listOrdersByStatus(db, 'parked'),
    listAwaitingCard: (): OrderSummary[] => listOrdersByStatus(db, 'awaiting_card'),

    resume(orderId: string): ResumeResult {
      const now = clock().toISOString();
      const result = db.transaction((): ResumeResult => {
        const order = mustGet(orderId);
        if (order.status === 'awaiting_card') {
          return { kind: 'order', order };
        }
        if (order.status !== 'parked')
          throw new TillError(
            'ORDER_STATE',
            `Order ${order.reference} is ${order.status}, not parked.`,
          );
        const basket = basketOf(order);
        // The basket goes back to the screen and stays this order (open again, same reference):
        // checkout or parking it again updates this order, so no reference goes missing.
        setOrderStatus(db, order.id, 'open', now);
        audit(db, 'order.resume', order.id, { reference: order.reference }, now);
        return {
          kind: 'basket',
          basket,
          lines: order.lines,
          fromReference: order.reference,
          orderId: order.id,
        };
      })();
      if (result.kind === 'basket') changed(orderId, result.fromReference, 'open');
      return result;
    },

    void(orderId: string, reason?: string): OrderSummary {
      const now = clock().toISOString();
      const order = db.transaction(() => {
        const o = mustGet(orderId);
        if (o.status === 'voided')
          throw new TillError('ORDER_STATE', `Order ${o.reference} is already voided.`);
        if (o.status === 'paid' || o.paidMinor > 0) {
          throw new TillError(
            'ORDER_STATE',
            `Order ${o.reference} has payments (${formatMoney(o.paidMinor, o.currency)}): refund it instead of voiding.`,
          );
        }
        if (countLiveAttempts(db, o.id) > 0) {
          throw new TillError(
            'ATTEMPT_IN_PROGRESS',
            'A card payment is still in progress on this order; wait for it to finish.',
          );
        }
        setOrderStatus(db, o.id, 'voided', now);
        audit(db, 'order.void', o.id, { reference: o.reference, reason: reason ?? null }, now);
        return o;
      })();
      log.info('order voided', { orderId, reference: order.reference });
      changed(order.id, order.reference, 'voided');
      return getOrderSummary(db, orderId) as OrderSummary;
    },

    payCash(input: {
      orderId: string;
      amountMinor: number;
      tenderedMinor: number;
    }): CashPaymentResult {
      // Short cash is refused by addTender, against the amount due after cash rounding.
      // A card payment still running or not confirmed may have taken the money: taking cash now
      // could charge the customer twice. Finish that first (Check again, or a manager's record).
      if (countLiveAttempts(db, input.orderId) > 0) {
        throw new TillError(
          'ATTEMPT_IN_PROGRESS',
          'A card payment on this order is still running or could not be confirmed. Finish it first (Check again), then take cash for what is left.',
        );
      }
      const before = getOrderSummary(db, input.orderId);
      if (
        before &&
        before.status !== 'paid' &&
        before.status !== 'voided' &&
        input.amountMinor > before.remainingMinor
      ) {
        throw new TillError(
          'VALIDATION',
          `Only ${formatMoney(before.remainingMinor, before.currency)} is left to pay; put the rest down as change.`,
        );
      }
      const applied = applyTender({
        orderId: input.orderId,
        kind: 'cash',
        amountMinor: input.amountMinor,
        tenderedMinor: input.tenderedMinor,
        cashRounding: deps.cashRounding?.() ?? 'none',
      });
      return {
        tenderId: applied.tenderId,
        changeMinor: applied.changeMinor,
        roundingMinor: applied.roundingMinor,
        remainingMinor: applied.remainingMinor,
        orderCompleted: applied.orderCompleted,
        order: getOrderSummary(db, input.orderId) as OrderSummary,
      };
    },

    /**
     * A cash sale in one step: the basket priced as `createOrder` prices it (the basket's own
     * order, `orderId`, takes the lines and keeps its reference) and a cash tender for the whole
     * amount due (after cash rounding, as `payCash` takes it), committed in ONE transaction, so one
     * durable write. Cash short of the amount due is refused and nothing is written, no order
     * either. A zero total is paid at once with no tender (createOrder's rule). After the commit:
     * `orders:changed` and the order-paid hook (receipt, drawer kick), exactly as the two steps.
     */
    sellCash(input: { basket: Basket; tenderedMinor: number; orderId?: string }): CashSaleResult {
      const at = clock();
      const rounding = deps.cashRounding?.() ?? 'none';
      const afterCommit: (() => void)[] = [];
      const sale = db.transaction(() => {
        const order = writeBasket(input.basket, 'open', input.orderId, at, afterCommit);
        if (order.status === 'paid') return { order, tender: null };
        const currency = deps.currency();
        const { dueMinor } = cashDue(
          order.totalMinor,
          order.totalMinor,
          cashRoundingStep(currency, rounding),
        );
        if (input.tenderedMinor < dueMinor) {
          // Thrown inside the transaction: the order written above goes with it.
          const money = (m: number) => formatMoney(m, currency);
          throw new TillError(
            'VALIDATION',
            `Cash handed over (${money(input.tenderedMinor)}) is less than the ${money(dueMinor)} to pay; nothing was sold.`,
          );
        }
        const tender = addTender(
          db,
          {
            orderId: order.id,
            kind: 'cash',
            amountMinor: order.totalMinor,
            tenderedMinor: input.tenderedMinor,
            cashRounding: rounding,
          },
          at,
        );
        return { order, tender };
      })();
      for (const say of afterCommit) say();
      const { order, tender } = sale;
      log.info('cash sale committed', { orderId: order.id, reference: order.reference });
      changed(order.id, order.reference, 'paid');
      // A zero total took no cash: no drawer kick, as when createOrder settles it.
      firePaid(order.id, tender !== null);
      const paid = mustGet(order.id);
      return {
        tenderId: tender?.tenderId ?? null,
        changeMinor: tender?.changeMinor ?? input.tenderedMinor,
        roundingMinor: tender?.roundingMinor ?? 0,
        remainingMinor: 0,
        orderCompleted: true,
        order: paid,
      };
    },

    applyTender,
    hadCash: (orderId: string): boolean => hasCashTender(db, orderId),
    findSummary: (orderId: string): OrderSummary | null => getOrderSummary(db, orderId),
    recordRefunded: (orderId: string, amountMinor: number): void =>
      addRefunded(db, orderId, amountMinor, clock().toISOString()),
    announceChange(orderId: string): void {
      const order = getOrderSummary(db, orderId);
      if (order) changed(order.id, order.reference, order.status);
    },
    lineForSale: resolveLine,
    openCreditedOrder(o: CreditedOrder): { reference: string; paid: boolean } {
      const now = o.at.toISOString();
      const reference = nextReference(db, deps.tillId(), o.at);
      insertOrder(db, {
        id: o.id,
        reference,
        status: 'open',
        currency: o.currency,
        tillId: deps.tillId(),
        note: o.note,
        basketDiscount: o.basketDiscount,
        priced: o.priced,
        now,
      });
      const paid = o.creditMinor >= o.priced.totalMinor;
      if (o.creditMinor > 0 || paid) creditOrder(db, o.id, o.creditMinor, paid, now);
      return { reference, paid };
    },

    getOrder: (orderId: string): Order => mustGet(orderId),
    getDetail(orderId: string): OrderDetail {
      const detail = getOrderDetail(db, orderId);
      if (!detail) throw new TillError('NOT_FOUND', 'That order does not exist.');
      return detail;
    },
    list: (query?: OrderListQuery): OrderPage => listOrders(db, query),
    /** Who committed the order (null when nobody was signed in, or no such order). */
    staffOf: (orderId: string): string | null => orderStaffId(db, orderId),
  };
}
