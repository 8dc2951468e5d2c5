import WebSocket from 'ws';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelNames, channels, type ChannelName } from '../../../src-shared/contract';
import type { Result } from '../../../src-shared/errors';
import { startBrowserMode, type BrowserMode } from '../../../src-main/server/browser-mode';
import { MAX_PAYLOAD_BYTES } from '../../../src-main/server/ws-transport';
import { seededRandom } from '../../../src-main/simulator/chaos';
import { tempDir } from '../../support/temp-dir';
import { printFigures, SEED, size } from './figures';
import { signInManager } from '../../support/staff';

/**
 * Bad input from the UI side: randomized payloads generated from the contract's own zod schemas
 * (their JSON Schema form), then broken — wrong types, missing and extra fields, boundary numbers,
 * deep nesting, hostile strings — sent to every channel through the real dispatcher over the
 * WebSocket transport of browser mode, against the real core and database. Every one must be
 * refused with a clear VALIDATION error, change nothing in the database, and leave it intact.
 */
const PAYLOADS = size(1500, 10_000);

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  prefixItems?: Schema[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  format?: string;
};

const HOSTILE = [
  '',
  ' ',
  '\u0000',
  '\u202eevil\u202c',
  '\u200f\u2066x\u2069',
  'a\u0007b\u001b[31m',
  "'; DROP TABLE orders; --",
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '__proto__',
  'constructor',
  '%s%s%n',
  '\ud800',
  '😀'.repeat(50),
  'x'.repeat(60_000),
  '1e309',
  'NaN',
  'null',
  '00000000-0000-0000-0000-000000000000',
];
const NUMBERS = [
  0,
  -0,
  -1,
  1,
  0.5,
  -0.5,
  1e308,
  -1e308,
  2 ** 53,
  2 ** 53 + 2,
  2 ** 31,
  1e-300,
  999_999_999_999,
];

function makeGen(rnd: () => number) {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const deep = (n: number): unknown => {
    let v: unknown = pick([1, 'x', null, {}]);
    for (let i = 0; i < n; i++) v = rnd() < 0.5 ? [v] : { a: v };
    return v;
  };
  const junk = (): unknown =>
    pick<() => unknown>([
      () => pick(HOSTILE),
      () => pick(NUMBERS),
      () => null,
      () => true,
      () => [],
      () => ({}),
      () => deep(1 + Math.floor(rnd() * 400)),
      () => ({ __proto__: { polluted: true }, constructor: { prototype: { x: 1 } } }),
      () => [pick(HOSTILE), pick(NUMBERS)],
    ])();

  /** A value that the schema probably accepts. */
  function valid(s: Schema, depth = 0): unknown {
    if (depth > 8) return null;
    if (s.const !== undefined) return s.const;
    if (s.enum) return pick(s.enum);
    const alts = s.anyOf ?? s.oneOf;
    if (alts) return valid(pick(alts), depth + 1);
    if (s.allOf?.[0]) return valid(s.allOf[0], depth + 1);
    const type = Array.isArray(s.type) ? pick(s.type) : s.type;
    switch (type) {
      case 'object': {
        const out: Record<string, unknown> = {};
        for (const [k, p] of Object.entries(s.properties ?? {}))
          if (s.required?.includes(k) || rnd() < 0.5) out[k] = valid(p, depth + 1);
        return out;
      }
      case 'array': {
        if (s.prefixItems) return s.prefixItems.map((p) => valid(p, depth + 1));
        const n = Math.max(s.minItems ?? 0, Math.min(s.maxItems ?? 3, 1 + Math.floor(rnd() * 2)));
        return Array.from({ length: n }, () => (s.items ? valid(s.items, depth + 1) : 1));
      }
      case 'string':
        if (s.format === 'uuid') return '3f1c2b9a-8d7e-4c6b-9a5f-1e2d3c4b5a69';
        if (s.format === 'date-time') return '2026-11-23T00:00:00Z';
        return 'abcdefgh'.slice(0, Math.max(s.minLength ?? 1, Math.min(s.maxLength ?? 8, 8)));
      case 'integer':
      case 'number':
        return Math.max(s.minimum ?? 1, Math.min(s.maximum ?? 100, 1));
      case 'boolean':
        return rnd() < 0.5;
      case 'null':
        return null;
      case undefined:
      default:
        return undefined;
    }
  }

  /** The same, broken in one or more places. */
  function broken(s: Schema, v: unknown, depth = 0): unknown {
    const r = rnd();
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && r < 0.6) {
      const o = { ...(v as Record<string, unknown>) };
      const keys = Object.keys(o);
      const k = keys.length ? pick(keys) : null;
      const how = rnd();
      if (k && how < 0.3) delete o[k];
      else if (k && how < 0.75) {
        const prop = s.properties?.[k] ?? {};
        o[k] = rnd() < 0.5 ? junk() : broken(prop, o[k], depth + 1);
      } else o[pick(['extra', '__proto__', 'constructor', 'id', 'managerPin', ''])] = junk();
      return o;
    }
    if (Array.isArray(v) && r < 0.6) {
      const a: unknown[] = [...(v as unknown[])];
      const how = rnd();
      if (how < 0.3) return [];
      if (how < 0.5) return Array.from({ length: 300 + Math.floor(rnd() * 2000) }, () => a[0] ?? 1);
      a[Math.floor(rnd() * Math.max(1, a.length))] = junk();
      return a;
    }
    if (typeof v === 'number') return pick([...NUMBERS, String(v), -v - 1, v + 0.5]);
    if (typeof v === 'string') return rnd() < 0.7 ? pick(HOSTILE) : pick(NUMBERS);
    return junk();
  }
  return { valid, broken, junk, pick };
}

