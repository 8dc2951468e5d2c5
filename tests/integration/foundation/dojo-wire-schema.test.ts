import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { intentRoutes } from '../../../src-main/simulator/intents-routes';
import { terminalRoutes } from '../../../src-main/simulator/terminals-routes';
import {
  extractWireSchema,
  FIXTURE_PATH,
  renderWireSchema,
  WIRE_OPERATIONS,
  type Json,
  type JsonObject,
} from '../../../scripts/extract-dojo-schema';
import { DojoSpecValidator, loadWireSchema, WIRE_SCHEMA_PATH } from '../../support/dojo-spec';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const fixture = loadWireSchema();

/** Keys anywhere in the document that are not field names and carry prose or vendor data. */
function proseKeys(node: Json, where = '', inProperties = false): string[] {
  if (Array.isArray(node)) return node.flatMap((n, i) => proseKeys(n, `${where}/${i}`));
  if (typeof node !== 'object' || node === null) return [];
  const found: string[] = [];
  for (const [key, value] of Object.entries(node)) {
    const at = `${where}/${key}`;
    if (
      !inProperties &&
      (['description', 'summary', 'example', 'examples', 'title'].includes(key) ||
        key.startsWith('x-'))
    )
      found.push(at);
    // Inside `properties` the keys are field names (Dojo has a field called `description`).
    found.push(...proseKeys(value, at, !inProperties && key === 'properties'));
  }
  return found;
}

/** Dojo's official OpenAPI document, when this machine has it (see the freshness test). */
function findOfficialDocument(): { file: string | null; searched: string } {
  const fromEnv = process.env.OPENTILL_DOJO_OPENAPI;
  if (fromEnv) return { file: path.resolve(fromEnv), searched: `OPENTILL_DOJO_OPENAPI=${fromEnv}` };
  const parent = path.dirname(repoRoot);
  const version = (fixture.info as { version: string }).version;
  const candidates: string[] = [];
  for (const entry of readdirSync(parent)) {
    const folder = path.join(parent, entry, 'dojo');
    if (path.join(parent, entry) === repoRoot) continue;
    try {
      if (!statSync(folder).isDirectory()) continue;
      for (const name of readdirSync(folder))
        if (/^openapi-.*\.json$/.test(name)) candidates.push(path.join(folder, name));
    } catch {
      // Not a folder with a dojo/ inside, or not readable: not a candidate.
    }
  }
  // The document of the API version the fixture was extracted from, else the newest.
  const file =
    candidates.find((c) => path.basename(c) === `openapi-${version}.json`) ??
    candidates.sort().at(-1) ??
    null;
  return { file, searched: `${parent}/*/dojo/openapi-*.json` };
}

