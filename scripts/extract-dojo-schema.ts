/**
 * Extracts the Dojo wire schema the project relies on from Dojo's official OpenAPI document:
 *
 *   npm run dojo:schema -- <path to Dojo's openapi-YYYY-MM-DD.json> [output file]
 *
 * It keeps only the operations OpenTill's client calls and its simulator serves (plus the ones
 * features are being built on), with their parameters and request/response schemas: field names,
 * types, formats, enums, lengths, patterns, required lists and the nullable/oneOf/allOf structure,
 * and every component schema they reach through `$ref` (kept as refs). No prose survives: every
 * description, summary, title, example and `x-` extension is dropped. The result is the committed
 * fixture `tests/fixtures/dojo-wire-schema.json` that the spec validator in `tests/support/` reads.
 * The freshness test re-runs `extractWireSchema` on the official document when it can find it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** `METHOD /template`, in the order the fixture lists them. */
export const WIRE_OPERATIONS = [
  'POST /payment-intents',
  'GET /payment-intents/{paymentIntentId}',
  'DELETE /payment-intents/{paymentIntentId}',
  'POST /payment-intents/{paymentIntentId}/captures',
  'POST /payment-intents/{paymentIntentId}/reversal',
  'POST /payment-intents/{paymentIntentId}/refunds',
  'POST /payment-intents/{paymentIntentId}/receipt',
  'POST /payment-intents/search',
  'GET /terminals',
  'GET /terminals/{terminalId}',
  'POST /terminal-sessions',
  'GET /terminal-sessions/{terminalSessionId}',
  'PUT /terminal-sessions/{terminalSessionId}/cancel',
  'PUT /terminal-sessions/{terminalSessionId}/signature',
] as const;

/**
 * Components kept although no operation above reaches them: `ErrorResponse` is the closed error
 * shape Dojo's payment endpoints answer with on statuses an operation does not declare (the
 * simulator's injected 429/500/503 are checked against it).
 */
export const WIRE_EXTRA_SCHEMAS = ['ErrorResponse'] as const;

export const FIXTURE_PATH = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../tests/fixtures/dojo-wire-schema.json',
);

/** JSON Schema / OpenAPI schema keywords that carry wire facts; everything else is dropped. */
const SCHEMA_KEYWORDS = new Set([
  '$ref',
  'type',
  'format',
  'enum',
  'nullable',
  'required',
  'properties',
  'additionalProperties',
  'items',
  'oneOf',
  'anyOf',
  'allOf',
  'not',
  'default',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'uniqueItems',
  'multipleOf',
]);
const PARAMETER_KEYWORDS = ['name', 'in', 'required', 'style', 'explode', 'schema'];
const MEDIA_TYPE = 'application/json';

const isObject = (v: Json | undefined): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function fail(message: string): never {
  throw new Error(`Dojo OpenAPI document: ${message}`);
}

class Extractor {
  readonly schemas = new Set<string>();
  readonly parameters = new Set<string>();

  constructor(private readonly doc: JsonObject) {}

  private component(kind: 'schemas' | 'parameters', name: string): JsonObject {
    const comps = this.doc.components;
    const group = isObject(comps) ? comps[kind] : undefined;
    const found = isObject(group) ? group[name] : undefined;
    if (!isObject(found)) fail(`#/components/${kind}/${name} is missing`);
    return found;
  }

  ref(ref: string): string {
    const m = /^#\/components\/(schemas|parameters)\/([^/]+)$/.exec(ref);
    if (!m) fail(`unsupported $ref ${ref}`);
    const [, kind, name] = m as unknown as [string, 'schemas' | 'parameters', string];
    const seen = kind === 'schemas' ? this.schemas : this.parameters;
    if (!seen.has(name)) {
      seen.add(name);
      const target = this.component(kind, name);
      // Walk it now so everything it reaches is collected too.
      if (kind === 'schemas') this.schema(target);
      else this.parameter(target);
    }
    return ref;
  }

