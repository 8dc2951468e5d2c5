import type { IncomingHttpHeaders } from 'node:http';
import type { z } from 'zod';
import { badRequest, type ErrorFlavour, type SimResponse } from './http-util';
import type { SessionEngine } from './session-engine';
import type { SimState } from './sim-state';

export type RouteContext = {
  state: SimState;
  engine: SessionEngine;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
};

export type Route = {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  pattern: string;
  flavour: ErrorFlavour;
  handler: (ctx: RouteContext) => SimResponse;
};

/** Matches `/a/{id}/b` against a path; returns the decoded parameters or null. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i += 1) {
    const w = want[i] ?? '';
    const g = got[i] ?? '';
    if (w.startsWith('{') && w.endsWith('}')) {
      if (g === '') return null;
      params[w.slice(1, -1)] = decodeURIComponent(g);
    } else if (w !== g) {
      return null;
    }
  }
  return params;
}

/** Dojo reports validation errors per field, with .NET-style PascalCase names. */
function fieldName(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return '$';
  return path
    .map((p) =>
      typeof p === 'number' ? `[${p}]` : String(p).charAt(0).toUpperCase() + String(p).slice(1),
    )
    .join('.')
    .replace(/\.\[/g, '[');
}

/** Parses a request body with a zod schema, answering 400 in Dojo's shape when it does not fit. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  if (body === undefined)
    throw badRequest('A non-empty request body is required.', {
      $: ['A non-empty request body is required.'],
    });
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const errors: Record<string, string[]> = {};
  for (const issue of result.error.issues) {
    const key = fieldName(issue.path);
    (errors[key] ??= []).push(issue.message);
  }
  throw badRequest('One or more fields are invalid.', errors);
}
