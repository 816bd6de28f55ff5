import type { DynamoDBBatchResponse } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { dispatchMessage, type Context as CoreContext, type SmsSender } from '@guanjia/core';
import { queuedMessages, type StreamRecordLike } from '@guanjia/dynamo';
import { SMS_FAILED, SMS_SENT } from './metric-names.ts';
import type { Telemetry } from './telemetry.ts';

/**
 * Dispatches a stream batch in order. At the first message that throws it stops and reports
 * that record: Lambda retries the shard from there, so no later message overtakes it.
 */
export async function dispatchBatch(
  records: readonly StreamRecordLike[],
  ctx: CoreContext,
  sender: SmsSender,
  { logger, metrics }: Pick<Telemetry, 'logger' | 'metrics'>,
): Promise<DynamoDBBatchResponse> {
  for (const { id, sequenceNumber } of queuedMessages(records)) {
    // A message already sent (a record delivered again, or another dispatcher won the claim)
    // comes back `sent` as well: only what this call handed to the provider is counted.
    let handedOver = false;
    const watched: SmsSender = {
      send: (message) => {
        handedOver = true;
        return sender.send(message);
      },
    };
    let outcome;
    try {
      outcome = await dispatchMessage(ctx, watched, id);
    } catch (error) {
      logger.error('sms dispatch failed; the batch stops at this record', { messageId: id, sequenceNumber, error });
      // Lambda reads an empty identifier as the whole batch failing, which still keeps the order.
      return { batchItemFailures: [{ itemIdentifier: sequenceNumber ?? '' }] };
    }
    // Never the phone or the body: the message id is enough to find both.
    logger.info('sms dispatched', { messageId: id, state: outcome?.state ?? 'missing', reason: outcome?.reason });
    if (handedOver && outcome?.state === 'sent') metrics.addMetric(SMS_SENT, MetricUnit.Count, 1);
    if (handedOver && outcome?.state === 'failed') metrics.addMetric(SMS_FAILED, MetricUnit.Count, 1);
  }
  return { batchItemFailures: [] };
}
