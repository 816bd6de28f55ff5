import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { loadLambdaConfig } from '../../functions/api-config.ts';
import { createTestTable, type TestTable } from '../support/dynamo.ts';
import { blobsWith, captureOutput, lambdaContext } from './captured-output.ts';

/** The Lambda entry with an API Gateway HTTP API (v2) event, as API Gateway sends it. */
const event = (path: string, headers: Record<string, string> = {}) => ({
  version: '2.0',
  routeKey: '$default',
  rawPath: path,
  rawQueryString: '',
  headers: { host: 'api.example.com', ...headers },
  requestContext: {
    accountId: '123456789012',
    apiId: 'api',
    domainName: 'api.example.com',
    domainPrefix: 'api',
    http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.1', userAgent: 'test' },
    requestId: 'r1',
    routeKey: '$default',
    stage: '$default',
    time: '23/Nov/2026:09:30:00 +0000',
    timeEpoch: 1795426200000,
  },
  isBase64Encoded: false,
});

type Handler = (event: unknown, context: unknown) => Promise<{ statusCode: number; body: string; headers: Record<string, string> }>;

const ENV = {
  TABLE_NAME: 'guanjia-test',
  STAFF_USER_POOL_ID: 'ap-east-1_staff',
  STAFF_CLIENT_ID: 'staff-client',
  OWNER_USER_POOL_ID: 'ap-east-1_owner',
  OWNER_CLIENT_ID: 'owner-client',
  POWERTOOLS_SERVICE_NAME: 'guanjia-test',
  AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
};
const SECRET_ARN = 'arn:aws:secretsmanager:ap-east-1:123456789012:secret:guanjia-cursor-AbCdEf';

let handler: Handler;
let table: TestTable;

beforeAll(async () => {
  // /health reads the table: the SDK finds DynamoDB Local by AWS_ENDPOINT_URL_DYNAMODB.
  table = await createTestTable();
  Object.assign(process.env, ENV, {
    CURSOR_SECRET: 'x'.repeat(32),
    TABLE_NAME: table.tableName,
    AWS_REGION: 'local',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoEndpoint'),
  });
  ({ handler } = (await import('../../functions/api.ts')) as never);
});
afterAll(() => table.close());

describe('functions/api', () => {
  it('answers /health, counting the cold start on the first invocation only', async () => {
    const first = await captureOutput(() => handler(event('/health'), lambdaContext('guanjia-test-api')));
    expect(first.value!.statusCode).toBe(200);
    expect(JSON.parse(first.value!.body)).toEqual({ status: 'ok' });
    const [coldStart] = blobsWith(first.emf, 'ColdStart');
    expect(coldStart).toMatchObject({ service: 'guanjia-test', function_name: 'guanjia-test-api', ColdStart: 1 });

    const second = await captureOutput(() => handler(event('/health'), lambdaContext('guanjia-test-api', 'req-2')));
    expect(second.value!.statusCode).toBe(200);
    expect(second.emf).toEqual([]);
  });

  it('refuses a locally minted token: only Cognito tokens count in AWS', async () => {
    const { mintToken } = await import('@guanjia/local/tokens');
    const token = await mintToken({ sub: 'admin', role: 'admin' }, 'any-secret');
    const res = await handler(event('/v1/customers', { authorization: `Bearer ${token}` }), lambdaContext('guanjia-test-api'));
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toBe('application/problem+json');
  });

  it('offers /openapi.json but no /docs: the bundle carries no Swagger UI assets', async () => {
    const spec = await handler(event('/openapi.json'), lambdaContext('guanjia-test-api'));
    expect(spec.statusCode).toBe(200);
    expect(JSON.parse(spec.body).openapi).toBe('3.1.0');
    expect((await handler(event('/docs'), lambdaContext('guanjia-test-api'))).statusCode).toBe(404);
  });
});

describe('the cursor secret', () => {
  const secrets = mockClient(SecretsManagerClient);
  afterAll(() => {
    secrets.restore();
    delete process.env.CURSOR_SECRET_ARN;
    process.env.CURSOR_SECRET = 'x'.repeat(32);
  });

  /** The API function as a fresh cold start with the environment given. */
  async function coldStart(env: Record<string, string>): Promise<Handler> {
    vi.resetModules();
    delete process.env.CURSOR_SECRET;
    Object.assign(process.env, env);
    return ((await import('../../functions/api.ts')) as { handler: Handler }).handler;
  }

  it('is read from Secrets Manager once, at cold start, when CURSOR_SECRET_ARN names it', async () => {
    secrets.reset();
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 's'.repeat(40) });
    const handler = await coldStart({ CURSOR_SECRET_ARN: SECRET_ARN });
    const twice = await captureOutput(async () => [
      await handler(event('/health'), lambdaContext('guanjia-test-api')),
      await handler(event('/health'), lambdaContext('guanjia-test-api')),
    ]);
    expect(twice.value!.map((res) => res.statusCode)).toEqual([200, 200]);
    expect(secrets.commandCalls(GetSecretValueCommand).map((call) => call.args[0].input)).toEqual([{ SecretId: SECRET_ARN }]);
  });

  it('stops the cold start, naming CURSOR_SECRET_ARN but not the value, when the secret is too short', async () => {
    secrets.reset();
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'short-secret' });
    const failed = coldStart({ CURSOR_SECRET_ARN: SECRET_ARN });
    await expect(failed).rejects.toThrow(/CURSOR_SECRET_ARN/);
    await expect(failed).rejects.not.toThrow(/short-secret/);
  });

  it('must come from exactly one of CURSOR_SECRET and CURSOR_SECRET_ARN', () => {
    expect(() => loadLambdaConfig({ ...ENV })).toThrow(/CURSOR_SECRET_ARN: set exactly one of CURSOR_SECRET and CURSOR_SECRET_ARN/);
    expect(() => loadLambdaConfig({ ...ENV, CURSOR_SECRET: 'x'.repeat(32), CURSOR_SECRET_ARN: SECRET_ARN })).toThrow(/exactly one/);
    expect(loadLambdaConfig({ ...ENV, CURSOR_SECRET_ARN: SECRET_ARN })).toMatchObject({ CURSOR_SECRET_ARN: SECRET_ARN });
    // Every problem at once, not one per deploy.
    expect(() => loadLambdaConfig({ TABLE_NAME: 't' })).toThrow(/STAFF_USER_POOL_ID.*CURSOR_SECRET_ARN/);
    expect(() => loadLambdaConfig({ ...ENV, CURSOR_SECRET: 'too-short' })).toThrow(/CURSOR_SECRET:/);
  });
});
