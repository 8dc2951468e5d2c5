import { randomUUID } from 'node:crypto';
import { formatKg } from '../../src-shared/domain/scale-barcodes';
import { TillError } from '../../src-shared/errors';
import { formatMoney } from '../../src-shared/money';
import type { Order } from '../../src-shared/domain/orders';
import type { PaymentAttempt } from '../../src-shared/domain/payments';
import { isDojoError } from '../dojo/dojo-errors';
import type {
  CreatePaymentIntentRequest,
  DojoTerminalSession,
  ItemLineWire,
  TaxLineWire,
} from '../dojo/dojo-schemas';
import {
  advanceAttempt,
  getAttempt,
  insertAttempt,
  liveAttemptForOrder,
  reusableIntentForOrder,
} from './attempts.repo';
import type { PaymentsContext } from './payments-context';
import { errorText } from '../platform/error-text';
import { createSessionCarefully } from './session-create';
import { ensureTerminalAvailable, refreshTerminalAfterRefusal } from './terminals';

export type StartSaleInput = {
  orderId: string;
  terminalId: string;
  amountMinor?: number | undefined;
  /** A tip chosen at the till (docs/PAYMENTS.md "Tips"); never above the sale. */
  tipMinor?: number | undefined;
};

const payableStatuses = new Set(['open', 'awaiting_card']);

/** The order to charge, read through the orders port; refused unless it can take a card. */
function loadOrder(ctx: PaymentsContext, orderId: string): Order {
  const order = ctx.orders.getOrder(orderId);
  if (!payableStatuses.has(order.status))
    throw new TillError(
      'ORDER_STATE',
      `This order is ${order.status}; it cannot take a card payment.`,
    );
  return order;
}

/** Item and VAT lines for Dojo's receipt, when the payment covers the lines exactly. */
function receiptLines(
  order: Order,
  amountMinor: number,
): Pick<CreatePaymentIntentRequest, 'itemLines' | 'taxLines'> {
  const currencyCode = order.currency;
  const lines = order.lines;
  const sum = lines.reduce((s, l) => s + l.lineTotalMinor, 0);
  if (lines.length === 0 || sum !== amountMinor || lines.length > 100) {
    return {
      itemLines: [
        {
          id: 'part',
          name: `Order ${order.reference} (part payment)`.slice(0, 100),
          quantity: 1,
          amountTotal: { value: amountMinor, currencyCode },
        },
      ],
    };
  }
  const itemLines: ItemLineWire[] = lines.map((l) => {
    const name = (l.weightGrams ? `${l.name} ${formatKg(l.weightGrams)}` : l.name).slice(0, 100);
    const own = l.modifiers ?? [];
    // Dojo's modifiers carry their price per item, not included in the item's amountTotal: the
    // item's amount is the line total less its modifiers at full price. A discount larger than
    // the item itself cannot be shown that way: the line then goes as one amount, names joined.
    const modsFull = own.reduce((a, m) => a + m.priceMinor * l.quantity, 0);
    const base = l.lineTotalMinor - modsFull;
    if (own.length === 0 || base < 0)
      return {
        id: String(l.position),
        name:
          own.length === 0 ? name : `${name} + ${own.map((m) => m.name).join(', ')}`.slice(0, 100),
        quantity: l.quantity,
        amountTotal: { value: l.lineTotalMinor, currencyCode },
      };
    return {
      id: String(l.position),
      name,
      quantity: l.quantity,
      amountTotal: { value: base, currencyCode },
      modifiers: own.map((m, i) => ({
        id: m.modifierId ?? `${l.position}-${i + 1}`,
        name: m.name,
        quantity: 1,
        amountPerModifier: { value: m.priceMinor, currencyCode },
      })),
    };
  });
  // VAT per rate, a modifier with a rate of its own under that rate.
  const vat = new Map<number, number>();
  for (const l of lines) {
    const own = l.modifiers ?? [];
    const modVat = own.reduce((a, m) => a + m.vatMinor, 0);
    vat.set(l.vatRateBp, (vat.get(l.vatRateBp) ?? 0) + l.vatMinor - modVat);
    for (const m of own) vat.set(m.vatRateBp, (vat.get(m.vatRateBp) ?? 0) + m.vatMinor);
  }
  const taxLines: TaxLineWire[] = [...vat.entries()].map(([bp, minor]) => ({
    id: `vat-${bp}`,
    caption: `VAT ${bp / 100}%`,
    amountTotal: { value: minor, currencyCode },
  }));
  return { itemLines, taxLines };
}

