import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../src-main/simulator/simulator';
import {
  notifications,
  simApi,
  statuses,
  TERMINALS,
  type Json,
  type SessionJson,
} from './sim-client';

// Tests run one after another: several share terminal 1.
let sim: Simulator;
let api: ReturnType<typeof simApi>;

beforeAll(async () => {
  sim = await startSimulator({ timeScale: 0.02 });
  api = simApi(sim.url);
});
afterAll(async () => {
  await sim.close();
});

const history = (i: Json) =>
  i.terminalSessionHistory as Array<{
    terminalSession: { id: string; status: string };
    payment: unknown;
  }>;

async function terminalStatus(id: string): Promise<string> {
  return (await api.call<{ status: string }>('GET', `/terminals/${id}`)).body.status;
}

describe('simulator scenarios', () => {
  it('declined (.01): session Declined, intent stays Created and is paid by a second session', async () => {
    const intent = await api.createIntent(1001);
    const s = await api.startSale(intent.id);
    const done = await api.pollUntil(s.id);
    expect(done.status).toBe('Declined');
    expect(notifications(done)).toEqual([
      'PresentCard',
      'PleaseWait',
      'EnterPin',
      'PleaseWait',
      'RemoveCard',
      'Declined',
    ]);
    expect(done.paymentDetails).toBeUndefined();
    expect((await api.intent(intent.id)).status).toBe('Created');

    sim.control.forceScenario('contactless', TERMINALS.available1);
    const retry = await api.startSale(intent.id);
    expect((await api.pollUntil(retry.id)).status).toBe('Captured');
    const paid = await api.intent(intent.id);
    expect(paid.status).toBe('Captured');
    expect(history(paid).map((h) => h.terminalSession.status)).toEqual(['Declined', 'Captured']);
    expect(history(paid)[0]?.payment).toBeNull();
  });

  it('signature (.02) accepted: Required → Accepted (final), signature card, intent Captured', async () => {
    const intent = await api.createIntent(1502);
    const s = await api.startSale(intent.id);
    const waiting = await api.pollUntil(s.id, (x) => x.status === 'SignatureVerificationRequired');
    expect((await api.intent(intent.id)).status).toBe('Authorized');
    expect(Date.parse(waiting.expireAt) - Date.now()).toBeLessThanOrEqual(80_000 * 0.02);
    const answered = await api.call<SessionJson>('PUT', `/terminal-sessions/${s.id}/signature`, {
      accepted: true,
    });
    expect(answered.status).toBe(200);
    expect(answered.body.status).toBe('SignatureVerificationAccepted');
    const done = await api.pollUntil(s.id);
    expect(statuses(done)).toEqual([
      'InitiateRequested',
      'Initiated',
      'SignatureVerificationRequired',
      'SignatureVerificationAccepted',
    ]);
    expect(notifications(done)).toEqual(['PresentCard', 'PleaseWait', 'RemoveCard', 'Approved']);
    expect(await terminalStatus(TERMINALS.available1)).toBe('Available');
    expect(done.paymentDetails?.card.verificationMethod).toBe('Signature');
    const paid = await api.intent(intent.id);
    expect(paid.status).toBe('Captured');
    const again = await api.call('PUT', `/terminal-sessions/${s.id}/signature`, { accepted: true });
    expect(again.status).toBe(422);
  });

  it('signature rejected: SignatureVerificationRejected and the intent is Reversed', async () => {
    const intent = await api.createIntent(2002);
    const s = await api.startSale(intent.id);
    await api.pollUntil(s.id, (x) => x.status === 'SignatureVerificationRequired');
    const cancel = await api.call('PUT', `/terminal-sessions/${s.id}/cancel`);
    expect(cancel.status).toBe(422);
    const r = await api.call<SessionJson>('PUT', `/terminal-sessions/${s.id}/signature`, {
      accepted: false,
    });
    expect(r.body.status).toBe('SignatureVerificationRejected');
    expect((await api.intent(intent.id)).status).toBe('Reversed');
    expect(await terminalStatus(TERMINALS.available1)).toBe('Available');
  });

  it('cancel before the card (.04): CancelRequested → Canceled, intent Created', async () => {
    const intent = await api.createIntent(404);
    const s = await api.startSale(intent.id);
    await api.pollUntil(s.id, (x) => notifications(x).includes('PresentCard'));
    const r = await api.call<SessionJson>('PUT', `/terminal-sessions/${s.id}/cancel`);
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('CancelRequested');
    const done = await api.pollUntil(s.id);
    expect(done.status).toBe('Canceled');
    expect(statuses(done)).toEqual([
      'InitiateRequested',
      'Initiated',
      'CancelRequested',
      'Canceled',
    ]);
    expect((await api.intent(intent.id)).status).toBe('Created');
    expect(await terminalStatus(TERMINALS.available1)).toBe('Available');
    expect((await api.call('PUT', `/terminal-sessions/${s.id}/cancel`)).status).toBe(422);
  });

  it('cancel after the card was presented (.08) is refused with 422, the sale completes', async () => {
    const intent = await api.createIntent(808);
    const s = await api.startSale(intent.id);
    await api.pollUntil(s.id, (x) => notifications(x).includes('EnterPin'));
    const r = await api.call<{ status: number; traceId: string; code: string }>(
      'PUT',
      `/terminal-sessions/${s.id}/cancel`,
    );
    expect(r.status).toBe(422);
    expect(r.body.traceId).toBeTruthy();
    expect((await api.pollUntil(s.id)).status).toBe('Captured');
  });

  it('unknown notification type (.06) is passed through, then the sale completes', async () => {
    const intent = await api.createIntent(906);
    const done = await api.pollUntil((await api.startSale(intent.id)).id);
    expect(notifications(done)).toContain('TerminalRebooting');
    expect(done.status).toBe('Captured');
  });

  it('card error then retry (.07)', async () => {
    const intent = await api.createIntent(107);
    const done = await api.pollUntil((await api.startSale(intent.id)).id);
    expect(notifications(done).slice(0, 5)).toEqual([
      'PresentCard',
      'PleaseWait',
      'CardError',
      'InsertCard',
      'PleaseWait',
    ]);
    expect(done.status).toBe('Captured');
  });
});

