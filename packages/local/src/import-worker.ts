import type { Context } from '@guanjia/core';
import { runningImports, workImportBatch } from '@guanjia/dynamo';
import { startTableStream, type TableStream } from './table-stream.ts';

/**
 * The import worker as it runs in AWS, fed by the table's stream the same way: each chunk
 * done changes the import's record, and that change brings the next chunk. It starts from
 * the oldest record the stream holds, so an import left running when the runtime stopped
 * goes on when it starts.
 */
export function startImportWorker(ctx: Context, options: { endpoint: string; tableName: string }): Promise<TableStream> {
  return startTableStream({
    endpoint: options.endpoint,
    tableName: options.tableName,
    startAt: 'TRIM_HORIZON',
    filter: (record) => runningImports([record]).length > 0,
    onBatch: (event) => workImportBatch(event.Records, ctx),
  });
}
