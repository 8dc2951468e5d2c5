import { randomBytes, randomUUID } from 'node:crypto';
import type { SimulatorScenarioId } from '../../src-shared/domain/simulator-scenarios';
import type {
  TerminalStatus,
  WireMoney,
  WirePaymentDetails,
  WirePaymentIntent,
  WireSessionHistory,
  WireTerminal,
  WireTerminalSession,
} from './wire-types';

export type RecordedRequest = {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  body: unknown;
  at: string;
};

export type IntentRecord = { seq: number; wire: WirePaymentIntent };

export type SessionRecord = {
  wire: WireTerminalSession;
  scenario: SimulatorScenarioId;
  /** The intent this session pays into (Sale) or refunds from (MatchedRefund). */
  intentId: string | null;
  /** Amount the session moves: the sale total, or the refund amount. */
  amount: WireMoney;
  cardPresented: boolean;
  /** The script was stopped (cancel, terminal offline, final state): no further steps run. */
  halted: boolean;
  /** Index of the next script step to run. */
  step: number;
  /** When (epoch ms) the previous step ran: the next one is due `after` (scaled) later. */
  stepAt: number;
  /** When a requested cancel completes (epoch ms); null when none is on its way. */
  cancelDueAt: number | null;
  /** The one timer of a live session: its next step, cancel or deadline, whichever is first. */
  timer: NodeJS.Timeout | null;
  /** Card used, decided when the card is first read, reused for receipts and details. */
  payment: WirePaymentDetails | null;
  /**
   * `signature-after-capture` only: the realistic gap (ms, scaled when run) between `Captured`
   * and `SignatureVerificationRequired`, fixed when the session starts.
   */
  signatureGapMs?: number | undefined;
  /** True while the session shows `Captured` but its signature check is still to come. */
  signatureAfterCapture?: boolean | undefined;
};

export type RefundRecord = {
  refundId: string;
  source: 'api' | 'terminal';
  paymentIntentId: string | null;
  terminalSessionId: string | null;
  amount: number;
  currencyCode: string;
  idempotencyKey: string | null;
  refundReason: string | null;
  notes: string | null;
  createdAt: string;
};

type TerminalRecord = { wire: WireTerminal; busyWith: string | null };

const INITIAL_TERMINALS: ReadonlyArray<{ id: string; tid: string; status: TerminalStatus }> = [
  { id: 'tm_sandbox_65f0a1c0e1d2c3b4a5960001', tid: '28340001', status: 'Available' },
  { id: 'tm_sandbox_65f0a1c0e1d2c3b4a5960002', tid: '28340002', status: 'Available' },
  { id: 'tm_sandbox_65f0a1c0e1d2c3b4a5960003', tid: '28340003', status: 'Available' },
  { id: 'tm_sandbox_65f0a1c0e1d2c3b4a5960004', tid: '28340004', status: 'InUse' },
  { id: 'tm_sandbox_65f0a1c0e1d2c3b4a5960005', tid: '28340005', status: 'Offline' },
];

/** The default of `SimState.signatureGapMs` (the `signature-after-capture` scenario). */
export const DEFAULT_SIGNATURE_GAP_MS = 1500;

let clockOverride: number | null = null;

/** The simulator's clock: the wall clock, except while `atTime` replays a missed event. */
export const nowMs = (): number => clockOverride ?? Date.now();
export const nowIso = (): string => new Date(nowMs()).toISOString();

/**
 * Runs `fn` (synchronous) with the clock set to `ms`: a session resumed after a restart replays
 * the events it missed with the timestamps they would have had.
 */
export function atTime(ms: number, fn: () => void): void {
  const saved = clockOverride;
  clockOverride = ms;
  try {
    fn();
  } finally {
    clockOverride = saved;
  }
}

export function newId(prefix: 'pi' | 'ts' | 'rf' | 'cp' | 'rv' | 'tx'): string {
  if (prefix === 'ts') return `ts_sandbox_${randomBytes(12).toString('hex')}`;
  if (prefix === 'tx') return randomUUID();
  return `${prefix}_sandbox_${randomBytes(16).toString('base64url')}`;
}

/** Everything the simulated Dojo knows. One instance per simulator; `reset()` empties it. */
export class SimState {
  readonly terminals = new Map<string, TerminalRecord>();
  readonly intents = new Map<string, IntentRecord>();
  readonly sessions = new Map<string, SessionRecord>();
  readonly refunds: RefundRecord[] = [];
  readonly refundsByKey = new Map<string, RefundRecord>();
  /** Captured intents the acquirer has settled: Dojo refuses to reverse them (refund instead). */
  readonly settled = new Set<string>();
  readonly requests: RecordedRequest[] = [];
  forcedGlobal: SimulatorScenarioId | null = null;
  readonly forcedByTerminal = new Map<string, SimulatorScenarioId>();
  /** Terminals the offline scenario took down; they come back when the session expires. */
  readonly offlineByScenario = new Set<string>();
  /** Gap (realistic ms) between `Captured` and the late signature check of new sessions. */
  signatureGapMs: number = DEFAULT_SIGNATURE_GAP_MS;
  /**
   * A tip the customer adds on the terminal in the next captured sale (per terminal id, or `*`
   * for any terminal), in minor units; used once.
   */
  readonly tipNext = new Map<string, number>();
  /** Last intent sequence number (search order and cursors). */
  seq = 0;
  /** Called after anything that changes the simulated world (persistence listens). */
  onChange: () => void = () => undefined;

  constructor() {
    this.reset();
  }