describe('the Dojo wire schema fixture', () => {
  it('holds no description, summary, title, example or x- extension anywhere', () => {
    expect(proseKeys(fixture)).toEqual([]);
    // The walk does see prose where it is (the proof the check can fail).
    expect(
      proseKeys({
        info: { description: 'd' },
        components: {
          schemas: {
            A: {
              properties: { description: { type: 'string', example: 'e', 'x-enumNames': [] } },
            },
          },
        },
      }),
    ).toEqual([
      '/info/description',
      '/components/schemas/A/properties/description/example',
      '/components/schemas/A/properties/description/x-enumNames',
    ]);
    // Field names called `description` survive as fields.
    const create = (fixture.components as { schemas: Record<string, JsonObject> }).schemas
      .CreatePaymentIntentRequest;
    expect(Object.keys(create?.properties as JsonObject)).toContain('description');
  });

  it('extraction strips prose and keeps the wire facts, refs and nullable/oneOf structure', async () => {
    const doc: JsonObject = {
      openapi: '3.0.0',
      info: { title: 'Dojo API', version: '2026-02-27', description: 'long text' },
      'x-tagGroups': [],
      paths: WIRE_OPERATIONS.reduce<JsonObject>((paths, entry) => {
        const [method, template] = entry.split(' ') as [string, string];
        const item = (paths[template] ??= {}) as JsonObject;
        item[method.toLowerCase()] = {
          operationId: entry,
          summary: 'says what it does',
          tags: ['t'],
          parameters: [{ $ref: '#/components/parameters/Version' }],
          responses: {
            '200': {
              description: 'OK',
              content: {
                'application/json': {
                  schema: { $ref: '#/components/schemas/Thing' },
                  example: { a: 1 },
                },
              },
            },
          },
        };
        return paths;
      }, {}),
      components: {
        parameters: {
          Version: { name: 'version', in: 'header', required: true, example: '2026-02-27' },
          Unused: { name: 'u', in: 'query' },
        },
        schemas: {
          Thing: {
            type: 'object',
            description: 'A thing.',
            required: ['status'],
            additionalProperties: false,
            properties: {
              status: { $ref: '#/components/schemas/Status' },
              money: {
                nullable: true,
                oneOf: [{ $ref: '#/components/schemas/Money' }],
                description: 'x',
              },
            },
          },
          Status: { type: 'string', enum: ['A', 'B'], 'x-enumNames': ['A', 'B'] },
          Money: {
            type: 'object',
            title: 'Money',
            properties: { value: { type: 'integer', format: 'int64' } },
          },
          ErrorResponse: { type: 'object' },
          Unreached: { type: 'string' },
        },
      },
    };
    const out = extractWireSchema(doc);
    expect(proseKeys(out)).toEqual([]);
    const comps = out.components as { schemas: JsonObject; parameters: JsonObject };
    expect(Object.keys(comps.schemas).sort()).toEqual([
      'ErrorResponse',
      'Money',
      'Status',
      'Thing',
    ]);
    expect(Object.keys(comps.parameters)).toEqual(['Version']);
    expect(comps.schemas.Thing).toEqual({
      type: 'object',
      required: ['status'],
      additionalProperties: false,
      properties: {
        status: { $ref: '#/components/schemas/Status' },
        money: { nullable: true, oneOf: [{ $ref: '#/components/schemas/Money' }] },
      },
    });
    expect(comps.schemas.Status).toEqual({ type: 'string', enum: ['A', 'B'] });
    expect(() => extractWireSchema({ ...doc, paths: {} })).toThrow(
      /POST \/payment-intents is not in it/,
    );
    expect(() => extractWireSchema({ swagger: '2.0' })).toThrow(/not an OpenAPI 3 document/);
    // What the script writes is what Prettier would: `format:check` accepts the fixture.
    expect(await renderWireSchema(fixture)).toBe(readFileSync(FIXTURE_PATH, 'utf8'));
  });

  it('holds every operation the simulator serves and the client calls', () => {
    const held = new DojoSpecValidator(fixture).operations();
    expect(held).toEqual([...WIRE_OPERATIONS]);
    for (const route of [...intentRoutes, ...terminalRoutes])
      expect(held).toContain(`${route.method} ${route.pattern}`);
    // Features are built on these too.
    expect(held).toEqual(
      expect.arrayContaining([
        'POST /payment-intents/search',
        'POST /payment-intents/{paymentIntentId}/reversal',
        'POST /payment-intents/{paymentIntentId}/receipt',
      ]),
    );
  });

  it('a missing or unreadable fixture fails in words instead of checking nothing', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'opentill-wire-'));
    try {
      expect(() => loadWireSchema(path.join(dir, 'missing.json'))).toThrow(
        /could not be read .*npm run dojo:schema/s,
      );
      const broken = path.join(dir, 'broken.json');
      writeFileSync(broken, '{"openapi": "3.0.0", "paths": {');
      expect(() => loadWireSchema(broken)).toThrow(/could not be read/);
      writeFileSync(broken, '{"openapi": "3.0.0"}');
      expect(() => loadWireSchema(broken)).toThrow(/no paths or components/);
      expect(() => new DojoSpecValidator({ paths: {}, components: {} })).toThrow(
        /no components.schemas/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(WIRE_SCHEMA_PATH).toBe(path.join(repoRoot, 'tests/fixtures/dojo-wire-schema.json'));
  });

  it('the validator rejects known-bad documents', () => {
    const v = new DojoSpecValidator(fixture);
    const session = v.component('TerminalSession');
    expect(session({ id: 'ts_1' })).toBe(false);
    const intent = v.component('PaymentIntent');
    expect(intent({ id: 'pi', status: 'Created', amount: null, captureMode: null })).toBe(true);
    expect(intent({ id: 'pi', status: 'Declined' })).toBe(false);
    expect(
      intent({ id: 'pi', status: 'Created', amount: { value: 1.5, currencyCode: 'GBP' } }),
    ).toBe(false);
    const search = v.validateRequest({
      method: 'POST',
      path: '/payment-intents/search',
      headers: { version: '2026-02-27' },
      body: { statuses: ['Paid'] },
    });
    expect(search.join('\n')).toMatch(/statuses/);
    expect(
      v.validateRequest({
        method: 'POST',
        path: '/payment-intents/pi_1/reversal',
        headers: { version: '2026-02-27' },
        body: undefined,
      }),
    ).toEqual([]);
    expect(
      v.validateRequest({ method: 'GET', path: '/webhooks', headers: { version: '2026-02-27' } }),
    ).toEqual(['no GET /webhooks in the Dojo wire schema']);
    // What the suites run over every request the simulator recorded: only the bad ones, named.
    expect(
      v.recordedProblems([
        {
          method: 'POST',
          path: '/payment-intents/pi_1/reversal',
          headers: { version: '2026-02-27' },
          body: null,
        },
        {
          method: 'POST',
          path: '/payment-intents/search',
          headers: { version: '2026-02-27' },
          body: { statuses: ['Paid'] },
        },
      ]),
    ).toEqual([expect.stringMatching(/^POST \/payment-intents\/search: .*statuses/)]);
  });

  it("is current with Dojo's official OpenAPI document (when this machine has it)", () => {
    const { file, searched } = findOfficialDocument();
    if (file === null) {
      console.log(
        `[dojo wire schema] Could not check freshness: Dojo's official OpenAPI document was not ` +
          `found (looked for ${searched}). Point OPENTILL_DOJO_OPENAPI at openapi-YYYY-MM-DD.json ` +
          'to check; every other test still runs against tests/fixtures/dojo-wire-schema.json.',
      );
      return;
    }
    // A path someone named explicitly must exist.
    expect(existsSync(file), `${file} (from ${searched})`).toBe(true);
    const official = JSON.parse(readFileSync(file, 'utf8')) as Json;
    expect(
      extractWireSchema(official),
      `tests/fixtures/dojo-wire-schema.json is stale against ${file}: run npm run dojo:schema -- ${file}`,
    ).toEqual(fixture);
  });
});
