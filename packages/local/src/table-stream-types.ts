import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

export type StreamStart = 'LATEST' | 'TRIM_HORIZON';

export interface TableStreamOptions {
  /** DynamoDB Local; the stream API answers on the same port as the table API. */
  endpoint: string;
  tableName: string;
  /**
   * The Lambda handler's job: the event is Lambda's DynamoDB stream event, images in
   * AttributeValue form. A throw, or `batchItemFailures` in the answer, means "retry".
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: a handler that answers nothing (Lambda's own type) means the whole batch went through
  onBatch(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse | void> | DynamoDBBatchResponse | void;
  /** Lambda's event filtering: records it refuses never reach a batch. */
  filter?(record: DynamoDBRecord): boolean;
  /** Records per GetRecords call, so the largest batch; 1 to 1000. */
  batchSize?: number;
  /** Pause between polls of a stream that had nothing new. */
  pollMs?: number;
  /** LATEST: changes after the returned promise resolves; TRIM_HORIZON: everything the stream still holds. */
  startAt?: StreamStart;
  /** Lambda's MaximumRetryAttempts: retries of a failing batch before it is given up on. */
  maxRetries?: number;
  /** First retry delay; each further retry waits twice as long. */
  retryDelayMs?: number;
  /** Must match the writer's: DynamoDB Local keeps a database per region unless it was started with sharedDb. */
  region?: string;
  /**
   * A batch given up on (where Lambda would use its on-failure destination) comes with its
   * event; a failure to read the stream comes without one. Console output when left out.
   */
  onError?(error: unknown, event?: DynamoDBStreamEvent): void;
}

export interface TableStream {
  /** Ends polling and resolves once the batch in flight, if any, has been handled. */
  stop(): Promise<void>;
}
