import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logging/logger';
import { handleControlRequest, type SimulatorControl } from './control';
import type { ChaosDecision, ChaosMonkey } from './chaos';
import type { FaultBook, FaultSpec } from './faults';
import {
  badRequest,
  DojoHttpError,
  errorResponse,
  problemBody,
  queryRecord,
  readBody,
  send,
  type ErrorFlavour,
  type SimResponse,
} from './http-util';
import { intentRoutes } from './intents-routes';
import { matchPath, type Route } from './routing';
import type { SessionEngine } from './session-engine';
import { nowIso, type SimState } from './sim-state';
import { terminalRoutes } from './terminals-routes';
import { errorText } from '../platform/error-text';

const ROUTES: Route[] = [...intentRoutes, ...terminalRoutes];
const VERSION_FORMAT = /^\d{4}-\d{2}-\d{2}$/;

export type ServerDeps = {
  state: SimState;
  engine: SessionEngine;
  faults: FaultBook;
  chaos: ChaosMonkey;
  control: SimulatorControl;
  log: Logger;
  /** Timers of deliberately slow answers, cleared on close. */
  pending: Set<NodeJS.Timeout>;
};

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function findRoute(
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } | 'wrong-method' | null {
  let pathKnown = false;
  for (const route of ROUTES) {
    const params = matchPath(route.pattern, path);
    if (!params) continue;
    if (route.method === method) return { route, params };
    pathKnown = true;
  }
  return pathKnown ? 'wrong-method' : null;
}

/** Dojo's header rules: the raw key after `Basic`, a `version`, and on terminal endpoints the partner ids. */
function checkHeaders(req: IncomingMessage, flavour: ErrorFlavour): void {
  const auth = header(req, 'authorization') ?? '';
  const m = /^Basic ([^\s]+)$/.exec(auth.trim());
  if (!m)
    throw new DojoHttpError(
      401,
      'Unauthorized',
      'The Authorization header must be "Basic <your secret key>".',
    );
  if ((m[1] ?? '').toLowerCase().includes('invalid')) {
    throw new DojoHttpError(
      401,
      'Unauthorized',
      'The API key is not valid. Check your credentials.',
    );
  }
  const version = header(req, 'version');
  if (!version)
    throw badRequest('The version header is required.', {
      version: ['The version header is required.'],
    });
  if (!VERSION_FORMAT.test(version))
    throw badRequest('The version header must be a date: yyyy-mm-dd.', {
      version: ['Invalid format.'],
    });
  if (flavour === 'terminals') {
    for (const name of ['software-house-id', 'reseller-id']) {
      if (!header(req, name))
        throw badRequest(`The ${name} header is required.`, {
          [name]: [`The ${name} header is required.`],
        });
    }
  }
}

function recordHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (k === 'authorization' || v === undefined) continue;
    out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

function faultResponse(
  fault: Extract<FaultSpec, { kind: 'http-error' }>,
  flavour: ErrorFlavour,
): SimResponse {
  const title =
    fault.status === 429 ? 'Too Many Requests' : fault.status >= 500 ? 'Server Error' : 'Error';
  const r: SimResponse = {
    status: fault.status,
    body: problemBody(fault.status, title, 'Injected by the simulator.', {}, flavour),
  };
  if (fault.retryAfterSeconds !== undefined)
    r.headers = { 'retry-after': String(fault.retryAfterSeconds) };
  return r;
}

