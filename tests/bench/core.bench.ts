import WebSocket from 'ws';
import { startBrowserMode } from '../../src-main/server/browser-mode';
import { tempDir } from '../support/temp-dir';
import type { BenchRow } from './bench-types';

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;

/** Start-up of the whole core (training simulator included) and IPC round trips over the WebSocket. */
export async function bench(): Promise<BenchRow[]> {
  const dir = tempDir('opentill-bench-');
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const mode = await startBrowserMode({
    port: 0,
    dataDir: dir.path,
    rendererDir: dir.path,
    env: {},
  });
  const startupMs = performance.now() - t0;
  const rssAfter = process.memoryUsage().rss;

  const ws = new WebSocket(`ws://127.0.0.1:${mode.port}/ipc?token=${mode.token}`, {
    origin: `http://127.0.0.1:${mode.port}`,
  });
  await new Promise((r) => ws.once('open', r));
  const call = (id: number, channel: string, input?: unknown) =>
    new Promise<void>((resolve) => {
      ws.once('message', () => resolve());
      ws.send(JSON.stringify({ id, channel, input }));
    });
  const time = async (channel: string, input: unknown, n: number) => {
    const samples: number[] = [];
    for (let i = 0; i < n; i++) {
      const s = performance.now();
      await call(i, channel, input);
      samples.push(performance.now() - s);
    }
    return samples.sort((a, b) => a - b);
  };
  await time('app:info', undefined, 50); // warm-up
  const info = await time('app:info', undefined, 500);
  const ping = await time('app:ping', { echo: 'bench' }, 300);
  ws.close();
  await mode.close();
  dir.remove();
  return [
    {
      feature: 'core',
      name: 'start-up (DB open + migrate + seed + simulator)',
      value: startupMs,
      unit: 'ms',
      target: 1500,
    },
    {
      feature: 'core',
      name: 'RSS growth at start-up',
      value: (rssAfter - rssBefore) / 1024 / 1024,
      unit: 'MiB',
      target: 80,
    },
    {
      feature: 'ipc',
      name: 'WS round trip app:info p50',
      value: percentile(info, 0.5),
      unit: 'ms',
      target: 5,
    },
    {
      feature: 'ipc',
      name: 'WS round trip app:info p95',
      value: percentile(info, 0.95),
      unit: 'ms',
      target: 15,
    },
    {
      feature: 'ipc',
      name: 'WS round trip app:ping (DB write, FULL sync) p50',
      value: percentile(ping, 0.5),
      unit: 'ms',
      target: 10,
    },
    {
      feature: 'ipc',
      name: 'WS round trip app:ping (DB write, FULL sync) p95',
      value: percentile(ping, 0.95),
      unit: 'ms',
      target: 30,
    },
  ];
}