/**
 * One live attempt per order, refused before any Dojo call: an attempt still running, or one that
 * cannot be confirmed (it may have taken the money), must be settled first.
 */
function refuseWhileOrderHasAttempt(ctx: PaymentsContext, orderId: string): void {
  const live = liveAttemptForOrder(ctx.db, orderId);
  if (!live) return;
  throw new TillError(
    'ATTEMPT_IN_PROGRESS',
    live.state.kind === 'unconfirmed'
      ? 'A card payment for this order cannot be confirmed yet and may have taken the money. Check it again (or record it by hand) first: "payments to check" in the status bar, or the order\'s detail.'
      : 'A card payment for this order is already in progress.',
  );
}

/** Refuses a sale before anything is written when it cannot be right. */
function checkAmount(order: Order, requested: number | undefined): number {
  const remaining = order.totalMinor - order.paidMinor;
  if (remaining <= 0) throw new TillError('ORDER_STATE', 'This order is already fully paid.');
  const amount = requested ?? remaining;
  if (amount > remaining) {
    throw new TillError(
      'VALIDATION',
      `That is more than the ${formatMoney(remaining, order.currency)} left to pay on this order.`,
    );
  }
  return amount;
}

/** A tip is never below zero (the contract) nor above the sale it goes with. */
function checkTip(order: Order, amountMinor: number, tipMinor: number | undefined): number {
  const tip = tipMinor ?? 0;
  if (tip > amountMinor) {
    const money = (m: number) => formatMoney(m, order.currency);
    throw new TillError(
      'VALIDATION',
      `A tip of ${money(tip)} is more than the sale (${money(amountMinor)}): check the amount. Nothing was charged.`,
    );
  }
  return tip;
}

async function reusableIntent(
  ctx: PaymentsContext,
  orderId: string,
  amountMinor: number,
  tipMinor: number,
): Promise<string | null> {
  const candidate = reusableIntentForOrder(ctx.db, orderId, amountMinor);
  if (!candidate) return null;
  try {
    const intent = await ctx.dojo().getPaymentIntent(candidate, { returnCanceled: true });
    return intent.status === 'Created' &&
      intent.amount?.value === amountMinor &&
      (intent.tipsAmount?.value ?? 0) === tipMinor
      ? candidate
      : null;
  } catch (error) {
    if (isDojoError(error) && error.retryable) throw error;
    return null;
  }
}

/**
 * Starts a card sale: checks, commits the attempt, creates (or reuses) the payment intent, starts
 * a session on the terminal, then polls in the background. Returns once the terminal is asked.
 */
export async function startSale(
  ctx: PaymentsContext,
  input: StartSaleInput,
): Promise<PaymentAttempt> {
  const order = loadOrder(ctx, input.orderId);
  const amountMinor = checkAmount(order, input.amountMinor);
  const tipMinor = checkTip(order, amountMinor, input.tipMinor);
  refuseWhileOrderHasAttempt(ctx, order.id);
  const terminal = await ensureTerminalAvailable(ctx, input.terminalId);
  const reuse = await reusableIntent(ctx, order.id, amountMinor, tipMinor);
  const attempt = insertAttempt(
    ctx.db,
    {
      id: randomUUID(),
      orderId: order.id,
      kind: 'sale',
      amountMinor,
      currency: order.currency,
      terminalId: input.terminalId,
      terminalTid: terminal.properties.tid || null,
      paymentIntentId: reuse,
    },
    {
      source: 'till',
      type: 'attempt-created',
      detail: {
        amountMinor,
        terminalId: input.terminalId,
        terminalTid: terminal.properties.tid || null,
        reusedIntent: reuse,
        ...(tipMinor ? { tipMinor } : {}),
      },
    },
  );
  const paymentIntentId = reuse ?? (await createIntent(ctx, attempt, order, tipMinor));
  return startSaleSession(ctx, attempt.id, paymentIntentId);
}

