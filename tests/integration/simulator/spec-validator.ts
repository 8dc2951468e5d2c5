import type { ValidateFunction } from 'ajv';
import {
  compile,
  createSpecAjv,
  isObject,
  SPEC_ID,
  type Json,
  type JsonObject,
} from './openapi-schema';
import type { Exchange } from './sim-client';

type Operation = { id: string; method: string; template: string; op: JsonObject };

const METHODS = ['get', 'post', 'put', 'delete', 'patch'];

/** Validates requests and answers against the operation the spec declares for them. */
export class SpecValidator {
  private readonly ops: Operation[] = [];
  private readonly cache = new Map<string, ValidateFunction>();
  private readonly setup: ReturnType<typeof createSpecAjv>;
  /** `operationId status` pairs seen, to prove the suite covered every answer type. */
  readonly covered = new Set<string>();
  /** Statuses the simulator answered that the spec does not declare for that operation. */
  readonly undeclared = new Set<string>();
  checked = 0;

  constructor(spec: JsonObject) {
    this.setup = createSpecAjv(spec);
    const paths = spec.paths;
    if (!isObject(paths)) throw new Error('spec has no paths');
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

  /** Compiles a component by name: the proof that the converted schemas really validate. */
  component(name: string): ValidateFunction {
    return this.validator(`component:${name}`, { $ref: `#/components/schemas/${name}` });
  }

  private validator(key: string, schema: Json): ValidateFunction {
    let v = this.cache.get(key);
    if (!v) {
      v = compile(this.setup.ajv, this.setup.converter, schema);
      this.cache.set(key, v);
    }
    return v;
  }

  find(method: string, path: string): Operation | undefined {
    const segments = path.split('?')[0]?.split('/') ?? [];
    const candidates = this.ops.filter((o) => {
      if (o.method !== method) return false;
      const t = o.template.split('/');
      return (
        t.length === segments.length && t.every((s, i) => s.startsWith('{') || s === segments[i])
      );
    });
    // Literal segments win over parameters (`/payment-intents/search`).
    const literals = (o: Operation) =>
      o.template.split('/').filter((s) => !s.startsWith('{')).length;
    return candidates.sort((a, b) => literals(b) - literals(a))[0];
  }

  private errorsOf(v: ValidateFunction, data: unknown): string[] {
    if (v(data)) return [];
    return (v.errors ?? []).map(
      (e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
    );
  }

  /** Everything wrong with this exchange (request body and answer), as readable lines. */
  check(x: Exchange): string[] {
    this.checked += 1;
    const where = `${x.method} ${x.path} → ${x.status}`;
    const op = this.find(x.method, x.path);
    const problems: string[] = [];
    const flavour = x.path.startsWith('/terminal') ? 'terminals' : 'payments';
    if (op && x.requestBody !== undefined && !x.invalidBody) {
      const rb = op.op.requestBody;
      const schema =
        isObject(rb) && isObject(rb.content) ? rb.content['application/json'] : undefined;
      if (!isObject(schema) || schema.schema === undefined)
        problems.push(`${where}: the spec takes no JSON body`);
      else
        problems.push(
          ...this.errorsOf(this.validator(`req:${op.id}`, schema.schema), x.requestBody).map(
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
      const names =
        flavour === 'terminals'
          ? ['ProblemDetailsTerminals', 'Error']
          : ['ProblemDetails', 'ErrorResponse'];
      for (const name of names)
        problems.push(
          ...this.errorsOf(this.component(name), x.body).map((e) => `${where} as ${name} ${e}`),
        );
    }
    // Beyond the schema (its fields are all optional): Dojo always sends these in an error.
    if (x.status >= 400) {
      const b = x.body;
      if (
        !isObject(b as Json) ||
        typeof (b as JsonObject).traceId !== 'string' ||
        typeof (b as JsonObject).title !== 'string'
      ) {
        problems.push(`${where}: error without title/traceId`);
      }
    }
    return problems;
  }
}

export { SPEC_ID };
