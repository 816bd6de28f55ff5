import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { generateSchema, openApiDocument, SCHEMA_FILE } from './generate.ts';

// `npm run client:generate`, after a change to a route or a schema; the drift test says when.
const text = await generateSchema(await openApiDocument());
await writeFile(SCHEMA_FILE, text);
process.stderr.write(`wrote ${fileURLToPath(SCHEMA_FILE)} (${text.split('\n').length} lines)\n`);
