import { AxiosError } from 'axios';
import { TillError, type ErrorCode } from '../../src-shared/errors';

/** What the till knows about a failed Dojo call. Never carries the key or the request headers. */
export type DojoErrorInfo = {
  operation: string;
  httpStatus: number | null;
  /** Dojo's `traceId`, kept so support can find the request. */
  traceId: string | null;
  /** Dojo's error `code` (terminal endpoints), e.g. TERMINAL_UNAVAILABLE. */
  dojoCode: string | null;
  /** Dojo's own words (title/detail/errors), shown when it refuses something. */
  dojoMessage: string | null;
  retryAfterMs: number | null;
  /** True when the request may have taken effect at Dojo (timeout, reset, 5xx). */
  ambiguous: boolean;
};

export class DojoError extends TillError {
  readonly info: DojoErrorInfo;
  constructor(code: ErrorCode, message: string, info: DojoErrorInfo, retryable: boolean) {
    super(code, message, { retryable });
    this.name = 'DojoError';
    this.info = info;
  }
}

export const isDojoError = (e: unknown): e is DojoError => e instanceof DojoError;

/** Reads a key case-insensitively: some Dojo error bodies come back PascalCase. */
function pick(body: unknown, key: string): unknown {
  if (body === null || typeof body !== 'object') return undefined;
  const lower = key.toLowerCase();
  for (const [k, v] of Object.entries(body)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

const str = (v: unknown): string | null =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : null;

function dojoWords(body: unknown): string | null {
  const parts: string[] = [];
  const title = str(pick(body, 'title'));
  const detail = str(pick(body, 'detail'));
  if (title) parts.push(title);
  if (detail && detail !== title) parts.push(detail);
  const errors = pick(body, 'errors');
  if (errors && typeof errors === 'object') {
    for (const [field, msgs] of Object.entries(errors)) {
      const list = Array.isArray(msgs)
        ? msgs.filter((m): m is string => typeof m === 'string')
        : [];
      if (list.length) parts.push(`${field}: ${list.join(', ')}`);
    }
  }
  const text = parts.join(' — ').slice(0, 400);
  return text === '' ? null : text;
}

export function parseRetryAfter(value: unknown, now = Date.now()): number | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const text = String(value).trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * Maps any failure of an axios call to a `DojoError` with one of these codes:
 * 401 → credentials, 404, 409, 422 on cancel → card already presented, 429 → rate limited,
 * 5xx/timeouts/resets → retryable and ambiguous.
 */
export function toDojoError(error: unknown, operation: string): DojoError {
  if (error instanceof DojoError) return error;
  if (error instanceof AxiosError && !error.response && /maxContentLength/.test(error.message)) {
    // The answer was cut off at the size limit: the request may well have taken effect.
    return new DojoError(
      'DOJO_HTTP',
      'Dojo sent an answer too large to read; the till will check what happened.',
      {
        operation,
        httpStatus: null,
        traceId: null,
        dojoCode: null,
        dojoMessage: null,
        retryAfterMs: null,
        ambiguous: true,
      },
      true,
    );
  }
  if (!(error instanceof AxiosError) || !error.response) {
    const reason = error instanceof AxiosError ? (error.code ?? 'network error') : 'network error';
    return new DojoError(
      'DOJO_UNREACHABLE',
      `Dojo could not be reached (${reason}). Check the internet connection; the till will keep trying.`,
      {
        operation,
        httpStatus: null,
        traceId: null,
        dojoCode: null,
        dojoMessage: null,
        retryAfterMs: null,
        ambiguous: true,
      },
      true,
    );
  }
  const status = error.response.status;
  const body: unknown = error.response.data;
  const headers = error.response.headers as Record<string, unknown>;
  const info: DojoErrorInfo = {
    operation,
    httpStatus: status,
    traceId: str(pick(body, 'traceId')) ?? str(headers['x-trace-id']) ?? null,
    dojoCode: str(pick(body, 'code')),
    dojoMessage: dojoWords(body),
    retryAfterMs: parseRetryAfter(headers['retry-after']),
    ambiguous: status >= 500,
  };
  const said = info.dojoMessage ? ` Dojo said: ${info.dojoMessage}` : '';
  if (status === 401 || status === 403) {
    return new DojoError(
      'CREDENTIALS_INVALID',
      'Dojo rejected the API key — check it in Settings',
      info,
      false,
    );
  }
  if (status === 429) {
    return new DojoError(
      'DOJO_RATE_LIMITED',
      'Dojo asked the till to slow down; it will try again shortly.',
      info,
      true,
    );
  }
  if (status >= 500) {
    return new DojoError(
      'DOJO_HTTP',
      `Dojo had a problem (HTTP ${status}); the till will try again.`,
      info,
      true,
    );
  }
  if (status === 422 && operation === 'cancelSession') {
    return new DojoError(
      'CARD_ALREADY_PRESENTED',
      'The card has already been presented, so the terminal cannot cancel now. Wait for the result on the terminal.',
      info,
      false,
    );
  }
  if (info.dojoCode === 'TERMINAL_UNAVAILABLE') {
    return new DojoError(
      'TERMINAL_BUSY',
      `The terminal is not available for a new payment.${said}`,
      info,
      true,
    );
  }
  if (status === 404)
    return new DojoError(
      'NOT_FOUND',
      `Dojo does not know that ${subject(operation)}.${said}`,
      info,
      false,
    );
  if (status === 409)
    return new DojoError(
      'CONFLICT',
      `Dojo refused: the ${subject(operation)} is in the wrong state.${said}`,
      info,
      false,
    );
  return new DojoError(
    'DOJO_HTTP',
    `Dojo refused the request (HTTP ${status}).${said}`,
    info,
    false,
  );
}

function subject(operation: string): string {
  if (/terminal/i.test(operation) && !/session/i.test(operation)) return 'terminal';
  if (/session|signature/i.test(operation)) return 'terminal session';
  if (/refund/i.test(operation)) return 'refund';
  return 'payment';
}

/** A 2xx response whose body does not match what the till relies on. */
export function malformedResponse(operation: string, issue: string): DojoError {
  return new DojoError(
    'DOJO_HTTP',
    'Dojo sent an answer the till could not read. Nothing was recorded as paid; try again or check the terminal.',
    {
      operation,
      httpStatus: 200,
      traceId: null,
      dojoCode: null,
      dojoMessage: issue.slice(0, 300),
      retryAfterMs: null,
      ambiguous: true,
    },
    true,
  );
}
