import type { ParsedInputOf } from '../../src-shared/contract';
import type { Settings } from '../../src-shared/contract/settings.contract';
import type { PrinterStatus, PrintJob } from '../../src-shared/contract/printing.contract';
import type {
  ReceiptChoice,
  ReceiptChoiceResult,
  ReceiptOptions,
} from '../../src-shared/domain/tenders';
import { TillError } from '../../src-shared/errors';
import { formatMoney, type CurrencyCode } from '../../src-shared/money';
import type { Db } from '../db/connection';
import type { DojoClient } from '../dojo/dojo-client';
import { isDojoError } from '../dojo/dojo-errors';
import type { Logger } from '../logging/logger';

export type ReceiptChoiceDeps = {
  db: Db;
  logger: Logger;
  dojo: () => DojoClient;
  getSettings: () => Settings;
  printing: {
    status(): PrinterStatus;
    printCustomerReceipt(orderId: string): PrintJob | null;
    withdrawCustomerReceipt(orderId: string): number;
    jobsForOrder(orderId: string): PrintJob[];
  };
};

export type ReceiptChoiceService = ReturnType<typeof createReceiptChoiceService>;

type OrderRow = { id: string; status: string; currency: string; reference: string };
type CardRow = { pi: string; amount: number };
type ChoiceRow = { choice: ReceiptChoice; email_masked: string | null };

/** "gabriel@dojo.com" → "g***@dojo.com": the address went to Dojo; the till keeps no more than this. */
export const maskEmail = (email: string): string => {
  const [user = '', domain = ''] = email.split('@');
  return `${user.slice(0, 1)}***@${domain}`;
};

/**
 * The customer's receipt choice after payment (docs/PAYMENTS.md "Receipt choice"): print, e-mail
 * (Dojo's `POST /payment-intents/{id}/receipt`, card payments only), or none, with a per-till
 * default that applies until someone chooses.
 */
