import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '@guanjia/core';
import { createTestApi, freshPhone, seedSite, type TestApi } from '../support/api.ts';

/** The owner's `smsCare` and the staff's `smsConsent` are one fact: the phone's newest consent record. */
let api: TestApi;
let s1: Awaited<ReturnType<typeof seedSite>>;
let s2: Awaited<ReturnType<typeof seedSite>>;

const owner = (phone: string): Principal => ({ sub: `owner-${phone}`, role: 'owner', sites: [], phone });

async function intake(site: Awaited<ReturnType<typeof seedSite>>, siteId: string, mobile: string, smsConsent?: boolean): Promise<string> {
  const res = await api.call(site.repA, 'POST', '/v1/customers', {
    body: { siteId, name: '孙丽', phone: mobile, channel: 'walk_in', ...(smsConsent === undefined ? {} : { smsConsent }) },
  });
  if (res.status !== 201) throw new Error(`intake: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.customer.id;
}

const staffSees = async (who: Principal, id: string): Promise<boolean> => (await api.call(who, 'GET', `/v1/customers/${id}`)).body.smsConsent;

beforeAll(async () => {
  api = await createTestApi();
  s1 = await seedSite(api, 'cv1');
  s2 = await seedSite(api, 'cv2');
});
afterAll(() => api.close());

describe('smsConsent on a customer and smsCare of the owner', () => {
  it('shows staff at every site smsConsent false once the owner turns care texts off', async () => {
    const mobile = freshPhone();
    const here = await intake(s1, 'cv1', mobile, true);
    const there = await intake(s2, 'cv2', mobile, true);
    expect(await staffSees(s1.repA, here)).toBe(true);

    api.clock.advance(60_000);
    const put = await api.call(owner(`+86${mobile}`), 'PUT', '/v1/me/preferences', { body: { smsCare: false } });
    expect(put.status).toBe(200);

    expect(await staffSees(s1.repA, here)).toBe(false);
    expect(await staffSees(s2.service, there)).toBe(false);
    const list = await api.call(s1.manager, 'GET', `/v1/customers?siteId=cv1&phone=${mobile}`);
    expect(list.body.items.map((c: { smsConsent: boolean }) => c.smsConsent)).toEqual([false]);
  });

  it('shows staff smsConsent false after the number opts out', async () => {
    const mobile = freshPhone();
    const id = await intake(s1, 'cv1', mobile, true);
    api.clock.advance(60_000);
    const res = await api.call(s1.service, 'POST', '/v1/sms/opt-out', { body: { phone: mobile } });
    expect(res.status).toBeLessThan(300);
    expect(await staffSees(s1.repA, id)).toBe(false);
  });

  it('lets the owner read as smsCare true the consent a rep records with PATCH smsConsent', async () => {
    const mobile = freshPhone();
    const id = await intake(s1, 'cv1', mobile);
    expect((await api.call(owner(`+86${mobile}`), 'GET', '/v1/me/preferences')).body).toEqual({ smsCare: false });

    api.clock.advance(60_000);
    const patched = await api.call(s1.repA, 'PATCH', `/v1/customers/${id}`, { body: { smsConsent: true } });
    expect(patched.status).toBe(200);
    expect(patched.body.smsConsent).toBe(true);
    expect((await api.call(owner(`+86${mobile}`), 'GET', '/v1/me/preferences')).body).toEqual({ smsCare: true });
  });

  it('records a rep re-granting consent the owner withdrew, though the record still says true', async () => {
    const mobile = freshPhone();
    const id = await intake(s1, 'cv1', mobile, true);
    api.clock.advance(60_000);
    await api.call(owner(`+86${mobile}`), 'PUT', '/v1/me/preferences', { body: { smsCare: false } });

    api.clock.advance(60_000);
    const patched = await api.call(s1.repA, 'PATCH', `/v1/customers/${id}`, { body: { smsConsent: true } });
    expect(patched.body.smsConsent).toBe(true);
    expect((await api.call(owner(`+86${mobile}`), 'GET', '/v1/me/preferences')).body).toEqual({ smsCare: true });
  });

  it('gives a new record at another site the consent the phone already has', async () => {
    const mobile = freshPhone();
    await intake(s1, 'cv1', mobile, true);
    const there = await intake(s2, 'cv2', mobile);
    expect(await staffSees(s2.repA, there)).toBe(true);
  });
});
