import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTableInput, ensureTable, tableDefinition } from '@guanjia/dynamo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynamoLocal, type DynamoLocal } from '@guanjia/local/dynamo-local';

// A DynamoDB Local of its own, kept in files as the runtime keeps it: the run's shared one,
// busy with every other file's table, was seen to take minutes filling a new index.
let dynamo: DynamoLocal;
let client: DynamoDBClient;
const dataDir = mkdtempSync(join(tmpdir(), 'ensure-table-'));

beforeAll(async () => {
  dynamo = await startDynamoLocal({ dbPath: dataDir, sharedDb: true });
  client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
});
afterAll(async () => {
  client?.destroy();
  await dynamo?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('ensuring the table', () => {
  it('adds to a table made before it the index the definition has since gained', async () => {
    const tableName = 'kept';
    const current = createTableInput(tableName);
    const newest = tableDefinition.indexes.at(-1)!;
    const older = {
      ...current,
      AttributeDefinitions: current.AttributeDefinitions!.filter((a) => a.AttributeName !== newest.partitionKey && a.AttributeName !== newest.sortKey),
      GlobalSecondaryIndexes: current.GlobalSecondaryIndexes!.filter((index) => index.IndexName !== newest.name),
    };
    await client.send(new CreateTableCommand(older));
    await ensureTable(client, tableName);
    const { Table: table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    expect((table!.GlobalSecondaryIndexes ?? []).map((index) => [index.IndexName, index.IndexStatus]).sort()).toEqual(
      tableDefinition.indexes.map((index) => [index.name, 'ACTIVE']),
    );
  });
});
