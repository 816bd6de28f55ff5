import type { Context } from '../context.ts';
import type { Principal } from '../model.ts';
import type { ImportKind } from './headers.ts';
import type { ImportChunk, ImportRecord, QueuedRow } from './import-record.ts';
import { checkImport, givenCells, rejectedRows } from './preview.ts';
import type { SheetRow } from './rows.ts';

/** Rows per chunk: a chunk is what one worker run takes on, a few seconds of writes. */
export const CHUNK_ROWS = 100;
/** Well under DynamoDB's 400 KB item limit, whatever the rows hold. */
const CHUNK_BYTES = 200_000;

const utf8 = new TextEncoder();

/** The rows in file order, cut where a chunk would hold too many rows or too many bytes. */
export function chunkRows(importId: string, rows: QueuedRow[]): ImportChunk[] {
  const chunks: ImportChunk[] = [];
  let current: QueuedRow[] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = utf8.encode(JSON.stringify(row)).length;
    if (current.length > 0 && (current.length >= CHUNK_ROWS || bytes + size > CHUNK_BYTES)) {
      chunks.push({ importId, number: chunks.length, rows: current });
      current = [];
      bytes = 0;
    }
    current.push(row);
    bytes += size;
  }
  if (current.length > 0) chunks.push({ importId, number: chunks.length, rows: current });
  return chunks;
}

/**
 * 导入: the file checked as a whole first, exactly as a dry run checks it; then its rows
 * wait in chunks and the record is written, which sets the worker going. Nothing of the
 * rows is written to customers here, so the request answers at once, however long the list.
 */
export async function startImport(ctx: Context, principal: Principal, input: { siteId: string; kind: ImportKind; sheet: SheetRow[] }): Promise<ImportRecord> {
  const checked = await checkImport(ctx, principal, input);
  const id = ctx.ids.next();
  const at = ctx.clock.now().toISOString();
  const chunks = chunkRows(
    id,
    checked.rows.map((row) => ({ row, cells: givenCells(checked.read, row.number), planned: checked.outcomes.get(row.number) ?? 'created' })),
  );
  const record: ImportRecord = {
    id,
    siteId: checked.siteId,
    kind: checked.kind,
    status: chunks.length > 0 ? 'running' : 'done',
    dryRun: false,
    counts: { ...checked.counts, created: 0, updated: 0, skipped: 0 },
    chunks: chunks.length,
    chunksDone: 0,
    by: { sub: principal.sub, role: principal.role, sites: principal.sites },
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  await ctx.store.createImport({ record, chunks, rejected: rejectedRows(checked.read, checked.errors), headers: checked.read.headers });
  return record;
}
