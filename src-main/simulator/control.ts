import { z } from 'zod';
import {
  simulatorScenarioIdSchema,
  simulatorScenarioTable,
  type SimulatorScenarioId,
  type SimulatorScenarioTip,
} from '../../src-shared/domain/simulator-scenarios';
import { chaosSpecSchema, type ChaosMonkey, type ChaosSpecInput, type ChaosStats } from './chaos';
import { faultSpecSchema, type FaultBook, type FaultSpec } from './faults';
import { isRecord, type SimResponse } from './http-util';
import { matchPath } from './routing';
import type { SessionEngine } from './session-engine';
import { newId, nowIso, type RecordedRequest, type RefundRecord, type SimState } from './sim-state';
import { makePayment } from './session-outcomes';
import type {
  TerminalStatus,
  WirePaymentIntent,
  WireTerminal,
  WireTerminalSession,
} from './wire-types';
import { errorText } from '../platform/error-text';

export type SessionSnapshot = { scenario: SimulatorScenarioId; session: WireTerminalSession };

export type SimulatorRecords = {
  /**
   * The Dojo API requests received, oldest first, without the Authorization header: the latest
   * 5,000 to 6,000 (older ones are dropped so a long training run does not grow without end).
   */
  requests: RecordedRequest[];
  paymentIntents: WirePaymentIntent[];
  sessions: SessionSnapshot[];
  /** API refunds and refunds taken on a terminal (matched and unlinked). */
  refunds: RefundRecord[];
  terminals: WireTerminal[];
};

export type SimulatorControl = {
  /** Back to the initial terminals, no intents, sessions, refunds, records, faults or forcing. */
  reset(): void;
  /** The next session (on `terminalId`, or on any terminal) runs `scenario`; null clears. */
  forceScenario(scenario: SimulatorScenarioId | null, terminalId?: string): void;
  /** Offline freezes a live session on the terminal: it expires, its outcome unreported. */
  setTerminalStatus(terminalId: string, status: TerminalStatus): void;
  /**
   * The gap (realistic ms, scaled like every delay) between `Captured` and
   * `SignatureVerificationRequired` in sessions of the `signature-after-capture` scenario started
   * from now on. `reset()` restores the default, 1500 ms.
   */
  setSignatureGap(ms: number): void;
  injectFault(fault: FaultSpec): void;
  clearFaults(): void;
  /**
   * Random faults on every Dojo request from a seeded PRNG (see chaos.ts); replaces earlier chaos
   * settings and restarts the draw and the outage clock. Throws on invalid settings.
   */
  setChaos(spec: ChaosSpecInput): void;
  clearChaos(): void;
  /** What chaos did so far: counts by kind and one decision per request. */
  chaosReport(): ChaosStats;
  /** Starts a full outage now, for `durationMs` (every Dojo request's connection is dropped). */
  startOutage(durationMs: number): void;
  records(): SimulatorRecords;
  /**
   * Dojo takes a payment the till never saw (another device, a dropped answer): a Captured intent
   * appears in Dojo's record only, for tests of the three-way close.
   */
  holdOutsidePayment(input: OutsidePayment): WirePaymentIntent;
  /**
   * The end-of-day batch: every captured intent (or only `intentId`) is settled, after which Dojo
   * refuses a reversal of it (409) and only a refund gives money back. Returns how many.
   */
  settleCaptured(intentId?: string): number;
  /**
   * The customer adds `amount` (minor units) as a tip on the terminal in the next captured sale on
   * `terminalId` (any terminal when absent); 0 clears.
   */
  addTipOnTerminal(amount: number, terminalId?: string): void;
  readonly scenarios: readonly SimulatorScenarioTip[];
};

