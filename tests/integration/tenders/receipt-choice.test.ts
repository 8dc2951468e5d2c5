import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { PrintJob } from '../../../src-shared/contract/printing.contract';
import type { PaymentAttempt } from '../../../src-shared/domain/payments';
import type { ReceiptChoiceResult, ReceiptOptions } from '../../../src-shared/domain/tenders';
import { T1, till, until, type Till } from './fixture';

let t: Till;
afterEach(async () => {
  await t.close();
});

/** A loopback port nothing listens on: a printer that is off. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const jobs = (orderId: string) => t.ok<PrintJob[]>('printing:jobs', { orderId });
const kinds = async (orderId: string) => (await jobs(orderId)).map((j) => j.kind).sort();

async function cashSale(pence: number): Promise<string> {
  const orderId = await t.order(pence);
  await t.ok('orders:pay-cash', {
    orderId,
    amountMinor: pence,
    tenderedMinor: pence,
    idempotencyKey: randomUUID(),
  });
  return orderId;
}

describe('receipt choice after payment', () => {
  it('printer down: the choice says so, and No receipt takes the waiting receipt off the journal', async () => {
    t = await till();
    await t.ok('settings:update', { printer: `tcp://127.0.0.1:${await deadPort()}` });
    const orderId = await cashSale(700);
    expect(await kinds(orderId)).toEqual(['customer', 'drawer']);
    const opts = await until(
      () => t.ok<ReceiptOptions>('receipts:options', { orderId }),
      (o) => !o.printer.usable,
    );
    expect(opts).toMatchObject({
      defaultChoice: 'print',
      choice: 'print',
      chosen: false,
      printStatus: 'pending',
      email: { possible: false },
    });
    expect(opts.printer.reason).toMatch(/^The printer is not working: /);
    expect(opts.email.reason).toMatch(/^Cash and voucher sales cannot be e-mailed/);

    const none = await t.ok<ReceiptChoiceResult>('receipts:choose', { orderId, choice: 'none' });
    expect(none.message).toBe('No receipt: the waiting receipt was taken off the printer queue.');
    expect(none.options).toMatchObject({ choice: 'none', chosen: true, printStatus: null });
    // The drawer still opens for the cash; no customer receipt is kept.
    expect(await kinds(orderId)).toEqual(['drawer']);

    // Print after all: it waits for the printer, and the message says so.
    const print = await t.ok<ReceiptChoiceResult>('receipts:choose', { orderId, choice: 'print' });
    expect(print.message).toMatch(
      /^The printer is not working: .* The receipt waits and prints when the printer is back; you can e-mail it or choose No receipt instead\.$/,
    );
    expect(await kinds(orderId)).toEqual(['customer', 'drawer']);
  });

  it('till default No receipt: nothing for the customer is journalled, but a signed card payment still prints the merchant copy', async () => {
    t = await till();
    await t.ok('settings:update', {
      // A file in the till's receipts folder (a printer set on screen may write only there).
      printer: 'file:receipt-choice.bin',
      receiptDefault: 'none',
    });
    const plain = await cashSale(300);
    expect(await kinds(plain)).toEqual(['drawer']);

    t.sim.forceScenario('signature', T1);
    const orderId = await t.order(1800);
    const started = await t.ok<PaymentAttempt>('payments:start-sale', {
      orderId,
      terminalId: T1,
      idempotencyKey: randomUUID(),
    });
    await until(
      () => t.ok<PaymentAttempt>('payments:get', { attemptId: started.id }),
      (a) => a.state.kind === 'signature_required',
    );
    await t.ok('payments:signature', { attemptId: started.id, accepted: true });
    await until(
      () => t.ok<PaymentAttempt>('payments:get', { attemptId: started.id }),
      (a) => a.state.kind === 'succeeded',
    );
    await until(
      () => kinds(orderId),
      (k) => k.length > 0,
    );
    expect(await kinds(orderId)).toEqual(['merchant']);
    const opts = await t.ok<ReceiptOptions>('receipts:options', { orderId });
    expect(opts).toMatchObject({ defaultChoice: 'none', choice: 'none', chosen: false });
    expect(opts.email).toEqual({ possible: true, reason: null, sentTo: null });

    // The customer changes their mind: Print journals the customer receipt once.
    await t.ok('receipts:choose', { orderId, choice: 'print' });
    await t.ok('receipts:choose', { orderId, choice: 'print' });
    expect(await kinds(orderId)).toEqual(['customer', 'merchant']);
  });

  it('Email: Dojo is asked to send its card receipt; the till keeps only a masked address', async () => {
    t = await till();
    await t.ok('settings:update', { receiptDefault: 'email' });
    const orderId = await t.order(1250);
    const paid = await t.cardSale(orderId);
    expect(paid.state.kind).toBe('succeeded');
    const result = await t.ok<ReceiptChoiceResult>('receipts:choose', {
      orderId,
      choice: 'email',
      email: ' gabriel@example.com ',
    });
    expect(result.message).toBe(
      'Dojo will e-mail its receipt of the card payment (£12.50) to g***@example.com: shop, amount, the masked card and the items and VAT the till sent with the payment.',
    );
    expect(result.options).toMatchObject({
      choice: 'email',
      chosen: true,
      email: { sentTo: 'g***@example.com' },
    });
    const sent = t.sim.records().requests.filter((r) => r.path.endsWith('/receipt'));
    expect(sent.map((r) => [r.method, r.path, r.body])).toEqual([
      [
        'POST',
        `/payment-intents/${paid.paymentIntentId}/receipt`,
        { emails: ['gabriel@example.com'] },
      ],
    ]);
    expect(t.core.db.prepare('SELECT choice, email_masked FROM receipt_choices').all()).toEqual([
      { choice: 'email', email_masked: 'g***@example.com' },
    ]);
    t.expectRequestsValid();
  });

  it('Dojo refusing the e-mail: the cashier reads why, and no choice is recorded', async () => {
    t = await till();
    const orderId = await t.order(990);
    expect((await t.cardSale(orderId)).state.kind).toBe('succeeded');
    t.sim.injectFault({ kind: 'http-error', status: 404, path: '/payment-intents/*/receipt' });
    const before = t.counts();
    const e = await t.refused('receipts:choose', {
      orderId,
      choice: 'email',
      email: 'ann@example.com',
    });
    expect(e.message).toMatch(
      /^Dojo could not send the e-mail receipt \(.+\)\. Print it instead, or try again\.$/,
    );
    expect(t.counts()).toEqual(before);
    // Once Dojo takes it, it is recorded.
    await t.ok('receipts:choose', { orderId, choice: 'email', email: 'ann@example.com' });
    expect(t.counts().receipt_choices).toBe(1);
    t.expectRequestsValid();
  });

  it('refusals in words with nothing written: cash by e-mail, an address that is not one, an unpaid order', async () => {
    t = await till();
    const cash = await cashSale(400);
    const card = await t.order(900);
    await t.cardSale(card);
    const unpaid = await t.order(500);
    const before = t.counts();
    const sent = t.sim.records().requests.length;

    const byEmail = await t.refused('receipts:choose', {
      orderId: cash,
      choice: 'email',
      email: 'ann@example.com',
    });
    expect(byEmail.message).toBe(
      'Cash and voucher sales cannot be e-mailed: Dojo e-mails receipts only for card payments it took through the till. Print it, or no receipt.',
    );
    for (const email of ['ann@example', 'ann example.com', 'ann@@example.com', '']) {
      const bad = await t.refused('receipts:choose', { orderId: card, choice: 'email', email });
      expect([email, bad.message]).toEqual([email, expect.stringMatching(/e-mail address/)]);
    }
    const missing = await t.refused('receipts:choose', { orderId: card, choice: 'email' });
    expect(missing.message).toMatch(/Type the customer’s e-mail address/);
    const notPaid = await t.refused('receipts:choose', { orderId: unpaid, choice: 'none' });
    expect(notPaid.message).toMatch(/is not paid, so there is no receipt to give yet/);

    expect(t.counts()).toEqual(before);
    expect(t.sim.records().requests.length).toBe(sent);
  });
});
