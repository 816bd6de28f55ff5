import openapiTS, { astToString, COMMENT_HEADER, type OpenAPI3 } from 'openapi-typescript';
import { createApp } from '@guanjia/api';

// Build-time only: this module loads the whole API to read its document, so the client's
// index never imports it and a browser or mini-program bundle never carries it.

/** The committed types: what the client is type-checked against. */
export const SCHEMA_FILE = new URL('./schema.d.ts', import.meta.url);

const unused = (): never => {
  throw new Error('the OpenAPI document is built without a database, a clock or a token');
};

/**
 * The document `/openapi.json` serves, read from the app itself rather than from a running
 * server: the same routes, with no database behind them, since the document needs none.
 */
export async function openApiDocument(): Promise<OpenAPI3> {
  const app = createApp({
    store: new Proxy({}, { get: unused }) as never,
    clock: { now: unused },
    ids: { next: unused },
    verifyToken: unused,
    cursorSecret: 'document-only',
    docs: false,
  });
  const res = await app.request('/openapi.json');
  if (res.status !== 200) throw new Error(`/openapi.json answered ${res.status}`);
  return (await res.json()) as OpenAPI3;
}

/** The document without its examples: they are for /docs, and some move with the calendar. */
function withoutExamples(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutExamples);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'example' && key !== 'examples')
      .map(([key, v]) => [key, withoutExamples(v)]),
  );
}

/** The text of `schema.d.ts` for a document: openapi-typescript's output, untouched. */
export async function generateSchema(document: OpenAPI3): Promise<string> {
  // `silent`: the generator's timing line is noise in a test run.
  return COMMENT_HEADER + astToString(await openapiTS(withoutExamples(document) as OpenAPI3, { silent: true }));
}