async function createIntent(
  ctx: PaymentsContext,
  attempt: PaymentAttempt,
  order: Order,
  tipMinor: number,
): Promise<string> {
  const body: CreatePaymentIntentRequest = {
    amount: { value: attempt.amountMinor, currencyCode: order.currency },
    ...(tipMinor > 0 ? { tipsAmount: { value: tipMinor, currencyCode: order.currency } } : {}),
    reference: order.reference.slice(0, 60),
    description: `OpenTill order ${order.reference}`.slice(0, 200),
    captureMode: 'Auto',
    ...receiptLines(order, attempt.amountMinor),
    metadata: { attemptId: attempt.id, orderId: order.id },
  };
  ctx.crash('sale:before-intent-create');
  try {
    const intent = await ctx.dojo().createPaymentIntent(body);
    ctx.crash('sale:after-intent-create');
    advanceAttempt(
      ctx.db,
      attempt.id,
      { type: 'intent-created', paymentIntentId: intent.id, intentStatus: intent.status },
      { paymentIntentId: intent.id },
    );
    return intent.id;
  } catch (error) {
    // No session was ever asked for, so nothing can have been charged: this attempt is over.
    // An intent that was perhaps created is never used; recovery finds it by its metadata.
    advanceAttempt(ctx.db, attempt.id, {
      type: 'intent-create-failed',
      error: errorText(error),
      code: isDojoError(error) ? error.code : 'INTERNAL',
    });
    throw error;
  }
}

/** Creates the sale session (docs/PAYMENTS.md rule 3 inside) and starts polling. */
export async function startSaleSession(
  ctx: PaymentsContext,
  attemptId: string,
  paymentIntentId: string,
): Promise<PaymentAttempt> {
  const attempt = getAttempt(ctx.db, attemptId);
  ctx.crash('sale:before-session-create');
  const result = await createSessionCarefully(
    ctx,
    attempt,
    () => ctx.dojo().createSaleSession(attempt.terminalId, paymentIntentId),
    {
      paymentIntentId,
    },
  );
  return afterSessionCreate(ctx, attemptId, result, 'sale');
}

export function afterSessionCreate(
  ctx: PaymentsContext,
  attemptId: string,
  result: { session: DojoTerminalSession } | { error: unknown; ambiguous: boolean },
  prefix: 'sale' | 'refund',
): PaymentAttempt {
  if ('session' in result) {
    ctx.crash(`${prefix}:after-session-create`);
    const s = result.session;
    const { attempt } = advanceAttempt(
      ctx.db,
      attemptId,
      {
        type: 'session-created',
        session: { id: s.id, status: s.status, expireAt: s.expireAt ?? null },
      },
      { sessionId: s.id },
    );
    // The create's answer is the session as of a moment ago, and no terminal acts within one fast
    // interval (it first has to pick the session up): a read at once learned nothing and was one
    // poll in 21 of a real-speed chip sale (npm run bench, payments).
    ctx.drive(attemptId, ctx.polling.fastMs);
    return attempt;
  }
  const reason = errorText(result.error);
  const attempt = getAttempt(ctx.db, attemptId);
  // The terminal was taken since the till last saw it: Dojo refused, nothing started.
  const refusedBusy = isDojoError(result.error) && result.error.code === 'TERMINAL_BUSY';
  if (refusedBusy) void refreshTerminalAfterRefusal(ctx, attempt.terminalId);
  if (result.ambiguous) {
    advanceAttempt(ctx.db, attemptId, { type: 'session-create-ambiguous', error: reason });
  } else {
    advanceAttempt(ctx.db, attemptId, {
      type: 'session-create-failed',
      error: reason,
      code: isDojoError(result.error) ? result.error.code : 'INTERNAL',
    });
  }
  if (refusedBusy && !result.ambiguous) {
    const tid = attempt.terminalTid ?? attempt.terminalId;
    throw new TillError(
      'TERMINAL_BUSY',
      `Terminal ${tid} is not free any more: Dojo refused to start the ${prefix === 'sale' ? 'payment' : 'refund'} there, so nothing was taken. Wait for it, or choose another terminal.`,
      { retryable: true },
    );
  }
  throw result.error;
}
