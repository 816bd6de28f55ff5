import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { eachLimited, type ImportChunk, type ImportRecord, type ImportStore, type RejectedRow } from '@guanjia/core';
import type { Item } from '../items.ts';
import { bySortable, sitePk, type Key } from '../key-parts.ts';
import { dueByQuery, onIndex, partitionQuery } from '../queries.ts';
import type { TableAccess } from '../table-access.ts';
import { exists, putNew, putVersioned, versionConflict, type GuardedPut } from '../transact.ts';

/**
 * An import and everything it waits on sit in one partition: the record, its chunks of rows
 * and the rows the check refused, so the errors file is one Query. A running import is also
 * listed by when it last moved (GSI2), which is all the nudge for a dead worker reads.
 */
const importPk = (id: string) => `IMPORT#${id}`;
const recordKey = (id: string): Key => ({ PK: importPk(id), SK: 'IMPORT' });
const CHUNK_PREFIX = 'CHUNK#';
const REJECTED_PREFIX = 'REJECTED#';
const chunkKey = (importId: string, number: number): Key => ({ PK: importPk(importId), SK: `${CHUNK_PREFIX}${String(number).padStart(6, '0')}` });
const rejectedKey = (importId: string, page: number): Key => ({ PK: importPk(importId), SK: `${REJECTED_PREFIX}${String(page).padStart(6, '0')}` });
const headersKey = (importId: string): Key => ({ PK: importPk(importId), SK: 'HEADERS' });
const importsOfSitePk = (siteId: string) => `${sitePk(siteId)}#IMPORTS`;
const RUNNING_IMPORTS_PK = 'IMPORTS#running';
/** Refused rows per item: a few hundred short rows, far under the item size limit. */
const REJECTED_PER_ITEM = 200;

/** The `type` of an import's record: what the worker's stream filter passes. */
export const IMPORT_RECORD_TYPE = 'import';

export const importItem = (r: ImportRecord): Item => ({
  ...recordKey(r.id),
  GSI1PK: importsOfSitePk(r.siteId),
  GSI1SK: bySortable(r.createdAt, r.id),
  ...(r.status === 'running' ? { GSI2PK: RUNNING_IMPORTS_PK, GSI2SK: bySortable(r.updatedAt, r.id) } : {}),
  type: 'import',
  ...r,
});
export const importChunkItem = (c: ImportChunk): Item => ({
  ...chunkKey(c.importId, c.number),
  type: 'import_chunk',
  ...c,
});
export const headersItem = (importId: string, headers: string[]): Item => ({ ...headersKey(importId), type: 'import_headers', importId, headers });
export const rejectedItem = (importId: string, page: number, rows: RejectedRow[]): Item => ({
  ...rejectedKey(importId, page),
  type: 'import_rejected',
  importId,
  rows,
});

const saveRecord = (record: ImportRecord, expectedVersion: number): GuardedPut =>
  putVersioned(importItem(record), expectedVersion, versionConflict('import', record.id));

export function importStore(t: TableAccess): ImportStore {
  return {
    async createImport({ record, chunks, rejected, headers }) {
      const pages: RejectedRow[][] = [];
      for (let i = 0; i < rejected.length; i += REJECTED_PER_ITEM) pages.push(rejected.slice(i, i + REJECTED_PER_ITEM));
      const items = [headersItem(record.id, headers), ...chunks.map(importChunkItem), ...pages.map((rows, page) => rejectedItem(record.id, page, rows))];
      await eachLimited(items, 8, (item) => t.write([putNew(item, exists('import part', String(item.SK)))]));
      // Last: its arrival on the stream is what sets the worker going.
      await t.write([putNew(importItem(record), exists('import', record.id))]);
    },
    getImport: (id) => t.get<ImportRecord>(recordKey(id), true),
    listImports: (siteId, page) => t.page<ImportRecord>(onIndex('GSI1', importsOfSitePk(siteId), { ascending: false }), page),
    getImportChunk: (importId, number) => t.get<ImportChunk>(chunkKey(importId, number), true),
    async beginImportChunk(importId, number) {
      const out = await t.doc.send(
        new UpdateCommand({
          TableName: t.tableName,
          Key: chunkKey(importId, number),
          UpdateExpression: 'ADD #runs :one',
          ExpressionAttributeNames: { '#runs': 'runs' },
          ExpressionAttributeValues: { ':one': 1 },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(out.Attributes?.runs ?? 1) - 1;
    },
    async finishImportChunk({ record, number, result, at }) {
      const counts = {
        ...record.counts,
        created: record.counts.created + result.created,
        updated: record.counts.updated + result.updated,
        skipped: record.counts.skipped + result.skipped,
        valid: record.counts.valid - result.rejected.length,
        invalid: record.counts.invalid + result.rejected.length,
      };
      const chunksDone = number + 1;
      const status = chunksDone >= record.chunks ? 'done' : 'running';
      await t.write([
        saveRecord({ ...record, counts, chunksDone, status, updatedAt: at, version: record.version + 1 }, record.version),
        {
          Update: {
            Key: chunkKey(record.id, number),
            UpdateExpression: 'SET #done = :done, #rejected = :rejected',
            ExpressionAttributeNames: { '#done': 'done', '#rejected': 'rejected' },
            ExpressionAttributeValues: { ':done': true, ':rejected': result.rejected },
          },
        },
      ]);
    },
    async listImportRejections(importId) {
      const [stored, refused, chunks] = await Promise.all([
        t.get<{ headers: string[] }>(headersKey(importId), true),
        t.all<{ rows: RejectedRow[] }>({ ...partitionQuery(importPk(importId), REJECTED_PREFIX, true), ConsistentRead: true }),
        t.all<{ rejected?: RejectedRow[] }>({
          ...partitionQuery(importPk(importId), CHUNK_PREFIX, true),
          ConsistentRead: true,
          ProjectionExpression: '#rejected',
          ExpressionAttributeNames: { '#rejected': 'rejected' },
        }),
      ]);
      const rows = [...refused.flatMap((item) => item.rows), ...chunks.flatMap((item) => item.rejected ?? [])].sort((a, b) => a.row - b.row);
      return { headers: stored?.headers ?? [], rows };
    },
    async listStalledImports(before, limit) {
      return (await t.page<ImportRecord>(dueByQuery(RUNNING_IMPORTS_PK, before), { limit })).items;
    },
    nudgeImport: (record, at) => t.write([saveRecord({ ...record, updatedAt: at, version: record.version + 1 }, record.version)]),
  };
}
