import { beforeAll, describe, expect, it } from 'vitest';

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

let handler: (event: unknown, context: unknown) => Promise<{ statusCode: number; body: string; headers: Record<string, string> }>;

beforeAll(async () => {
  Object.assign(process.env, {
    TABLE_NAME: 'guanjia-test',
    STAFF_USER_POOL_ID: 'ap-east-1_staff',
    STAFF_CLIENT_ID: 'staff-client',
    OWNER_USER_POOL_ID: 'ap-east-1_owner',
    OWNER_CLIENT_ID: 'owner-client',
    CURSOR_SECRET: 'x'.repeat(32),
  });
  ({ handler } = (await import('../../functions/api.ts')) as never);
});

describe('functions/api', () => {
  it('answers /health', async () => {
    const res = await handler(event('/health'), {});
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ status: 'ok' });
  });

  it('refuses a locally minted token: only Cognito tokens count in AWS', async () => {
    const { mintToken } = await import('../../packages/local/src/tokens.ts');
    const token = await mintToken({ sub: 'admin', role: 'admin' }, 'any-secret');
    const res = await handler(event('/v1/customers', { authorization: `Bearer ${token}` }), {});
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toBe('application/problem+json');
  });
});