  reset(): void {
    for (const s of this.sessions.values()) stopTimers(s);
    this.terminals.clear();
    for (const t of INITIAL_TERMINALS) {
      this.terminals.set(t.id, {
        wire: { id: t.id, properties: { tid: t.tid }, status: t.status, updatedAt: nowIso() },
        busyWith: null,
      });
    }
    this.intents.clear();
    this.settled.clear();
    this.sessions.clear();
    this.refunds.length = 0;
    this.refundsByKey.clear();
    this.requests.length = 0;
    this.forcedGlobal = null;
    this.forcedByTerminal.clear();
    this.offlineByScenario.clear();
    this.signatureGapMs = DEFAULT_SIGNATURE_GAP_MS;
    this.tipNext.clear();
    this.onChange();
  }

  nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }

  terminal(id: string): TerminalRecord | undefined {
    return this.terminals.get(id);
  }

  setTerminalStatus(id: string, status: TerminalStatus): void {
    const t = this.terminals.get(id);
    if (!t || t.wire.status === status) return;
    t.wire = { ...t.wire, status, updatedAt: nowIso() };
    this.onChange();
  }

  /** The scenario the next session on this terminal runs, consuming a forced one if set. */
  takeForcedScenario(terminalId: string): SimulatorScenarioId | null {
    const perTerminal = this.forcedByTerminal.get(terminalId);
    if (perTerminal) {
      this.forcedByTerminal.delete(terminalId);
      return perTerminal;
    }
    const global = this.forcedGlobal;
    this.forcedGlobal = null;
    return global;
  }

  /**
   * Forgets what can no longer change and is older than `keepMs` (by its last update), so a long
   * training day does not grow the saved world without end:
   * - finished sessions (a final status; the till has long read their outcome), and, whatever
   *   their age, all but the newest `keepCount` of them (a busy day of card sales);
   * - intents that nothing can happen to any more — `Canceled` or `Reversed` — with no session
   *   left pointing at them. `Created` and `Captured` intents are kept: a sale may be tried again
   *   on the first, and the second may still be refunded (API refunds of an old sale go through
   *   the intent). `Refunded` ones are kept too: a repeated refund request with the same
   *   idempotency key must still get the same answer.
   * Refund records stay (they are few).
   */
  pruneFinished(
    now: number,
    keepMs: number,
    keepCount = Infinity,
  ): { sessions: number; intents: number } {
    const cutoff = now - keepMs;
    const old = (iso: string) => Date.parse(iso) < cutoff;
    const finished = [...this.sessions.values()].filter(isFinal);
    // Beyond the newest `keepCount` finished sessions, the rest go whatever their age.
    const surplus = new Set(
      finished.length > keepCount
        ? finished
            .sort((a, b) => Date.parse(b.wire.updatedAt) - Date.parse(a.wire.updatedAt))
            .slice(keepCount)
        : [],
    );
    let sessions = 0;
    for (const s of finished) {
      if (surplus.has(s) || old(s.wire.updatedAt)) {
        stopTimers(s);
        this.sessions.delete(s.wire.id);
        sessions += 1;
      }
    }
    const referenced = new Set<string>();
    for (const s of this.sessions.values()) if (s.intentId) referenced.add(s.intentId);
    let intents = 0;
    for (const [id, r] of this.intents) {
      const w = r.wire;
      const settled = w.status === 'Canceled' || w.status === 'Reversed';
      if (settled && old(w.updatedAt) && !referenced.has(id)) {
        this.intents.delete(id);
        intents += 1;
      }
    }
    return { sessions, intents };
  }

  sessionsOfIntent(intentId: string): SessionRecord[] {
    return [...this.sessions.values()].filter((s) => s.intentId === intentId);
  }

  liveSessionOfIntent(intentId: string): SessionRecord | undefined {
    return this.sessionsOfIntent(intentId).find(
      (s) => s.wire.details.sessionType === 'Sale' && !isFinal(s),
    );
  }

  /** The intent as Dojo would return it, with the session history derived from the sessions. */
  intentWire(rec: IntentRecord): WirePaymentIntent {
    const history: WireSessionHistory[] = this.sessionsOfIntent(rec.wire.id).map((s) =>
      historyEntry(s),
    );
    return structuredClone({ ...rec.wire, terminalSessionHistory: history });
  }

  sessionWire(rec: SessionRecord): WireTerminalSession {
    return structuredClone(rec.wire);
  }
}

export const FINAL_SESSION_STATUSES = new Set([
  'Authorized',
  'Captured',
  'Canceled',
  'SignatureVerificationAccepted',
  'SignatureVerificationRejected',
  'Expired',
  'Declined',
]);

/** `Captured` is not the end while a late signature check is still to come. */
export function isFinal(s: SessionRecord): boolean {
  return FINAL_SESSION_STATUSES.has(s.wire.status) && s.signatureAfterCapture !== true;
}

export function stopTimers(s: SessionRecord): void {
  if (s.timer) clearTimeout(s.timer);
  s.timer = null;
}

function historyEntry(s: SessionRecord): WireSessionHistory {
  const w = s.wire;
  const card = s.payment?.card;
  return {
    terminalSession: {
      id: w.id,
      terminalId: w.terminalId,
      status: w.status,
      expireAt: w.expireAt,
      createdAt: w.createdAt,
      updatedAt: w.updatedAt,
      notificationEvents: w.notificationEvents,
      statusEvents: w.statusEvents,
      details: w.details,
    },
    payment:
      s.payment && card
        ? {
            transactionDateTime: s.payment.transactionDateTime,
            cardNumber: card.cardNumber,
            expiryDate: card.expiryDate,
            cardType: card.cardType,
            authGatewayTransactionId: s.payment.transactionId,
            cardHolderName: card.cardName,
            entryMode: card.entryMode,
            verificationMode: card.verificationMethod,
          }
        : null,
  };
}
