import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsImport from 'ajv-formats';
import { FIXTURE_PATH } from '../../scripts/extract-dojo-schema';

/**
 * The one validator of Dojo wire traffic, for every suite: requests the till's client sends (with
 * their headers and query parameters) and exchanges with the simulator (request body and answer).
 * It reads the committed wire schema `tests/fixtures/dojo-wire-schema.json` (extracted from Dojo's
 * official OpenAPI document by `npm run dojo:schema`); a missing or unreadable fixture throws, so
 * the suites fail rather than check nothing.
 *
 * The fixture is OpenAPI 3.0, so its schemas are converted to JSON Schema that ajv compiles:
 * - `nullable: true` becomes a type union with null (or `anyOf [..., {type: null}]` around
 *   `$ref`/`oneOf`/`allOf`), since `nullable` is not a JSON Schema keyword;
 * - an `allOf` of object schemas where one forbids additional properties is merged into one
 *   object (OpenAPI generators read it that way; literal JSON Schema would reject every object).
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const WIRE_SCHEMA_PATH = FIXTURE_PATH;
const SPEC_ID = 'dojo-wire';

export const isObject = (v: Json | undefined): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The committed fixture, parsed. Throws in words when it is missing, unreadable or not one. */
export function loadWireSchema(file: string = WIRE_SCHEMA_PATH): JsonObject {
  let doc: Json;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8')) as Json;
  } catch (e) {
    throw new Error(
      `The Dojo wire schema ${path.relative(process.cwd(), file) || file} could not be read ` +
        `(${(e as Error).message}). It is committed with the repository; regenerate it with ` +
        '`npm run dojo:schema -- <path to Dojo openapi-YYYY-MM-DD.json>`.',
    );
  }
  if (!isObject(doc) || !isObject(doc.paths) || !isObject(doc.components))
    throw new Error(`The Dojo wire schema ${file} has no paths or components: regenerate it.`);
  return doc;
}

function componentName(ref: string, kind = 'schemas'): string {
  const prefix = `#/components/${kind}/`;
  if (!ref.startsWith(prefix)) throw new Error(`Unsupported $ref ${ref}`);
  return ref.slice(prefix.length);
}

class SchemaConverter {
  constructor(private readonly components: JsonObject) {}

  private resolve(schema: JsonObject): JsonObject {
    const ref = schema.$ref;
    if (typeof ref !== 'string') return schema;
    const target = this.components[componentName(ref)];
    if (!isObject(target)) throw new Error(`dangling ${ref}`);
    return this.resolve(target);
  }

  private mergeAllOf(parts: JsonObject[]): JsonObject | null {
    const resolved = parts.map((p) => this.resolve(p));
    const objects = resolved.every((p) => p.type === 'object' || isObject(p.properties));
    if (parts.length < 2 || !objects || !resolved.some((p) => p.additionalProperties === false))
      return null;
    const properties: JsonObject = {};
    const required = new Set<string>();
    for (const p of resolved) {
      if (isObject(p.properties)) Object.assign(properties, p.properties);
      if (Array.isArray(p.required))
        for (const r of p.required) if (typeof r === 'string') required.add(r);
    }
    return { type: 'object', properties, required: [...required], additionalProperties: false };
  }

  convert(input: Json): Json {
    if (Array.isArray(input)) return input.map((v) => this.convert(v));
    if (!isObject(input)) return input;
    let schema: JsonObject = input;
    if (Array.isArray(schema.allOf)) {
      const merged = this.mergeAllOf(schema.allOf.filter(isObject));
      if (merged) {
        const { allOf: _allOf, ...rest } = schema;
        schema = { ...rest, ...merged };
      }
    }
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(schema)) {
      if (key === 'nullable') continue;
      if (key === '$ref' && typeof value === 'string')
        out.$ref = `${SPEC_ID}#/definitions/${componentName(value)}`;
      else if (key === 'properties' && isObject(value))
        out.properties = Object.fromEntries(
          Object.entries(value).map(([k, v]) => [k, this.convert(v)]),
        );
      else if (key === 'enum' || key === 'required' || key === 'default') out[key] = value;
      else out[key] = this.convert(value);
    }
    if (schema.nullable !== true) return out;
    if (
      typeof out.type === 'string' &&
      out.$ref === undefined &&
      out.oneOf === undefined &&
      out.allOf === undefined
    ) {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
      return out;
    }
    return { anyOf: [out, { type: 'null' }] };
  }

  definitions(): JsonObject {
    return Object.fromEntries(
      Object.entries(this.components).map(([name, s]) => [name, this.convert(s)]),
    );
  }
}

