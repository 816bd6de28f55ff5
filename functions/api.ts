import { createApp, createCognitoVerifier } from '@guanjia/api';
import { lambdaHandler } from '@guanjia/api/lambda-handler';
import { cursorSecretOf, loadLambdaConfig } from './api-config.ts';
import { createIds, systemClock } from '@guanjia/core';
import { createDocumentClient, DynamoStore } from '@guanjia/dynamo';
import { readSecretString } from './secrets.ts';
import { createTelemetry, errorLogTo } from './telemetry.ts';

// Built once per cold start; every invocation reuses the clients and the JWKS cache.
const config = loadLambdaConfig();
const telemetry = createTelemetry();
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
  cursorSecret: await cursorSecretOf(config, readSecretString),
  log: errorLogTo(telemetry.logger),
  docs: false,
  corsOrigins: config.CORS_ORIGINS,
});

export const handler = telemetry.instrument(lambdaHandler(app));
