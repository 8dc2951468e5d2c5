import { DojoSpecValidator, type Exchange } from '../../support/dojo-spec';
import { waitFor } from '../../support/wait';

/** A tiny Dojo-shaped HTTP helper for the simulator tests (deliberately not the till's client). */
export type SimReply<T = unknown> = { status: number; body: T; headers: Headers };

export type CallOptions = {
  key?: string | null;
  version?: string | null;
  partnerHeaders?: boolean;
  headers?: Record<string, string>;
  /** The test sends a body that breaks the spec on purpose: do not validate it as a request. */
  invalidBody?: true;
};

export type { Exchange };
export type ExchangeHook = (exchange: Exchange) => void;

export const DOJO_VERSION = '2026-02-27';
export const TEST_KEY = 'sk_sandbox_simulator_test_key';

let sharedValidator: DojoSpecValidator | undefined;

/** Every exchange of every simulator suite is checked against the Dojo wire schema. */
function assertMatchesSpec(exchange: Exchange): void {
  sharedValidator ??= new DojoSpecValidator();
  const problems = sharedValidator.check(exchange);
  if (problems.length > 0) throw new Error(`Not what the Dojo spec says:\n${problems.join('\n')}`);
}

export function dojo(baseUrl: string, onExchange?: ExchangeHook) {
  async function call<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    opts: CallOptions = {},
  ): Promise<SimReply<T>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const key = opts.key === undefined ? TEST_KEY : opts.key;
    if (key !== null) headers.authorization = `Basic ${key}`;
    const version = opts.version === undefined ? DOJO_VERSION : opts.version;
    if (version !== null) headers.version = version;
    const partner = opts.partnerHeaders ?? path.startsWith('/terminal');
    if (partner) {
      headers['software-house-id'] = 'softwareHouse1';
      headers['reseller-id'] = 'reseller1';
    }
    if (body !== undefined) headers['content-type'] = 'application/json';
    Object.assign(headers, opts.headers ?? {});
    const res = await fetch(baseUrl + path, {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await res.text();
    const parsed = (text ? JSON.parse(text) : undefined) as T;
    const exchange: Exchange = {
      method,
      path,
      requestBody: body,
      invalidBody: opts.invalidBody === true,
      status: res.status,
      body: parsed,
    };
    if (onExchange) onExchange(exchange);
    else assertMatchesSpec(exchange);
    return { status: res.status, body: parsed, headers: res.headers };
  }
  return { call };
}

export const TERMINALS = {
  available1: 'tm_sandbox_65f0a1c0e1d2c3b4a5960001',
  available2: 'tm_sandbox_65f0a1c0e1d2c3b4a5960002',
  available3: 'tm_sandbox_65f0a1c0e1d2c3b4a5960003',
  inUse: 'tm_sandbox_65f0a1c0e1d2c3b4a5960004',
  offline: 'tm_sandbox_65f0a1c0e1d2c3b4a5960005',
} as const;

export type Json = Record<string, unknown> & {
  id: string;
  status: string;
};

export type SessionJson = Json & {
  terminalId: string;
  expireAt: string;
  notificationEvents: Array<{ notificationType: string; createdAt: string }>;
  statusEvents: Array<{ status: string; createdAt: string; debugMessage: string }>;
  paymentDetails?: {
    card: { cardNumber: string; cardType: string; entryMode: string; verificationMethod: string };
    authCode: string;
    transactionId: string;
  };
};

const IN_FLIGHT = new Set([
  'InitiateRequested',
  'Initiated',
  'CancelRequested',
  'SignatureVerificationRequired',
]);

export function simApi(baseUrl: string, onExchange?: ExchangeHook) {
  const { call } = dojo(baseUrl, onExchange);
  return {
    call,
    async createIntent(value: number, extra: Record<string, unknown> = {}): Promise<Json> {
      const r = await call<Json>('POST', '/payment-intents', {
        amount: { value, currencyCode: 'GBP' },
        reference: `Order ${value}`,
        ...extra,
      });
      if (r.status !== 200) throw new Error(`create intent: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    },
    async startSale(
      intentId: string,
      terminalId: string = TERMINALS.available1,
    ): Promise<SessionJson> {
      const r = await call<SessionJson>('POST', '/terminal-sessions', {
        terminalId,
        details: { sessionType: 'Sale', sale: { paymentIntentId: intentId } },
      });
      if (r.status !== 200)
        throw new Error(`create session: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    },
    async session(id: string): Promise<SessionJson> {
      return (await call<SessionJson>('GET', `/terminal-sessions/${id}`)).body;
    },
    async intent(id: string): Promise<Json> {
      return (await call<Json>('GET', `/payment-intents/${id}?returnCanceled=true`)).body;
    },
    /** Polls the session until it leaves the in-flight statuses (or reaches `until`). */
    async pollUntil(
      id: string,
      until?: (s: SessionJson) => boolean,
      timeoutMs = 8000,
    ): Promise<SessionJson> {
      return waitFor(
        async () => {
          const s = (await call<SessionJson>('GET', `/terminal-sessions/${id}`)).body;
          const done = until ? until(s) : !IN_FLIGHT.has(s.status);
          return done ? s : undefined;
        },
        'the simulator',
        timeoutMs,
      );
    },
  };
}

export const notifications = (s: SessionJson): string[] =>
  s.notificationEvents.map((e) => e.notificationType);
export const statuses = (s: SessionJson): string[] => s.statusEvents.map((e) => e.status);
