import type { Context, SmsSender } from '@guanjia/core';
import { dispatchStreamBatch, queuedMessageIds } from '@guanjia/dynamo';
import { cappedSender, ConsoleSms } from '@guanjia/sms';
import { startTableStream, type TableStream } from './table-stream.ts';

/**
 * The outbox dispatcher as it runs in AWS, fed by the table's stream the same way and
 * through the same loop: queued messages in order, a failure retried from its record. It
 * starts from the oldest record the stream holds, so messages queued while the runtime was
 * down (by `npm run job`) go out when it starts; records of messages already sent are
 * passed over by the dispatcher itself.
 */
export function startOutboxDispatcher(ctx: Context, options: { endpoint: string; tableName: string; sms?: SmsSender }): Promise<TableStream> {
  const sender = cappedSender(options.sms ?? new ConsoleSms());
  return startTableStream({
    endpoint: options.endpoint,
    tableName: options.tableName,
    startAt: 'TRIM_HORIZON',
    filter: (record) => queuedMessageIds([record]).length > 0,
    onBatch: (event) => dispatchStreamBatch(event.Records, ctx, sender),
  });
}
