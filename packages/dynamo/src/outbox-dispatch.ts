import { dispatchMessage, readForDispatch, type Context, type DispatchRead, type OutboxMessage, type SmsSender } from '@guanjia/core';
import { queuedMessages, type StreamRecordLike } from './outbox-stream.ts';

/** What a dispatcher is told of each message, for its logs and metrics. */
export interface DispatchWatch {
  /** `handedOver`: this call gave the message to the provider (not one found sent already). */
  dispatched?(id: string, outcome: OutboxMessage | null, handedOver: boolean): void;
  /** The message threw; the batch stops at its record. */
  stopped?(id: string, sequenceNumber: string | undefined, error: unknown): void;
}

/** Lambda's partial-batch answer, which the local stream reader honours as well. */
export interface BatchAnswer {
  batchItemFailures: { itemIdentifier: string }[];
}

/**
 * The one dispatch loop, for the Lambda and the local runtime alike: the queued messages of
 * a stream batch in order, stopping at the first that throws and reporting its record, so
 * the shard is retried from there and no later message overtakes it. The next message's
 * reads (the message, its site) go out while this one is claimed and waits for its send
 * slot, so the rate cap rather than DynamoDB sets the pace; nothing is written ahead.
 */
export async function dispatchStreamBatch(
  records: readonly StreamRecordLike[],
  ctx: Context,
  sender: SmsSender,
  watch: DispatchWatch = {},
): Promise<BatchAnswer> {
  const queued = queuedMessages(records);
  let ahead = queued[0] ? readAhead(ctx, queued[0].id) : undefined;
  for (const [i, { id, sequenceNumber }] of queued.entries()) {
    const read = ahead!;
    const next = queued[i + 1];
    ahead = next ? readAhead(ctx, next.id) : undefined;
    // A message already sent (a record delivered again, or another dispatcher won the claim)
    // comes back `sent` as well: only what this call handed to the provider counts as sent by it.
    let handedOver = false;
    const watched: SmsSender = {
      send: (message) => {
        handedOver = true;
        return sender.send(message);
      },
    };
    let outcome: OutboxMessage | null;
    try {
      outcome = await dispatchMessage(ctx, watched, id, await read);
    } catch (error) {
      watch.stopped?.(id, sequenceNumber, error);
      // An empty identifier reads as the whole batch failing, which still keeps the order.
      return { batchItemFailures: [{ itemIdentifier: sequenceNumber ?? '' }] };
    }
    watch.dispatched?.(id, outcome, handedOver);
  }
  return { batchItemFailures: [] };
}

/** Started now, awaited in its turn: a failed read is that message's failure, not an unhandled rejection. */
function readAhead(ctx: Context, id: string): Promise<DispatchRead> {
  const read = readForDispatch(ctx, id);
  read.catch(() => undefined);
  return read;
}