// ajv-formats is CommonJS; under ESM its default export may arrive wrapped.
type AddFormats = (ajv: Ajv) => Ajv;
const addFormats: AddFormats =
  (addFormatsImport as unknown as { default?: AddFormats }).default ?? addFormatsImport;

type Operation = { id: string; method: string; template: string; op: JsonObject };

/** A request as a server received it (headers and query included). */
export type SentRequest = {
  method: string;
  path: string;
  query?: Record<string, string | string[]>;
  headers: Record<string, string | undefined>;
  body?: unknown;
};

/** One request/answer pair with the simulator. */
export type Exchange = {
  method: string;
  path: string;
  requestBody: unknown;
  /** The test sent a body that breaks the spec on purpose: the request is not validated. */
  invalidBody: boolean;
  status: number;
  body: unknown;
};

const METHODS = ['get', 'post', 'put', 'delete', 'patch'];

export class DojoSpecValidator {
  private readonly ops: Operation[] = [];
  private readonly cache = new Map<string, ValidateFunction>();
  private readonly ajv: Ajv;
  private readonly converter: SchemaConverter;
  private readonly parameters: JsonObject;
  /** `operationId status` pairs seen by `check`, to prove a suite covered every answer type. */
  readonly covered = new Set<string>();
  /** Statuses answered that the spec does not declare for that operation. */
  readonly undeclared = new Set<string>();
  checked = 0;

  constructor(doc: JsonObject = loadWireSchema()) {
    const comps = isObject(doc.components) ? doc.components : {};
    if (!isObject(comps.schemas)) throw new Error('wire schema has no components.schemas');
    this.parameters = isObject(comps.parameters) ? comps.parameters : {};
    this.ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(this.ajv);
    this.ajv.addFormat('int64', {
      type: 'number',
      validate: (n: number) => Number.isSafeInteger(n),
    });
    // Dojo's own format for `autoExpireIn`: [d.]hh:mm:ss.
    this.ajv.addFormat('timespan', /^(\d+\.)?\d{2}:\d{2}:\d{2}$/);
    this.converter = new SchemaConverter(comps.schemas);
    this.ajv.addSchema({ $id: SPEC_ID, definitions: this.converter.definitions() });
    const paths = isObject(doc.paths) ? doc.paths : {};
    for (const [template, item] of Object.entries(paths)) {
      if (!isObject(item)) continue;
      for (const method of METHODS) {
        const op = item[method];
        if (!isObject(op)) continue;
        const id = typeof op.operationId === 'string' ? op.operationId : `${method} ${template}`;
        this.ops.push({ id, method: method.toUpperCase(), template, op });
      }
    }
  }

  /** `METHOD /template` of every operation the schema holds. */
  operations(): string[] {
    return this.ops.map((o) => `${o.method} ${o.template}`);
  }

  private validator(key: string, schema: Json): ValidateFunction {
    let v = this.cache.get(key);
    if (!v) {
      v = this.ajv.compile(this.converter.convert(schema) as JsonObject);
      this.cache.set(key, v);
    }
    return v;
  }

  /** A component schema by name, compiled. */
  component(name: string): ValidateFunction {
    return this.validator(`component:${name}`, { $ref: `#/components/schemas/${name}` });
  }

  /** The operation for a concrete path; literal segments win (`/payment-intents/search`). */
  find(method: string, urlPath: string): Operation | undefined {
    const segments = urlPath.split('?')[0]?.split('/') ?? [];
    const literals = (o: Operation) =>
      o.template.split('/').filter((s) => !s.startsWith('{')).length;
    return this.ops
      .filter((o) => {
        if (o.method !== method.toUpperCase()) return false;
        const t = o.template.split('/');
        return (
          t.length === segments.length && t.every((s, i) => s.startsWith('{') || s === segments[i])
        );
      })
      .sort((a, b) => literals(b) - literals(a))[0];
  }

