import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsImport from 'ajv-formats';

/**
 * Validates requests the till sends against Dojo's official OpenAPI spec (read from the shared
 * folder, never copied into the repo). The spec is OpenAPI 3.0: `nullable` is converted to JSON
 * Schema by hand, because validators that do not understand it next to `oneOf` silently skip.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const specPath = path.resolve(repoRoot, '../shared/dojo/openapi-2026-02-27.json');

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

const isObject = (v: Json | undefined): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** OpenAPI 3.0 → JSON Schema: `nullable`, refs into one document, vendor keys dropped. */
export function convert(node: Json): Json {
  if (Array.isArray(node)) return node.map(convert);
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(node)) {
    if (
      k.startsWith('x-') ||
      k === 'example' ||
      k === 'examples' ||
      k === 'nullable' ||
      k === 'discriminator'
    )
      continue;
    if (k === '$ref' && typeof v === 'string')
      out[k] = v.replace('#/components/schemas/', 'spec#/definitions/');
    else if (k === 'properties' && isObject(v))
      out[k] = Object.fromEntries(Object.entries(v).map(([p, s]) => [p, convert(s)]));
    else out[k] = convert(v);
  }
  if (node.nullable === true) {
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
      return out;
    }
    return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

type Operation = { parameters?: JsonObject[]; requestBody?: JsonObject };
export type SentRequest = {
  method: string;
  path: string;
  query?: Record<string, string | string[]>;
  headers: Record<string, string | undefined>;
  body?: unknown;
};
export type SpecValidator = {
  validate(request: SentRequest): string[];
  schemaFor(name: string): ValidateFunction;
};

export function loadSpecValidator(): SpecValidator {
  const spec = JSON.parse(readFileSync(specPath, 'utf8')) as JsonObject;
  const components = spec.components as JsonObject;
  const schemas = components.schemas as JsonObject;
  const parameters = components.parameters as JsonObject;
  const ajv = new Ajv({ strict: false, allErrors: true });
  const addFormats = addFormatsImport as unknown as (a: Ajv) => Ajv;
  addFormats(ajv);
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
  ajv.addFormat('int32', {
    type: 'number',
    validate: (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** 31,
  });
  ajv.addFormat('timespan', true);
  ajv.addSchema({ $id: 'spec', definitions: convert(schemas) }, 'spec');

  const paths = spec.paths as Record<string, Record<string, Operation>>;
  const templates = Object.keys(paths).map((t) => ({
    t,
    re: new RegExp('^' + t.replace(/\{[^}]+\}/g, '[^/]+') + '$'),
    literal: t.replace(/\{[^}]+\}/g, '').length,
  }));
  const cache = new Map<string, ValidateFunction>();
  const compile = (key: string, schema: Json) => {
    let fn = cache.get(key);
    if (!fn) {
      fn = ajv.compile(convert(schema) as object);
      cache.set(key, fn);
    }
    return fn;
  };
  const errorsOf = (fn: ValidateFunction) =>
    (fn.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''}`);

  return {
    schemaFor: (name) => compile(`#${name}`, { $ref: `#/components/schemas/${name}` }),
    validate(req) {
      // Prefer the most literal template: /payment-intents/search over /payment-intents/{id}.
      const match = templates
        .filter((x) => x.re.test(req.path))
        .sort((a, b) => b.literal - a.literal)[0];
      if (!match) return [`no path ${req.path} in the spec`];
      const op = paths[match.t]?.[req.method.toLowerCase()];
      if (!op) return [`no ${req.method} ${match.t} in the spec`];
      const problems: string[] = [];
      const lower = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), v]),
      );
      for (const p of op.parameters ?? []) {
        const param = (
          typeof p.$ref === 'string' ? parameters[p.$ref.split('/').pop() ?? ''] : p
        ) as JsonObject;
        const name = typeof param.name === 'string' ? param.name : '';
        const where = typeof param.in === 'string' ? param.in : '';
        const raw =
          where === 'header'
            ? lower[name.toLowerCase()]
            : where === 'query'
              ? req.query?.[name]
              : undefined;
        if (where === 'path') continue;
        if (raw === undefined) {
          if (param.required === true) problems.push(`missing ${where} parameter ${name}`);
          continue;
        }
        const schema = (param.schema ?? {}) as JsonObject;
        let value: unknown = raw;
        if (schema.type === 'boolean')
          value = raw === 'true' ? true : raw === 'false' ? false : raw;
        if (schema.type === 'array' && !Array.isArray(raw)) value = [raw];
        const fn = compile(`${match.t}#${req.method}#${name}`, schema);
        if (!fn(value)) problems.push(...errorsOf(fn).map((e) => `${where} ${name}: ${e}`));
      }
      const content = (op.requestBody?.content as JsonObject | undefined)?.['application/json'] as
        JsonObject | undefined;
      if (content?.schema) {
        const fn = compile(`${match.t}#${req.method}#body`, content.schema);
        if (!fn(req.body)) problems.push(...errorsOf(fn).map((e) => `body ${e}`));
      } else if (req.body !== undefined && req.body !== '') {
        problems.push('body sent where the spec takes none');
      }
      return problems;
    },
  };
}

/** Splits a raw URL as recorded by a server into the parts the validator needs. */
export function splitUrl(url: string): { path: string; query: Record<string, string | string[]> } {
  const u = new URL(url, 'http://x');
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(u.searchParams.keys())) {
    const all = u.searchParams.getAll(key);
    query[key] = all.length > 1 ? all : (all[0] ?? '');
  }
  return { path: u.pathname, query };
}
