import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger, type Logger } from '../logging/logger';
import { ChaosMonkey } from './chaos';
import { createControl, type SimulatorControl } from './control';
import { FaultBook } from './faults';
import { KEEP_FINISHED_COUNT, KEEP_FINISHED_MS, StateFile } from './persistence';
import { handleRequest, type ServerDeps } from './server';
import { SessionEngine } from './session-engine';
import { SimState, stopTimers } from './sim-state';
import { errorText } from '../platform/error-text';

export type { SimulatorControl, SimulatorRecords, SessionSnapshot } from './control';
export type { FaultSpec } from './faults';
export type { ChaosSpecInput, ChaosStats } from './chaos';
export type { RecordedRequest, RefundRecord } from './sim-state';

export type SimulatorOptions = {
  /** 0 (default) = any free port. */
  port?: number;
  /** Default 127.0.0.1: the simulator is for this machine only. */
  host?: string;
  /** Multiplies every delay: 1 = realistic (a sale takes about 8 s); tests use ~0.02. */
  timeScale?: number;
  logger?: Logger;
  /**
   * JSON file that keeps intents, sessions, refunds and terminals across restarts (training
   * mode): loaded at start (missing = fresh, unreadable = moved aside to `<file>.corrupt-<time>`),
   * saved within 200 ms of every change and on close. Absent = in memory only.
   */
  stateFile?: string;
  /**
   * With `stateFile`: finished sessions (and intents nothing can happen to any more) older than
   * this are dropped. Default: a day of the simulator's time (24 h × `timeScale`).
   */
  keepFinishedMs?: number;
  /** With `stateFile`: at most this many finished sessions are kept, however recent (200). */
  keepFinishedCount?: number;
};

export type Simulator = {
  /** Base URL to give a Dojo client, e.g. http://127.0.0.1:43125 (no trailing slash). */
  url: string;
  control: SimulatorControl;
  /** With `stateFile`: how many times it was written, and how many bytes in all (the bench). */
  stateFileWrites(): { saves: number; bytes: number } | null;
  close(): Promise<void>;
};

/** Starts a Dojo Pay at Counter simulator speaking the 2026-02-27 wire format over HTTP. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const log = (options.logger ?? silentLogger).child('simulator');
  const timeScale = options.timeScale ?? 1;
  if (!(timeScale > 0) || !Number.isFinite(timeScale))
    throw new Error('timeScale must be a positive number');
  const state = new SimState();
  const engine = new SessionEngine(state, timeScale, log);
  const faults = new FaultBook();
  const chaos = new ChaosMonkey();
  const control = createControl(state, engine, faults, chaos);
  const store = options.stateFile
    ? new StateFile(
        options.stateFile,
        state,
        log,
        options.keepFinishedMs ?? KEEP_FINISHED_MS * timeScale,
        options.keepFinishedCount ?? KEEP_FINISHED_COUNT,
      )
    : null;
  store?.load();
  const deps: ServerDeps = { state, engine, faults, chaos, control, log, pending: new Set() };

  const server: Server = createServer((req, res) => {
    handleRequest(deps, req, res).catch((err: unknown) => {
      log.error('request failed', { error: errorText(err) });
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}`;
  log.info('simulator listening', { url, timeScale });
  if (store) {
    // Sessions that were live when the simulator stopped carry on (or end, if they are overdue).
    engine.resumeAll();
    state.onChange = () => store.schedule();
    store.schedule();
  }

  let closed = false;
  return {
    url,
    control,
    stateFileWrites: () => store?.writes() ?? null,
    close: async () => {
      if (closed) return;
      closed = true;
      for (const s of state.sessions.values()) stopTimers(s);
      for (const t of deps.pending) clearTimeout(t);
      deps.pending.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await store?.close();
    },
  };
}
