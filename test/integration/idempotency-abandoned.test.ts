import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PENDING_ABANDONED_AFTER_MS, requestHashOf, scopeOf } from '@guanjia/api/idempotency';
import { LOCAL_ISSUER } from '@guanjia/local/tokens';
import { createTestApi, freshPhone, seedSite, type TestApi } from '../support/api.ts';

let api: TestApi;
let s: Awaited<ReturnType<typeof seedSite>>;

beforeAll(async () => {
  api = await createTestApi();
  s = await seedSite(api, 'idem');
});
afterAll(() => api.close());

/** What a request leaves behind when the database goes away before it can let go of its key. */
async function leftPending(key: string, body: object, ageMs: number) {
  const createdAt = new Date(Date.now() - ageMs);
  await api.table.store.beginIdempotency(
    {
      scope: scopeOf({ ...s.repA, issuer: LOCAL_ISSUER }),
      key,
      requestHash: requestHashOf('POST', '/v1/customers', JSON.stringify(body)),
      state: 'pending',
      createdAt: createdAt.toISOString(),
      expiresAt: Math.floor(createdAt.getTime() / 1000) + 86_400,
    },
    new Date(0).toISOString(),
  );
}

const intake = () => ({ siteId: 'idem', name: '孙丽', phone: freshPhone(), channel: 'walk_in' });

describe('a key whose request died holding it', () => {
  it('is taken over by a retry once the request cannot still be running', async () => {
    const body = intake();
    await leftPending('k-abandoned', body, PENDING_ABANDONED_AFTER_MS + 5_000);
    const res = await api.call(s.repA, 'POST', '/v1/customers', { body, headers: { 'Idempotency-Key': 'k-abandoned' } });
    expect(res.status).toBe(201);
    const again = await api.call(s.repA, 'POST', '/v1/customers', { body, headers: { 'Idempotency-Key': 'k-abandoned' } });
    expect(again.status).toBe(201);
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
  });

  it('is still "in progress" while its request may be running', async () => {
    const body = intake();
    await leftPending('k-fresh', body, 1_000);
    const res = await api.call(s.repA, 'POST', '/v1/customers', { body, headers: { 'Idempotency-Key': 'k-fresh' } });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('idempotency_in_progress');
  });
});
