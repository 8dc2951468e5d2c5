import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../src-main/simulator/simulator';
import { DojoSpecValidator } from '../../support/dojo-spec';
import { simApi, TERMINALS, type Exchange, type Json, type SessionJson } from './sim-client';

// The committed Dojo wire schema (tests/fixtures/dojo-wire-schema.json); a missing one throws.
const validator = new DojoSpecValidator();

let sim: Simulator;
const exchanges: Exchange[] = [];
let api: ReturnType<typeof simApi>;

beforeAll(async () => {
  sim = await startSimulator({ timeScale: 0.01 });
  api = simApi(sim.url, (x) => exchanges.push(x));
});
afterAll(async () => {
  await sim.close();
});

/** Validates and drains everything exchanged so far. */
function expectAllValid(): void {
  const batch = exchanges.splice(0);
  expect(batch.length).toBeGreaterThan(0);
  const problems = batch.flatMap((x) => validator.check(x));
  expect(problems).toEqual([]);
}

const sale = (intentId: string, terminalId: string = TERMINALS.available1) => ({
  terminalId,
  details: { sessionType: 'Sale', sale: { paymentIntentId: intentId } },
});

async function runSale(
  value: number,
  opts: {
    scenario?: Parameters<Simulator['control']['forceScenario']>[0];
    captureMode?: string;
  } = {},
) {
  const intent = await api.createIntent(value, {
    description: 'Spec check',
    captureMode: opts.captureMode ?? 'Auto',
    itemLines: [
      { id: '1', name: 'Flat white', quantity: 1, amountTotal: { value, currencyCode: 'GBP' } },
    ],
    taxLines: [
      {
        id: 'vat',
        caption: 'VAT 20%',
        amountTotal: { value: Math.round(value / 6), currencyCode: 'GBP' },
      },
    ],
    metadata: { till: 'T1' },
  });
  if (opts.scenario) sim.control.forceScenario(opts.scenario, TERMINALS.available1);
  const s = await api.startSale(intent.id);
  return { intent, session: s };
}

