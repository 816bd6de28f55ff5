import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { workHandover, workImport, type Context } from '@guanjia/core';
import { HANDOVER_RECORD_TYPE } from './entities/handovers.ts';
import { IMPORT_RECORD_TYPE } from './entities/imports.ts';
import type { BatchAnswer } from './outbox-dispatch.ts';
import type { StreamRecordLike } from './outbox-stream.ts';

/** A running import named by a stream record, and where the record sits in its shard. */
export interface RunningImport {
  id: string;
  /** A hand-over of a leaver's customers runs on the same stream, chunk by chunk, as an import does. */
  kind: 'import' | 'handover';
  sequenceNumber: string | undefined;
}

/**
 * The imports a stream batch asks to be worked: import records now `running` (new, or
 * moved on by a chunk done or a nudge). The same filter goes on the worker's event source
 * mapping, so locally and in AWS the worker sees the same records.
 */
export function runningImports(records: readonly StreamRecordLike[]): RunningImport[] {
  const running: RunningImport[] = [];
  for (const record of records) {
    if (record.eventName !== 'INSERT' && record.eventName !== 'MODIFY') continue;
    const image = record.dynamodb?.NewImage;
    if (!image) continue;
    const item = unmarshall(image as Record<string, AttributeValue>) as { type?: string; status?: string; id?: string };
    const kind = item.type === IMPORT_RECORD_TYPE ? 'import' : item.type === HANDOVER_RECORD_TYPE ? 'handover' : null;
    if (kind && item.status === 'running' && typeof item.id === 'string') {
      running.push({ id: item.id, kind, sequenceNumber: record.dynamodb?.SequenceNumber });
    }
  }
  return running;
}

/** The filter pattern for the worker's event source mapping, in Lambda's filter syntax. */
export const RUNNING_IMPORT_FILTER = {
  eventName: ['INSERT', 'MODIFY'],
  dynamodb: { NewImage: { type: { S: [IMPORT_RECORD_TYPE, HANDOVER_RECORD_TYPE] }, status: { S: ['running'] } } },
} as const;

/**
 * The one worker loop, for the Lambda and the local runtime alike: one chunk of each
 * running import the batch names (a record seen twice in a batch is worked once), stopping
 * at the first that throws and reporting its record, so the shard is retried from there.
 */
export async function workImportBatch(
  records: readonly StreamRecordLike[],
  ctx: Context,
  watch: { stopped?(id: string, error: unknown): void } = {},
): Promise<BatchAnswer> {
  const seen = new Set<string>();
  for (const { id, kind, sequenceNumber } of runningImports(records)) {
    if (seen.has(id)) continue;
    seen.add(id);
    try {
      await (kind === 'import' ? workImport(ctx, id) : workHandover(ctx, id));
    } catch (error) {
      watch.stopped?.(id, error);
      return { batchItemFailures: [{ itemIdentifier: sequenceNumber ?? '' }] };
    }
  }
  return { batchItemFailures: [] };
}
