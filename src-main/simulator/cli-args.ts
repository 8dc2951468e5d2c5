import { chaosSpecSchema, type ChaosSpecInput } from './chaos';

export function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i >= 0) return args[i + 1];
  const inline = args.find((a) => a.startsWith(`${name}=`));
  return inline?.slice(name.length + 1);
}

function allValues(args: string[], name: string): string[] {
  const out: string[] = [];
  args.forEach((a, i) => {
    if (a === name && args[i + 1] !== undefined) out.push(args[i + 1] ?? '');
    else if (a.startsWith(`${name}=`)) out.push(a.slice(name.length + 1));
  });
  return out;
}

const CHAOS_FLAGS = [
  '--seed',
  '--latency-ms',
  '--drop-rate',
  '--error-rate',
  '--rate-limit-rate',
  '--retry-after',
  '--reset-after-apply-rate',
  '--outage',
];

/** Chaos flags to chaos settings (null when none is given); throws in plain words when wrong. */
export function chaosFromArgs(args: string[]): ChaosSpecInput | null {
  if (!CHAOS_FLAGS.some((f) => allValues(args, f).length > 0)) return null;
  const num = (flag: string): number | undefined => {
    const v = argValue(args, flag);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n)) throw new Error(`${flag} must be a number`);
    return n;
  };
  const spec: ChaosSpecInput = { seed: num('--seed') ?? Math.floor(Math.random() * 2 ** 32) };
  const latency = argValue(args, '--latency-ms');
  if (latency !== undefined) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(latency);
    if (!m) throw new Error('--latency-ms must be N or MIN-MAX (milliseconds)');
    spec.latencyMs = { min: Number(m[1]), max: Number(m[2] ?? m[1]) };
  }
  const rates: [string, keyof ChaosSpecInput][] = [
    ['--drop-rate', 'dropRate'],
    ['--error-rate', 'serverErrorRate'],
    ['--rate-limit-rate', 'rateLimitRate'],
    ['--reset-after-apply-rate', 'applyThenResetRate'],
    ['--retry-after', 'retryAfterSeconds'],
  ];
  for (const [flag, key] of rates) {
    const v = num(flag);
    if (v !== undefined) (spec as Record<string, unknown>)[key] = v;
  }
  spec.outages = allValues(args, '--outage').map((o) => {
    const m = /^(\d+)\+(\d+)$/.exec(o);
    if (!m) throw new Error('--outage must be START+DURATION in milliseconds, e.g. 30000+10000');
    return { startMs: Number(m[1]), durationMs: Number(m[2]) };
  });
  const parsed = chaosSpecSchema.safeParse(spec);
  if (!parsed.success)
    throw new Error(`Chaos flags: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  return spec;
}