describe('simulator answers match the Dojo wire schema', () => {
  it('really compiles the converted schemas: known-bad documents fail', () => {
    const terminal = validator.component('Terminal');
    expect(
      terminal({
        id: 't',
        properties: { tid: '1' },
        status: 'Available',
        updatedAt: '2026-01-01T00:00:00Z',
      }),
    ).toBe(true);
    expect(
      terminal({
        id: 't',
        properties: { tid: '1' },
        status: 'Busy',
        updatedAt: '2026-01-01T00:00:00Z',
      }),
    ).toBe(false);
    const intent = validator.component('PaymentIntent');
    expect(
      intent({
        id: 'pi',
        status: 'Created',
        amount: null,
        paymentDetails: null,
        captureMode: null,
      }),
    ).toBe(true);
    expect(intent({ id: 'pi', status: 'Declined' })).toBe(false);
    expect(
      intent({ id: 'pi', status: 'Created', amount: { value: 1.5, currencyCode: 'GBP' } }),
    ).toBe(false);
    expect(intent({ id: 'pi', status: 'Created', surprise: 1 })).toBe(false);
    expect(
      intent({ id: 'pi', status: 'Created', paymentDetails: { card: { cardNumber: 7 } } }),
    ).toBe(false);
    expect(intent({ id: 'pi', status: 'Created', createdAt: 'yesterday' })).toBe(false);
    const session = validator.component('TerminalSession');
    expect(session({ id: 'ts' })).toBe(false);
    const paged = validator.component('PagedPaymentIntent');
    expect(paged({ data: [], before: null, after: null })).toBe(true);
    expect(paged({ data: [], extra: true })).toBe(false);
    const line = validator.component('TerminalSessionReceiptLine');
    expect(line({ lineType: 'SingleLineSeparator' })).toBe(false);
  });

  it('flags bad exchanges through the operation lookup, not only by component', () => {
    const x = (
      method: string,
      path: string,
      status: number,
      body: unknown,
      requestBody?: unknown,
    ): Exchange => ({
      method,
      path,
      status,
      body,
      requestBody,
      invalidBody: false,
    });
    const terminal = {
      id: 't',
      properties: { tid: '1' },
      status: 'Available',
      updatedAt: '2026-01-01T00:00:00Z',
    };
    expect(validator.check(x('GET', '/terminals', 200, [terminal]))).toEqual([]);
    expect(
      validator.check(x('GET', '/terminals', 200, [{ ...terminal, status: 'Busy' }])),
    ).not.toEqual([]);
    expect(
      validator.check(x('GET', '/terminal-sessions/ts_1', 200, { id: 'ts_1', status: 'Captured' })),
    ).not.toEqual([]);
    expect(
      validator.check(x('POST', '/payment-intents/pi_1/receipt', 204, { unexpected: true })),
    ).not.toEqual([]);
    expect(
      validator.check(x('GET', '/payment-intents/pi_1', 404, { title: 'Not Found' })),
    ).not.toEqual([]);
    expect(
      validator.check(x('POST', '/terminal-sessions', 400, { title: 'x', traceId: 't' })),
    ).not.toEqual([]);
    const badCreate = { amount: { value: 100, currencyCode: 'GBP' } };
    expect(
      validator.check(x('POST', '/payment-intents', 400, { title: 'x', traceId: 't' }, badCreate)),
    ).not.toEqual([]);
    validator.covered.clear();
    validator.undeclared.clear();
  });

  it('payment-intent endpoints, answers and errors', async () => {
    const { intent, session } = await runSale(1000, { scenario: 'contactless' });
    await api.pollUntil(session.id);
    const id = intent.id;
    await api.call('GET', `/payment-intents/${id}`);
    await api.call('GET', '/payment-intents/pi_missing');
    await api.call('GET', `/payment-intents/${id}`, undefined, { version: null });
    await api.call(
      'POST',
      '/payment-intents',
      { amount: { value: 0, currencyCode: 'XXX' }, reference: '' },
      { invalidBody: true },
    );
    await api.call(
      'POST',
      '/payment-intents',
      { amount: { value: 5, currencyCode: 'GBP' }, reference: 'r' },
      { key: 'sk_sandbox_invalid' },
    );
    await api.call(
      'POST',
      `/payment-intents/${id}/refunds`,
      { amount: 100, refundReason: 'Spec', notes: 'n' },
      { headers: { idempotencyKey: 'spec-1' } },
    );
    await api.call('POST', `/payment-intents/${id}/refunds`, { amount: 100 });
    await api.call('POST', `/payment-intents/${id}/receipt`, { emails: ['till@example.com'] });
    await api.call('POST', `/payment-intents/${id}/receipt`, { emails: [] });
    await api.call('POST', '/payment-intents/pi_missing/receipt', { emails: ['till@example.com'] });
    await api.call('POST', `/payment-intents/${id}/reversal`);
    await api.call('DELETE', `/payment-intents/${id}`);

    const manual = await runSale(2000, { scenario: 'chip-pin', captureMode: 'Manual' });
    await api.pollUntil(manual.session.id);
    await api.call('POST', `/payment-intents/${manual.intent.id}/captures`, { amount: 5000 });
    await api.call('POST', `/payment-intents/${manual.intent.id}/captures`, {
      amount: 1500,
      tipsAmount: 0,
    });
    await api.call('POST', `/payment-intents/${manual.intent.id}/captures`, { amount: 100 });
    await api.call('POST', `/payment-intents/${manual.intent.id}/reversal`);

    const spare = await api.createIntent(300, { tipsAmount: { value: 50, currencyCode: 'GBP' } });
    await api.call('DELETE', `/payment-intents/${spare.id}`);
    await api.call('GET', `/payment-intents/${spare.id}?returnCanceled=true`);
    await api.call('DELETE', '/payment-intents/pi_missing');
    await api.call('POST', '/payment-intents/search', {
      statuses: ['Captured', 'Canceled'],
      cursor: { limit: 1 },
    });
    await api.call('POST', '/payment-intents/search', {
      startDate: '2020-01-01T00:00:00Z',
      endDate: '2100-01-01T00:00:00Z',
    });
    await api.call('POST', '/payment-intents/search', { cursor: { after: 'bad' } });
    await api.call('PUT', '/payment-intents');
    expectAllValid();
  });

  it('terminal endpoints and every session scenario, polled to the end', async () => {
    await api.call('GET', '/terminals');
    await api.call('GET', '/terminals?statuses=Available&statuses=Offline');
    await api.call('GET', '/terminals?statuses=Busy');
    await api.call('GET', '/terminals', undefined, { key: null });
    await api.call('GET', '/terminals', undefined, { partnerHeaders: false });
    await api.call('GET', `/terminals/${TERMINALS.inUse}`);
    await api.call('GET', '/terminals/tm_missing');
    await api.call('GET', '/terminal-sessions/ts_missing');
    await api.call('PUT', '/terminal-sessions/ts_missing/cancel');
    await api.call('POST', '/terminal-sessions', sale('pi_missing'));
    await api.call(
      'POST',
      '/terminal-sessions',
      { terminalId: '', details: { sessionType: 'Nope' } },
      { invalidBody: true },
    );

    const scenarios = ['chip-pin', 'declined', 'unknown-notification', 'card-error-retry'] as const;
    for (const scenario of scenarios) {
      const { session } = await runSale(1000, { scenario });
      await api.pollUntil(session.id);
    }
    const busy = await runSale(1000, { scenario: 'slow-pin' });
    await api.call('POST', '/terminal-sessions', sale(busy.intent.id, TERMINALS.inUse));
    await api.pollUntil(busy.session.id, (x) =>
      x.notificationEvents.some((n) => n.notificationType === 'EnterPin'),
    );
    await api.call('PUT', `/terminal-sessions/${busy.session.id}/cancel`);
    await api.call('POST', '/terminal-sessions', sale(busy.intent.id, TERMINALS.available2));
    await api.pollUntil(busy.session.id);

    for (const accepted of [true, false]) {
      const sig = await runSale(1002, { scenario: 'signature' });
      await api.pollUntil(sig.session.id, (x) => x.status === 'SignatureVerificationRequired');
      await api.call('PUT', `/terminal-sessions/${sig.session.id}/signature`, { accepted });
      await api.call('PUT', `/terminal-sessions/${sig.session.id}/signature`, { accepted });
      await api.pollUntil(sig.session.id);
      await api.intent(sig.intent.id);
    }

    const walkAway = await runSale(1004, { scenario: 'no-card-expires' });
    await api.pollUntil(walkAway.session.id, (x) => x.status === 'Initiated');
    await api.call('PUT', `/terminal-sessions/${walkAway.session.id}/cancel`);
    await api.pollUntil(walkAway.session.id);
    await api.intent(walkAway.intent.id);
    expectAllValid();
  });

  it('deadline scenarios: expiry, offline terminal, signature timeout', async () => {
    const runs: Array<{ intent: Json; session: SessionJson }> = [];
    sim.control.forceScenario('no-card-expires', TERMINALS.available1);
    sim.control.forceScenario('terminal-offline', TERMINALS.available2);
    sim.control.forceScenario('signature', TERMINALS.available3);
    for (const terminalId of [TERMINALS.available1, TERMINALS.available2, TERMINALS.available3]) {
      const intent = await api.createIntent(1000);
      runs.push({ intent, session: await api.startSale(intent.id, terminalId) });
    }
    await Promise.all(
      runs.map((r) =>
        api.pollUntil(
          r.session.id,
          (x) => ['Expired', 'SignatureVerificationAccepted'].includes(x.status),
          5000,
        ),
      ),
    );
    for (const r of runs) await api.intent(r.intent.id);
    expectAllValid();
  });

  it('refund sessions and their receipts', async () => {
    const { intent, session } = await runSale(4000, { scenario: 'contactless' });
    await api.pollUntil(session.id);
    const partial = await api.call<SessionJson>('POST', '/terminal-sessions', {
      terminalId: TERMINALS.available1,
      details: {
        sessionType: 'MatchedRefund',
        matchedRefund: { paymentIntentId: intent.id, amount: { value: 1000, currencyCode: 'GBP' } },
      },
    });
    await api.pollUntil(partial.body.id);
    await api.call('POST', '/terminal-sessions', {
      terminalId: TERMINALS.available1,
      details: {
        sessionType: 'MatchedRefund',
        matchedRefund: { paymentIntentId: intent.id, amount: { value: 9000, currencyCode: 'GBP' } },
      },
    });
    const rest = await api.call<SessionJson>('POST', '/terminal-sessions', {
      terminalId: TERMINALS.available1,
      details: { sessionType: 'MatchedRefund', matchedRefund: { paymentIntentId: intent.id } },
    });
    await api.pollUntil(rest.body.id);
    const unlinked = await api.call<SessionJson>('POST', '/terminal-sessions', {
      terminalId: TERMINALS.available1,
      details: {
        sessionType: 'UnlinkedRefund',
        unlinkedRefund: {
          amount: { value: 250, currencyCode: 'GBP' },
          cardholderNotPresent: false,
        },
      },
    });
    await api.pollUntil(unlinked.body.id);
    await api.intent(intent.id);
    expectAllValid();
  });

  it('injected faults are still Dojo-shaped errors', async () => {
    for (const status of [500, 503, 429]) {
      sim.control.injectFault({
        kind: 'http-error',
        path: '/terminals',
        status,
        retryAfterSeconds: 1,
      });
      sim.control.injectFault({ kind: 'http-error', path: '/payment-intents/*', status });
      await api.call('GET', '/terminals');
      await api.call('GET', '/payment-intents/pi_any');
    }
    expectAllValid();
  });

  it('covered every answer type the simulator produces', () => {
    const expected = [
      'PaymentIntents_CreatePaymentIntent 200',
      'PaymentIntents_CreatePaymentIntent 400',
      'PaymentIntents_CreatePaymentIntent 401',
      'PaymentIntents_Get 200',
      'PaymentIntents_Get 400',
      'PaymentIntents_Get 404',
      'PaymentIntents_Delete 200',
      'PaymentIntents_Delete 400',
      'PaymentIntents_Delete 404',
      'Captures_Create 200',
      'Captures_Create 400',
      'Captures_Create 409',
      'Reversal_Create 200',
      'Reversal_Create 409',
      'Refunds_Create 200',
      'Refunds_Create 400',
      'Receipt_Create 204',
      'Receipt_Create 400',
      'Receipt_Create 404',
      'PaymentIntents_Search 200',
      'PaymentIntents_Search 400',
      'Terminals_ListTerminals 200',
      'Terminals_ListTerminals 401',
      'Terminals_GetTerminal 200',
      'Terminals_GetTerminal 404',
      'TerminalSession_Create 200',
      'TerminalSession_Create 400',
      'TerminalSession_Create 404',
      'TerminalSession_Get 200',
      'TerminalSession_Get 404',
      'TerminalSession_Cancel 200',
      'TerminalSession_Cancel 404',
      'TerminalSession_Cancel 422',
      'TerminalSession_Signature 200',
      'TerminalSession_Signature 422',
    ];
    expect([...validator.covered].sort()).toEqual(expect.arrayContaining(expected));
    // Statuses the simulator sends that the spec does not list for the operation (see README).
    expect([...validator.undeclared].sort()).toEqual([
      'PUT /payment-intents 405',
      'PaymentIntents_Get 429',
      'PaymentIntents_Get 500',
      'PaymentIntents_Get 503',
      'Terminals_ListTerminals 400',
      'Terminals_ListTerminals 429',
      'Terminals_ListTerminals 500',
      'Terminals_ListTerminals 503',
    ]);
    expect(validator.checked).toBeGreaterThan(100);
  });
});
