import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '@guanjia/client/generate';
import { DEMO_STAFF } from '@guanjia/local/seed';
import { exampleBody, operationsOf, parameterExample, type OpenApi } from '../support/swagger-sample.ts';

let document: OpenApi;
const ajv = new Ajv2020({ strict: false, allErrors: true });

beforeAll(async () => {
  document = (await openApiDocument()) as unknown as OpenApi;
  addFormats.default(ajv);
  ajv.addSchema(document as object, 'openapi.json');
});

const pointer = (...segments: string[]) => `openapi.json#/${segments.map((s) => s.replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`;

// rep-wang is the staff member the example of POST …/staff adds, whom the leaver routes' examples take off.
const DEMO_IDS = ['demo', 'mgr-demo', 'rep-li', 'rep-zhao', 'svc-chen', 'des-wang', 'rep-wang'];
const RECORD_ID = /^[0-9a-z]{21}$/;

/** Ids `createIds` makes start with their time in base 36: one from these years reads as a real record's. */
const isRecordId = (value: string) => {
  if (!RECORD_ID.test(value)) return false;
  const year = new Date(Number.parseInt(value.slice(0, 9), 36)).getUTCFullYear();
  return year >= 2024 && year <= 2030;
};

/** A value a person would recognise: the demo's ids, a record's id, a date, a phone, Chinese text, a member of its enum. */
function looksReal(value: unknown, schema: Record<string, any> | undefined): boolean {
  if (typeof value === 'number' || typeof value === 'boolean') return true;
  if (typeof value !== 'string') return false;
  if (schema?.enum?.includes(value)) return true;
  return (
    DEMO_IDS.includes(value) ||
    isRecordId(value) ||
    /^\d{4}-\d{2}(-\d{2})?$/.test(value) ||
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value) ||
    /^1[3-9]\d{9}$/.test(value) ||
    /\p{Script=Han}/u.test(value)
  );
}

/** Every property of a request schema, however deep, with its schema. */
function* fields(schema: Record<string, any>, path = ''): Generator<[string, Record<string, any>]> {
  const resolved = schema.$ref ? document.components!.schemas![schema.$ref.replace('#/components/schemas/', '')]! : schema;
  for (const [key, property] of Object.entries((resolved.properties ?? {}) as Record<string, Record<string, any>>)) {
    const at = path ? `${path}.${key}` : key;
    yield [at, property];
    const inner = property.$ref ? property : (property.anyOf?.find((b: any) => b.$ref || b.properties) ?? property);
    if (inner.$ref || inner.properties) yield* fields(inner, at);
    if (inner.items?.properties) yield* fields(inner.items, `${at}[]`);
  }
}

describe('the examples /docs offers', () => {
  it('give every request body, as Swagger UI builds it, a value the operation itself accepts', () => {
    let bodies = 0;
    for (const { route, path, method, operation } of operationsOf(document)) {
      const body = exampleBody(document, operation);
      if (!body) continue;
      bodies++;
      const validate = ajv.compile({ $ref: pointer('paths', path, method, 'requestBody', 'content', 'application/json', 'schema') });
      const valid = validate(body.value);
      expect(valid, `${route}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body.value)}`).toBe(true);
      expect(body.invented, `${route}: Swagger UI would invent these`).toEqual([]);
    }
    expect(bodies).toBeGreaterThan(15);
  });

  it('give every field of a request body an example of its own, not only the whole body', () => {
    const missing: string[] = [];
    for (const { route, operation } of operationsOf(document)) {
      const schema = operation.requestBody?.content['application/json']?.schema;
      if (!schema) continue;
      for (const [at, property] of fields(schema)) {
        // An object or a list of objects is described by its fields, which are checked in turn.
        const parts = [property, ...(property.anyOf ?? [])];
        const described = property.example !== undefined || parts.some((p) => p.$ref || p.properties || p.items?.properties);
        if (!described) missing.push(`${route} ${at}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('give every path parameter an example, every example a recognisable value of its own schema, and every siteId the demo site', () => {
    for (const { route, operation } of operationsOf(document)) {
      for (const parameter of operation.parameters ?? []) {
        if (parameter.in !== 'path' && parameter.in !== 'query') continue;
        const example = parameterExample(parameter);
        const where = `${route} ${parameter.in} ${parameter.name}`;
        if (parameter.in === 'path' || parameter.required) expect(example, `${where} has an example`).toBeDefined();
        if (example === undefined) continue;
        expect(looksReal(example, parameter.schema), `${where}: ${JSON.stringify(example)} looks made up`).toBe(true);
        const validate = ajv.compile(parameter.schema ?? {});
        // A query's values are strings on the wire; the schema coerces some to numbers.
        expect(validate(example) || validate(String(example)), `${where}: ${JSON.stringify(example)} breaks its schema`).toBe(true);
        if (parameter.name === 'siteId') expect(example, where).toBe('demo');
      }
    }
  });

  it('say so beside a path example the demo does not hold as it starts: a record id to replace, or the staff member to add first', () => {
    const seeded = new Set<unknown>(['demo', ...DEMO_STAFF.map((member) => member.id)]);
    const unsaid: string[] = [];
    for (const { route, operation } of operationsOf(document)) {
      for (const parameter of operation.parameters ?? []) {
        if (parameter.in !== 'path' || seeded.has(parameterExample(parameter))) continue;
        const description = `${parameter.description ?? ''} ${parameter.schema?.description ?? ''}`;
        const said = isRecordId(String(parameterExample(parameter))) ? /names no record/.test(description) : description.includes('add them first');
        if (!said) unsaid.push(`${route} ${parameter.name}: ${JSON.stringify(parameterExample(parameter))}`);
      }
    }
    expect(unsaid).toEqual([]);
  });

  it("take the demo's people for the staff a body names", () => {
    const intake = document.components!.schemas!.Intake!;
    expect(intake.properties.siteId.example).toBe('demo');
    expect(document.components!.schemas!.DutyInput!.properties.staffIds.example).toEqual(['rep-li', 'rep-zhao']);
  });
});
