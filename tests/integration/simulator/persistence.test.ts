import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createLogger, memorySink, type Logger } from '../../../src-main/logging/logger';
import { startSimulator, type Simulator } from '../../../src-main/simulator/simulator';
import { letTimePass, waitFor } from '../../support/wait';
import {
  notifications,
  simApi,
  statuses,
  TERMINALS,
  type Json,
  type SessionJson,
} from './sim-client';

// Every exchange below goes through simApi without a hook: each answer is checked against the
// official Dojo spec, before and after a restart alike.

const dir = mkdtempSync(join(tmpdir(), 'opentill-sim-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const running: Simulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

let files = 0;
const newStateFile = (): string => join(dir, `state-${++files}.json`);

async function start(stateFile: string, timeScale = 0.02, logger?: Logger) {
  const sim = await startSimulator({ timeScale, stateFile, ...(logger ? { logger } : {}) });
  running.push(sim);
  return { sim, api: simApi(sim.url) };
}

type SavedSession = { wire: SessionJson };
const savedSessions = (file: string): SavedSession[] =>
  (JSON.parse(readFileSync(file, 'utf8')) as { sessions: SavedSession[] }).sessions;

const refundOnTerminal = (intentId: string, value: number) => ({
  terminalId: TERMINALS.available2,
  details: {
    sessionType: 'MatchedRefund',
    matchedRefund: { paymentIntentId: intentId, amount: { value, currencyCode: 'GBP' } },
  },
});

describe('simulator state file', () => {
  it('keeps a sale and its refunds: identical answers after a restart', async () => {
    const file = newStateFile();
    const a = await start(file);
    const intent = await a.api.createIntent(1000, { description: 'Flat white' });
    const sale = await a.api.startSale(intent.id);
    expect((await a.api.pollUntil(sale.id)).status).toBe('Captured');
    const refund = await a.api.call<SessionJson>(
      'POST',
      '/terminal-sessions',
      refundOnTerminal(intent.id, 300),
    );
    expect((await a.api.pollUntil(refund.body.id)).status).toBe('Captured');
    const refundsUrl = `/payment-intents/${intent.id}/refunds`;
    const apiRefund = await a.api.call(
      'POST',
      refundsUrl,
      { amount: 200, refundReason: 'Spilt' },
      { headers: { idempotencyKey: 'refund-1' } },
    );
    expect(apiRefund.status).toBe(200);
    const other = await a.api.createIntent(555);

    const reads = async (api: ReturnType<typeof simApi>) => ({
      intent: (await api.call('GET', `/payment-intents/${intent.id}`)).body,
      sale: (await api.call('GET', `/terminal-sessions/${sale.id}`)).body,
      refund: (await api.call('GET', `/terminal-sessions/${refund.body.id}`)).body,
      terminals: (await api.call('GET', '/terminals')).body,
      search: (await api.call('POST', '/payment-intents/search', { cursor: { limit: 1 } })).body,
    });
    const before = await reads(a.api);
    const recordsBefore = a.sim.control.records();
    await a.sim.close();

    const b = await start(file);
    // Same JSON text: same fields, same values, same order.
    expect(JSON.stringify(await reads(b.api))).toBe(JSON.stringify(before));
    const records = b.sim.control.records();
    expect(records.paymentIntents).toEqual(recordsBefore.paymentIntents);
    expect(records.sessions).toEqual(recordsBefore.sessions);
    expect(records.refunds).toEqual(recordsBefore.refunds);
    expect(records.refunds.map((r) => r.source)).toEqual(['terminal', 'api']);
    // The idempotency key still names the same refund; what is left to refund is unchanged.
    const again = await b.api.call(
      'POST',
      refundsUrl,
      { amount: 200 },
      { headers: { idempotencyKey: 'refund-1' } },
    );
    expect(again.body).toEqual(apiRefund.body);
    const tooMuch = await b.api.call(
      'POST',
      refundsUrl,
      { amount: 501 },
      { headers: { idempotencyKey: 'refund-2' } },
    );
    expect(tooMuch.status).toBe(400);
    // The counter carried on: a new intent is the newest in the search.
    const newest = await b.api.createIntent(777);
    const page = await b.api.call<{ data: Json[] }>('POST', '/payment-intents/search', {});
    expect(page.body.data.map((i) => i.id)).toEqual([newest.id, other.id, intent.id]);
  });

  it('a session caught mid-flight by a crash carries on from where it was', async () => {
    const file = newStateFile();
    const a = await start(file, 0.05);
    const intent = await a.api.createIntent(1008); // slow PIN: time to "crash" during it
    const sale = await a.api.startSale(intent.id);
    // No close, no flush: the debounced save alone puts the PIN prompt on disk.
    const onDisk = await waitFor(
      () => {
        const s = existsSync(file) ? savedSessions(file)[0]?.wire : undefined;
        return Promise.resolve(s && notifications(s).includes('EnterPin') ? s : undefined);
      },
      'the simulator',
      3000,
    );
    const crashed = join(dir, 'crashed.json');
    copyFileSync(file, crashed);
    await a.sim.close();
    expect(onDisk.status).toBe('Initiated');

    const restartedAt = Date.now();
    const b = await start(crashed, 0.05);
    const first = await b.api.session(sale.id);
    expect(first.status).toBe('Initiated');
    expect(first.notificationEvents).toEqual(onDisk.notificationEvents);
    const done = await b.api.pollUntil(sale.id, undefined, 4000);
    expect(done.status).toBe('Captured');
    expect(notifications(done)).toEqual([
      'PresentCard',
      'PleaseWait',
      'EnterPin',
      'PleaseWait',
      'RemoveCard',
      'Approved',
    ]);
    expect(statuses(done)).toEqual(['InitiateRequested', 'Initiated', 'Captured']);
    const captured = done.statusEvents[2]?.createdAt ?? '';
    expect(Date.parse(captured)).toBeGreaterThanOrEqual(restartedAt);
    const paid = await b.api.intent(intent.id);
    expect(paid.status).toBe('Captured');
    expect(paid.paymentDetails).toEqual(done.paymentDetails);
    const terminal = await b.api.call<Json>('GET', `/terminals/${TERMINALS.available1}`);
    expect(terminal.body.status).toBe('Available');
  });

  it('sessions overdue after a long stop end as Dojo would show them', async () => {
    const file = newStateFile();
    const a = await start(file);
    a.sim.control.setTerminalStatus(TERMINALS.inUse, 'Available');
    const begin = async (value: number, terminalId: string) => {
      const intent = await a.api.createIntent(value);
      return { intent, session: await a.api.startSale(intent.id, terminalId) };
    };
    const slowPin = await begin(1008, TERMINALS.available1);
    const noCard = await begin(1004, TERMINALS.available2);
    const offline = await begin(1005, TERMINALS.available3);
    const signature = await begin(1002, TERMINALS.inUse);
    await a.api.pollUntil(slowPin.session.id, (s) => notifications(s).includes('EnterPin'));
    await a.sim.close();
    const saved = savedSessions(file).map((s) => s.wire);
    expect(saved.map((s) => s.status).every((s) => s.startsWith('Initiate'))).toBe(true);
    // Down for longer than any of them had left.
    const latest = Math.max(...saved.map((s) => Date.parse(s.expireAt)));
    await letTimePass(latest - Date.now() + 50);

    const restartedAt = Date.now();
    const b = await start(file);
    const read = (x: { session: SessionJson }) => b.api.session(x.session.id);
    // The terminal finished the slow-PIN sale while the till was away.
    const paid = await read(slowPin);
    expect(paid.status).toBe('Captured');
    expect(notifications(paid).at(-1)).toBe('Approved');
    expect(paid.statusEvents.every((e) => Date.parse(e.createdAt) < restartedAt)).toBe(true);
    expect((await b.api.intent(slowPin.intent.id)).status).toBe('Captured');
    // Nobody presented a card: Expired at its expireAt, the intent still payable.
    const expired = await read(noCard);
    expect(expired.status).toBe('Expired');
    expect(expired.statusEvents.at(-1)?.createdAt).toBe(expired.expireAt);
    expect((await b.api.intent(noCard.intent.id)).status).toBe('Created');
    // The terminal went offline after taking the money: Expired, but the intent is Captured.
    expect((await read(offline)).status).toBe('Expired');
    const offlineIntent = await b.api.intent(offline.intent.id);
    expect(offlineIntent.status).toBe('Captured');
    const history = offlineIntent.terminalSessionHistory as Array<{ payment: unknown }>;
    expect(history[0]?.payment).not.toBeNull();
    // Nobody answered the signature check: accepted automatically at its deadline.
    const signed = await read(signature);
    expect(signed.status).toBe('SignatureVerificationAccepted');
    expect(signed.statusEvents.at(-1)?.debugMessage).toMatch(/automatically/);
    expect((await b.api.intent(signature.intent.id)).status).toBe('Captured');
    const terminals = await b.api.call<Json[]>('GET', '/terminals?statuses=Available');
    expect(terminals.body.map((t) => t.id)).toEqual([
      TERMINALS.available1,
      TERMINALS.available2,
      TERMINALS.available3,
      TERMINALS.inUse,
    ]);
  });

  it('moves an unreadable file aside, says so, and starts fresh', async () => {
    for (const content of ['{"format":"opentill-dojo-simulator","version":1,"seq":', '{"a":1}']) {
      const file = newStateFile();
      writeFileSync(file, content);
      const sink = memorySink();
      const { api } = await start(file, 0.02, createLogger([sink]));
      const warning = sink.records.find((r) => r.level === 'warn');
      expect(warning?.message).toMatch(/unreadable: moved aside/);
      const movedTo = String(warning?.fields?.movedTo);
      expect(movedTo.startsWith(`${file}.corrupt-`)).toBe(true);
      expect(readFileSync(movedTo, 'utf8')).toBe(content);
      expect((await api.call<Json[]>('GET', '/terminals')).body).toHaveLength(5);
      const intent = await api.createIntent(250);
      const fresh = await waitFor(
        () =>
          Promise.resolve(
            existsSync(file)
              ? (JSON.parse(readFileSync(file, 'utf8')) as { intents: unknown[] })
              : undefined,
          ),
        'the simulator',
        5000,
      );
      expect(fresh.intents).toHaveLength(1);
      expect((await api.intent(intent.id)).status).toBe('Created');
    }
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('starts fresh, without a warning, when the file does not exist yet', async () => {
    const file = join(dir, 'not-yet', 'training-simulator.json');
    const sink = memorySink();
    const { sim, api } = await start(file, 0.02, createLogger([sink]));
    expect(sink.records.filter((r) => r.level === 'warn')).toEqual([]);
    await api.createIntent(100);
    await sim.close();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ seq: 1 });
  });
});

describe('simulator state file: bounded', () => {
  type Saved = { sessions: { wire: SessionJson }[]; intents: { wire: Json }[] };
  const saved = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Saved;

  it('drops finished sessions and dead intents older than the kept period, keeps the rest', async () => {
    const file = newStateFile();
    const keepFinishedMs = 1500;
    const sim = await startSimulator({ timeScale: 0.02, stateFile: file, keepFinishedMs });
    running.push(sim);
    const api = simApi(sim.url);
    // Old: a captured sale, an intent canceled before any card, one fully refunded.
    const captured = await api.createIntent(1000);
    const oldSale = await api.startSale(captured.id);
    expect((await api.pollUntil(oldSale.id)).status).toBe('Captured');
    const canceled = await api.createIntent(700);
    expect((await api.call('DELETE', `/payment-intents/${canceled.id}`)).status).toBe(200);
    const refunded = await api.createIntent(900);
    expect((await api.pollUntil((await api.startSale(refunded.id)).id)).status).toBe('Captured');
    const fullRefund = await api.call(
      'POST',
      `/payment-intents/${refunded.id}/refunds`,
      { amount: 900, refundReason: 'Spilt' },
      { headers: { idempotencyKey: 'full-refund' } },
    );
    expect(fullRefund.status).toBe(200);
    const untouched = await api.createIntent(400); // Created: a sale may still be tried on it
    await letTimePass(keepFinishedMs + 300);
    // Recent: a sale that finishes now, and one still waiting for a card.
    const recent = await api.createIntent(1200);
    const recentSale = await api.startSale(recent.id);
    expect((await api.pollUntil(recentSale.id)).status).toBe('Captured');
    const waiting = await api.createIntent(1304); // .04: waits for a card
    const live = await api.startSale(waiting.id, TERMINALS.available2);

    const sessionsOf = (s: Saved) => s.sessions.map((x) => x.wire.id).sort();
    const intentsOf = (s: Saved) => s.intents.map((x) => x.wire.id).sort();
    await waitFor(
      () => Promise.resolve(sessionsOf(saved(file)).includes(live.id) ? true : undefined),
      'the simulator',
      5000,
    );
    const after = saved(file);
    expect(sessionsOf(after)).toEqual([recentSale.id, live.id].sort());
    expect(intentsOf(after)).toEqual(
      [captured.id, refunded.id, untouched.id, recent.id, waiting.id].map(String).sort(),
    );
    expect(intentsOf(after)).not.toContain(canceled.id);
    // What is kept still answers: the old captured sale can be refunded through its intent.
    const late = await api.call(
      'POST',
      `/payment-intents/${captured.id}/refunds`,
      { amount: 100, refundReason: 'Late' },
      { headers: { idempotencyKey: 'late-refund' } },
    );
    expect(late.status).toBe(200);
    expect((await api.call('GET', `/terminal-sessions/${oldSale.id}`)).status).toBe(404);
    // A repeated refund request with the same idempotency key gets the same refund.
    const again = await api.call(
      'POST',
      `/payment-intents/${refunded.id}/refunds`,
      { amount: 900, refundReason: 'Spilt' },
      { headers: { idempotencyKey: 'full-refund' } },
    );
    expect(again.status).toBe(200);
    expect(again.body).toEqual(fullRefund.body);
  });

  it('keeps only the newest finished sessions on a busy day, however recent', async () => {
    const file = newStateFile();
    const sim = await startSimulator({ timeScale: 0.02, stateFile: file, keepFinishedCount: 2 });
    running.push(sim);
    const api = simApi(sim.url);
    const sales: { intent: string; session: string }[] = [];
    for (const value of [1000, 1100, 1200]) {
      const intent = await api.createIntent(value);
      const sale = await api.startSale(intent.id);
      expect((await api.pollUntil(sale.id)).status).toBe('Captured');
      sales.push({ intent: String(intent.id), session: sale.id });
    }
    const waiting = await api.createIntent(1304); // .04: waits for a card
    const live = await api.startSale(waiting.id, TERMINALS.available2);
    await waitFor(
      () =>
        Promise.resolve(saved(file).sessions.some((s) => s.wire.id === live.id) ? true : undefined),
      'the simulator',
      5000,
    );
    // The first sale's session is gone (the live one does not count); the two newest stay.
    expect(
      saved(file)
        .sessions.map((s) => s.wire.id)
        .sort(),
    ).toEqual([sales[1]!.session, sales[2]!.session, live.id].sort());
    expect((await api.call('GET', `/terminal-sessions/${sales[0]!.session}`)).status).toBe(404);
    expect((await api.call('GET', `/terminal-sessions/${sales[1]!.session}`)).status).toBe(200);
    // Its payment intent, which decides the outcome, is still there and still Captured.
    expect((await api.intent(sales[0]!.intent)).status).toBe('Captured');
  });

  it('prunes a file saved long ago as it loads it', async () => {
    const file = newStateFile();
    const a = await start(file);
    const intent = await a.api.createIntent(1000);
    const sale = await a.api.startSale(intent.id);
    expect((await a.api.pollUntil(sale.id)).status).toBe('Captured');
    await a.sim.close();
    running.splice(running.indexOf(a.sim), 1);
    expect(saved(file).sessions).toHaveLength(1);
    // A day later (here: the simulator keeps finished sessions for 100 ms).
    await letTimePass(300);
    const b = await startSimulator({ timeScale: 0.02, stateFile: file, keepFinishedMs: 100 });
    running.push(b);
    expect((await simApi(b.url).call('GET', `/terminal-sessions/${sale.id}`)).status).toBe(404);
    expect((await simApi(b.url).intent(String(intent.id))).status).toBe('Captured');
    await b.close();
    running.splice(running.indexOf(b), 1);
    expect(saved(file).sessions).toHaveLength(0);
  });
});
