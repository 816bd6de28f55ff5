import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { generateSchema, openApiDocument, SCHEMA_FILE } from '@guanjia/client/generate';

// The client is type-checked against the committed schema.d.ts; this keeps that file true to
// the document the app serves, so a route or schema change without `npm run client:generate`
// fails here, and a client call the new document refuses then fails the type-check.

/** The first line where two texts part, to say where in a 5000-line file to look. */
function firstDifference(a: string, b: string): string {
  const left = a.split('\n');
  const right = b.split('\n');
  const line = left.findIndex((text, i) => text !== right[i]);
  const at = line === -1 ? left.length : line;
  return `line ${at + 1}: committed ${JSON.stringify(left[at])}, generated ${JSON.stringify(right[at])}`;
}

describe('the client types', () => {
  it('are what openapi-typescript writes for the document the app serves today', async () => {
    const generated = await generateSchema(await openApiDocument());
    const committed = await readFile(SCHEMA_FILE, 'utf8');
    const stale = committed === generated ? null : `schema.d.ts is stale, run npm run client:generate (${firstDifference(committed, generated)})`;
    expect(stale).toBeNull();
  });

  it('change when the document changes, so the comparison above has something to catch', async () => {
    const document = await openApiDocument();
    const before = await generateSchema(document);
    expect(before).toContain('"/v1/customers": {');
    delete document.paths!['/v1/customers'];
    const after = await generateSchema(document);
    expect(after).not.toContain('"/v1/customers": {');
    expect(firstDifference(before, after)).toContain('/v1/customers');
  });
});
