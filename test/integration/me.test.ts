import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeMessage, dispatchMessage, type Principal, type SmsSender } from '@guanjia/core';
import { admin, createTestApi, freshPhone, seedSite, staff, type TestApi } from '../support/api.ts';

/** The owners' side: an owner is the phone in their token, and sees their own records only. */
let api: TestApi;
let s1: Awaited<ReturnType<typeof seedSite>>;
let s2: Awaited<ReturnType<typeof seedSite>>;

const owner = (phone: string): Principal => ({ sub: `owner-${phone}`, role: 'owner', sites: [], phone });
const e164 = (mobile: string) => `+86${mobile}`;

/** Owner A, known at both sites, with a handover at each; owner B, known at the first, with one of their own. */
const a = { phone: '', records: {} as Record<'me1' | 'me2', string>, complaints: [] as string[], deliveries: [] as string[] };
const b = { phone: '', record: '', complaint: '', delivery: '' };

async function intake(site: Awaited<ReturnType<typeof seedSite>>, siteId: string, mobile: string, name: string): Promise<string> {
  const res = await api.call(site.repA, 'POST', '/v1/customers', {
    body: { siteId, name, phone: mobile, channel: 'walk_in', smsConsent: true, birthday: '11-23' },
  });
  if (res.status !== 201) throw new Error(`intake: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.customer.id;
}

async function deliver(site: Awaited<ReturnType<typeof seedSite>>, customerId: string, deliveredOn: string): Promise<string> {
  const res = await api.call(site.service, 'POST', `/v1/customers/${customerId}/deliveries`, {
    body: { asset: { kind: 'home', label: `${customerId}-1801` }, deliveredOn },
  });
  if (res.status !== 201) throw new Error(`delivery: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.delivery.id;
}

async function file(who: Principal, customerId: string, description: string): Promise<string> {
  api.clock.advance(60_000);
  const res = await api.call(who, 'POST', '/v1/complaints', { body: { customerId, category: 'repair', channel: 'mini_program', description } });
  if (res.status !== 201) throw new Error(`complaint: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.complaint.id;
}

beforeAll(async () => {
  api = await createTestApi();
  s1 = await seedSite(api, 'me1');
  s2 = await seedSite(api, 'me2');
  const mobileA = freshPhone();
  const mobileB = freshPhone();
  a.phone = e164(mobileA);
  b.phone = e164(mobileB);
  a.records = { me1: await intake(s1, 'me1', mobileA, '赵敏'), me2: await intake(s2, 'me2', mobileA, '赵敏') };
  b.record = await intake(s1, 'me1', mobileB, '钱坤');
  a.deliveries = [await deliver(s1, a.records.me1, '2026-10-01'), await deliver(s2, a.records.me2, '2026-11-01')];
  b.delivery = await deliver(s1, b.record, '2026-10-15');
  a.complaints = [
    await file(owner(a.phone), a.records.me1, '厨房漏水'),
    await file(s2.service, a.records.me2, '门锁坏了'),
    await file(owner(a.phone), a.records.me2, '外墙渗水'),
  ];
  b.complaint = await file(owner(b.phone), b.record, '电梯噪音');
});
afterAll(() => api.close());

const step = (who: Principal, id: string, body: Record<string, unknown>) => api.call(who, 'POST', `/v1/complaints/${id}/events`, { body });

describe('GET /v1/me', () => {
  it('gives an owner known at two sites both records, as an owner may see them', async () => {
    const res = await api.call(owner(a.phone), 'GET', '/v1/me');
    expect(res.status).toBe(200);
    const items = [...res.body.items].sort((x: { siteId: string }, y: { siteId: string }) => (x.siteId < y.siteId ? -1 : 1));
    expect(items).toEqual([
      { id: a.records.me1, siteId: 'me1', siteName: 'Site me1', name: '赵敏', phone: a.phone, stage: 'owner', smsCare: true },
      { id: a.records.me2, siteId: 'me2', siteName: 'Site me2', name: '赵敏', phone: a.phone, stage: 'owner', smsCare: true },
    ]);
  });

  it('gives another owner only their own', async () => {
    const res = await api.call(owner(b.phone), 'GET', '/v1/me');
    expect(res.body.items.map((r: { id: string }) => r.id)).toEqual([b.record]);
  });
});

describe('GET /v1/me/deliveries', () => {
  it('lists the handovers of every record of the owner, the latest first, and none of another', async () => {
    const res = await api.call(owner(a.phone), 'GET', '/v1/me/deliveries');
    expect(res.status).toBe(200);
    expect(res.body.items.map((d: { id: string }) => d.id)).toEqual([...a.deliveries].reverse());
    expect(res.body.items[0]).toEqual({
      id: a.deliveries[1],
      customerId: a.records.me2,
      siteId: 'me2',
      asset: { kind: 'home', label: `${a.records.me2}-1801` },
      deliveredOn: '2026-11-01',
    });
    expect((await api.call(owner(b.phone), 'GET', '/v1/me/deliveries')).body.items.map((d: { id: string }) => d.id)).toEqual([b.delivery]);
  });
});

describe('GET /v1/me/complaints', () => {
  it("lists the owner's complaints at every site, newest first, whoever filed them", async () => {
    const res = await api.call(owner(a.phone), 'GET', '/v1/me/complaints');
    expect(res.status).toBe(200);
    expect(res.body.items.map((c: { id: string }) => c.id)).toEqual([...a.complaints].reverse());
    expect(res.body.nextCursor).toBeNull();
    expect(res.body.items[0]).not.toHaveProperty('version');
    expect((await api.call(owner(b.phone), 'GET', '/v1/me/complaints')).body.items.map((c: { id: string }) => c.id)).toEqual([b.complaint]);
  });

  it('walks them once each through cursors, across sites', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: { items: { id: string }[]; nextCursor: string | null } } = await api.call(
        owner(a.phone),
        'GET',
        `/v1/me/complaints?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((c) => c.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...a.complaints].reverse());
  });

  it("refuses another list's cursor and a bad limit; another owner's cursor shows only their own", async () => {
    const first = await api.call(owner(a.phone), 'GET', '/v1/me/complaints?limit=1');
    expect((await api.call(s1.manager, 'GET', `/v1/complaints?siteId=me1&cursor=${encodeURIComponent(first.body.nextCursor)}`)).status).toBe(400);
    expect((await api.call(owner(a.phone), 'GET', '/v1/me/complaints?limit=0')).status).toBe(400);
    const borrowed = await api.call(owner(b.phone), 'GET', `/v1/me/complaints?limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect(borrowed.status).toBe(200);
    expect(borrowed.body.items.every((c: { id: string }) => c.id === b.complaint)).toBe(true);
  });
});

describe("an owner's complaint timeline", () => {
  it('shows no trace of a step refused as too early, and no number missing', async () => {
    const id = a.complaints[0]!;
    const early = await api.call(owner(a.phone), 'POST', `/v1/complaints/${id}/events`, { body: { type: 'close', satisfaction: 5 } });
    expect(early.status).toBe(409);
    const seen = await api.call(owner(a.phone), 'GET', `/v1/complaints/${id}`);
    expect(seen.body.number).toMatch(/^\d{1,10}$/);
    expect(seen.body.timeline.map((e: { event: string }) => e.event)).toEqual(['received']);
  });
});

describe("an owner's view of a complaint", () => {
  it("shows the owner staff by name and role, never their ids nor the staff's routing and chasing, while staff see it all", async () => {
    const chen = staff('service', 'svc-chen-me1', ['me1']);
    expect((await api.call(admin, 'POST', '/v1/sites/me1/staff', { body: { id: chen.sub, name: '陈静', role: 'service' } })).status).toBe(201);
    const mobile = freshPhone();
    const me = owner(e164(mobile));
    const record = await intake(s1, 'me1', mobile, '孙丽');
    const filed = (
      await api.call(chen, 'POST', '/v1/complaints', { body: { customerId: record, category: 'repair', channel: 'hotline', description: '楼道灯不亮' } })
    ).body.complaint;
    await step(s1.manager, filed.id, { type: 'assign', assigneeId: chen.sub });
    await step(chen, filed.id, { type: 'respond', note: '已安排师傅明早上门' });
    await step(chen, filed.id, { type: 'resolve' });
    const closed = await step(me, filed.id, { type: 'close', satisfaction: 5 });

    const listed = (await api.call(me, 'GET', '/v1/me/complaints?limit=100')).body.items.find((x: { id: string }) => x.id === filed.id);
    const byNumber = (await api.call(me, 'GET', `/v1/complaints?number=${filed.number}`)).body.items[0];
    const read = (await api.call(me, 'GET', `/v1/complaints/${filed.id}`)).body;
    for (const seen of [listed, byNumber, read, closed.body.complaint]) {
      expect(seen.filedBy).toEqual({ kind: 'staff', name: '陈静', role: 'service' });
      for (const field of ['assigneeId', 'warnedAt', 'callbackId', 'responseMinutes', 'version']) expect(seen).not.toHaveProperty(field);
      // The contract (API.md) names `escalated` on every complaint, so the owner keeps it.
      expect(seen).toHaveProperty('escalated', false);
    }
    expect(read.timeline.map((e: { event: string; by: unknown }) => [e.event, e.by])).toEqual([
      ['received', { kind: 'staff', name: '陈静', role: 'service' }],
      ['assign', { kind: 'staff', name: s1.manager.sub, role: 'manager' }],
      ['respond', { kind: 'staff', name: '陈静', role: 'service' }],
      ['resolve', { kind: 'staff', name: '陈静', role: 'service' }],
      ['close', { kind: 'owner', name: null, role: null }],
    ]);
    expect(read.timeline[1].details).toEqual({ assignee: { kind: 'staff', name: '陈静', role: 'service' } });
    expect(closed.body.entry).toMatchObject({ event: 'close', details: { satisfaction: 5 } });
    expect(JSON.stringify([listed, byNumber, read, closed.body])).not.toContain(chen.sub);

    const full = (await api.call(s1.manager, 'GET', `/v1/complaints/${filed.id}`)).body;
    expect(full).toMatchObject({ filedBy: { kind: 'staff', id: chen.sub }, assigneeId: chen.sub, escalated: false, warnedAt: null });
    expect(full.timeline[1]).toMatchObject({ by: { kind: 'staff', id: s1.manager.sub }, internal: false, details: { assigneeId: chen.sub } });
  });
});

describe('PUT /v1/me/preferences', () => {
  /** A provider that records what it was asked to send. */
  class RecordingSender implements SmsSender {
    sent: { to: string; kind: string }[] = [];
    async send(message: { to: string; body: string; kind: 'notice' | 'care' }) {
      this.sent.push({ to: message.to, kind: message.kind });
      return { providerId: `p-${this.sent.length}` };
    }
  }
  const ctx = () => ({ store: api.table.store, clock: api.clock, ids: { next: () => 'unused' } });

  async function queue(customerId: string, purpose: 'birthday' | 'callback_P3M', ref: string) {
    const customer = (await api.table.store.getCustomer(customerId))!;
    const site = (await api.table.store.getSite(customer.siteId))!;
    const message = composeMessage(site, customer, purpose, ref, { asset: '3栋1801' }, api.clock.now().toISOString());
    await api.table.store.enqueueMessages([message]);
    return message.id;
  }

  it('turns care texts off for the phone at every site; notices still go', async () => {
    const res = await api.call(owner(a.phone), 'PUT', '/v1/me/preferences', { body: { smsCare: false } });
    expect(res).toMatchObject({ status: 200, body: { smsCare: false } });
    expect(await api.table.store.latestConsent(a.phone)).toMatchObject({ granted: false, source: 'owner_preference', by: owner(a.phone).sub });
    expect((await api.call(owner(a.phone), 'GET', '/v1/me')).body.items.map((r: { smsCare: boolean }) => r.smsCare)).toEqual([false, false]);
    expect((await api.call(owner(a.phone), 'GET', '/v1/me/preferences')).body).toEqual({ smsCare: false });

    const sender = new RecordingSender();
    for (const customerId of Object.values(a.records)) {
      const care = await queue(customerId, 'birthday', `2026-${customerId}`);
      const notice = await queue(customerId, 'callback_P3M', `pref-${customerId}`);
      expect(await dispatchMessage(ctx(), sender, care)).toMatchObject({ state: 'suppressed', reason: 'opted_out' });
      expect(await dispatchMessage(ctx(), sender, notice)).toMatchObject({ state: 'sent' });
    }
    expect(sender.sent).toEqual([
      { to: a.phone, kind: 'notice' },
      { to: a.phone, kind: 'notice' },
    ]);
    expect((await api.call(owner(b.phone), 'GET', '/v1/me')).body.items[0].smsCare).toBe(true);
    expect((await api.call(owner(b.phone), 'GET', '/v1/me/preferences')).body).toEqual({ smsCare: true });
  });

  it('turns them back on with a newer record', async () => {
    api.clock.advance(60_000);
    expect((await api.call(owner(a.phone), 'PUT', '/v1/me/preferences', { body: { smsCare: true } })).body).toEqual({ smsCare: true });
    expect(await api.table.store.latestConsent(a.phone)).toMatchObject({ granted: true, source: 'owner_preference' });
    const care = await queue(a.records.me1, 'birthday', `2027-${a.records.me1}`);
    expect(await dispatchMessage(ctx(), new RecordingSender(), care)).toMatchObject({ state: 'sent' });
  });

  it.each([[{}], [{ smsCare: 'no' }], [{ smsCare: false, smsNotices: false }]])('refuses %j with 400', async (body) => {
    const res = await api.call(owner(a.phone), 'PUT', '/v1/me/preferences', { body });
    expect(res.status).toBe(400);
  });
});

describe('reach', () => {
  const routes: [string, string, { body?: unknown }?][] = [
    ['GET', '/v1/me'],
    ['GET', '/v1/me/deliveries'],
    ['GET', '/v1/me/complaints'],
    ['GET', '/v1/me/preferences'],
    ['PUT', '/v1/me/preferences', { body: { smsCare: true } }],
  ];

  it.each(routes)('%s %s is 403 to every staff role and admin', async (method, path, options) => {
    for (const who of [admin, s1.manager, s1.repA, s1.service]) {
      const res = await api.call(who, method, path, options);
      expect(res.status, `${who.role}: ${JSON.stringify(res.body)}`).toBe(403);
    }
  });

  it.each(routes)('%s %s is 401 without a token', async (method, path, options) => {
    expect((await api.call(null, method, path, options)).status).toBe(401);
  });

  it('shows an owner known nowhere nothing of anyone', async () => {
    const stranger = owner(e164(freshPhone()));
    for (const path of ['/v1/me', '/v1/me/deliveries']) expect((await api.call(stranger, 'GET', path)).body).toEqual({ items: [], nextCursor: null });
    expect((await api.call(stranger, 'GET', '/v1/me/complaints')).body).toEqual({ items: [], nextCursor: null });
    expect((await api.call(stranger, 'PUT', '/v1/me/preferences', { body: { smsCare: false } })).status).toBe(200);
    expect((await api.call(stranger, 'GET', `/v1/complaints/${a.complaints[0]}`)).status).toBe(404);
  });

  it("gives owner B 404 for owner A's complaint", async () => {
    expect((await api.call(owner(b.phone), 'GET', `/v1/complaints/${a.complaints[0]}`)).status).toBe(404);
  });
});

describe('the OpenAPI document', () => {
  it('describes the owner routes, preferences strict', async () => {
    const doc = (await api.call(null, 'GET', '/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/me', '/v1/me/deliveries', '/v1/me/complaints', '/v1/me/preferences']));
    expect(Object.keys(doc.paths['/v1/me/preferences']).sort()).toEqual(['get', 'put']);
    expect(doc.components.schemas.MyPreferences.additionalProperties).toBe(false);
    expect(doc.components.schemas.MyRecord.properties).not.toHaveProperty('ownerId');
  });
});
