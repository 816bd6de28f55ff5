import { inject } from 'vitest';
import { createApp } from '@guanjia/api';
import { createIds, type Principal } from '@guanjia/core';
import { createDocumentClient, DynamoStore } from '@guanjia/dynamo';
import { createLocalVerifier, mintToken } from '@guanjia/local/tokens';
import type { TestApi } from './api.ts';
import { startDynamoProxy } from './dynamo-proxy.ts';

const SECRET = 'counted-app-secret';

/**
 * A second API instance over the test's table whose DynamoDB requests a proxy counts: what a
 * request-count test calls. It keeps its own site cache and staff check, as another Lambda
 * container would, so a test warms it with a first call before it counts.
 */
export async function createCountedApp(api: Pick<TestApi, 'table' | 'clock'>) {
  const proxy = await startDynamoProxy(inject('dynamoEndpoint'));
  const doc = createDocumentClient({ endpoint: proxy.endpoint, region: 'local' });
  const app = createApp({
    store: new DynamoStore(doc, api.table.tableName),
    clock: api.clock,
    ids: createIds(),
    verifyToken: createLocalVerifier(SECRET),
    cursorSecret: 'counted-app-cursor',
  });

  async function request(principal: Principal, method: string, path: string, body?: unknown): Promise<Response> {
    return app.request(path, {
      method,
      headers: { Authorization: `Bearer ${await mintToken(principal, SECRET)}`, 'Content-Type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  }

  return {
    app,
    proxy,
    request,
    close: async () => {
      doc.destroy();
      await proxy.close();
    },
  };
}

export type CountedApp = Awaited<ReturnType<typeof createCountedApp>>;