export function createReceiptChoiceService(deps: ReceiptChoiceDeps) {
  const { db } = deps;
  const log = deps.logger.child('receipts');

  const chosen = (orderId: string): ChoiceRow | undefined =>
    db
      .prepare<[string], ChoiceRow>(
        'SELECT choice, email_masked FROM receipt_choices WHERE order_id = ?',
      )
      .get(orderId);

  const paidOrder = (orderId: string): OrderRow => {
    const order = db
      .prepare<[string], OrderRow>(
        'SELECT id, status, currency, reference FROM orders WHERE id = ?',
      )
      .get(orderId);
    if (!order) throw new TillError('NOT_FOUND', 'That order does not exist.');
    if (order.status !== 'paid')
      throw new TillError(
        'ORDER_STATE',
        `Order ${order.reference} is not paid, so there is no receipt to give yet.`,
      );
    return order;
  };

  /** The order's card payments Dojo took through the till: the only ones Dojo can e-mail. */
  const cardPayments = (orderId: string): CardRow[] =>
    db
      .prepare<[string], CardRow>(
        `SELECT a.payment_intent_id AS pi, sum(t.amount_minor) AS amount
         FROM tenders t JOIN payment_attempts a ON a.id = t.attempt_id
         WHERE t.order_id = ? AND t.kind = 'card' AND a.payment_intent_id IS NOT NULL
         GROUP BY a.payment_intent_id ORDER BY min(t.created_at)`,
      )
      .all(orderId);

  const otherTenders = (orderId: string): number =>
    db
      .prepare<[string], { n: number }>(
        "SELECT count(*) AS n FROM tenders WHERE order_id = ? AND (kind <> 'card' OR attempt_id IS NULL)",
      )
      .get(orderId)?.n ?? 0;

  const emailProblem = (orderId: string): string | null => {
    if (cardPayments(orderId).length > 0) return null;
    return 'Cash and voucher sales cannot be e-mailed: Dojo e-mails receipts only for card payments it took through the till. Print it, or no receipt.';
  };

  const options = (orderId: string): ReceiptOptions => {
    paidOrder(orderId);
    const row = chosen(orderId);
    const printer = deps.printing.status();
    const usable = printer.state === 'ready' || printer.state === 'unknown';
    const job = deps.printing
      .jobsForOrder(orderId)
      .find((j) => j.kind === 'customer' && j.reprintOf === null);
    const problem = emailProblem(orderId);
    const defaultChoice = deps.getSettings().receiptDefault;
    return {
      orderId,
      defaultChoice,
      choice: row?.choice ?? defaultChoice,
      chosen: row !== undefined,
      printer: {
        usable,
        reason: usable
          ? null
          : printer.state === 'none'
            ? 'No receipt printer is set up.'
            : `The printer is not working: ${printer.reason ?? 'it does not answer'}.`,
      },
      printStatus: job?.status ?? null,
      email: { possible: problem === null, reason: problem, sentTo: row?.email_masked ?? null },
    };
  };

  const record = (orderId: string, choice: ReceiptChoice, emailMasked: string | null) =>
    db
      .prepare(
        `INSERT INTO receipt_choices (order_id, choice, email_masked, decided_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (order_id) DO UPDATE SET choice = excluded.choice,
           email_masked = coalesce(excluded.email_masked, receipt_choices.email_masked),
           decided_at = excluded.decided_at`,
      )
      .run(orderId, choice, emailMasked, new Date().toISOString());

  return {
    /** Whether the order's customer receipt should print (used by printing at completion). */
    wantsPrinted(orderId: string): boolean {
      const row = chosen(orderId);
      return (row?.choice ?? deps.getSettings().receiptDefault) === 'print';
    },

    options,

    async choose(input: ParsedInputOf<'receipts:choose'>): Promise<ReceiptChoiceResult> {
      const order = paidOrder(input.orderId);
      const money = (m: number) => formatMoney(m, order.currency as CurrencyCode);
      if (input.choice === 'print') {
        const before = options(order.id);
        const job = deps.printing.printCustomerReceipt(order.id);
        record(order.id, 'print', null);
        const message = !before.printer.usable
          ? `${before.printer.reason ?? 'The printer is not working.'} The receipt waits and prints when the printer is back; you can e-mail it or choose No receipt instead.`
          : job
            ? 'Printing the receipt.'
            : 'The receipt is already printing (or printed).';
        return { message, options: options(order.id) };
      }
      if (input.choice === 'none') {
        const withdrawn = db.transaction(() => {
          const n = deps.printing.withdrawCustomerReceipt(order.id);
          record(order.id, 'none', null);
          return n;
        })();
        const still = options(order.id).printStatus;
        const message =
          still === 'printing' || still === 'printed'
            ? 'No receipt: noted, but the receipt had already gone to the printer.'
            : withdrawn > 0
              ? 'No receipt: the waiting receipt was taken off the printer queue.'
              : 'No receipt.';
        return { message, options: options(order.id) };
      }
      // E-mail: Dojo sends its own receipt of each card payment to the address.
      const email = input.email ?? '';
      const problem = emailProblem(order.id);
      if (problem) throw new TillError('VALIDATION', problem);
      const cards = cardPayments(order.id);
      for (const card of cards) {
        try {
          await deps.dojo().sendEmailReceipt(card.pi, [email]);
        } catch (error) {
          log.warn('e-mail receipt refused', {
            orderId: order.id,
            code: isDojoError(error) ? error.code : 'INTERNAL',
          });
          throw new TillError(
            isDojoError(error) && error.retryable ? 'DOJO_UNREACHABLE' : 'VALIDATION',
            `Dojo could not send the e-mail receipt (${error instanceof Error ? error.message : String(error)}). Print it instead, or try again.`,
            { retryable: isDojoError(error) && error.retryable },
          );
        }
      }
      db.transaction(() => {
        deps.printing.withdrawCustomerReceipt(order.id);
        record(order.id, 'email', maskEmail(email));
      })();
      const total = cards.reduce((s, c) => s + c.amount, 0);
      const partial =
        otherTenders(order.id) > 0
          ? ' The cash or voucher part of the payment is not on it: print the till receipt if the customer needs the whole sale.'
          : '';
      log.info('e-mail receipt requested', { orderId: order.id, payments: cards.length });
      return {
        message: `Dojo will e-mail its receipt of the card payment (${money(total)}) to ${maskEmail(email)}: shop, amount, the masked card and the items and VAT the till sent with the payment.${partial}`,
        options: options(order.id),
      };
    },
  };
}
