import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seededRandom, type ChaosStats } from '../../../src-main/simulator/chaos';
import { chaosFromArgs } from '../../../src-main/simulator/cli-args';
import {
  startSimulator,
  type Simulator,
  type SimulatorRecords,
} from '../../../src-main/simulator/simulator';
import { DOJO_VERSION, TEST_KEY } from './sim-client';

let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ timeScale: 0.01 });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(async () => {
  expect((await fetch(`${sim.url}/__sim/reset`, { method: 'POST' })).status).toBe(204);
});

async function control(method: string, p: string, body?: unknown): Promise<Response> {
  return fetch(`${sim.url}/__sim${p}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
}

const report = async (): Promise<ChaosStats> =>
  (await (await control('GET', '/chaos')).json()) as ChaosStats;
const records = async (): Promise<SimulatorRecords> =>
  (await (await control('GET', '/records')).json()) as SimulatorRecords;

type Outcome = { status: number | 'reset'; retryAfter?: string | null; ms: number };

/** One Dojo request, as the till's client would send it; a dropped connection is 'reset'. */
async function createIntent(value = 1000): Promise<Outcome> {
  const started = Date.now();
  try {
    const res = await fetch(`${sim.url}/payment-intents`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${TEST_KEY}`,
        version: DOJO_VERSION,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ amount: { value, currencyCode: 'GBP' }, reference: 'Chaos' }),
    });
    await res.text();
    return {
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      ms: Date.now() - started,
    };
  } catch {
    return { status: 'reset', ms: Date.now() - started };
  }
}

async function run(n: number): Promise<Outcome[]> {
  const out: Outcome[] = [];
  for (let i = 0; i < n; i++) out.push(await createIntent());
  return out;
}

