import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../src-main/simulator/simulator';
import { notifications, simApi, TERMINALS, type Json, type SessionJson } from './sim-client';
import { waitFor } from '../../support/wait';

// The deadline scenarios (expiry, signature timeout) wait out scaled real deadlines: a smaller
// time scale and a file of their own keep them off the critical path of the other suites.
let sim: Simulator;
let api: ReturnType<typeof simApi>;

beforeAll(async () => {
  sim = await startSimulator({ timeScale: 0.01 });
  // Four terminals so the four deadline tests can wait side by side.
  sim.control.setTerminalStatus(TERMINALS.inUse, 'Available');
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

describe.concurrent('simulator deadlines', () => {
  it('signature with no answer is accepted automatically at 80 s (scaled)', async () => {
    const intent = await api.createIntent(302);
    const s = await api.startSale(intent.id);
    const waiting = await api.pollUntil(s.id, (x) => x.status === 'SignatureVerificationRequired');
    const started = Date.now();
    const done = await api.pollUntil(s.id, undefined, 5000);
    expect(done.status).toBe('SignatureVerificationAccepted');
    expect(Date.now() - started).toBeGreaterThan(80_000 * 0.01 * 0.5);
    expect(Date.parse(waiting.expireAt)).toBeLessThanOrEqual(Date.now());
    const accepted = done.statusEvents.find((e) => e.status === 'SignatureVerificationAccepted');
    expect(accepted?.debugMessage).toMatch(/automatically/);
    expect((await api.intent(intent.id)).status).toBe('Captured');
  });
  it('no card (.04) and no cancel: Expired at expireAt, intent still Created', async () => {
    const intent = await api.createIntent(1204);
    const s = await api.startSale(intent.id, TERMINALS.inUse);
    const initiated = await api.pollUntil(s.id, (x) => x.status === 'Initiated');
    const done = await api.pollUntil(s.id, undefined, 5000);
    expect(done.status).toBe('Expired');
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(initiated.expireAt));
    const i = await api.intent(intent.id);
    expect(i.status).toBe('Created');
    expect(i.paymentDetails).toBeNull();
    expect(history(i)[0]?.terminalSession.status).toBe('Expired');
  });
  it('terminal offline mid-session (.05): session Expired, but the intent was Captured', async () => {
    const intent = await api.createIntent(705);
    const s = await api.startSale(intent.id, TERMINALS.available2);
    await api.pollUntil(s.id, (x) => notifications(x).includes('EnterPin'));
    await waitFor(
      async () => (await terminalStatus(TERMINALS.available2)) === 'Offline',
      'the terminal to go offline',
    );
    expect(await terminalStatus(TERMINALS.available2)).toBe('Offline');
    const done = await api.pollUntil(s.id, undefined, 5000);
    expect(done.status).toBe('Expired');
    expect(done.paymentDetails).toBeUndefined();
    const i = await api.intent(intent.id);
    expect(i.status).toBe('Captured');
    expect(history(i)[0]?.payment).not.toBeNull();
    expect(await terminalStatus(TERMINALS.available2)).toBe('Available');
  });
  it('terminal set Offline by the control API freezes the session until it expires', async () => {
    sim.control.forceScenario('no-card-expires', TERMINALS.available3);
    const intent = await api.createIntent(1000);
    const s = await api.startSale(intent.id, TERMINALS.available3);
    await api.pollUntil(s.id, (x) => x.status === 'Initiated');
    sim.control.setTerminalStatus(TERMINALS.available3, 'Offline');
    const cancel = await api.call<SessionJson>('PUT', `/terminal-sessions/${s.id}/cancel`);
    expect(cancel.body.status).toBe('CancelRequested');
    const done = await api.pollUntil(s.id, undefined, 5000);
    expect(done.status).toBe('Expired');
    expect((await api.intent(intent.id)).status).toBe('Created');
    expect(await terminalStatus(TERMINALS.available3)).toBe('Offline');
    sim.control.setTerminalStatus(TERMINALS.available3, 'Available');
  });
});
