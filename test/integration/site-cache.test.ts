import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, createTestApi, freshPhone, seedSite, type TestApi } from '../support/api.ts';

/**
 * Two API instances over one table, as two Lambda containers are, each keeping the site's
 * settings for a short bound here (the real one, SITE_CACHE_MS, is held by test/unit/site-cache.test.ts).
 */
const BOUND_MS = 400;
let api: TestApi;
let s: Awaited<ReturnType<typeof seedSite>>;
let other: TestApi['app'];

beforeAll(async () => {
  api = await createTestApi({ siteCacheMs: BOUND_MS });
  other = api.instance();
  s = await seedSite(api, 'cache');
});
afterAll(() => api.close());

const dueInDays = (task: { dueAt: string }) => Math.round((Date.parse(task.dueAt) - api.clock.now().getTime()) / 86_400_000);

async function intakeDue(): Promise<number> {
  const res = await api.call(s.repA, 'POST', '/v1/customers', { body: { siteId: 'cache', name: '吴敏', phone: freshPhone(), channel: 'walk_in' } });
  expect(res.status).toBe(201);
  return dueInDays(res.body.followUp);
}

describe('site settings changed through another API instance', () => {
  it('apply to intakes on this instance once the bound has passed', async () => {
    expect(await intakeDue()).toBe(2);
    const patched = await api.call(admin, 'PATCH', '/v1/sites/cache', { body: { followUpCadence: { firstVisitDays: 5 } } }, other);
    expect(patched.status).toBe(200);
    await sleep(BOUND_MS + 50);
    expect(await intakeDue()).toBe(5);
  });

  it('apply at once on the instance that made the change', async () => {
    await api.call(s.manager, 'GET', '/v1/sites/cache');
    const patched = await api.call(admin, 'PATCH', '/v1/sites/cache', { body: { followUpCadence: { firstVisitDays: 3 } } });
    expect(patched.status).toBe(200);
    expect(await intakeDue()).toBe(3);
  });

  it('let this instance change a site it holds an older copy of, without a conflict for the caller', async () => {
    expect((await api.call(s.manager, 'GET', '/v1/sites/cache')).body.name).toBe('Site cache');
    expect((await api.call(admin, 'PATCH', '/v1/sites/cache', { body: { name: '江畔花园' } }, other)).status).toBe(200);
    const patched = await api.call(admin, 'PATCH', '/v1/sites/cache', { body: { smsSignature: '江畔管家' } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: '江畔花园', smsSignature: '江畔管家' });
  });
});
