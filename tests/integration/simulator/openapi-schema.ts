import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsImport from 'ajv-formats';

/**
 * Turns Dojo's OpenAPI 3.0 component schemas into JSON Schema that ajv really compiles:
 * - `nullable: true` becomes a type union with null (or `anyOf [..., {type: null}]` around
 *   `$ref`/`oneOf`/`allOf`), since `nullable` is not a JSON Schema keyword;
 * - `allOf` of several object schemas where one forbids additional properties is merged into one
 *   object (OpenAPI generators read it that way; literal JSON Schema would reject every object);
 * - OpenAPI-only keywords (`x-*`, `example(s)`, `discriminator`, …) are dropped.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const SPEC_FILE = 'openapi-2026-02-27.json';
export const SPEC_ID = 'dojo-openapi';
const DROP = new Set([
  'example',
  'examples',
  'discriminator',
  'xml',
  'externalDocs',
  'readOnly',
  'writeOnly',
  'deprecated',
  'nullable',
]);

export function specPath(): string {
  const repoRoot = path.resolve(import.meta.dirname, '../../..');
  return path.resolve(repoRoot, '../shared/dojo', SPEC_FILE);
}

export function loadSpec(): JsonObject | null {
  const file = specPath();
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, 'utf8')) as JsonObject;
}

const isObject = (v: Json | undefined): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function componentName(ref: string): string {
  const prefix = '#/components/schemas/';
  if (!ref.startsWith(prefix)) throw new Error(`Unsupported $ref ${ref}`);
  return ref.slice(prefix.length);
}

export class SchemaConverter {
  private readonly components: JsonObject;

  constructor(spec: JsonObject) {
    const comps = spec.components;
    if (!isObject(comps) || !isObject(comps.schemas))
      throw new Error('spec has no components.schemas');
    this.components = comps.schemas;
  }

  private resolve(schema: JsonObject): JsonObject {
    const ref = schema.$ref;
    if (typeof ref !== 'string') return schema;
    const target = this.components[componentName(ref)];
    if (!isObject(target)) throw new Error(`dangling ${ref}`);
    return this.resolve(target);
  }

  /** Several object schemas in an allOf, one closed to extra properties: merge them. */
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
      if (DROP.has(key) || key.startsWith('x-')) continue;
      if (key === '$ref' && typeof value === 'string')
        out.$ref = `${SPEC_ID}#/definitions/${componentName(value)}`;
      else if (key === 'properties' && isObject(value)) {
        out.properties = Object.fromEntries(
          Object.entries(value).map(([k, v]) => [k, this.convert(v)]),
        );
      } else out[key] = this.convert(value);
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
    const { description, title, ...inner } = out;
    const wrapped: JsonObject = { anyOf: [inner, { type: 'null' }] };
    if (description !== undefined) wrapped.description = description;
    if (title !== undefined) wrapped.title = title;
    return wrapped;
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

/** One ajv instance holding every converted component under `${SPEC_ID}#/definitions/…`. */
export function createSpecAjv(spec: JsonObject): { ajv: Ajv; converter: SchemaConverter } {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  // Dojo's own format for `autoExpireIn`: [d.]hh:mm:ss.
  ajv.addFormat('timespan', /^(\d+\.)?\d{2}:\d{2}:\d{2}$/);
  const converter = new SchemaConverter(spec);
  ajv.addSchema({ $id: SPEC_ID, definitions: converter.definitions() });
  return { ajv, converter };
}

export function compile(ajv: Ajv, converter: SchemaConverter, schema: Json): ValidateFunction {
  return ajv.compile(converter.convert(schema) as JsonObject);
}

export type { Json, JsonObject };
export { isObject };