describe('simulator chaos controls over HTTP', () => {
  it('the PRNG is deterministic per seed and differs between seeds', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const xs = Array.from({ length: 100 }, () => a());
    expect(Array.from({ length: 100 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 100 }, () => c())).not.toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('the same seed replays the same fault sequence; another seed does not', async () => {
    const settings = {
      seed: 20261202,
      dropRate: 0.1,
      serverErrorRate: 0.1,
      rateLimitRate: 0.1,
      applyThenResetRate: 0.1,
    };
    const kinds = async (): Promise<string[]> => {
      expect((await control('POST', '/chaos', settings)).status).toBe(204);
      const outcomes = await run(40);
      const r = await report();
      expect(r.requests).toBe(40);
      // What the client saw matches what the simulator says it did, request by request.
      r.decisions.forEach((d, i) => {
        const o = outcomes[i];
        if (d.kind === 'drop' || d.kind === 'apply-then-reset') expect(o?.status).toBe('reset');
        else if (d.kind === 'server-error') expect(o?.status).toBe(d.status);
        else if (d.kind === 'rate-limit') expect(o?.status).toBe(429);
        else expect(o?.status).toBe(200);
      });
      return r.decisions.map((d) => (d.kind === 'server-error' ? `5xx:${d.status}` : d.kind));
    };
    const first = await kinds();
    await control('POST', '/reset');
    const second = await kinds();
    expect(second).toEqual(first);
    expect(new Set(first).size).toBeGreaterThanOrEqual(4);
    await control('POST', '/reset');
    expect((await control('POST', '/chaos', { ...settings, seed: 7 })).status).toBe(204);
    await run(40);
    const other = (await report()).decisions.map((d) =>
      d.kind === 'server-error' ? `5xx:${d.status}` : d.kind,
    );
    expect(other).not.toEqual(first);
  });

  it('5xx: a Dojo-shaped error, and the request does not take effect', async () => {
    await control('POST', '/chaos', { seed: 1, serverErrorRate: 1 });
    const outcomes = await run(6);
    expect(outcomes.every((o) => [500, 502, 503].includes(o.status as number))).toBe(true);
    expect((await records()).paymentIntents).toHaveLength(0);
    expect((await report()).byKind['server-error']).toBe(6);
  });

  it('429 carries Retry-After, and the request does not take effect', async () => {
    await control('POST', '/chaos', { seed: 1, rateLimitRate: 1, retryAfterSeconds: 7 });
    const [o] = await run(1);
    expect(o).toMatchObject({ status: 429, retryAfter: '7' });
    expect((await records()).paymentIntents).toHaveLength(0);
  });

  it('a dropped connection: no answer, no effect', async () => {
    await control('POST', '/chaos', { seed: 1, dropRate: 1 });
    const [o] = await run(1);
    expect(o?.status).toBe('reset');
    expect((await records()).paymentIntents).toHaveLength(0);
  });

  it('applied then reset: no answer, but the intent exists', async () => {
    await control('POST', '/chaos', { seed: 1, applyThenResetRate: 1 });
    const [o] = await run(1);
    expect(o?.status).toBe('reset');
    expect((await records()).paymentIntents).toHaveLength(1);
  });

  it('latency: every answer comes at least the drawn delay late', async () => {
    await control('POST', '/chaos', { seed: 3, latencyMs: { min: 60, max: 90 } });
    const outcomes = await run(5);
    const r = await report();
    expect(outcomes.every((o) => o.status === 200)).toBe(true);
    r.decisions.forEach((d, i) => {
      expect(d.latencyMs).toBeGreaterThanOrEqual(60);
      expect(d.latencyMs).toBeLessThanOrEqual(90);
      expect(outcomes[i]?.ms).toBeGreaterThanOrEqual(d.latencyMs - 5);
    });
    expect(r.injected).toBe(0);
  });

  it('outage windows: every request dropped inside, normal service after', async () => {
    await control('POST', '/chaos', { seed: 1, outages: [{ startMs: 0, durationMs: 300 }] });
    const inside = await run(3);
    expect(inside.map((o) => o.status)).toEqual(['reset', 'reset', 'reset']);
    await new Promise((r) => setTimeout(r, 320));
    expect((await run(1))[0]?.status).toBe(200);
    expect((await report()).byKind.outage).toBe(3);
    expect((await records()).paymentIntents).toHaveLength(1);
  });

  it('an outage started by hand, without chaos settings', async () => {
    expect((await control('POST', '/outage', { durationMs: 250 })).status).toBe(204);
    expect((await run(2)).map((o) => o.status)).toEqual(['reset', 'reset']);
    await new Promise((r) => setTimeout(r, 270));
    expect((await run(1))[0]?.status).toBe(200);
  });

  it('control input is checked, and DELETE turns chaos off', async () => {
    for (const bad of [
      {},
      { seed: -1 },
      { seed: 1, dropRate: 1.5 },
      { seed: 1, dropRate: 0.6, serverErrorRate: 0.6 },
      { seed: 1, latencyMs: { min: 10, max: 5 } },
      { seed: 1, surprise: true },
    ]) {
      const r = await control('POST', '/chaos', bad);
      expect(r.status).toBe(400);
      expect(((await r.json()) as { error: string }).error).not.toBe('');
    }
    expect((await control('POST', '/outage', { durationMs: 0 })).status).toBe(400);
    await control('POST', '/chaos', { seed: 1, dropRate: 1 });
    expect((await control('DELETE', '/chaos')).status).toBe(204);
    expect((await run(1))[0]?.status).toBe(200);
  });

  it('CLI flags become chaos settings; wrong ones are refused in plain words', () => {
    expect(chaosFromArgs(['--port', '0'])).toBeNull();
    expect(
      chaosFromArgs([
        '--seed',
        '9',
        '--latency-ms',
        '20-80',
        '--drop-rate=0.05',
        '--error-rate',
        '0.05',
        '--rate-limit-rate',
        '0.05',
        '--retry-after',
        '2',
        '--reset-after-apply-rate',
        '0.05',
        '--outage',
        '1000+500',
        '--outage=5000+500',
      ]),
    ).toEqual({
      seed: 9,
      latencyMs: { min: 20, max: 80 },
      dropRate: 0.05,
      serverErrorRate: 0.05,
      rateLimitRate: 0.05,
      retryAfterSeconds: 2,
      applyThenResetRate: 0.05,
      outages: [
        { startMs: 1000, durationMs: 500 },
        { startMs: 5000, durationMs: 500 },
      ],
    });
    expect(() => chaosFromArgs(['--drop-rate', 'lots'])).toThrow(/--drop-rate must be a number/);
    expect(() => chaosFromArgs(['--outage', 'soon'])).toThrow(/START\+DURATION/);
    expect(() => chaosFromArgs(['--seed', '1', '--error-rate', '2'])).toThrow(/Chaos flags/);
  });

  it('npm run sim --seed … --error-rate 1 answers 5xx and says how to replay', async () => {
    const repoRoot = path.resolve(import.meta.dirname, '../../..');
    const child = spawn(
      path.join(repoRoot, 'node_modules/.bin/tsx'),
      ['src-main/simulator/cli.ts', '--port', '0', '--seed', '5', '--error-rate', '1'],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      let out = '';
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 15_000);
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const m = /listening on (http:\/\/\S+)[\s\S]*Chaos on, seed 5/.exec(out);
          if (m?.[1]) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      expect(out).toContain('--seed 5');
      const res = await fetch(`${url}/terminals?statuses=Available`, {
        headers: {
          authorization: `Basic ${TEST_KEY}`,
          version: DOJO_VERSION,
          'software-house-id': 'a',
          'reseller-id': 'b',
        },
      });
      expect([500, 502, 503]).toContain(res.status);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
