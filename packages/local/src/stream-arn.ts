import { DescribeTableCommand, DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';

export class NoStreamError extends Error {
  constructor(tableName: string) {
    super(`table ${tableName} has no stream enabled; create it with ensureTable, which turns one on`);
    this.name = 'NoStreamError';
  }
}

/** The table's current stream, as the Lambda event source mapping would find it. */
export async function findStreamArn(config: DynamoDBClientConfig, tableName: string): Promise<string> {
  const tables = new DynamoDBClient(config);
  try {
    const { Table } = await tables.send(new DescribeTableCommand({ TableName: tableName }));
    if (!Table?.LatestStreamArn || Table.StreamSpecification?.StreamEnabled === false) throw new NoStreamError(tableName);
    return Table.LatestStreamArn;
  } finally {
    tables.destroy();
  }
}
