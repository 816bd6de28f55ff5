import type { TestProject } from 'vitest/node';
import { startDynamoLocal } from '@guanjia/local/dynamo-local';
import { startDynamoProxy } from './dynamo-proxy.ts';

/** One in-memory DynamoDB Local per run; test files keep apart by using a table each. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const local = await startDynamoLocal();
  const proxy = await startDynamoProxy(local.endpoint);
  project.provide('dynamoEndpoint', proxy.endpoint);
  return async () => {
    await proxy.close();
    await local.stop();
  };
}
