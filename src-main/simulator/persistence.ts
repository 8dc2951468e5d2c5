import { readFileSync, renameSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { simulatorScenarioIdSchema } from '../../src-shared/domain/simulator-scenarios';
import type { Logger } from '../logging/logger';
import { isRecord } from './http-util';
import { isFinal, nowMs, type SessionRecord, type SimState } from './sim-state';
import type {
  PaymentIntentStatus,
  TerminalSessionStatus,
  TerminalStatus,
  WirePaymentDetails,
  WirePaymentIntent,
  WireTerminal,
  WireTerminalSession,
} from './wire-types';
import { errorText } from '../platform/error-text';

/**
 * The simulator's world in a JSON file, so that training mode survives a restart of the till:
 * intents, sessions (with their whole history and where their script had got to), refunds,
 * terminals and the intent counter. Recorded requests, faults and forced scenarios are not kept.
 */

const FORMAT = 'opentill-dojo-simulator';
const VERSION = 1;
/** Characters handed to the file system in one write (`writeAtomically`). */
const WRITE_CHUNK_CHARS = 64 * 1024;
/** A change reaches the file at most this long after it happened. */
export const SAVE_DELAY_MS = 200;
/** Finished sessions (and settled intents) older than this are dropped: see `pruneFinished`. */
export const KEEP_FINISHED_MS = 24 * 60 * 60 * 1000;
/**
 * At most this many finished sessions are kept, however recent: each holds ~11 KB (its receipts),
 * and a busy training day (500 card sales) kept 5.6 MB, rewritten whole at every save.
 */
export const KEEP_FINISHED_COUNT = 200;

const SESSION_STATUSES: ReadonlySet<unknown> = new Set<TerminalSessionStatus>([
  'InitiateRequested',
  'Initiated',
  'Authorized',
  'Captured',
  'CancelRequested',
  'Canceled',
  'SignatureVerificationAccepted',
  'SignatureVerificationRejected',
  'SignatureVerificationRequired',
  'Expired',
  'Declined',
]);
const INTENT_STATUSES: ReadonlySet<unknown> = new Set<PaymentIntentStatus>([
  'Created',
  'Authorized',
  'Captured',
  'Reversed',
  'Refunded',
  'Canceled',
]);
const TERMINAL_STATUSES: ReadonlySet<unknown> = new Set<TerminalStatus>([
  'Available',
  'InUse',
  'Offline',
]);

const isDate = (v: unknown): boolean => typeof v === 'string' && !Number.isNaN(Date.parse(v));

/** Wire objects are the simulator's own output: a check of the fields it relies on is enough. */
const wire = <T>(check: (v: Record<string, unknown>) => boolean) =>
  z.custom<T>((v) => isRecord(v) && check(v));

const terminalWire = wire<WireTerminal>(
  (v) => typeof v.id === 'string' && TERMINAL_STATUSES.has(v.status) && isRecord(v.properties),
);
const intentWire = wire<WirePaymentIntent>(
  (v) =>
    typeof v.id === 'string' &&
    INTENT_STATUSES.has(v.status) &&
    isRecord(v.totalAmount) &&
    typeof v.refundedAmount === 'number' &&
    isDate(v.createdAt) &&
    Array.isArray(v.captures),
);
const sessionWire = wire<WireTerminalSession>(
  (v) =>
    typeof v.id === 'string' &&
    typeof v.terminalId === 'string' &&
    SESSION_STATUSES.has(v.status) &&
    isDate(v.expireAt) &&
    isRecord(v.details) &&
    Array.isArray(v.statusEvents) &&
    Array.isArray(v.notificationEvents),
);
const paymentWire = wire<WirePaymentDetails>(
  (v) => typeof v.transactionId === 'string' && isRecord(v.card),
);
const money = z.object({ value: z.number().int(), currencyCode: z.string() });

const fileSchema = z.object({
  format: z.literal(FORMAT),
  version: z.literal(VERSION),
  seq: z.number().int().nonnegative(),
  terminals: z.array(z.object({ wire: terminalWire, busyWith: z.string().nullable() })),
  offlineByScenario: z.array(z.string()),
  intents: z.array(z.object({ seq: z.number().int().positive(), wire: intentWire })),
  sessions: z.array(
    z.object({
      wire: sessionWire,
      scenario: simulatorScenarioIdSchema,
      intentId: z.string().nullable(),
      amount: money,
      cardPresented: z.boolean(),
      halted: z.boolean(),
      step: z.number().int().nonnegative(),
      stepAt: z.number().finite(),
      cancelDueAt: z.number().finite().nullable(),
      payment: paymentWire.nullable(),
      signatureGapMs: z.number().finite().nonnegative().optional(),
      signatureAfterCapture: z.boolean().optional(),
    }),
  ),
  refunds: z.array(
    z.object({
      refundId: z.string(),
      source: z.enum(['api', 'terminal']),
      paymentIntentId: z.string().nullable(),
      terminalSessionId: z.string().nullable(),
      amount: z.number().int(),
      currencyCode: z.string(),
      idempotencyKey: z.string().nullable(),
      refundReason: z.string().nullable(),
      notes: z.string().nullable(),
      createdAt: z.string(),
    }),
  ),
});

type SavedState = z.infer<typeof fileSchema>;

type SavedSession = SavedState['sessions'][number];

const savedSession = (s: SessionRecord): SavedSession => ({
  wire: s.wire,
  scenario: s.scenario,
  intentId: s.intentId,
  amount: s.amount,
  cardPresented: s.cardPresented,
  halted: s.halted,
  step: s.step,
  stepAt: s.stepAt,
  cancelDueAt: s.cancelDueAt,
  payment: s.payment,
  ...(s.signatureGapMs !== undefined ? { signatureGapMs: s.signatureGapMs } : {}),
  ...(s.signatureAfterCapture ? { signatureAfterCapture: true } : {}),
});

/**
 * The state as file text, in parts written one after the other. A final session never changes
 * again and carries the bulk (receipts): its JSON is made once and reused, so a save during a long
 * training day stays cheap, and no save joins the parts into one string or buffer of the whole
 * file (up to ~2.5 MB): each is a few KB, which the allocator reuses instead of fragmenting the
 * process's memory with a large block at each save.
 */
function serialize(state: SimState, finalJson: WeakMap<SessionRecord, string>): string[] {
  const rest: Omit<SavedState, 'sessions'> = {
    format: FORMAT,
    version: VERSION,
    seq: state.seq,
    terminals: [...state.terminals.values()].map((t) => ({ wire: t.wire, busyWith: t.busyWith })),
    offlineByScenario: [...state.offlineByScenario],
    intents: [...state.intents.values()].map((r) => ({ seq: r.seq, wire: r.wire })),
    refunds: state.refunds,
  };
  const sessions = [...state.sessions.values()].map((s) => {
    if (!isFinal(s)) return JSON.stringify(savedSession(s));
    let json = finalJson.get(s);
    if (json === undefined) {
      json = JSON.stringify(savedSession(s));
      finalJson.set(s, json);
    }
    return json;
  });
  const parts = [`${JSON.stringify(rest).slice(0, -1)},"sessions":[`];
  sessions.forEach((json, i) => (i === 0 ? parts.push(json) : parts.push(',', json)));
  parts.push(']}');
  return parts;
}

/** Same text: the cached parts of final sessions are the very same strings, so this is quick. */
const sameParts = (a: readonly string[] | null, b: readonly string[]): boolean =>
  a !== null && a.length === b.length && a.every((part, i) => part === b[i]);

/** Puts a saved world into a fresh state (timers are the engine's business: `resumeAll`). */
function restore(state: SimState, saved: SavedState): void {
  for (const t of saved.terminals) state.terminals.set(t.wire.id, { ...t });
  for (const id of saved.offlineByScenario) state.offlineByScenario.add(id);
  for (const r of saved.intents) state.intents.set(r.wire.id, { seq: r.seq, wire: r.wire });
  for (const s of saved.sessions) state.sessions.set(s.wire.id, { ...s, timer: null });
  for (const r of saved.refunds) {
    state.refunds.push(r);
    if (r.idempotencyKey !== null) state.refundsByKey.set(r.idempotencyKey, r);
  }
  state.seq = saved.intents.reduce((max, r) => Math.max(max, r.seq), saved.seq);
}

export type LoadResult =
  | { outcome: 'fresh' }
  | { outcome: 'loaded'; intents: number; sessions: number; refunds: number }
  | { outcome: 'corrupt'; movedTo: string | null; reason: string };

const errorCode = (err: unknown): unknown =>
  err instanceof Error && 'code' in err ? err.code : undefined;

/** Keeps a SimState in a file: loaded once at start, saved (debounced, atomically) on change. */
export class StateFile {
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private lastSaved: string[] | null = null;
  private closed = false;
  private tmpCount = 0;
  private saves = 0;
  private bytes = 0;
  private readonly finalJson = new WeakMap<SessionRecord, string>();

  constructor(
    readonly file: string,
    private readonly state: SimState,
    private readonly log: Logger,
    /** How long finished sessions are kept (a day of the simulator's time). */
    private readonly keepFinishedMs: number = KEEP_FINISHED_MS,
    /** How many finished sessions are kept at most, however recent. */
    private readonly keepFinishedCount: number = KEEP_FINISHED_COUNT,
  ) {}

  /**
   * Drops what is finished and older than `keepFinishedMs`, and the finished sessions beyond the
   * newest `keepFinishedCount`, from memory and so from the file.
   */
  private prune(): void {
    const dropped = this.state.pruneFinished(nowMs(), this.keepFinishedMs, this.keepFinishedCount);
    if (dropped.sessions > 0 || dropped.intents > 0)
      this.log.info('old finished sessions dropped from the simulator state', dropped);
  }

  /** Reads the file into the (fresh) state. Never throws: a bad file is moved aside. */
  load(): LoadResult {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (err) {
      if (errorCode(err) === 'ENOENT') {
        this.log.info('no saved simulator state: starting fresh', { file: this.file });
        return { outcome: 'fresh' };
      }
      this.log.warn('cannot read the saved simulator state: starting fresh', {
        file: this.file,
        error: errorText(err),
      });
      return { outcome: 'corrupt', movedTo: null, reason: errorText(err) };
    }
    let reason: string;
    try {
      const parsed = fileSchema.safeParse(JSON.parse(text));
      if (parsed.success) {
        restore(this.state, parsed.data);
        this.lastSaved = serialize(this.state, this.finalJson);
        this.prune();
        const counts = {
          intents: parsed.data.intents.length,
          sessions: parsed.data.sessions.length,
          refunds: parsed.data.refunds.length,
        };
        this.log.info('simulator state loaded', { file: this.file, ...counts });
        return { outcome: 'loaded', ...counts };
      }
      reason = parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; ');
    } catch (err) {
      reason = errorText(err);
    }
    return this.moveAside(reason);
  }

  private moveAside(reason: string): LoadResult {
    const movedTo = `${this.file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    try {
      renameSync(this.file, movedTo);
    } catch (err) {
      this.log.warn('the saved simulator state is unreadable and could not be moved aside', {
        file: this.file,
        reason,
        error: errorText(err),
      });
      return { outcome: 'corrupt', movedTo: null, reason };
    }
    this.log.warn('the saved simulator state is unreadable: moved aside, starting fresh', {
      file: this.file,
      movedTo,
      reason,
    });
    return { outcome: 'corrupt', movedTo, reason };
  }

  /** How many times the file was written, and how many bytes in all. */
  writes(): { saves: number; bytes: number } {
    return { saves: this.saves, bytes: this.bytes };
  }

  /** Something changed: save within SAVE_DELAY_MS (one save for a burst of changes). */
  schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.save();
    }, SAVE_DELAY_MS);
  }

  /** Saves now (if anything changed) and stops saving; resolves once the file is written. */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.closed = true;
    await this.save();
  }

  /** Writes are queued one after another; a failed one is retried at the next change. */
  private save(): Promise<void> {
    this.prune();
    const text = serialize(this.state, this.finalJson);
    if (sameParts(this.lastSaved, text)) return this.writing;
    this.lastSaved = text;
    this.writing = this.writing.then(async () => {
      try {
        await this.writeAtomically(text);
        this.saves += 1;
        this.bytes += text.reduce((n, part) => n + Buffer.byteLength(part), 0);
      } catch (err) {
        if (this.lastSaved === text) this.lastSaved = null;
        this.log.warn('could not save the simulator state', {
          file: this.file,
          error: errorText(err),
        });
      }
    });
    return this.writing;
  }

  /** A temp file beside the target, flushed to disk, then renamed over it. */
  private async writeAtomically(parts: readonly string[]): Promise<void> {
    this.tmpCount += 1;
    const tmp = `${this.file}.${process.pid}-${this.tmpCount}.tmp`;
    await mkdir(dirname(this.file), { recursive: true });
    try {
      // Training orders and card slips: readable by this user only.
      const handle = await open(tmp, 'w', 0o600);
      try {
        // In writes of up to ~64 KB, never the whole text at once (see `serialize`).
        let chunk = '';
        for (const part of parts) {
          chunk += part;
          if (chunk.length >= WRITE_CHUNK_CHARS) {
            await handle.write(chunk, null, 'utf8');
            chunk = '';
          }
        }
        if (chunk.length > 0) await handle.write(chunk, null, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(tmp, this.file);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }
}