export function createControl(
  state: SimState,
  engine: SessionEngine,
  faults: FaultBook,
  chaos: ChaosMonkey,
): SimulatorControl {
  return {
    reset() {
      state.reset();
      faults.clear();
      chaos.clear();
    },
    forceScenario(scenario, terminalId) {
      if (terminalId) {
        if (scenario) state.forcedByTerminal.set(terminalId, scenario);
        else state.forcedByTerminal.delete(terminalId);
      } else {
        state.forcedGlobal = scenario;
      }
    },
    setTerminalStatus(terminalId, status) {
      const t = state.terminal(terminalId);
      if (!t) throw new Error(`Unknown terminal ${terminalId}`);
      state.setTerminalStatus(terminalId, status);
      if (status === 'Offline') engine.terminalWentOffline(terminalId);
    },
    setSignatureGap(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new Error('The gap is a number of ms, 0 or more');
      state.signatureGapMs = ms;
    },
    injectFault: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    setChaos: (spec) => chaos.configure(chaosSpecSchema.parse(spec)),
    clearChaos: () => chaos.clear(),
    chaosReport: () => chaos.report(),
    startOutage: (durationMs) => chaos.addOutage(durationMs),
    records: () => ({
      requests: structuredClone(state.requests),
      paymentIntents: [...state.intents.values()]
        .sort((a, b) => a.seq - b.seq)
        .map((r) => state.intentWire(r)),
      sessions: [...state.sessions.values()].map((s) => ({
        scenario: s.scenario,
        session: state.sessionWire(s),
      })),
      refunds: structuredClone(state.refunds),
      terminals: [...state.terminals.values()].map((t) => structuredClone(t.wire)),
    }),
    holdOutsidePayment(input) {
      const at = input.at ?? nowIso();
      const amount = { value: input.amount, currencyCode: input.currencyCode ?? 'GBP' };
      const wire: WirePaymentIntent = {
        id: newId('pi'),
        captureMode: 'Auto',
        cardHolderNotPresent: false,
        status: 'Captured',
        paymentMethods: ['Card'],
        amount,
        tipsAmount: null,
        totalAmount: amount,
        refundedAmount: 0,
        createdAt: at,
        updatedAt: at,
        reference: input.reference ?? `outside-${newId('tx').slice(-6)}`,
        description: null,
        itemLines: [],
        taxLines: [],
        metadata: null,
        expireAt: new Date(Date.parse(at) + 30 * 86_400_000).toISOString(),
        paymentDetails: outsideDetails(at, input.last4, input.authCode),
        terminalSessionHistory: [],
        captures: [],
      };
      state.intents.set(wire.id, { seq: state.nextSeq(), wire });
      return structuredClone(wire);
    },
    settleCaptured(intentId) {
      let n = 0;
      for (const [id, rec] of state.intents) {
        if (rec.wire.status !== 'Captured' || (intentId && id !== intentId)) continue;
        if (!state.settled.has(id)) n += 1;
        state.settled.add(id);
      }
      return n;
    },
    addTipOnTerminal(amount, terminalId) {
      if (!Number.isSafeInteger(amount) || amount < 0)
        throw new Error('A tip is a whole number of pence, 0 or more');
      const key = terminalId ?? '*';
      if (terminalId && !state.terminal(terminalId))
        throw new Error(`Unknown terminal ${terminalId}`);
      if (amount === 0) state.tipNext.delete(key);
      else state.tipNext.set(key, amount);
    },
    scenarios: simulatorScenarioTable,
  };
}

/** A card read elsewhere: random, or with the last four digits the test names. */
function outsideDetails(at: string, last4: string | undefined, authCode: string | undefined) {
  const details = { ...makePayment('Contactless', 'None', authCode), transactionDateTime: at };
  if (last4 && details.card) {
    details.card.cardNumber = `************${last4}`;
    details.card.last4PAN = last4;
  }
  return details;
}

export type OutsidePayment = {
  amount: number;
  currencyCode?: 'GBP' | 'EUR' | undefined;
  reference?: string | undefined;
  /** When Dojo captured it (ISO); now when absent. */
  at?: string | undefined;
  /** The card's last four digits (random when absent). */
  last4?: string | undefined;
  /** The auth code the terminal printed (random when absent). */
  authCode?: string | undefined;
};

const outsidePaymentInput = z
  .object({
    amount: z.number().int().min(1),
    currencyCode: z.enum(['GBP', 'EUR']).optional(),
    reference: z.string().min(1).max(100).optional(),
    at: z.iso.datetime({ offset: true }).optional(),
    last4: z
      .string()
      .regex(/^\d{4}$/)
      .optional(),
    authCode: z
      .string()
      .regex(/^[A-Za-z0-9]{1,12}$/)
      .optional(),
  })
  .strict();
