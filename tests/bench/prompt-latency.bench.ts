// Prompt latency: from the simulator changing a session's status or adding a notification to the
// renderer holding it (browser mode in headless Chromium, the real core, the simulator at real
// speed), for the till's own poller and for a fixed 1-second poller (the pattern of Dojo's
// sample), both in the same run, side by side. Also the session polls each one makes per sale.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startBrowserMode } from '../../src-main/server/browser-mode';
import type { PollingOptions } from '../../src-main/payments/payment-poller';
import type { PaymentAttempt, PaymentProgress } from '../../src-shared/domain/payments';
import { launchChromium, repoRoot } from '../e2e/support/harness';
import { ready } from '../e2e/support/actions';
import { tempDir } from '../support/temp-dir';
import { percentile, type BenchRow } from './bench-types';
import { soldAsIs } from '../../src-shared/domain/basket-lines';
import type { Product } from '../../src-shared/domain/catalogue';

const TERMINAL = 'tm_sandbox_65f0a1c0e1d2c3b4a5960001';
const SALES = Number(process.env.OPENTILL_BENCH_PROMPT_SALES ?? 30);

/**
 * Records every `payments:progress` message the page's WebSocket receives, with the time, from a
 * listener added before the app's own: the app's handler puts it in the store in the same task.
 */
const RECORDER = `(() => {
  window.__progress = [];
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (ev) => {
        const t = performance.timeOrigin + performance.now();
        try {
          const m = JSON.parse(ev.data);
          if (m.event === 'payments:progress') window.__progress.push({ t, p: m.payload });
        } catch {}
      });
    }
  };
})();`;

type Seen = { t: number; p: PaymentProgress };
type SessionEvents = {
  statuses: { status: string; at: number }[];
  notifications: { type: string; at: number }[];
};

/** Latency of each event: when the first message reflecting it (or anything after it) arrived. */
function latencies(events: SessionEvents, seen: Seen[]): number[] {
  const out: number[] = [];
  let prompts = 0;
  const promptAt: number[] = [];
  for (const s of seen) {
    for (let k = 0; k < s.p.newPrompts.length; k++) promptAt[prompts++] = s.t;
  }
  events.notifications.forEach((n, k) => {
    const t = promptAt[k];
    if (t !== undefined) out.push(t - n.at);
  });
  const statusIndex = (s: Seen): number => {
    if (s.p.isFinal) return events.statuses.length;
    const st = 'sessionStatus' in s.p.state ? s.p.state.sessionStatus : null;
    if (!st) return -1;
    let idx = -1;
    events.statuses.forEach((e, i) => {
      if (e.status === st) idx = i;
    });
    return idx;
  };
  // The first status is the session's creation (the answer to the till's own request): skipped.
  events.statuses.slice(1).forEach((e, j) => {
    const k = j + 1;
    const first = seen.find((s) => statusIndex(s) >= k);
    if (first) out.push(first.t - e.at);
  });
  return out;
}

