import { setTimeout as sleep } from 'node:timers/promises';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type GetRecordsCommandOutput,
  type GetShardIteratorCommandInput,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { throttledLog, unavailableKind } from '@guanjia/api';
import { consoleErrorLog } from './error-log.ts';
import { toLambdaRecord } from './stream-record.ts';
import { describeFailure, firstFailure, PartialBatchFailure } from './batch-answer.ts';
import type { StreamStart, TableStream, TableStreamOptions } from './table-stream-types.ts';
import { findStreamArn } from './stream-arn.ts';

export { NoStreamError } from './stream-arn.ts';

export type { StreamStart, TableStream, TableStreamOptions } from './table-stream-types.ts';

// DynamoDB Local rolls a shard over every four hours and a closed shard's end triggers a
// look anyway; the periodic look only catches what that misses.
const DESCRIBE_EVERY_MS = 10_000;
const MAX_BACKOFF_MS = 5_000;
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

interface ShardState {
  id: string;
  parentId: string | undefined;
  start: StreamStart;
  iterator: string | undefined;
  /** Sequence number of the last record handled: where a fresh iterator picks up. */
  checkpoint: string | undefined;
  done: boolean;
}

const nameOf = (error: unknown): string => (error instanceof Error ? error.name : '');

/**
 * Reads a table's DynamoDB stream the way Lambda's event source mapping does, so that the
 * outbox handler runs on the same events locally as in AWS. Resolves once reading has
 * begun: with LATEST, every change after that moment is delivered.
 */
export async function startTableStream(options: TableStreamOptions): Promise<TableStream> {
  const batchSize = options.batchSize ?? 100;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1000) {
    throw new RangeError(`batchSize must be a whole number from 1 to 1000 (GetRecords' limit), not ${batchSize}`);
  }
  const config = { endpoint: options.endpoint, region: options.region ?? 'local', credentials: LOCAL_CREDENTIALS };
  const streamArn = await findStreamArn(config, options.tableName);
  const reader = new StreamReader(new DynamoDBStreamsClient(config), streamArn, { ...options, batchSize });
  await reader.begin();
  return { stop: () => reader.stop() };
}

class StreamReader {
  private readonly shards = new Map<string, ShardState>();
  private readonly stopper = new AbortController();
  private needDescribe = true;
  private lastDescribe = 0;
  private running: Promise<void> | undefined;
  private readonly pollMs: number;
  private readonly maxRetries: number;
  private readonly retryDelayMs: number;
  private readonly startAt: StreamStart;
  private readonly logUnreachable = throttledLog(consoleErrorLog);

  constructor(
    private readonly streams: DynamoDBStreamsClient,
    private readonly streamArn: string,
    private readonly options: TableStreamOptions & { batchSize: number },
  ) {
    this.pollMs = options.pollMs ?? 250;
    this.maxRetries = options.maxRetries ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? 200;
    this.startAt = options.startAt ?? 'LATEST';
  }

  private get stopping(): boolean {
    return this.stopper.signal.aborted;
  }

  /** Lists the shards and pins the starting iterators before the caller goes on. */
  async begin(): Promise<void> {
    try {
      await this.describe(true);
      for (const shard of this.ready()) await this.openIterator(shard);
    } catch (error) {
      this.streams.destroy();
      throw error;
    }
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopper.abort();
    await this.running;
    this.streams.destroy();
  }

  private async loop(): Promise<void> {
    let errorDelay = this.pollMs;
    while (!this.stopping) {
      try {
        let active = this.ready();
        if (this.needDescribe || active.length === 0 || Date.now() - this.lastDescribe >= DESCRIBE_EVERY_MS) {
          await this.describe(false);
          active = this.ready();
        }
        let busy = false;
        for (const shard of active) {
          if (this.stopping) break;
          if (await this.pollShard(shard)) busy = true;
        }
        errorDelay = this.pollMs;
        // A shard that just gave records may hold more: read on without waiting.
        if (!busy) await this.pause(this.pollMs);
      } catch (error) {
        if (this.stopping) break;
        this.report(error);
        await this.pause(errorDelay);
        errorDelay = Math.min(errorDelay * 2, MAX_BACKOFF_MS);
      }
    }
  }

  /** Shards to read now: a child waits for its parent, so a key's changes keep their order. */
  private ready(): ShardState[] {
    return [...this.shards.values()].filter((shard) => {
      const parent = shard.parentId === undefined ? undefined : this.shards.get(shard.parentId);
      return !shard.done && (!parent || parent.done);
    });
  }

  private async describe(initial: boolean): Promise<void> {
    const listed = new Set<string>();
    let after: string | undefined;
    do {
      const { StreamDescription: stream } = await this.streams.send(new DescribeStreamCommand({ StreamArn: this.streamArn, ExclusiveStartShardId: after }), {
        abortSignal: this.stopper.signal,
      });
      for (const shard of stream?.Shards ?? []) {
        if (!shard.ShardId) continue;
        listed.add(shard.ShardId);
        if (!this.shards.has(shard.ShardId)) this.shards.set(shard.ShardId, this.track(shard, initial));
      }
      after = stream?.LastEvaluatedShardId;
    } while (after);
    // Forget finished shards once the stream has dropped them (after 24 hours), not before:
    // their children look them up.
    for (const [id, shard] of this.shards) if (shard.done && !listed.has(id)) this.shards.delete(id);
    this.needDescribe = false;
    this.lastDescribe = Date.now();
  }

