import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

/** How a handler's answer to a batch becomes a retry, as Lambda reads it. */

/** The handler answered with `batchItemFailures`: the failed records and those after them go again. */
export class PartialBatchFailure extends Error {
  constructor(readonly failed: number) {
    super(`the handler reported ${failed} record(s) as failed`);
    this.name = 'PartialBatchFailure';
  }
}

export /** Index of the first record to retry, -1 for none; as Lambda, an unknown identifier fails the whole batch. */
function firstFailure(answer: unknown, records: DynamoDBRecord[]): number {
  const failures = (answer as Partial<DynamoDBBatchResponse> | undefined)?.batchItemFailures;
  if (!Array.isArray(failures) || failures.length === 0) return -1;
  let first = records.length;
  for (const failure of failures) {
    const at = records.findIndex((record) => record.dynamodb?.SequenceNumber === failure?.itemIdentifier);
    if (!failure?.itemIdentifier || at === -1) return 0;
    first = Math.min(first, at);
  }
  return first;
}

export function describeFailure(tableName: string, event: DynamoDBStreamEvent | undefined): string {
  if (!event) return `table stream ${tableName}: reading the stream failed`;
  const sequence = (i: number) => event.Records[i]?.dynamodb?.SequenceNumber ?? '?';
  // Sequence numbers only: the images may hold phone numbers.
  return `table stream ${tableName}: gave up on ${event.Records.length} record(s), sequence ${sequence(0)} to ${sequence(event.Records.length - 1)}`;
}
