import { randomBytes } from 'node:crypto';
import { CreateTableCommand, DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { NoStreamError, startTableStream, type TableStream, type TableStreamOptions } from '@guanjia/local/table-stream';
import { createTestTable, type TestTable } from '../support/dynamo.ts';
import { newId } from '../support/fixtures.ts';

let t: TestTable;
beforeAll(async () => {
  t = await createTestTable();
});
afterAll(() => t?.close());

const readers: TableStream[] = [];
afterEach(async () => {
  await Promise.all(readers.splice(0).map((reader) => reader.stop()));
});

/** From the start of the stream, so a test never races the reader; other tests' records are filtered by scope. */
async function read(options: Partial<TableStreamOptions> & Pick<TableStreamOptions, 'onBatch'>): Promise<TableStream> {
  const reader = await startTableStream({
    endpoint: inject('dynamoEndpoint'),
    tableName: t.tableName,
    startAt: 'TRIM_HORIZON',
    pollMs: 20,
    retryDelayMs: 10,
    ...options,
  });
  readers.push(reader);
  return reader;
}

async function until<T>(probe: () => T | undefined | false, what: string, ms = 5_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pk = (record: DynamoDBRecord) => record.dynamodb?.Keys?.PK?.S ?? '';
const inScope = (scope: string) => (record: DynamoDBRecord) => pk(record).startsWith(scope);
const ids = (event: DynamoDBStreamEvent) => event.Records.map((record) => record.eventID);
const put = (item: Record<string, unknown>) => t.doc.send(new PutCommand({ TableName: t.tableName, Item: item }));

describe('startTableStream', () => {
  it('delivers inserts, a modify and a remove in order, shaped as Lambda delivers them', async () => {
    const scope = `order-${newId()}`;
    await put({ PK: `${scope}#1`, SK: 'A', type: 'sms', n: 1, bin: new Uint8Array([1, 2, 3]), tags: new Set(['x']), nested: { list: [1, 'two', null] } });
    await put({ PK: `${scope}#2`, SK: 'A', type: 'email' });
    await t.doc.send(
      new UpdateCommand({ TableName: t.tableName, Key: { PK: `${scope}#1`, SK: 'A' }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': 2 } }),
    );
    await t.doc.send(new DeleteCommand({ TableName: t.tableName, Key: { PK: `${scope}#2`, SK: 'A' } }));

    const events: DynamoDBStreamEvent[] = [];
    await read({ onBatch: (event) => void events.push(event) });
    const mine = await until(() => {
      const records = events.flatMap((event) => event.Records).filter(inScope(scope));
      return records.length >= 4 && records;
    }, 'four records');

    expect(mine.map((r) => [r.eventName, pk(r)])).toEqual([
      ['INSERT', `${scope}#1`],
      ['INSERT', `${scope}#2`],
      ['MODIFY', `${scope}#1`],
      ['REMOVE', `${scope}#2`],
    ]);
    const image = { PK: { S: `${scope}#1` }, SK: { S: 'A' }, type: { S: 'sms' }, bin: { B: 'AQID' }, tags: { SS: ['x'] } };
    const nested = { M: { list: { L: [{ N: '1' }, { S: 'two' }, { NULL: true }] } } };
    expect(mine[2]).toEqual({
      eventID: expect.any(String),
      eventName: 'MODIFY',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: expect.any(String),
      dynamodb: {
        ApproximateCreationDateTime: expect.any(Number),
        Keys: { PK: { S: `${scope}#1` }, SK: { S: 'A' } },
        NewImage: { ...image, n: { N: '2' }, nested },
        OldImage: { ...image, n: { N: '1' }, nested },
        SequenceNumber: expect.stringMatching(/^\d+$/),
        SizeBytes: expect.any(Number),
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
      eventSourceARN: expect.stringContaining(`:table/${t.tableName}/stream/`),
    });
    expect(mine[3]?.dynamodb).not.toHaveProperty('NewImage');
    expect(mine[3]?.dynamodb?.OldImage).toEqual({ PK: { S: `${scope}#2` }, SK: { S: 'A' }, type: { S: 'email' } });
    const sequence = mine.map((r) => BigInt(r.dynamodb?.SequenceNumber ?? '0'));
    expect([...sequence].sort((a, b) => (a < b ? -1 : 1))).toEqual(sequence);
    // Plain JSON, as Lambda hands it over: no Date, no Uint8Array.
    for (const event of events) expect(JSON.parse(JSON.stringify(event))).toEqual(event);
  });

  it('passes only the records the filter accepts, and never an empty batch', async () => {
    const scope = `filter-${newId()}`;
    await put({ PK: `${scope}#1`, SK: 'A', type: 'sms' });
    await put({ PK: `${scope}#2`, SK: 'A', type: 'email' });
    await put({ PK: `${scope}#3`, SK: 'A' });
    await t.doc.send(
      new UpdateCommand({
        TableName: t.tableName,
        Key: { PK: `${scope}#1`, SK: 'A' },
        UpdateExpression: 'SET sent = :s',
        ExpressionAttributeValues: { ':s': true },
      }),
    );
    const isSms = (r: DynamoDBRecord) => (r.dynamodb?.NewImage ?? r.dynamodb?.OldImage)?.type?.S === 'sms';

    const events: DynamoDBStreamEvent[] = [];
    await read({ filter: (r) => inScope(scope)(r) && isSms(r), onBatch: (event) => void events.push(event) });
    // The modify is the last write, so once it is here every earlier record has been judged.
    await until(() => events.some((e) => e.Records.some((r) => r.eventName === 'MODIFY')), 'the modify');

    expect(events.every((event) => event.Records.length > 0)).toBe(true);
    expect(events.flatMap((e) => e.Records).map((r) => [r.eventName, pk(r)])).toEqual([
      ['INSERT', `${scope}#1`],
      ['MODIFY', `${scope}#1`],
    ]);
  });

  it('hands a batch that threw over again, losing and doubling nothing', async () => {
    const scope = `retry-${newId()}`;
    for (const n of [1, 2, 3]) await put({ PK: `${scope}#${n}`, SK: 'A' });

    const calls: DynamoDBStreamEvent[] = [];
    const taken: string[] = [];
    await read({
      filter: inScope(scope),
      onBatch: (event) => {
        calls.push(event);
        if (calls.length === 1) throw new Error('the first try fails');
        taken.push(...event.Records.map(pk));
      },
    });
    await until(() => taken.length >= 3, 'three records taken');
    await put({ PK: `${scope}#4`, SK: 'A' });
    await until(() => taken.length >= 4, 'the fourth record');
    await pause(100);

    expect(ids(calls[1]!)).toEqual(ids(calls[0]!));
    expect(taken).toEqual([1, 2, 3, 4].map((n) => `${scope}#${n}`));
  });

  it('gives up on a batch after maxRetries, reports it, and reads on', async () => {
    const scope = `poison-${newId()}`;
    await put({ PK: `${scope}#poison`, SK: 'A' });
    const attempts: string[][] = [];
    const failures: { error: unknown; event: DynamoDBStreamEvent | undefined }[] = [];
    const taken: string[] = [];
    await read({
      filter: inScope(scope),
      maxRetries: 2,
      onError: (error, event) => void failures.push({ error, event }),
      onBatch: (event) => {
        const keys = event.Records.map(pk);
        attempts.push(keys);
        if (keys.includes(`${scope}#poison`)) throw new Error('cannot send');
        taken.push(...keys);
      },
    });
    await until(() => failures.length > 0, 'the batch to be given up on');
    await put({ PK: `${scope}#fine`, SK: 'A' });
    await until(() => taken.length > 0, 'the next record');

    expect(attempts).toEqual([...Array(3).fill([`${scope}#poison`]), [`${scope}#fine`]]);
    expect(failures).toHaveLength(1);
    expect(failures[0]?.error).toEqual(new Error('cannot send'));
    expect(failures[0]?.event?.Records.map(pk)).toEqual([`${scope}#poison`]);
  });

  it('retries from the first record the handler reports in batchItemFailures', async () => {
    const scope = `partial-${newId()}`;
    for (const n of [1, 2, 3]) await put({ PK: `${scope}#${n}`, SK: 'A' });
    const calls: string[][] = [];
    const failures: unknown[] = [];
    await read({
      filter: inScope(scope),
      onError: (error) => void failures.push(error),
      onBatch: (event) => {
        calls.push(event.Records.map(pk));
        if (calls.length > 1) return;
        return { batchItemFailures: [{ itemIdentifier: event.Records[1]?.dynamodb?.SequenceNumber ?? '' }] };
      },
    });
    await until(() => calls.length >= 2, 'the retry');
    await pause(100);

    expect(calls).toEqual([[1, 2, 3].map((n) => `${scope}#${n}`), [2, 3].map((n) => `${scope}#${n}`)]);
    expect(failures).toEqual([]);
  });

  it('stop() waits for the batch in flight, then nothing more arrives', async () => {
    const scope = `stop-${newId()}`;
    await put({ PK: `${scope}#1`, SK: 'A' });
    let release = () => {};
    const gate = new Promise<void>((open) => (release = open));
    const calls: string[][] = [];
    const reader = await read({
      filter: inScope(scope),
      onBatch: async (event) => {
        calls.push(event.Records.map(pk));
        await gate;
      },
    });
    await until(() => calls.length === 1, 'the first batch');

    let stopped = false;
    const stopping = reader.stop().then(() => (stopped = true));
    await pause(100);
    expect(stopped).toBe(false);
    const released = Date.now();
    release();
    await stopping;
    expect(Date.now() - released).toBeLessThan(1_000);

    await put({ PK: `${scope}#2`, SK: 'A' });
    await pause(200);
    expect(calls).toEqual([[`${scope}#1`]]);
  });

  it('from LATEST, delivers the changes made after it resolved and none before', async () => {
    const scope = `latest-${newId()}`;
    await put({ PK: `${scope}#before`, SK: 'A' });
    const taken: string[] = [];
    await read({ startAt: 'LATEST', filter: inScope(scope), onBatch: (event) => void taken.push(...event.Records.map(pk)) });
    await put({ PK: `${scope}#after`, SK: 'A' });
    await until(() => taken.length > 0, 'the later record');

    expect(taken).toEqual([`${scope}#after`]);
  });

  it('refuses a table without a stream, and a batch size GetRecords would refuse', async () => {
    const tableName = `t_${randomBytes(6).toString('hex')}`;
    await t.client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'PK', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }],
      }),
    );
    try {
      await expect(startTableStream({ endpoint: inject('dynamoEndpoint'), tableName, onBatch: () => {} })).rejects.toThrow(NoStreamError);
    } finally {
      await t.client.send(new DeleteTableCommand({ TableName: tableName }));
    }
    await expect(read({ batchSize: 1001, onBatch: () => {} })).rejects.toThrow(RangeError);
  });
});