  private track(shard: Shard, initial: boolean): ShardState {
    const closed = shard.SequenceNumberRange?.EndingSequenceNumber !== undefined;
    return {
      id: shard.ShardId as string,
      parentId: shard.ParentShardId,
      // Shards born while reading hold only new changes: all of each is wanted.
      start: initial ? this.startAt : 'TRIM_HORIZON',
      iterator: undefined,
      checkpoint: undefined,
      // From LATEST, a shard already closed has nothing that happens from now on.
      done: initial && this.startAt === 'LATEST' && closed,
    };
  }

  private async openIterator(shard: ShardState): Promise<void> {
    const position: Partial<GetShardIteratorCommandInput> = shard.checkpoint
      ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: shard.checkpoint }
      : { ShardIteratorType: shard.start };
    try {
      const { ShardIterator } = await this.streams.send(
        new GetShardIteratorCommand({ StreamArn: this.streamArn, ShardId: shard.id, ...position } as GetShardIteratorCommandInput),
        { abortSignal: this.stopper.signal },
      );
      if (ShardIterator) shard.iterator = ShardIterator;
      else this.finish(shard);
    } catch (error) {
      if (!this.recover(shard, error)) throw error;
    }
  }

  /** One GetRecords and its batch; true when there may be more to read straight away. */
  private async pollShard(shard: ShardState): Promise<boolean> {
    if (!shard.iterator) await this.openIterator(shard);
    if (!shard.iterator) return true;
    let page: GetRecordsCommandOutput;
    try {
      page = await this.streams.send(new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: this.options.batchSize }), {
        abortSignal: this.stopper.signal,
      });
    } catch (error) {
      if (this.recover(shard, error)) return true;
      throw error;
    }
    const records = (page.Records ?? []).map((record) => toLambdaRecord(record, this.streamArn));
    const wanted = records.filter((record) => this.passes(record));
    if (wanted.length > 0 && !(await this.deliver(wanted))) return false;
    const last = records.at(-1)?.dynamodb?.SequenceNumber;
    if (last) shard.checkpoint = last;
    shard.iterator = page.NextShardIterator;
    // No next iterator: the shard is closed and read to its end, and its children may start.
    if (!page.NextShardIterator) this.finish(shard);
    return records.length > 0 || !page.NextShardIterator;
  }

  /** The stream errors that say where to read next rather than that reading failed. */
  private recover(shard: ShardState, error: unknown): boolean {
    switch (nameOf(error)) {
      case 'ExpiredIteratorException':
        // Iterators last 15 minutes (a machine asleep); pick up after the last record handled.
        shard.iterator = undefined;
        return true;
      case 'TrimmedDataAccessException':
        // The records after the checkpoint aged out of the stream (24 hours): say so, read on from the oldest left.
        this.report(error);
        Object.assign(shard, { iterator: undefined, checkpoint: undefined, start: 'TRIM_HORIZON' });
        return true;
      case 'ResourceNotFoundException':
        // The shard itself aged out of the stream.
        this.finish(shard);
        return true;
      default:
        return false;
    }
  }

  private finish(shard: ShardState): void {
    shard.done = true;
    shard.iterator = undefined;
    this.needDescribe = true;
  }

  private passes(record: DynamoDBRecord): boolean {
    if (!this.options.filter) return true;
    try {
      return this.options.filter(record);
    } catch (error) {
      // Lambda drops a record its filter cannot evaluate; a throwing filter does the same here.
      this.report(error);
      return false;
    }
  }

  /**
   * Hands records to the handler until it takes them or the retries run out, as Lambda does
   * within one shard: nothing later is read meanwhile. False when stop() cut a retry short.
   */
  private async deliver(records: DynamoDBRecord[]): Promise<boolean> {
    let pending = records;
    for (let attempt = 0; ; attempt++) {
      let failure: unknown;
      try {
        // A fresh copy each time, as Lambda deserializes afresh: a handler that edits its event cannot change the retry.
        const answer = await this.options.onBatch({ Records: structuredClone(pending) });
        const failedAt = firstFailure(answer, pending);
        if (failedAt === -1) return true;
        pending = pending.slice(failedAt);
        failure = new PartialBatchFailure(pending.length);
      } catch (error) {
        failure = error;
      }
      if (attempt >= this.maxRetries) {
        this.report(failure, { Records: pending });
        return true;
      }
      await this.pause(Math.min(this.retryDelayMs * 2 ** attempt, MAX_BACKOFF_MS));
      if (this.stopping) return false;
    }
  }

  private pause(ms: number): Promise<void> {
    return sleep(ms, undefined, { signal: this.stopper.signal }).catch(() => undefined);
  }

  private report(error: unknown, event?: DynamoDBStreamEvent): void {
    try {
      if (this.options.onError) this.options.onError(error, event);
      else if (!event && unavailableKind(error)) {
        // It polls on while DynamoDB Local restarts: a stack per poll would bury the console.
        this.logUnreachable(unavailableKind(error)!, { message: `table stream ${this.options.tableName}: the database does not answer` });
      } else consoleErrorLog({ message: describeFailure(this.options.tableName, event), error });
    } catch (reportError) {
      consoleErrorLog({ message: `table stream ${this.options.tableName}: onError threw`, error: reportError });
    }
  }
}