function runRoute(
  deps: ServerDeps,
  req: IncomingMessage,
  url: URL,
  body: unknown,
  parseError: boolean,
): SimResponse {
  const method = req.method ?? 'GET';
  const found = findRoute(method, url.pathname);
  const flavour: ErrorFlavour = url.pathname.startsWith('/terminal') ? 'terminals' : 'payments';
  try {
    if (found === null)
      throw new DojoHttpError(404, 'Not Found', `No endpoint at ${url.pathname}.`);
    checkHeaders(req, flavour);
    if (found === 'wrong-method')
      throw new DojoHttpError(
        405,
        'Method Not Allowed',
        `${method} is not allowed on ${url.pathname}.`,
      );
    if (parseError)
      throw badRequest('The request body is not valid JSON.', {
        $: ['The JSON value could not be parsed.'],
      });
    return found.route.handler({
      state: deps.state,
      engine: deps.engine,
      params: found.params,
      query: url.searchParams,
      headers: req.headers,
      body,
    });
  } catch (err) {
    if (err instanceof DojoHttpError) return errorResponse(err, flavour);
    deps.log.error('handler failed', {
      path: url.pathname,
      error: errorText(err),
    });
    return {
      status: 500,
      body: problemBody(500, 'Internal Server Error', 'Unexpected simulator error.', {}, flavour),
    };
  }
}

/** Recorded requests kept for tests and the control API (the oldest go first). */
export const MAX_RECORDED_REQUESTS = 5000;
function wait(deps: ServerDeps, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      deps.pending.delete(t);
      resolve();
    }, ms);
    deps.pending.add(t);
  });
}

function chaosFault(d: ChaosDecision, path: string): FaultSpec | null {
  switch (d.kind) {
    case 'none':
      return null;
    case 'drop':
    case 'outage':
      return { kind: 'reset', path };
    case 'apply-then-reset':
      return { kind: 'reset', path, applyRequest: true };
    case 'server-error':
      return { kind: 'http-error', path, status: d.status };
    case 'rate-limit':
      return {
        kind: 'http-error',
        path,
        status: 429,
        retryAfterSeconds: d.retryAfterSeconds,
      };
  }
}

export async function handleRequest(
  deps: ServerDeps,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://simulator.local');
  if (url.pathname.length > 1 && url.pathname.endsWith('/'))
    url.pathname = url.pathname.slice(0, -1);
  const method = req.method ?? 'GET';
  const { raw, json, parseError } = await readBody(req);
  if (url.pathname === '/__sim' || url.pathname.startsWith('/__sim/')) {
    send(res, handleControlRequest(deps.control, method, url.pathname, json));
    return;
  }
  deps.state.requests.push({
    method,
    path: url.pathname,
    query: queryRecord(url.searchParams),
    headers: recordHeaders(req),
    body: parseError ? raw : json,
    at: nowIso(),
  });
  // Only the recent past is kept: a training till runs for days and must not grow without end.
  if (deps.state.requests.length > MAX_RECORDED_REQUESTS + 1000)
    deps.state.requests.splice(0, deps.state.requests.length - MAX_RECORDED_REQUESTS);
  // Anything but a read may change the world (saved shortly after, when persistence is on).
  if (method !== 'GET') deps.state.onChange();
  const flavour: ErrorFlavour = url.pathname.startsWith('/terminal') ? 'terminals' : 'payments';
  let fault = deps.faults.take(method, url.pathname);
  if (!fault) {
    // Chaos (when on): added latency, then maybe a fault, both from the seeded draw.
    const d: ChaosDecision | null = deps.chaos.decide(method, url.pathname);
    if (d && d.latencyMs > 0) {
      await wait(deps, d.latencyMs);
      if (res.destroyed) return;
    }
    fault = d ? chaosFault(d, url.pathname) : null;
  }
  if (fault) deps.log.info('fault injected', { kind: fault.kind, method, path: url.pathname });
  if (fault?.kind === 'http-error') {
    if (fault.applyRequest) runRoute(deps, req, url, json, parseError);
    send(res, faultResponse(fault, flavour));
    return;
  }
  if (fault?.kind === 'reset') {
    if (fault.applyRequest) runRoute(deps, req, url, json, parseError);
    req.socket.destroy();
    return;
  }
  const answer = runRoute(deps, req, url, json, parseError);
  deps.log.debug('request', { method, path: url.pathname, status: answer.status });
  if (fault?.kind === 'slow') {
    const t = setTimeout(() => {
      deps.pending.delete(t);
      send(res, answer);
    }, fault.delayMs);
    deps.pending.add(t);
    return;
  }
  send(res, answer);
}
