import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createIds, type Clock, type Context } from '@guanjia/core';
import { createDocumentClient, DynamoStore, ensureTable } from '@guanjia/dynamo';
import { loadConfig } from './config.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { startDynamoLocal } from './dynamo-local.ts';
import { DYNAMO_DIR } from './runtime.ts';
import { readRuntimeInfo } from './runtime-info.ts';

/** Runs `work` on the store of DATA_DIR: a running runtime owns the database, so its DynamoDB Local is used; otherwise one is started. */
export type Work = (ctx: Context, table: { doc: DynamoDBDocumentClient; tableName: string }) => Promise<Record<string, unknown>>;

export async function withLocalStore(clock: Clock, work: Work): Promise<{ report: Record<string, unknown>; running: boolean }> {
  const config = loadConfig();
  const running = readRuntimeInfo(config.dataDir);
  let stop = async () => {};
  let endpoint = running?.dynamoEndpoint;
  if (!endpoint) {
    const unlock = lockDataDir(config.dataDir);
    const dynamo = await startDynamoLocal({ dbPath: join(config.dataDir, DYNAMO_DIR), sharedDb: true });
    stop = async () => {
      await dynamo.stop();
      unlock();
    };
    endpoint = dynamo.endpoint;
  }
  const tableName = running?.tableName ?? config.tableName;
  try {
    const admin = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await ensureTable(admin, tableName);
    admin.destroy();
    const doc = createDocumentClient({ endpoint, region: 'local' });
    const report = await work({ store: new DynamoStore(doc, tableName), clock, ids: createIds() }, { doc, tableName });
    doc.destroy();
    return { report, running: running !== null };
  } finally {
    await stop();
  }
}
