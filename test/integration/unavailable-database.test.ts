import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, RETRY_AFTER_SECONDS } from '@guanjia/api';
import { createIds, systemClock } from '@guanjia/core';
import { createDocumentClient, DynamoStore } from '@guanjia/dynamo';
import { createLocalVerifier, mintToken } from '@guanjia/local/tokens';
import { createTestApi, type TestApi } from '../support/api.ts';
import { freePort } from '../support/runtime-process.ts';

// A database that cannot be reached is a 503 the client may retry, not a 500 with a stack
// logged per request; /health says so too.

const SECRET = 'unavailable-test-secret';

describe('with the database answering', () => {
  let api: TestApi;
  beforeAll(async () => (api = await createTestApi()));
  afterAll(() => api.close());

  it('answers /health 200 ok after reading the table', async () => {
    expect(await api.call(null, 'GET', '/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('documents /health in /openapi.json with its 200 and its 503 problem', async () => {
    const spec = (await api.call(null, 'GET', '/openapi.json')).body;
    const health = spec.paths['/health'].get;
    expect(Object.keys(health.responses)).toEqual(expect.arrayContaining(['200', '503']));
    expect(health.responses['503'].content['application/problem+json']).toBeDefined();
    expect(health.security).toEqual([]);
  });
});

describe('with nothing listening where the database should be', () => {
  const logged: Record<string, unknown>[] = [];
  let app: ReturnType<typeof createApp>;
  let token: string;
  let close: () => void;

  beforeAll(async () => {
    const doc = createDocumentClient({ endpoint: `http://127.0.0.1:${await freePort()}`, region: 'local' });
    close = () => doc.destroy();
    app = createApp({
      store: new DynamoStore(doc, 'guanjia'),
      clock: systemClock,
      ids: createIds(),
      verifyToken: createLocalVerifier(SECRET),
      cursorSecret: 'c'.repeat(32),
      log: (entry) => logged.push(entry),
    });
    token = await mintToken({ sub: 'admin-1', role: 'admin', sites: [] }, SECRET);
  });
  afterAll(() => close());

  const expectUnavailable = async (response: Response) => {
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.headers.get('retry-after')).toBe(String(RETRY_AFTER_SECONDS));
    expect(await response.json()).toMatchObject({ status: 503, code: 'unavailable', type: 'urn:guanjia:problem:unavailable' });
  };

  it('answers /health 503 problem+json with Retry-After', async () => {
    await expectUnavailable(await app.request('/health'));
  });

  it('answers a request that needs the database 503 problem+json with Retry-After, quickly', async () => {
    const started = Date.now();
    await expectUnavailable(await app.request('/v1/sites/s1', { headers: { Authorization: `Bearer ${token}` } }));
    // Refused connections are not worth the SDK's long backoff.
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('logs one line, without a stack, for many requests failing the same way', async () => {
    logged.length = 0;
    const requests = Array.from({ length: 30 }, () => app.request('/v1/sites/s1', { headers: { Authorization: `Bearer ${token}` } }));
    for (const response of await Promise.all(requests)) expect(response.status).toBe(503);
    // The earlier tests of this file logged this kind already, within the interval.
    expect(logged.length).toBeLessThanOrEqual(1);
    expect(JSON.stringify(logged)).not.toMatch(/\n\s+at /);
  });
});
