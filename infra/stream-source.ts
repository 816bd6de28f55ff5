import { Duration } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Queue } from 'aws-cdk-lib/aws-sqs';

/** Stream retries before a batch goes to the dead-letter queue; the item itself stays in the table. */
export const STREAM_RETRY_ATTEMPTS = 5;

/**
 * The table's stream as every stream-fed function here takes it: filtered to the items it
 * works, in order (one shard reader), a failing batch bisected and reported record by
 * record, retried a bounded number of times, then set aside on a dead-letter queue.
 */
export function filteredTableStream(table: TableV2, filter: object, deadLetters: Queue, batchSize: number): DynamoEventSource {
  return new DynamoEventSource(table, {
    startingPosition: StartingPosition.TRIM_HORIZON,
    batchSize,
    filters: [FilterCriteria.filter(filter as Record<string, unknown>)],
    bisectBatchOnError: true,
    reportBatchItemFailures: true,
    retryAttempts: STREAM_RETRY_ATTEMPTS,
    maxRecordAge: Duration.hours(6),
    onFailure: new SqsDlq(deadLetters),
    parallelizationFactor: 1,
  });
}
