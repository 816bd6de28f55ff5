import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type GetRecordsCommandOutput,
  type Shard,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toLambdaRecord } from '@guanjia/local/stream-record';
import { startTableStream, type TableStream, type StreamStart } from '@guanjia/local/table-stream';

// Shard rollover takes DynamoDB Local four hours, so the shard walk is proven on a scripted stream.
const ARN = 'arn:aws:dynamodb:ddblocal:000000000000:table/t_shards/stream/2027-01-01T00:00:00.000';
const tables = mockClient(DynamoDBClient);
const streams = mockClient(DynamoDBStreamsClient);

function record(sequence: string): _Record {
  return {
    eventID: `e${sequence}`,
    eventName: 'INSERT',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'ddblocal',
    dynamodb: { Keys: { PK: { S: `k${sequence}` } }, SequenceNumber: sequence, SizeBytes: 10, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  };
}

const open = (id: string, parent?: string): Shard => ({ ShardId: id, ParentShardId: parent, SequenceNumberRange: { StartingSequenceNumber: '1' } });
const closed = (id: string, parent?: string): Shard => ({
  ...open(id, parent),
  SequenceNumberRange: { StartingSequenceNumber: '1', EndingSequenceNumber: '9' },
});

/**
 * Pages by iterator; an iterator the script lacks reads as an open shard with nothing new.
 * An error is thrown once, then forgotten.
 */
function script(shards: () => Shard[], pages: Record<string, GetRecordsCommandOutput | Error>): void {
  streams.on(DescribeStreamCommand).callsFake(() => ({ StreamDescription: { StreamArn: ARN, Shards: shards() } }));
  streams.on(GetShardIteratorCommand).callsFake((input) => ({ ShardIterator: `${input.ShardId}:${input.SequenceNumber ?? input.ShardIteratorType}` }));
  streams.on(GetRecordsCommand).callsFake((input) => {
    const page = pages[input.ShardIterator];
    if (page instanceof Error) {
      delete pages[input.ShardIterator];
      throw page;
    }
    return page ?? { Records: [], NextShardIterator: input.ShardIterator };
  });
}

const page = (sequences: string[], next?: string): GetRecordsCommandOutput =>
  ({ Records: sequences.map(record), NextShardIterator: next, $metadata: {} }) as GetRecordsCommandOutput;

const readers: TableStream[] = [];
async function read(startAt: StreamStart, delivered: string[]): Promise<void> {
  const onBatch = (event: { Records: { dynamodb?: { SequenceNumber?: string } }[] }) =>
    void delivered.push(...event.Records.map((r) => r.dynamodb?.SequenceNumber ?? '?'));
  readers.push(await startTableStream({ endpoint: 'http://127.0.0.1:1', tableName: 't_shards', startAt, pollMs: 5, onBatch }));
}

async function until(done: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 2_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const iteratorsRead = () => streams.commandCalls(GetRecordsCommand).map((call) => call.args[0].input.ShardIterator);

beforeEach(() => {
  tables.reset();
  streams.reset();
  tables.on(DescribeTableCommand).resolves({ Table: { LatestStreamArn: ARN, StreamSpecification: { StreamEnabled: true } } });
});
afterEach(async () => {
  await Promise.all(readers.splice(0).map((reader) => reader.stop()));
});
afterAll(() => {
  tables.restore();
  streams.restore();
});

describe('the shard walk', () => {
  it('follows a shard that closes to the child that replaces it', async () => {
    let rolled = false;
    script(() => (rolled ? [closed('A'), open('B', 'A')] : [open('A')]), {
      'A:TRIM_HORIZON': page(['1'], 'A:1'),
      'A:1': page(['2']),
      'B:TRIM_HORIZON': page(['3'], 'B:3'),
    });
    const delivered: string[] = [];
    await read('TRIM_HORIZON', delivered);
    await until(() => delivered.length === 2, 'the parent read to its end');
    rolled = true;
    await until(() => delivered.length === 3, "the child's record");

    expect(delivered).toEqual(['1', '2', '3']);
  });

  it("reads a parent to its end before any of its child's records", async () => {
    script(() => [open('B', 'A'), closed('A')], {
      'A:TRIM_HORIZON': page(['1'], 'A:1'),
      'A:1': page(['2']),
      'B:TRIM_HORIZON': page(['3'], 'B:3'),
    });
    const delivered: string[] = [];
    await read('TRIM_HORIZON', delivered);
    await until(() => delivered.length === 3, 'all records');

    expect(delivered).toEqual(['1', '2', '3']);
    expect(iteratorsRead().slice(0, 3)).toEqual(['A:TRIM_HORIZON', 'A:1', 'B:TRIM_HORIZON']);
  });

  it('from LATEST, skips shards already closed and pins the open ones before resolving', async () => {
    script(() => [closed('A'), open('B', 'A')], { 'B:LATEST': page(['5'], 'B:5') });
    const delivered: string[] = [];
    await read('LATEST', delivered);

    expect(streams.commandCalls(GetShardIteratorCommand).map((call) => call.args[0].input)).toEqual([
      { StreamArn: ARN, ShardId: 'B', ShardIteratorType: 'LATEST' },
    ]);
    await until(() => delivered.length === 1, 'the record');
    expect(iteratorsRead()).not.toContain('A:TRIM_HORIZON');
  });

  it('resumes after the last record handled when an iterator expires', async () => {
    script(() => [open('A')], {
      'A:TRIM_HORIZON': page(['1'], 'A:1'),
      // Fails once; the fresh iterator after sequence 1 is named "A:1" again and reads on.
      'A:1': new ExpiredIteratorException({ message: 'Iterator expired', $metadata: {} }),
    });
    const delivered: string[] = [];
    await read('TRIM_HORIZON', delivered);
    await until(() => streams.commandCalls(GetShardIteratorCommand).length === 2, 'a fresh iterator');

    expect(streams.commandCalls(GetShardIteratorCommand)[1]?.args[0].input).toEqual({
      StreamArn: ARN,
      ShardId: 'A',
      ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
      SequenceNumber: '1',
    });
    expect(delivered).toEqual(['1']);
  });
});

describe('toLambdaRecord', () => {
  it("writes bytes as base64, the time in epoch seconds, and a TTL deletion's author in Lambda's spelling", () => {
    const ttl: _Record = {
      ...record('7'),
      eventName: 'REMOVE',
      userIdentity: { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' },
      dynamodb: {
        ApproximateCreationDateTime: new Date('2027-01-01T00:00:01.900Z'),
        Keys: { PK: { S: 'k' } },
        OldImage: { PK: { S: 'k' }, b: { B: new Uint8Array([255, 0]) }, bs: { BS: [new Uint8Array([1])] }, ok: { BOOL: false }, ns: { NS: ['1', '2'] } },
        SequenceNumber: '7',
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    };
    expect(toLambdaRecord(ttl, ARN)).toEqual({
      eventID: 'e7',
      eventName: 'REMOVE',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'ddblocal',
      dynamodb: {
        ApproximateCreationDateTime: 1798761601,
        Keys: { PK: { S: 'k' } },
        OldImage: { PK: { S: 'k' }, b: { B: '/wA=' }, bs: { BS: ['AQ=='] }, ok: { BOOL: false }, ns: { NS: ['1', '2'] } },
        SequenceNumber: '7',
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
      eventSourceARN: ARN,
      userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' },
    });
  });
});

describe('an empty map in a stream image', () => {
  it('stays an empty map, as Lambda delivers it', async () => {
    const { toLambdaValue } = await import('@guanjia/local/stream-record');
    // What the SDK makes of {"M":{}} on the wire.
    expect(toLambdaValue({} as never)).toEqual({ M: {} });
  });
});
