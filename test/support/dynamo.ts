import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { DynamoStore, createDocumentClient, ensureTable } from '@guanjia/dynamo';

export interface TestTable {
  doc: DynamoDBDocumentClient;
  client: DynamoDBClient;
  tableName: string;
  store: DynamoStore;
  close(): void;
}

const REGION = 'local';

/** A fresh table on the run's DynamoDB Local: call once per test file, in `beforeAll`. */
export async function createTestTable(): Promise<TestTable> {
  const endpoint = inject('dynamoEndpoint');
  const tableName = `t_${randomBytes(6).toString('hex')}`;
  const doc = createDocumentClient({ endpoint, region: REGION });
  const client = new DynamoDBClient({ endpoint, region: REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await ensureTable(client, tableName);
  return {
    doc,
    client,
    tableName,
    store: new DynamoStore(doc, tableName),
    close: () => {
      doc.destroy();
      client.destroy();
    },
  };
}
