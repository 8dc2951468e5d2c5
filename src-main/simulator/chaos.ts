import { z } from 'zod';

/**
 * Random faults on every Dojo request, drawn from a seeded PRNG so that a failing run can be
 * replayed: the same seed and the same order of requests give the same faults. (Concurrent
 * requests may arrive in a different order from run to run; the n-th request always gets the
 * n-th draw.)
 *
 * Each request draws exactly three numbers, whatever happens to it: one picks the fault, one the
 * 5xx status, one the added latency. Rates are probabilities (0–1) and must add up to at most 1.
 */
const rate = z.number().min(0).max(1);

export const outageSchema = z.object({
  /** Milliseconds after the chaos settings were applied (real time, not scaled by timeScale). */
  startMs: z.number().int().min(0),
  durationMs: z.number().int().min(1),
});

export const chaosSpecSchema = z
  .object({
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1),
    /** Added before every answer: uniform in [min, max] ms (real time). */
    latencyMs: z
      .object({ min: z.number().int().min(0), max: z.number().int().min(0) })
      .refine((l) => l.max >= l.min, 'latencyMs.max must be at least latencyMs.min')
      .optional(),
    /** The connection is destroyed before the request takes effect. */
    dropRate: rate.default(0),
    /** A 500, 502 or 503 in Dojo's error shape; the request does not take effect. */
    serverErrorRate: rate.default(0),
    /** A 429 with `Retry-After: retryAfterSeconds`; the request does not take effect. */
    rateLimitRate: rate.default(0),
    retryAfterSeconds: z.number().int().min(0).max(3600).default(1),
    /** The request takes effect, then the connection is destroyed without an answer. */
    applyThenResetRate: rate.default(0),
    /** Windows in which every Dojo request has its connection destroyed (the internet is down). */
    outages: z.array(outageSchema).max(100).default([]),
  })
  .strict()
  .refine(
    (c) => c.dropRate + c.serverErrorRate + c.rateLimitRate + c.applyThenResetRate <= 1,
    'The fault rates must add up to at most 1',
  );

export type ChaosSpecInput = z.input<typeof chaosSpecSchema>;
export type ChaosSpec = z.output<typeof chaosSpecSchema>;

export type ChaosFault =
  | { kind: 'none' }
  | { kind: 'drop' }
  | { kind: 'outage' }
  | { kind: 'server-error'; status: 500 | 502 | 503 }
  | { kind: 'rate-limit'; retryAfterSeconds: number }
  | { kind: 'apply-then-reset' };

export type ChaosDecision = ChaosFault & { n: number; latencyMs: number };

export type ChaosStats = {
  seed: number | null;
  /** Dojo requests that went through the chaos draw. */
  requests: number;
  /** Requests that got a fault (latency alone does not count). */
  injected: number;
  byKind: Record<Exclude<ChaosFault['kind'], 'none'>, number>;
  /** One entry per request (the last 10,000), in arrival order: what it got. */
  decisions: (ChaosDecision & { method: string; path: string })[];
};

/** mulberry32: small, fast, good enough for test faults; a 32-bit seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Decisions kept for the report (the oldest go first); the counts cover every request. */
const MAX_DECISIONS = 10_000;

const SERVER_STATUSES = [500, 502, 503] as const;

export class ChaosMonkey {
  private spec: ChaosSpec | null = null;
  private random: () => number = () => 0;
  private startedAt = 0;
  private stats: ChaosStats = ChaosMonkey.emptyStats(null);
  /** Outages started by hand (control `startOutage`), absolute times; kept across configure(). */
  private manualOutages: { from: number; to: number }[] = [];

  constructor(private readonly now: () => number = () => Date.now()) {}

  private static emptyStats(seed: number | null): ChaosStats {
    return {
      seed,
      requests: 0,
      injected: 0,
      byKind: { drop: 0, outage: 0, 'server-error': 0, 'rate-limit': 0, 'apply-then-reset': 0 },
      decisions: [],
    };
  }

  /** Replaces the settings and restarts the PRNG, the outage clock and the counts. */
  configure(spec: ChaosSpec): void {
    this.spec = spec;
    this.random = seededRandom(spec.seed);
    this.startedAt = this.now();
    this.stats = ChaosMonkey.emptyStats(spec.seed);
  }

  clear(): void {
    this.spec = null;
    this.manualOutages = [];
    this.stats = ChaosMonkey.emptyStats(null);
  }

  /** A full outage from now for `durationMs`, with or without chaos settings. */
  addOutage(durationMs: number): void {
    const from = this.now();
    this.manualOutages.push({ from, to: from + durationMs });
  }

  get settings(): ChaosSpec | null {
    return this.spec;
  }

  /** Whether an outage window is open now. */
  inOutage(): boolean {
    const now = this.now();
    this.manualOutages = this.manualOutages.filter((o) => o.to > now);
    if (this.manualOutages.some((o) => now >= o.from)) return true;
    if (!this.spec) return false;
    const t = now - this.startedAt;
    return this.spec.outages.some((o) => t >= o.startMs && t < o.startMs + o.durationMs);
  }

  /** The fault for the next Dojo request (null when chaos is off). */
  decide(method: string, path: string): ChaosDecision | null {
    const spec = this.spec;
    if (!spec) {
      if (!this.inOutage()) return null;
      const n = ++this.stats.requests;
      this.stats.injected += 1;
      this.stats.byKind.outage += 1;
      this.stats.decisions.push({ kind: 'outage', n, latencyMs: 0, method, path });
      return { kind: 'outage', n, latencyMs: 0 };
    }
    const pick = this.random();
    const statusPick = this.random();
    const latencyPick = this.random();
    const n = ++this.stats.requests;
    const latencyMs = spec.latencyMs
      ? spec.latencyMs.min + Math.floor(latencyPick * (spec.latencyMs.max - spec.latencyMs.min + 1))
      : 0;
    let fault: ChaosFault;
    let edge = spec.dropRate;
    if (this.inOutage()) fault = { kind: 'outage' };
    else if (pick < edge) fault = { kind: 'drop' };
    else if (pick < (edge += spec.serverErrorRate))
      fault = {
        kind: 'server-error',
        status: SERVER_STATUSES[Math.floor(statusPick * SERVER_STATUSES.length)] ?? 500,
      };
    else if (pick < (edge += spec.rateLimitRate))
      fault = { kind: 'rate-limit', retryAfterSeconds: spec.retryAfterSeconds };
    else if (pick < (edge += spec.applyThenResetRate)) fault = { kind: 'apply-then-reset' };
    else fault = { kind: 'none' };
    if (fault.kind !== 'none') {
      this.stats.injected += 1;
      this.stats.byKind[fault.kind] += 1;
    }
    const decision: ChaosDecision = { ...fault, n, latencyMs };
    this.stats.decisions.push({ ...decision, method, path });
    if (this.stats.decisions.length > MAX_DECISIONS) this.stats.decisions.shift();
    return decision;
  }

  report(): ChaosStats {
    return structuredClone(this.stats);
  }
}
