import { randomBytes } from 'node:crypto';
import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTableInput, ensureTable, tableDefinition } from '@guanjia/dynamo';
import { afterAll, describe, expect, inject, it } from 'vitest';

const client = new DynamoDBClient({ endpoint: inject('dynamoEndpoint'), region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
afterAll(() => client.destroy());

describe('ensuring the table', () => {
  it('adds to a table made before it the index the definition has since gained', async () => {
    const tableName = `old_${randomBytes(6).toString('hex')}`;
    const current = createTableInput(tableName);
    const newest = tableDefinition.indexes.at(-1)!;
    const older = {
      ...current,
      AttributeDefinitions: current.AttributeDefinitions!.filter((a) => a.AttributeName !== newest.partitionKey && a.AttributeName !== newest.sortKey),
      GlobalSecondaryIndexes: current.GlobalSecondaryIndexes!.filter((index) => index.IndexName !== newest.name),
    };
    await client.send(new CreateTableCommand(older));
    try {
      await ensureTable(client, tableName);
      const { Table: table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      expect((table!.GlobalSecondaryIndexes ?? []).map((index) => [index.IndexName, index.IndexStatus]).sort()).toEqual(tableDefinition.indexes.map((index) => [index.name, 'ACTIVE']));
    } finally {
      await client.send(new DeleteTableCommand({ TableName: tableName }));
    }
  });
});