const dir = tempDir();
let mode: BrowserMode;
let ws: WebSocket;
let nextId = 1;
const pending = new Map<number, (r: Result<unknown>) => void>();
function call(channel: string, input: unknown): Promise<Result<unknown>> {
  return new Promise((resolve) => {
    const id = nextId++;
    pending.set(id, resolve);
    ws.send(JSON.stringify({ id, channel, input }));
  });
}

beforeAll(async () => {
  mode = await startBrowserMode({
    port: 0,
    dataDir: dir.path,
    rendererDir: dir.path,
    env: {},
    simulatorTimeScale: 0.02,
  });
  // Signed in, so every payload reaches the input checks of its channel (not the PIN pad's).
  signInManager(mode.core);
  ws = new WebSocket(`ws://127.0.0.1:${mode.port}/ipc?token=${mode.token}`, {
    origin: `http://127.0.0.1:${mode.port}`,
  });
  ws.on('message', (data: Buffer) => {
    const msg = JSON.parse(data.toString('utf8')) as { id?: number; result?: Result<unknown> };
    if (typeof msg.id === 'number' && msg.result) {
      pending.get(msg.id)?.(msg.result);
      pending.delete(msg.id);
    }
  });
  await new Promise((r) => ws.once('open', r));
});
afterAll(async () => {
  ws?.close();
  await mode?.close();
  dir.remove();
});

describe(`bad IPC input: ${PAYLOADS} payloads from the contract's own schemas`, () => {
  it('every one is refused in plain words; the database unchanged and intact', async () => {
    const started = Date.now();
    const rnd = seededRandom(SEED);
    const gen = makeGen(rnd);
    const db = mode.core.db;
    const changes = () => db.prepare('SELECT total_changes() AS n').pluck().get() as number;
    const schemas = new Map<ChannelName, Schema>(
      channelNames.map((n) => [
        n,
        z.toJSONSchema(channels[n].input, { unrepresentable: 'any', io: 'input' }) as Schema,
      ]),
    );
    let sent = 0;
    let skippedValid = 0;
    let invariants = 0;
    const codes = new Map<string, number>();
    const check = (ok: boolean, what: () => string) => {
      invariants += 1;
      if (!ok) expect(ok, what()).toBe(true);
    };
    while (sent < PAYLOADS) {
      const channel = gen.pick(channelNames);
      const schema = schemas.get(channel) ?? {};
      const payload = rnd() < 0.15 ? gen.junk() : gen.broken(schema, gen.valid(schema));
      // What actually travels: JSON. A payload the schema accepts is not bad input: skip it.
      const text = JSON.stringify({ p: payload ?? null });
      const wire = (JSON.parse(text) as { p: unknown }).p;
      // Frames over the transport's limit close the socket (its own test covers that): keep under.
      if (
        text.length > MAX_PAYLOAD_BYTES - 1024 ||
        channels[channel].input.safeParse(wire).success
      ) {
        skippedValid += 1;
        continue;
      }
      sent += 1;
      const before = changes();
      const r = await call(channel, wire);
      const what = () =>
        `${channel} ${JSON.stringify(wire).slice(0, 300)} → ${JSON.stringify(r).slice(0, 300)}`;
      check(!r.ok, what);
      if (r.ok) continue;
      codes.set(r.error.code, (codes.get(r.error.code) ?? 0) + 1);
      check(r.error.code === 'VALIDATION', what);
      const m = r.error.message;
      check(
        m.length > 3 && m.length <= 600 && !/\n\s+at |TypeError|undefined is not/.test(m),
        what,
      );
      check(changes() === before, () => `database changed: ${what()}`);
    }
    check(db.pragma('integrity_check', { simple: true }) === 'ok', () => 'integrity_check');
    // Still serving real work afterwards.
    const list = await call('catalogue:list', {});
    check(list.ok, () => `catalogue:list after the storm: ${JSON.stringify(list).slice(0, 200)}`);
    printFigures('bad-ipc', {
      operations: sent,
      faults: sent,
      invariants,
      ms: Date.now() - started,
      extra: {
        seed: SEED,
        channels: channelNames.length,
        'valid payloads skipped': skippedValid,
        codes: [...codes.entries()].map(([k, n]) => `${k} ${n}`).join(' / '),
      },
    });
  }, 1_800_000);
});
