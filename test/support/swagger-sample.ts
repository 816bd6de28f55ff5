/**
 * What Swagger UI puts in "Try it out" for an operation, read from the document as it reads
 * it: a schema's first `examples`, its `default` or its `example`, then `const`; an object is
 * built from all its properties, an array from one item. Where Swagger UI would invent a value
 * (`"string"`, `0`, a string drawn from the pattern, an enum member or a union's branch picked
 * at random), the sample takes the first and notes the place, so that a test can ask for an
 * example there.
 */

type Schema = Record<string, any>;

export interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  example?: unknown;
  description?: string;
  schema?: Schema;
}

export interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  'x-roles'?: string[];
}

export interface Sample {
  value: unknown;
  /** Where Swagger UI would have invented a value, as JSON paths (`needs.model`). */
  invented: string[];
}

const resolve = (document: OpenApi, schema: Schema): Schema => {
  const ref = schema.$ref as string | undefined;
  if (!ref) return schema;
  const name = ref.replace('#/components/schemas/', '');
  return resolve(document, document.components?.schemas?.[name] ?? {});
};

const nonNull = (types: unknown): string | undefined => (Array.isArray(types) ? types.find((t) => t !== 'null') : (types as string | undefined));

function sampleAt(document: OpenApi, raw: Schema, path: string, invented: string[]): unknown {
  const schema = resolve(document, raw);
  // Swagger UI 5's order for OpenAPI 3.1 (`extractExample`): examples, then default, then example.
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if (schema.default !== undefined) return schema.default;
  if (schema.example !== undefined) return schema.example;
  if (schema.const !== undefined) return schema.const;
  const branches = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (Array.isArray(schema.enum) || branches) {
    // Swagger UI picks an enum member or a union's branch at random: not a value to rely on.
    invented.push(path);
    if (branches) return sampleAt(document, branches.find((b) => b.type !== 'null') ?? branches[0]!, path, []);
    return schema.enum.find((v: unknown) => v !== null);
  }
  if (Array.isArray(schema.allOf)) return Object.assign({}, ...schema.allOf.map((part: Schema) => sampleAt(document, part, path, invented)));
  const type = nonNull(schema.type) ?? (schema.properties ? 'object' : undefined);
  const at = (key: string) => (path ? `${path}.${key}` : key);
  switch (type) {
    case 'object': {
      if (!schema.properties) {
        // A record: Swagger UI shows `additionalProp1`, a key no route takes.
        invented.push(path || '(body)');
        return { additionalProp1: sampleAt(document, schema.additionalProperties ?? {}, at('additionalProp1'), []) };
      }
      return Object.fromEntries(Object.entries(schema.properties as Record<string, Schema>).map(([k, v]) => [k, sampleAt(document, v, at(k), invented)]));
    }
    case 'array':
      return [sampleAt(document, schema.items ?? {}, `${path}[0]`, invented)];
    case 'integer':
    case 'number':
      invented.push(path);
      return 0;
    case 'boolean':
      invented.push(path);
      return true;
    default:
      invented.push(path);
      return 'string';
  }
}

export function sample(document: OpenApi, schema: Schema): Sample {
  const invented: string[] = [];
  return { value: sampleAt(document, schema, '', invented), invented };
}

/** The JSON body Swagger UI offers for the operation, or undefined when it takes none. */
export function exampleBody(document: OpenApi, operation: Operation): Sample | undefined {
  const schema = operation.requestBody?.content['application/json']?.schema;
  return schema ? sample(document, schema) : undefined;
}

/** The value Swagger UI fills into a parameter's box: its example, else its schema's, else its default. */
export const parameterExample = (p: Parameter): unknown => p.example ?? p.schema?.example ?? p.schema?.default;

/** The operation's path with its path parameters' examples, and the query Swagger UI sends. */
export function exampleUrl(path: string, operation: Operation): string {
  const parameters = operation.parameters ?? [];
  const filled = path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = parameterExample(parameters.find((p) => p.in === 'path' && p.name === name)!);
    return encodeURIComponent(String(value));
  });
  const query = new URLSearchParams();
  for (const p of parameters) {
    const value = parameterExample(p);
    if (p.in === 'query' && value !== undefined) query.set(p.name, String(value));
  }
  const search = query.toString();
  return search ? `${filled}?${search}` : filled;
}

export const operationsOf = (document: OpenApi) =>
  Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, method, path, operation })),
  );