describe('simulator refunds on the terminal', () => {
  async function paidIntent(value: number): Promise<Json> {
    const intent = await api.createIntent(value);
    sim.control.forceScenario('contactless', TERMINALS.available1);
    await api.pollUntil((await api.startSale(intent.id)).id);
    return intent;
  }
  const refundSession = (details: Record<string, unknown>) =>
    api.call<SessionJson & { code?: string }>('POST', '/terminal-sessions', {
      terminalId: TERMINALS.available1,
      details,
    });

  it('matched refund: partial, then the rest, capped at what remains', async () => {
    const intent = await paidIntent(3000);
    const partial = await refundSession({
      sessionType: 'MatchedRefund',
      matchedRefund: { paymentIntentId: intent.id, amount: { value: 1000, currencyCode: 'GBP' } },
    });
    expect(partial.status).toBe(200);
    expect((await api.pollUntil(partial.body.id)).status).toBe('Captured');
    let i = await api.intent(intent.id);
    expect(i.refundedAmount).toBe(1000);
    expect(i.status).toBe('Captured');

    const tooMuch = await refundSession({
      sessionType: 'MatchedRefund',
      matchedRefund: { paymentIntentId: intent.id, amount: { value: 2001, currencyCode: 'GBP' } },
    });
    expect(tooMuch.status).toBe(400);

    const rest = await refundSession({
      sessionType: 'MatchedRefund',
      matchedRefund: { paymentIntentId: intent.id },
    });
    const restDone = await api.pollUntil(rest.body.id);
    expect(restDone.status).toBe('Captured');
    expect(notifications(restDone)).toContain('Approved');
    i = await api.intent(intent.id);
    expect(i.refundedAmount).toBe(3000);
    expect(i.status).toBe('Refunded');
    expect(history(i)).toHaveLength(3);
    const refunds = sim.control.records().refunds.filter((r) => r.paymentIntentId === intent.id);
    expect(refunds.map((r) => r.amount)).toEqual([1000, 2000]);
  });

  it('matched refund of an unpaid intent is refused', async () => {
    const intent = await api.createIntent(500);
    const r = await refundSession({
      sessionType: 'MatchedRefund',
      matchedRefund: { paymentIntentId: intent.id },
    });
    expect(r.status).toBe(400);
  });

  it('unlinked refund', async () => {
    const r = await refundSession({
      sessionType: 'UnlinkedRefund',
      unlinkedRefund: { amount: { value: 750, currencyCode: 'GBP' } },
    });
    expect(r.status).toBe(200);
    const done = await api.pollUntil(r.body.id);
    expect(done.status).toBe('Captured');
    const lines = (done.receipt as { lines: Array<{ text?: { value: string } }> }).lines;
    expect(lines.some((l) => l.text?.value === 'REFUND')).toBe(true);
    expect(
      sim.control
        .records()
        .refunds.some((x) => x.terminalSessionId === r.body.id && x.amount === 750),
    ).toBe(true);
  });
});