  private errorsOf(v: ValidateFunction, data: unknown): string[] {
    if (v(data)) return [];
    return (v.errors ?? []).map(
      (e) => `${e.instancePath || '(root)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
    );
  }

  private bodySchema(op: JsonObject): Json | undefined {
    const rb = op.requestBody;
    const content =
      isObject(rb) && isObject(rb.content) ? rb.content['application/json'] : undefined;
    return isObject(content) ? content.schema : undefined;
  }

  /** Everything wrong with a request the till sent: parameters, headers and body. */
  /**
   * The requests a simulator recorded that break Dojo's wire schema, each as
   * `METHOD path: problem; problem`; empty when every one is valid.
   */
  recordedProblems(
    requests: readonly (Omit<SentRequest, 'body'> & { body?: unknown })[],
  ): string[] {
    return requests.flatMap((r) => {
      const problems = this.validateRequest({ ...r, body: r.body ?? undefined });
      return problems.length === 0 ? [] : [`${r.method} ${r.path}: ${problems.join('; ')}`];
    });
  }

  validateRequest(req: SentRequest): string[] {
    const found = this.find(req.method, req.path);
    if (!found) return [`no ${req.method} ${req.path} in the Dojo wire schema`];
    const problems: string[] = [];
    const lower = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), v]),
    );
    const params = (Array.isArray(found.op.parameters) ? found.op.parameters : []).filter(isObject);
    for (const p of params) {
      const param =
        typeof p.$ref === 'string' ? this.parameters[componentName(p.$ref, 'parameters')] : p;
      if (!isObject(param)) {
        problems.push(`dangling parameter ${JSON.stringify(p.$ref)}`);
        continue;
      }
      const name = typeof param.name === 'string' ? param.name : '';
      const where = typeof param.in === 'string' ? param.in : '';
      if (where === 'path') continue;
      const raw =
        where === 'header'
          ? lower[name.toLowerCase()]
          : where === 'query'
            ? req.query?.[name]
            : undefined;
      if (raw === undefined) {
        if (param.required === true) problems.push(`missing ${where} parameter ${name}`);
        continue;
      }
      const schema = isObject(param.schema) ? param.schema : {};
      let value: unknown = raw;
      if (schema.type === 'boolean') value = raw === 'true' ? true : raw === 'false' ? false : raw;
      if (schema.type === 'array' && !Array.isArray(raw)) value = [raw];
      const v = this.validator(`param:${found.id}:${where}:${name}`, schema);
      problems.push(...this.errorsOf(v, value).map((e) => `${where} ${name}: ${e}`));
    }
    const schema = this.bodySchema(found.op);
    if (schema !== undefined)
      problems.push(
        ...this.errorsOf(this.validator(`req:${found.id}`, schema), req.body).map(
          (e) => `body ${e}`,
        ),
      );
    else if (req.body !== undefined && req.body !== '')
      problems.push('body sent where the spec takes none');
    return problems;
  }

  /** Everything wrong with an exchange with the simulator (request body and answer). */
  check(x: Exchange): string[] {
    this.checked += 1;
    const where = `${x.method} ${x.path} → ${x.status}`;
    const op = this.find(x.method, x.path);
    const problems: string[] = [];
    if (op && x.requestBody !== undefined && !x.invalidBody) {
      const schema = this.bodySchema(op.op);
      if (schema === undefined) problems.push(`${where}: the spec takes no JSON body`);
      else
        problems.push(
          ...this.errorsOf(this.validator(`req:${op.id}`, schema), x.requestBody).map(
            (e) => `${where} request ${e}`,
          ),
        );
    }
    const responses = op && isObject(op.op.responses) ? op.op.responses : {};
    const declared = responses[String(x.status)];
    if (op && isObject(declared)) {
      this.covered.add(`${op.id} ${x.status}`);
      const content = isObject(declared.content) ? declared.content['application/json'] : undefined;
      if (!isObject(content)) {
        if (x.body !== undefined) problems.push(`${where}: the spec declares no body, got one`);
      } else {
        const v = this.validator(`res:${op.id}:${x.status}`, content.schema ?? {});
        problems.push(...this.errorsOf(v, x.body).map((e) => `${where} ${e}`));
      }
    } else {
      // Not declared for this operation (or no operation): it must still be a Dojo error.
      this.undeclared.add(`${op?.id ?? `${x.method} ${x.path}`} ${x.status}`);
      const names = x.path.startsWith('/terminal')
        ? ['ProblemDetailsTerminals', 'Error']
        : ['ProblemDetails', 'ErrorResponse'];
      for (const name of names)
        problems.push(
          ...this.errorsOf(this.component(name), x.body).map((e) => `${where} as ${name} ${e}`),
        );
    }
    // Beyond the schema (its fields are all optional): Dojo always sends these in an error.
    if (x.status >= 400) {
      const b = x.body as Json;
      if (!isObject(b) || typeof b.traceId !== 'string' || typeof b.title !== 'string')
        problems.push(`${where}: error without title/traceId`);
    }
    return problems;
  }
}

/** Splits a raw URL as recorded by a server into the parts `validateRequest` needs. */
export function splitUrl(url: string): { path: string; query: Record<string, string | string[]> } {
  const u = new URL(url, 'http://x');
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(u.searchParams.keys())) {
    const all = u.searchParams.getAll(key);
    query[key] = all.length > 1 ? all : (all[0] ?? '');
  }
  return { path: u.pathname, query };
}
