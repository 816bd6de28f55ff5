import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchMessage, runCallbacksJob, runCareJob, type SmsSender } from '@guanjia/core';
import { createTestApi, freshPhone, seedSite, type TestApi } from '../support/api.ts';

/**
 * The care job against DynamoDB Local. The job remembers its last day across the file's
 * tests (one table), so the tests run forward in time and look only at their own customers.
 */
let api: TestApi;
let s: Awaited<ReturnType<typeof seedSite>>;
let s2: Awaited<ReturnType<typeof seedSite>>;
let s3: Awaited<ReturnType<typeof seedSite>>;

const ctx = () => ({ store: api.table.store, clock: api.clock, ids: { next: () => 'unused' } });
const shanghai = (local: string) => new Date(`${local}+08:00`);

/** The job as the scheduler runs it: at 10:00 site time on the day. */
function runOn(day: string) {
  api.clock.current = shanghai(`${day}T10:00:00`);
  return runCareJob(ctx(), day);
}

type Site = typeof s;

async function customer(site: Site, siteId: string, extra: Record<string, unknown> = {}) {
  const res = await api.call(site.repA, 'POST', '/v1/customers', { body: { siteId, name: '陈静', phone: freshPhone(), channel: 'walk_in', ...extra } });
  if (res.status !== 201) throw new Error(`intake: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.customer as { id: string; phone: string };
}

async function owner(site: Site, siteId: string, extra: Record<string, unknown> = {}, deliveredOn = '2026-01-10') {
  const c = await customer(site, siteId, extra);
  const res = await api.call(site.service, 'POST', `/v1/customers/${c.id}/deliveries`, { body: { asset: { kind: 'home', label: '5栋1201' }, deliveredOn } });
  if (res.status !== 201) throw new Error(`delivery: ${res.status} ${JSON.stringify(res.body)}`);
  return c;
}

/** An opt-out a moment after the consent it overrides. */
async function optOut(site: Site, phone: string) {
  api.clock.advance(1000);
  const res = await api.call(site.service, 'POST', '/v1/sms/opt-out', { body: { phone } });
  expect(res.status).toBe(201);
}

async function messages(site: Site, customerId: string, purpose: string) {
  const res = await api.call(site.manager, 'GET', `/v1/customers/${customerId}/messages?limit=100`);
  return (res.body.items as { id: string; purpose: string; kind: string; state: string; body: string }[]).filter((m) => m.purpose === purpose);
}

const template = '【{signature}】{name}您好，{site}业主答谢会6月8日举行，欢迎光临。回T退订';

beforeAll(async () => {
  api = await createTestApi();
  s = await seedSite(api, 'care');
  s2 = await seedSite(api, 'care2');
  s3 = await seedSite(api, 'care3');
});
afterAll(() => api.close());

describe('birthday greetings', () => {
  it('greet a consenting customer once, however often and however many runs at once', async () => {
    api.clock.current = shanghai('2026-11-23T09:00:00');
    const consenting = await customer(s, 'care', { birthday: '11-23', smsConsent: true });
    const silent = await customer(s, 'care', { birthday: '11-23' });
    const optedOut = await owner(s, 'care', { birthday: '11-23', smsConsent: true }, '2026-08-23');
    await optOut(s, optedOut.phone);

    const [one, two] = await Promise.all([runOn('2026-11-23'), runOn('2026-11-23')]);
    expect(one).toMatchObject({ job: 'care', days: ['2026-11-23'], birthdays: 3, withoutConsent: 2, campaigns: 0 });
    expect(one.queued + two.queued).toBe(1);
    expect(await runOn('2026-11-23')).toMatchObject({ days: ['2026-11-23'], birthdays: 3, queued: 0 });

    const greetings = await messages(s, consenting.id, 'birthday');
    expect(greetings).toHaveLength(1);
    expect(greetings[0]).toMatchObject({ id: `sms:birthday:${consenting.id}:2026`, state: 'queued', kind: 'care' });
    expect(greetings[0]!.body).toMatch(/^【管家】陈静，祝您生日快乐！.*回T退订$/);
    expect(await messages(s, silent.id, 'birthday')).toEqual([]);
    expect(await messages(s, optedOut.id, 'birthday')).toEqual([]);
  });

  it('still send an opted-out owner the callback notice', async () => {
    const [optedOut] = (await api.call(s.manager, 'GET', '/v1/customers?siteId=care&stage=owner')).body.items as { id: string }[];
    await runCallbacksJob(ctx(), '2026-11-23');
    const [notice] = await messages(s, optedOut!.id, 'callback_P3M');
    const sent: string[] = [];
    const sender: SmsSender = { send: async (m) => (sent.push(m.kind), { providerId: 'p-1' }) };
    expect(await dispatchMessage(ctx(), sender, notice!.id)).toMatchObject({ state: 'sent' });
    expect(sent).toEqual(['notice']);
    expect(await messages(s, optedOut!.id, 'birthday')).toEqual([]);
  });

  it('greet a 29 February birthday on 28 February in other years, and on the 29th in leap years', async () => {
    api.clock.current = shanghai('2027-02-01T12:00:00');
    const leapling = await customer(s, 'care', { birthday: '02-29', smsConsent: true });
    const dayBefore = await customer(s, 'care', { birthday: '02-28', smsConsent: true });

    await runOn('2027-02-28');
    expect((await messages(s, leapling.id, 'birthday')).map((m) => m.id)).toEqual([`sms:birthday:${leapling.id}:2027`]);
    expect(await messages(s, dayBefore.id, 'birthday')).toHaveLength(1);
    await runOn('2027-03-01');
    expect(await messages(s, leapling.id, 'birthday')).toHaveLength(1);

    expect((await runOn('2028-02-28')).days).toContain('2028-02-28');
    expect(await messages(s, leapling.id, 'birthday')).toHaveLength(1);
    expect(await messages(s, dayBefore.id, 'birthday')).toHaveLength(2);
    await runOn('2028-02-29');
    expect((await messages(s, leapling.id, 'birthday')).map((m) => m.id).sort()).toEqual([
      `sms:birthday:${leapling.id}:2027`,
      `sms:birthday:${leapling.id}:2028`,
    ]);
  });

  it('follow a birthday changed or removed by PATCH', async () => {
    api.clock.current = shanghai('2028-03-01T12:00:00');
    const moved = await customer(s, 'care', { birthday: '04-10', smsConsent: true });
    const removed = await customer(s, 'care', { birthday: '04-12', smsConsent: true });
    expect((await api.call(s.repA, 'PATCH', `/v1/customers/${moved.id}`, { body: { birthday: '04-12' } })).status).toBe(200);
    expect((await api.call(s.repA, 'PATCH', `/v1/customers/${removed.id}`, { body: { birthday: null } })).status).toBe(200);
    expect(await api.table.store.listBirthdayCustomers('04-10')).not.toContain(moved.id);
    expect(await api.table.store.listBirthdayCustomers('04-12')).toContain(moved.id);
    expect(await api.table.store.listBirthdayCustomers('04-12')).not.toContain(removed.id);

    await runOn('2028-04-10');
    expect(await messages(s, moved.id, 'birthday')).toEqual([]);
    await runOn('2028-04-12');
    expect(await messages(s, moved.id, 'birthday')).toHaveLength(1);
    expect(await messages(s, removed.id, 'birthday')).toEqual([]);
  });

  it('catch up a day the job missed', async () => {
    api.clock.current = shanghai('2028-04-20T12:00:00');
    const first = await customer(s, 'care', { birthday: '05-01', smsConsent: true });
    const second = await customer(s, 'care', { birthday: '05-02', smsConsent: true });
    await runOn('2028-04-30');
    const report = await runOn('2028-05-02');
    expect(report.days).toEqual(['2028-05-01', '2028-05-02']);
    expect(report).toMatchObject({ birthdays: 2, queued: 2 });
    expect((await messages(s, first.id, 'birthday')).map((m) => m.id)).toEqual([`sms:birthday:${first.id}:2028`]);
    expect(await messages(s, second.id, 'birthday')).toHaveLength(1);
  });
});

describe('campaigns', () => {
  it('reach the consenting customers of the stage at the site, once', async () => {
    api.clock.current = shanghai('2028-05-20T12:00:00');
    const consenting = await owner(s2, 'care2', { name: '赵磊', smsConsent: true });
    const silent = await owner(s2, 'care2');
    const optedOut = await owner(s2, 'care2', { smsConsent: true });
    await optOut(s2, optedOut.phone);
    const lead = await customer(s2, 'care2', { smsConsent: true });
    const elsewhere = await owner(s, 'care', { smsConsent: true });

    const created = await api.call(s2.manager, 'POST', '/v1/campaigns', {
      body: { siteId: 'care2', name: '业主答谢会', sendOn: '2028-06-01', template, audience: { stage: 'owner' } },
    });
    expect(created.status).toBe(201);
    const campaign = created.body.campaign;
    expect(campaign).toMatchObject({ siteId: 'care2', sendOn: '2028-06-01', audience: { stage: 'owner' }, createdBy: s2.manager.sub });

    expect((await runOn('2028-05-31')).campaigns).toBe(0);
    const [one, two] = await Promise.all([runOn('2028-06-01'), runOn('2028-06-01')]);
    expect(one).toMatchObject({ days: ['2028-06-01'], campaigns: 1, withoutConsent: 2 });
    expect(one.queued + two.queued).toBe(1);
    expect(await runOn('2028-06-01')).toMatchObject({ campaigns: 1, queued: 0 });

    const sent = await messages(s2, consenting.id, 'campaign');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      id: `sms:campaign:${campaign.id}:${consenting.id}`,
      state: 'queued',
      kind: 'care',
      body: '【管家】赵磊您好，Site care2业主答谢会6月8日举行，欢迎光临。回T退订',
    });
    for (const other of [silent, optedOut, lead]) expect(await messages(s2, other.id, 'campaign')).toEqual([]);
    expect(await messages(s, elsewhere.id, 'campaign')).toEqual([]);
  });

  it('are checked when created', async () => {
    // 00:30 on 2028-05-20 in Shanghai is still 2028-05-19 in UTC: the site's day counts.
    api.clock.current = shanghai('2028-05-20T00:30:00');
    const body = (extra: Record<string, unknown>) => ({
      body: { siteId: 'care3', name: '端午问候', sendOn: '2028-05-20', template, audience: { stage: 'owner' }, ...extra },
    });
    const post = (who: typeof s3.manager, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
      api.call(who, 'POST', '/v1/campaigns', { ...body(extra), headers });
    const pathsOf = (res: { body: { errors?: { path: string }[] } }) => res.body.errors?.map((e) => e.path);

    expect((await post(s3.manager)).status).toBe(201);
    const past = await post(s3.manager, { sendOn: '2028-05-19' });
    expect(past.status).toBe(400);
    expect(pathsOf(past)).toEqual(['sendOn']);
    const noOptOut = await post(s3.manager, { template: '【{signature}】{name}您好，端午安康！' });
    expect(noOptOut.status).toBe(400);
    expect(pathsOf(noOptOut)).toEqual(['template']);
    expect((await post(s3.manager, { template: '【{signature}】{name}您好，{asset}端午安康！回T退订' })).status).toBe(400);
    expect((await post(s3.manager, { audience: { stage: 'vip' } })).status).toBe(400);
    expect((await post(s3.repA)).status).toBe(403);
    expect((await post(s3.service)).status).toBe(403);
    expect((await post(s2.manager)).status).toBe(403);

    const headers = { 'Idempotency-Key': 'campaign-1' };
    const first = await post(s3.manager, {}, headers);
    const again = await post(s3.manager, {}, headers);
    expect(again.status).toBe(201);
    expect(again.body.campaign.id).toBe(first.body.campaign.id);
    expect((await api.table.store.listCampaignsDue('2028-05-20')).filter((c) => c.siteId === 'care3')).toHaveLength(2);
  });
});
