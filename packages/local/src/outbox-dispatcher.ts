import { dispatchMessage, type Context } from '@guanjia/core';
import { queuedMessageIds } from '@guanjia/dynamo';
import { cappedSender, ConsoleSms, type Sms } from '@guanjia/sms';
import { startTableStream, type TableStream } from './table-stream.ts';

/**
 * The outbox dispatcher as it runs in AWS, fed by the table's stream the same way: queued
 * messages reach `dispatchMessage`. It starts from the oldest record the stream holds, so
 * messages queued while the runtime was down (by `npm run job`) go out when it starts;
 * records of messages already sent are passed over by the dispatcher itself.
 */
export function startOutboxDispatcher(ctx: Context, options: { endpoint: string; tableName: string; sms?: Sms }): Promise<TableStream> {
  const sender = cappedSender(options.sms ?? new ConsoleSms());
  return startTableStream({
    endpoint: options.endpoint,
    tableName: options.tableName,
    startAt: 'TRIM_HORIZON',
    filter: (record) => queuedMessageIds([record]).length > 0,
    onBatch: async (event) => {
      for (const id of queuedMessageIds(event.Records)) await dispatchMessage(ctx, sender, id);
    },
  });
}
