import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A handler's answer: status plus JSON body (undefined = no body, e.g. 204). */
export type SimResponse = { status: number; body?: unknown; headers?: Record<string, string> };

/** Thrown by handlers to answer with a Dojo error. */
export class DojoHttpError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors: Record<string, string[]> = {},
    /** Machine code, sent on terminal endpoints only (TERMINAL_UNAVAILABLE, INVALID_REQUEST, …). */
    readonly code?: string,
  ) {
    super(detail);
  }
}

const TYPE_BY_STATUS: Record<number, string> = {
  400: 'https://tools.ietf.org/html/rfc7231#section-6.5.1',
  401: 'https://tools.ietf.org/html/rfc7235#section-3.1',
  403: 'https://tools.ietf.org/html/rfc7231#section-6.5.3',
  404: 'https://tools.ietf.org/html/rfc7231#section-6.5.4',
  405: 'https://tools.ietf.org/html/rfc7231#section-6.5.5',
  409: 'https://tools.ietf.org/html/rfc7231#section-6.5.8',
  422: 'https://tools.ietf.org/html/rfc4918#section-11.2',
  429: 'https://tools.ietf.org/html/rfc6585#section-4',
  500: 'https://tools.ietf.org/html/rfc7231#section-6.6.1',
  503: 'https://tools.ietf.org/html/rfc7231#section-6.6.4',
};

/** W3C trace-context id, the shape Dojo's `traceId` has. */
export function newTraceId(): string {
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
}

export type ErrorFlavour = 'payments' | 'terminals';

/** RFC 7807 body in Dojo's shape; terminal endpoints add `code`. */
export function problemBody(
  status: number,
  title: string,
  detail: string,
  errors: Record<string, string[]>,
  flavour: ErrorFlavour,
  code?: string,
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    type: TYPE_BY_STATUS[status] ?? 'about:blank',
    title,
    status,
    detail,
    traceId: newTraceId(),
    errors,
  };
  if (flavour === 'terminals') body.code = code ?? defaultCode(status);
  return body;
}

function defaultCode(status: number): string {
  if (status >= 500) return 'INTERNAL_ERROR';
  return 'INVALID_REQUEST';
}

export function errorResponse(err: DojoHttpError, flavour: ErrorFlavour): SimResponse {
  return {
    status: err.status,
    body: problemBody(err.status, err.title, err.detail, err.errors, flavour, err.code),
  };
}

export const badRequest = (
  detail: string,
  errors: Record<string, string[]> = {},
  code?: string,
): DojoHttpError =>
  new DojoHttpError(400, 'One or more validation errors occurred.', detail, errors, code);
export const notFound = (detail: string): DojoHttpError =>
  new DojoHttpError(404, 'Not Found', detail);
export const conflict = (detail: string): DojoHttpError =>
  new DojoHttpError(409, 'Conflict', detail);
export const unprocessable = (detail: string): DojoHttpError =>
  new DojoHttpError(422, 'Unprocessable Entity', detail, {}, 'INVALID_REQUEST');

export async function readBody(
  req: IncomingMessage,
): Promise<{ raw: string; json: unknown; parseError: boolean }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  if (raw.trim() === '') return { raw, json: undefined, parseError: false };
  try {
    return { raw, json: JSON.parse(raw) as unknown, parseError: false };
  } catch {
    return { raw, json: undefined, parseError: true };
  }
}

export function send(res: ServerResponse, r: SimResponse): void {
  if (res.destroyed) return;
  const headers: Record<string, string> = { ...(r.headers ?? {}) };
  if (r.body === undefined) {
    res.writeHead(r.status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(r.body);
  headers['content-type'] = 'application/json; charset=utf-8';
  headers['content-length'] = String(Buffer.byteLength(text));
  res.writeHead(r.status, headers);
  res.end(text);
}

/** Query string to a plain record; repeated keys become arrays. */
export function queryRecord(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    out[key] = all.length === 1 ? (all[0] ?? '') : all;
  }
  return out;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
