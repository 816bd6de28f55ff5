import fc from 'fast-check';

/**
 * fast-check arbitraries from the JSON Schemas of an OpenAPI 3.1 document: values the schema
 * accepts, and the same values broken in one place. Written here because the libraries that
 * do this target fast-check 1–3 or zod 3, and this project is on fast-check 4 and zod 4.
 */
export type Schema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  default?: unknown;
  example?: unknown;
};

type Json = unknown;

/** Values that have broken servers before: tiny and huge numbers, invisible and broken text. */
export const nastyValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(
    1e-300,
    5e-324,
    -1e-131,
    1e300,
    -0,
    0,
    -1,
    2 ** 53 + 1,
    0.1 + 0.2,
    '',
    ' ',
    '\u200b\u200b',
    '\u0000',
    '\ud800',
    'a\udfff',
    '\u202e',
    '+8613800138000x',
    '1.38001E+10',
    '１３８００１３８０００',
    'P9999Y',
    '9999-99-99',
    '2026-02-30',
    '00:60',
    '<script>',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a template placeholder is one of the strings sent on purpose
    '${x}',
    '../..',
    null,
    true,
    [],
    {},
    'x'.repeat(5000),
  ),
  fc.jsonValue({ maxDepth: 2 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

/** Values that mean something to the server under test, by property name (`siteId`: a real site). */
export type Hints = Record<string, fc.Arbitrary<unknown>>;

export class SchemaArbitraries {
  constructor(
    private readonly components: Record<string, Schema>,
    private readonly hints: Hints = {},
  ) {}

  /** A value for a named property or parameter: a hint as often as not, else from the schema. */
  named(name: string, schema: Schema, depth = 0): fc.Arbitrary<Json> {
    const hint = this.hints[name];
    return hint ? fc.oneof({ weight: 3, arbitrary: hint }, { weight: 1, arbitrary: this.valid(schema, depth) }) : this.valid(schema, depth);
  }

  private resolve(schema: Schema): Schema {
    let current = schema;
    for (let depth = 0; current.$ref && depth < 20; depth++) {
      const name = current.$ref.replace('#/components/schemas/', '');
      const target = this.components[name];
      if (!target) throw new Error(`unknown $ref ${current.$ref}`);
      current = target;
    }
    return current;
  }

  /** A value the schema accepts (as far as its keywords say: refinements may still refuse it). */
  valid(input: Schema, depth = 0): fc.Arbitrary<Json> {
    const schema = this.resolve(input);
    if (schema.const !== undefined) return fc.constant(schema.const);
    if (schema.example !== undefined) return fc.oneof(fc.constant(schema.example), this.valid({ ...schema, example: undefined }, depth));
    if (schema.enum) return fc.constantFrom(...schema.enum);
    const alternatives = schema.anyOf ?? schema.oneOf;
    if (alternatives) return fc.oneof(...alternatives.map((s) => this.valid(s, depth + 1)));
    if (schema.allOf) return this.valid(Object.assign({}, ...schema.allOf.map((s) => this.resolve(s))), depth + 1);
    const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : ['object'];
    return fc.oneof(...types.map((type) => this.ofType(type, schema, depth)));
  }

  private ofType(type: string, schema: Schema, depth: number): fc.Arbitrary<Json> {
    switch (type) {
      case 'null':
        return fc.constant(null);
      case 'boolean':
        return fc.boolean();
      case 'integer':
        return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 100_000 });
      case 'number': {
        const min = schema.minimum ?? schema.exclusiveMinimum ?? -1e6;
        const max = Math.min(schema.maximum ?? schema.exclusiveMaximum ?? 1e6, 1e6);
        return fc.oneof(fc.integer({ min: Math.ceil(min), max: Math.floor(max) }), fc.double({ min, max, noNaN: true, noDefaultInfinity: true }));
      }
      case 'string':
        return this.string(schema);
      case 'array':
        return fc.array(schema.items && depth < 4 ? this.valid(schema.items, depth + 1) : fc.string(), {
          minLength: schema.minItems ?? 0,
          maxLength: Math.min(schema.maxItems ?? 3, 3),
        });
      default:
        return this.object(schema, depth);
    }
  }

  private string(schema: Schema): fc.Arbitrary<string> {
    if (schema.format === 'date-time')
      return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
    if (schema.pattern)
      return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length >= (schema.minLength ?? 0) && s.length <= (schema.maxLength ?? Infinity));
    return fc.string({ unit: 'grapheme', minLength: Math.max(schema.minLength ?? 0, 1), maxLength: Math.min(schema.maxLength ?? 30, 30) });
  }

  private object(schema: Schema, depth: number): fc.Arbitrary<Json> {
    const properties = schema.properties ?? {};
    const required = new Set(schema.required ?? []);
    const shape = Object.fromEntries(Object.entries(properties).map(([key, s]) => [key, this.named(key, s, depth + 1)]));
    const requiredKeys = Object.keys(shape).filter((k) => required.has(k));
    if (Object.keys(shape).length === 0 && schema.additionalProperties && typeof schema.additionalProperties === 'object') {
      return fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), this.valid(schema.additionalProperties, depth + 1), { maxKeys: 3 });
    }
    return fc.record(shape, { requiredKeys });
  }

  /** A value the schema accepts, then broken in one place: a field dropped, added or replaced. */
  broken(schema: Schema): fc.Arbitrary<Json> {
    return fc
      .tuple(this.valid(schema), fc.nat(), nastyValue, fc.constantFrom('replace', 'drop', 'add'))
      .map(([value, pick, nasty, how]) => breakAt(value, pick, nasty, how));
  }
}

function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (value && typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
    return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))];
  }
  return [prefix];
}

function breakAt(value: Json, pick: number, nasty: Json, how: 'replace' | 'drop' | 'add'): Json {
  const copy = structuredClone(value) as Json;
  const all = paths(copy);
  const path = all[pick % all.length]!;
  if (path.length === 0) return how === 'add' && copy && typeof copy === 'object' ? { ...copy, zz_unknown: nasty } : nasty;
  let parent = copy as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, Json>;
  const last = path[path.length - 1]!;
  if (how === 'drop' && !Array.isArray(parent)) delete parent[last];
  else if (how === 'add' && parent[last] && typeof parent[last] === 'object' && !Array.isArray(parent[last]))
    (parent[last] as Record<string, Json>).zz_unknown = nasty;
  else parent[last] = nasty;
  return copy;
}
