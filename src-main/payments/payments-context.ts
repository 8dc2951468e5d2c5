import type { CurrencyCode } from '../../src-shared/money';
import type { MaskedCard, PaymentAttempt } from '../../src-shared/domain/payments';
import type { EventBus } from '../platform/event-bus';
import type { Db } from '../db/connection';
import type { DojoClient } from '../dojo/dojo-client';
import type { DojoPaymentDetails } from '../dojo/dojo-schemas';
import type { Logger } from '../logging/logger';
import type { OrdersPort } from '../orders/orders-port';
import type { CrashStep } from './crash-points';
import type { PollingOptions } from './payment-poller';
import type { TerminalCache } from './terminals';
import { errorText } from '../platform/error-text';

/** Everything the payment flows share. Built once by `createPaymentsService`. */
export type DefaultTerminalStore = { get(): string | null; set(terminalId: string): void };

export type PaymentsContext = {
  db: Db;
  log: Logger;
  bus: EventBus;
  dojo: () => DojoClient;
  currency: () => CurrencyCode;
  /** The orders feature: payments reads orders and applies card tenders only through it. */
  orders: OrdersPort;
  onRefundCompleted: (refundId: string) => void | Promise<void>;
  polling: PollingOptions;
  /** The till's default terminal, owned by the settings (read and written only through here). */
  defaultTerminal: DefaultTerminalStore;
  crash: (step: CrashStep) => void;
  /** What Dojo last said about each terminal, and when (kept fresh in the background). */
  terminalCache: TerminalCache;
  /** How old an `Available` in the cache may be for a sale to skip its own terminal read. */
  terminalFreshMs: number;
  /**
   * Starts (or restarts) polling the attempt's session until it is final or unconfirmed; the first
   * read after `firstPollAfterMs` (at once by default: after a restart or an error nobody knows
   * where the session is).
   */
  drive: (attemptId: string, firstPollAfterMs?: number) => void;
};

export function emitProgress(
  ctx: PaymentsContext,
  attempt: PaymentAttempt,
  seen?: { prompt: string | null; newPrompts: string[] },
  link?: { lost: boolean },
): void {
  const statePrompt =
    attempt.state.kind === 'in_progress' || attempt.state.kind === 'cancel_requested'
      ? attempt.state.prompt
      : null;
  const prompt = seen ? seen.prompt : statePrompt;
  ctx.bus.emit('payments:progress', {
    attemptId: attempt.id,
    orderId: attempt.orderId,
    kind: attempt.kind,
    amountMinor: attempt.amountMinor,
    state: attempt.state,
    prompt,
    newPrompts: seen?.newPrompts ?? [],
    isFinal: attempt.isFinal,
    card: attempt.card,
    ...(link ? { linkLost: link.lost } : {}),
  });
}

/** Hooks belong to other features: their failure is logged, never undoes a payment. */
export async function runHook(
  ctx: PaymentsContext,
  name: string,
  fn: () => void | Promise<void>,
): Promise<void> {
  try {
    await fn();
  } catch (error) {
    ctx.log.error(`${name} hook failed`, {
      error: errorText(error),
    });
  }
}

const FULL_PAN = /\d{12,19}/;

/** Dojo sends masked numbers; if a full one ever arrived, keep only the last four digits. */
export function maskedCard(details: DojoPaymentDetails | null | undefined): MaskedCard | null {
  if (!details) return null;
  const card = details.card ?? null;
  const raw = card?.cardNumber ?? null;
  const digits = raw?.replace(/\D/g, '') ?? '';
  const last4 = card?.last4PAN ?? (digits.length >= 4 ? digits.slice(-4) : null);
  const cardNumber =
    raw && FULL_PAN.test(raw.replace(/[\s-]/g, '')) ? `************${digits.slice(-4)}` : raw;
  return {
    cardNumber,
    last4,
    cardType: card?.cardType ?? null,
    entryMode: card?.entryMode ?? null,
    verificationMethod: card?.verificationMethod ?? null,
    expiryDate: card?.expiryDate ?? null,
    authCode: details.authCode ?? null,
    transactionId: details.transactionId ?? null,
  };
}
