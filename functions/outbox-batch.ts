import type { DynamoDBBatchResponse } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context as CoreContext, SmsSender } from '@guanjia/core';
import { dispatchStreamBatch, type StreamRecordLike } from '@guanjia/dynamo';
import { SMS_FAILED, SMS_SENT } from './metric-names.ts';
import type { Telemetry } from './telemetry.ts';

/** The shared dispatch loop, told to log each message and count what this call handed over. */
export function dispatchBatch(
  records: readonly StreamRecordLike[],
  ctx: CoreContext,
  sender: SmsSender,
  { logger, metrics }: Pick<Telemetry, 'logger' | 'metrics'>,
): Promise<DynamoDBBatchResponse> {
  return dispatchStreamBatch(records, ctx, sender, {
    stopped: (id, sequenceNumber, error) => logger.error('sms dispatch failed; the batch stops at this record', { messageId: id, sequenceNumber, error }),
    dispatched: (id, outcome, handedOver) => {
      // Never the phone or the body: the message id is enough to find both.
      logger.info('sms dispatched', { messageId: id, state: outcome?.state ?? 'missing', reason: outcome?.reason });
      if (handedOver && outcome?.state === 'sent') metrics.addMetric(SMS_SENT, MetricUnit.Count, 1);
      if (handedOver && outcome?.state === 'failed') metrics.addMetric(SMS_FAILED, MetricUnit.Count, 1);
    },
  });
}