async function runTill(
  label: string,
  polling: Partial<PollingOptions> | undefined,
): Promise<{ label: string; lat: number[]; polls: number[]; events: number }> {
  const dir = tempDir('opentill-bench-prompt-');
  const mode = await startBrowserMode({
    port: 0,
    dataDir: dir.path,
    rendererDir: join(repoRoot, 'out', 'renderer'),
    env: {},
    simulatorTimeScale: 1,
    ...(polling ? { paymentPolling: polling } : {}),
  });
  // Every core action needs a signed-in member of staff (as the e2e harness does).
  mode.core.staff.signInDemo();
  const browser = await launchChromium();
  try {
    const page: Page = await browser.newPage();
    await page.addInitScript(RECORDER);
    await page.goto(mode.url);
    await ready(page);
    const call = async <T>(channel: string, input?: unknown): Promise<T> => {
      const r = await mode.core.dispatch(channel, input);
      if (!r.ok) throw new Error(`${label} ${channel}: ${r.error.message}`);
      return r.value as T;
    };
    const sim = mode.core.simulator()!;
    const products = (await call<Product[]>('catalogue:list', {})).filter(soldAsIs);
    const attempts: { id: string; sessionId: string }[] = [];
    for (let i = 0; i < SALES; i++) {
      sim.control.forceScenario(i % 5 < 3 ? 'chip-pin' : 'contactless');
      const order = await call<{ id: string }>('orders:create', {
        lines: [{ kind: 'product', productId: products[i % products.length]!.id, quantity: 1 }],
      });
      const a = await call<PaymentAttempt>('payments:start-sale', {
        orderId: order.id,
        terminalId: TERMINAL,
        idempotencyKey: randomUUID(),
      });
      let done: PaymentAttempt = a;
      while (!done.isFinal) {
        await new Promise((r) => setTimeout(r, 100));
        done = await call<PaymentAttempt>('payments:get', { attemptId: a.id });
      }
      if (done.state.kind !== 'succeeded' || !done.sessionId)
        throw new Error(`${label}: sale ended ${done.state.kind}`);
      attempts.push({ id: a.id, sessionId: done.sessionId });
      await new Promise((r) => setTimeout(r, 300));
    }
    const seen = await page.evaluate<Seen[]>('window.__progress');
    const records = sim.control.records();
    const lat: number[] = [];
    const polls: number[] = [];
    let events = 0;
    for (const a of attempts) {
      const session = records.sessions.find((s) => s.session.id === a.sessionId)?.session;
      if (!session) throw new Error(`${label}: no simulator record of ${a.sessionId}`);
      const ev: SessionEvents = {
        statuses: session.statusEvents.map((e) => ({
          status: e.status,
          at: Date.parse(e.createdAt),
        })),
        notifications: session.notificationEvents.map((e) => ({
          type: e.notificationType,
          at: Date.parse(e.createdAt),
        })),
      };
      events += ev.statuses.length - 1 + ev.notifications.length;
      lat.push(
        ...latencies(
          ev,
          seen.filter((s) => s.p.attemptId === a.id),
        ),
      );
      polls.push(
        records.requests.filter(
          (r) => r.method === 'GET' && r.path === `/terminal-sessions/${a.sessionId}`,
        ).length,
      );
    }
    return { label, lat, polls, events };
  } finally {
    await browser.close();
    await mode.close();
    dir.remove();
  }
}

export async function bench(): Promise<BenchRow[]> {
  // Both tills at once (each its own core, simulator and Chromium): the same machine load.
  const [till, fixed] = await Promise.all([
    runTill('OpenTill poller', undefined),
    runTill('fixed 1 s poller', { fastMs: 1000, slowMs: 1000, idleAfterMs: 1e9 }),
  ]);
  const p = (r: typeof till, q: number) => percentile(r.lat, q);
  const meanPolls = (r: typeof till) => r.polls.reduce((a, b) => a + b, 0) / r.polls.length;
  return [
    {
      feature: 'prompt latency',
      name: `terminal event → renderer, OpenTill poller p50 (${till.lat.length} events)`,
      value: p(till, 50),
      unit: 'ms',
      naive: { value: p(fixed, 50), what: 'fixed 1 s poller, same run' },
    },
    {
      feature: 'prompt latency',
      name: `terminal event → renderer, OpenTill poller p95 ÷ fixed 1 s poller p95`,
      value: p(till, 95) / p(fixed, 95),
      unit: '×',
      target: 0.5,
      note: `p95 ${p(till, 95).toFixed(0)} ms vs ${p(fixed, 95).toFixed(0)} ms (${fixed.lat.length} events)`,
    },
    {
      feature: 'prompt latency',
      name: 'session polls per sale, OpenTill ÷ fixed 1 s poller',
      value: meanPolls(till) / meanPolls(fixed),
      unit: '×',
      target: 2.5,
      note: `${meanPolls(till).toFixed(1)} vs ${meanPolls(fixed).toFixed(1)} per sale (${SALES} sales each, 3 in 5 chip and PIN, 2 in 5 contactless, real speed)`,
    },
  ];
}