const tipInput = z
  .object({ amount: z.number().int().min(0).max(1_000_000), terminalId: z.string().optional() })
  .strict();

const scenarioInput = z.object({
  scenario: simulatorScenarioIdSchema.nullable(),
  terminalId: z.string().optional(),
});
const outageInput = z.object({ durationMs: z.number().int().min(1).max(86_400_000) }).strict();
const statusInput = z.object({ status: z.enum(['Available', 'InUse', 'Offline']) });
const gapInput = z.object({ ms: z.number().finite().nonnegative().max(600_000) });

const invalid = (message: string): SimResponse => ({ status: 400, body: { error: message } });

/** The same controls over HTTP under `/__sim/…` (JSON, no auth: loopback only). */
export function handleControlRequest(
  control: SimulatorControl,
  method: string,
  path: string,
  body: unknown,
): SimResponse {
  const sub = path.slice('/__sim'.length) || '/';
  if (method === 'GET' && sub === '/records') return { status: 200, body: control.records() };
  if (method === 'GET' && sub === '/scenarios') return { status: 200, body: control.scenarios };
  if (method === 'POST' && sub === '/reset') {
    control.reset();
    return { status: 204 };
  }
  if (method === 'POST' && sub === '/scenario') {
    const parsed = scenarioInput.safeParse(body);
    if (!parsed.success) return invalid(parsed.error.message);
    control.forceScenario(parsed.data.scenario, parsed.data.terminalId);
    return { status: 204 };
  }
  if (method === 'POST' && sub === '/signature-gap') {
    const parsed = gapInput.safeParse(body);
    if (!parsed.success) return invalid(parsed.error.message);
    control.setSignatureGap(parsed.data.ms);
    return { status: 204 };
  }
  const statusParams = matchPath('/terminals/{id}/status', sub);
  if (method === 'POST' && statusParams) {
    const parsed = statusInput.safeParse(body);
    if (!parsed.success) return invalid(parsed.error.message);
    try {
      control.setTerminalStatus(statusParams.id ?? '', parsed.data.status);
    } catch (err) {
      return { status: 404, body: { error: errorText(err) } };
    }
    return { status: 204 };
  }
  if (sub === '/faults' && method === 'POST') {
    const parsed = faultSpecSchema.safeParse(isRecord(body) ? body : {});
    if (!parsed.success) return invalid(parsed.error.message);
    control.injectFault(parsed.data);
    return { status: 204 };
  }
  if (sub === '/settle' && method === 'POST') {
    const id = isRecord(body) && typeof body.intentId === 'string' ? body.intentId : undefined;
    return { status: 200, body: { settled: control.settleCaptured(id) } };
  }
  if (sub === '/terminal-tip' && method === 'POST') {
    const parsed = tipInput.safeParse(body);
    if (!parsed.success) return invalid(parsed.error.message);
    try {
      control.addTipOnTerminal(parsed.data.amount, parsed.data.terminalId);
    } catch (err) {
      return invalid(err instanceof Error ? err.message : String(err));
    }
    return { status: 204 };
  }
  if (sub === '/outside-payment' && method === 'POST') {
    const parsed = outsidePaymentInput.safeParse(body);
    if (!parsed.success) return invalid(parsed.error.message);
    return { status: 201, body: control.holdOutsidePayment(parsed.data) };
  }
  if (sub === '/chaos' && method === 'POST') {
    const parsed = chaosSpecSchema.safeParse(body);
    if (!parsed.success) return invalid(parsed.error.message);
    control.setChaos(parsed.data);
    return { status: 204 };
  }
  if (sub === '/chaos' && method === 'GET') return { status: 200, body: control.chaosReport() };
  if (sub === '/chaos' && method === 'DELETE') {
    control.clearChaos();
    return { status: 204 };
  }
  if (sub === '/outage' && method === 'POST') {
    const parsed = outageInput.safeParse(body);
    if (!parsed.success) return invalid(parsed.error.message);
    control.startOutage(parsed.data.durationMs);
    return { status: 204 };
  }
  if (sub === '/faults' && method === 'DELETE') {
    control.clearFaults();
    return { status: 204 };
  }
  return { status: 404, body: { error: `No simulator control at ${method} ${path}` } };
}