  schema(node: Json): Json {
    if (Array.isArray(node)) return node.map((n) => this.schema(n));
    if (!isObject(node)) return node;
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(node)) {
      if (!SCHEMA_KEYWORDS.has(key)) continue;
      if (key === '$ref' && typeof value === 'string') out.$ref = this.ref(value);
      else if (key === 'properties' && isObject(value))
        out.properties = Object.fromEntries(
          Object.entries(value).map(([name, s]) => [name, this.schema(s)]),
        );
      else if (key === 'enum' || key === 'required' || key === 'default') out[key] = value;
      else out[key] = this.schema(value);
    }
    return out;
  }

  parameter(node: JsonObject): JsonObject {
    if (typeof node.$ref === 'string') return { $ref: this.ref(node.$ref) };
    const out: JsonObject = {};
    for (const key of PARAMETER_KEYWORDS) {
      const value = node[key];
      if (value === undefined) continue;
      out[key] = key === 'schema' ? this.schema(value) : value;
    }
    return out;
  }

  private content(node: Json | undefined): JsonObject | undefined {
    if (!isObject(node)) return undefined;
    const media = node[MEDIA_TYPE];
    if (!isObject(media)) return undefined;
    return {
      [MEDIA_TYPE]: media.schema === undefined ? {} : { schema: this.schema(media.schema) },
    };
  }

  operation(item: JsonObject, op: JsonObject): JsonObject {
    const out: JsonObject = {};
    if (typeof op.operationId === 'string') out.operationId = op.operationId;
    // Path-level parameters apply to every operation of the path; the operation's own win.
    const key = (p: JsonObject) =>
      typeof p.$ref === 'string' ? p.$ref : JSON.stringify([p.in, p.name]);
    const own = (Array.isArray(op.parameters) ? op.parameters : []).filter(isObject);
    const shared = (Array.isArray(item.parameters) ? item.parameters : []).filter(isObject);
    const ownKeys = new Set(own.map(key));
    const params = [...shared.filter((p) => !ownKeys.has(key(p))), ...own];
    if (params.length > 0) out.parameters = params.map((p) => this.parameter(p));
    if (isObject(op.requestBody)) {
      const body: JsonObject = {};
      if (op.requestBody.required === true) body.required = true;
      const content = this.content(op.requestBody.content);
      if (content) body.content = content;
      out.requestBody = body;
    }
    const responses: JsonObject = {};
    for (const [status, response] of Object.entries(isObject(op.responses) ? op.responses : {})) {
      if (!isObject(response)) continue;
      const content = this.content(response.content);
      responses[status] = content ? { content } : {};
    }
    out.responses = responses;
    return out;
  }
}

/** The fixture for `doc` (Dojo's OpenAPI 3 document, parsed). Throws in words on a bad document. */
export function extractWireSchema(doc: Json): JsonObject {
  if (!isObject(doc)) fail('not a JSON object');
  if (typeof doc.openapi !== 'string' || !doc.openapi.startsWith('3.'))
    fail('not an OpenAPI 3 document');
  const info = isObject(doc.info) ? doc.info : {};
  if (typeof info.version !== 'string') fail('info.version (the API version) is missing');
  const paths = isObject(doc.paths) ? doc.paths : fail('it has no paths');
  const x = new Extractor(doc);
  const outPaths: JsonObject = {};
  for (const entry of WIRE_OPERATIONS) {
    const [method, template] = entry.split(' ') as [string, string];
    const item = paths[template];
    const op = isObject(item) ? item[method.toLowerCase()] : undefined;
    if (!isObject(item) || !isObject(op)) fail(`${entry} is not in it`);
    const target = (outPaths[template] ??= {}) as JsonObject;
    target[method.toLowerCase()] = x.operation(item, op);
  }
  for (const name of WIRE_EXTRA_SCHEMAS) x.ref(`#/components/schemas/${name}`);
  // Components in the source's order, only those reached.
  const pick = (kind: 'schemas' | 'parameters', names: Set<string>): JsonObject => {
    const comps = isObject(doc.components) ? doc.components : {};
    const group = isObject(comps[kind]) ? comps[kind] : {};
    const out: JsonObject = {};
    for (const name of Object.keys(group)) {
      if (!names.has(name)) continue;
      const value = group[name] as JsonObject;
      out[name] = kind === 'schemas' ? x.schema(value) : x.parameter(value);
    }
    return out;
  };
  return {
    openapi: doc.openapi,
    info: { version: info.version },
    paths: outPaths,
    components: {
      parameters: pick('parameters', x.parameters),
      schemas: pick('schemas', x.schemas),
    },
  };
}

/** The fixture's text as committed: Prettier's JSON layout, so `format:check` accepts it. */
export async function renderWireSchema(schema: JsonObject): Promise<string> {
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(FIXTURE_PATH)) ?? {};
  return prettier.format(JSON.stringify(schema, null, 2), { ...options, parser: 'json' });
}

async function main(argv: string[]): Promise<void> {
  const [source, output = FIXTURE_PATH] = argv;
  if (!source) {
    process.stderr.write(
      'Usage: npm run dojo:schema -- <path to Dojo openapi-YYYY-MM-DD.json> [output file]\n',
    );
    process.exitCode = 2;
    return;
  }
  let doc: Json;
  try {
    doc = JSON.parse(readFileSync(source, 'utf8')) as Json;
  } catch (e) {
    throw new Error(`Could not read ${source} as JSON: ${(e as Error).message}`);
  }
  const schema = extractWireSchema(doc);
  writeFileSync(output, await renderWireSchema(schema));
  const components = schema.components as { schemas: JsonObject; parameters: JsonObject };
  process.stdout.write(
    `Wrote ${output}: ${WIRE_OPERATIONS.length} operations, ` +
      `${Object.keys(components.schemas).length} schemas, ` +
      `${Object.keys(components.parameters).length} parameters (API version ${JSON.stringify((schema.info as JsonObject).version)}).\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
