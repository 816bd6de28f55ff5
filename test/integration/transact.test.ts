import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '@guanjia/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTo, putNew, requestToken, writeAtomically, type GuardedWrite } from '@guanjia/dynamo/transact';
import { createTestTable, type TestTable } from '../support/dynamo.ts';
import { newId } from '../support/fixtures.ts';

let t: TestTable;
beforeAll(async () => {
  t = await createTestTable();
});
afterAll(() => t.close());

const stored = async (key: { PK: string; SK: string }) => (await t.doc.send(new GetCommand({ TableName: t.tableName, Key: key, ConsistentRead: true }))).Item;

const counterKey = (id: string) => ({ PK: `TEST#${id}`, SK: 'COUNTER' });
const factKey = (id: string) => ({ PK: `TEST#${id}`, SK: 'FACT' });
const exists = () => new ConflictError('fact exists already');
/** A fact and the counter that counts it, as a use case would write them together. */
const countedFact = (counter: string, fact: string): GuardedWrite[] => [
  putNew({ ...factKey(fact), type: 'test' }, exists),
  addTo(counterKey(counter), { facts: 1, weight: 5 }),
];

describe('counters in a transaction', () => {
  it('adds to counters beside the fact they count, each starting from zero', async () => {
    const counter = newId();
    await writeAtomically(t.doc, t.tableName, countedFact(counter, newId()));
    await writeAtomically(t.doc, t.tableName, countedFact(counter, newId()));
    expect(await stored(counterKey(counter))).toMatchObject({ facts: 2, weight: 10 });
  });

  it('counts nothing when the fact beside the increment is refused', async () => {
    const counter = newId();
    const fact = newId();
    await writeAtomically(t.doc, t.tableName, countedFact(newId(), fact));
    await expect(writeAtomically(t.doc, t.tableName, countedFact(counter, fact))).rejects.toBeInstanceOf(ConflictError);
    expect(await stored(counterKey(counter))).toBeUndefined();
  });

  it('refuses an increment whose guard fails, with the guard’s error', async () => {
    const counter = newId();
    const closed = () => new ConflictError('counter is closed');
    const guarded = addTo(
      counterKey(counter),
      { facts: 1 },
      { ConditionExpression: 'attribute_exists(#open)', ExpressionAttributeNames: { '#open': 'open' }, onConditionFailed: closed },
    );
    await expect(writeAtomically(t.doc, t.tableName, [guarded])).rejects.toThrow('counter is closed');
    expect(await stored(counterKey(counter))).toBeUndefined();
  });
});

describe('the request token of a transaction that increments', () => {
  const items = (value: unknown) => [{ Put: { TableName: 't', Item: { PK: 'a', SK: 'b', value } } }];

  it('is the same for the same writes, whatever the order of their fields, and at most 36 characters', () => {
    const token = requestToken([{ Put: { TableName: 't', Item: { PK: 'a', SK: 'b', value: 1 } } }]);
    expect(requestToken([{ Put: { Item: { value: 1, SK: 'b', PK: 'a' }, TableName: 't' } }])).toBe(token);
    expect(token.length).toBeLessThanOrEqual(36);
  });

  it('differs for writes that differ in any value', () => {
    expect(requestToken(items(1))).not.toBe(requestToken(items(2)));
    expect(requestToken(items('1'))).not.toBe(requestToken(items(1)));
  });

  it('makes the same write sent again a retry, which succeeds and counts once', async () => {
    const counter = newId();
    const writes = countedFact(counter, newId());
    await writeAtomically(t.doc, t.tableName, writes);
    await writeAtomically(t.doc, t.tableName, writes);
    expect(await stored(counterKey(counter))).toMatchObject({ facts: 1, weight: 5 });
  });

  it('is left off a write without an increment, whose repeat its conditions refuse', async () => {
    const fact = newId();
    const writes = [putNew({ ...factKey(fact), type: 'test' }, exists), putNew({ ...factKey(`${fact}-entry`), type: 'test' }, exists)];
    await writeAtomically(t.doc, t.tableName, writes);
    await expect(writeAtomically(t.doc, t.tableName, writes)).rejects.toBeInstanceOf(ConflictError);
  });

  it('makes a transaction sent again with it count once', async () => {
    const counter = newId();
    const transactItems = [
      { Put: { TableName: t.tableName, Item: { ...factKey(newId()), type: 'test' } } },
      {
        Update: {
          TableName: t.tableName,
          Key: counterKey(counter),
          UpdateExpression: 'ADD #n :one',
          ExpressionAttributeNames: { '#n': 'facts' },
          ExpressionAttributeValues: { ':one': 1 },
        },
      },
    ];
    const send = () => t.doc.send(new TransactWriteCommand({ TransactItems: transactItems, ClientRequestToken: requestToken(transactItems) }));
    await send();
    await send();
    expect(await stored(counterKey(counter))).toMatchObject({ facts: 1 });
  });

  it('lets a transaction cancelled on a condition be sent again with it once the condition holds', async () => {
    const counter = newId();
    const fact = newId();
    const transactItems = [
      { ConditionCheck: { TableName: t.tableName, Key: counterKey(counter), ConditionExpression: 'attribute_exists(PK)' } },
      { Put: { TableName: t.tableName, Item: { ...factKey(fact), type: 'test' } } },
    ];
    const send = () => t.doc.send(new TransactWriteCommand({ TransactItems: transactItems, ClientRequestToken: requestToken(transactItems) }));
    await expect(send()).rejects.toThrow();
    await writeAtomically(t.doc, t.tableName, [addTo(counterKey(counter), { facts: 1 })]);
    await send();
    expect(await stored(factKey(fact))).toBeDefined();
  });
});
