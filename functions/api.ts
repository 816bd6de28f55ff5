import { handle } from 'hono/aws-lambda';
import { createApp, createCognitoVerifier, loadLambdaConfig } from '@guanjia/api';
import { createIds, systemClock } from '@guanjia/core';
import { createDocumentClient, DynamoStore } from '@guanjia/dynamo';

// Built once per cold start; every invocation reuses the clients and the JWKS cache.
const config = loadLambdaConfig();
const app = createApp({
  store: new DynamoStore(createDocumentClient(), config.TABLE_NAME),
  clock: systemClock,
  ids: createIds(),
  verifyToken: createCognitoVerifier({
    staffPoolId: config.STAFF_USER_POOL_ID,
    staffClientId: config.STAFF_CLIENT_ID,
    ownerPoolId: config.OWNER_USER_POOL_ID,
    ownerClientId: config.OWNER_CLIENT_ID,
  }),
  cursorSecret: config.CURSOR_SECRET,
});

export const handler = handle(app);
