import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createIds, rebuildReports } from '@guanjia/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, freshPhone, seedSite, staff, type TestApi } from '../support/api.ts';

let api: TestApi;
let s: Awaited<ReturnType<typeof seedSite>>;
type Person = ReturnType<typeof staff>;

beforeAll(async () => {
  api = await createTestApi();
  s = await seedSite(api, 'ref1', { kind: 'flooring' });
  await seedSite(api, 'ref2');
  api.clock.current = new Date('2026-11-23T02:00:00Z');
});
afterAll(() => api.close());

const register = (who: Person, body: Record<string, unknown>) =>
  api.call(who, 'POST', '/v1/customers', { body: { siteId: 'ref1', name: '陈静', phone: freshPhone(), channel: 'referral', ...body } });
const referrals = (who: Person, id: string, query = '') => api.call(who, 'GET', `/v1/customers/${id}/referrals${query}`);
const stages = (body: { items: { name: string; stage: string; ownerId: string }[] }) => body.items.map((i) => [i.name, i.stage, i.ownerId]);

describe('a key person (关键人) and the buyers they bring', () => {
  let keyPersonId: string;
  let keyPhone: string;
  let signedId: string;
  let deliveredId: string;

  beforeAll(async () => {
    keyPhone = freshPhone();
    const key = await register(s.repA, { name: '后勤主任', phone: keyPhone, channel: 'sweep', leadType: 'key_person' });
    expect(key.status).toBe(201);
    keyPersonId = key.body.customer.id;
  });

  it('a rep names a key person she does not own, by phone in any written form, and the buyer records who brought them', async () => {
    const written = `${keyPhone.slice(0, 3)} ${keyPhone.slice(3, 7)} ${keyPhone.slice(7)}`;
    const buyer = await register(s.repB, { name: '买家一', referredBy: written });
    expect(buyer.status, JSON.stringify(buyer.body)).toBe(201);
    expect(buyer.body.customer).toMatchObject({ ownerId: s.repB.sub, referredBy: keyPersonId });
    signedId = buyer.body.customer.id;
    const again = await api.call(s.repB, 'GET', `/v1/customers/${signedId}`);
    expect(again.body.referredBy).toBe(keyPersonId);
  });

  it("the key person's owner sees each buyer and how far they got, after a signing and a delivery", async () => {
    const second = await register(s.repA, { name: '买家二', referredBy: keyPhone });
    deliveredId = second.body.customer.id;
    await register(s.repB, { name: '买家三', referredBy: keyPhone });
    expect((await api.call(s.repB, 'PATCH', `/v1/customers/${signedId}`, { body: { stage: 'customer' } })).status).toBe(200);
    const delivered = await api.call(s.service, 'POST', `/v1/customers/${deliveredId}/deliveries`, {
      body: { asset: { kind: 'home', label: '3栋2单元1801' }, deliveredOn: '2026-11-23' },
    });
    expect(delivered.status, JSON.stringify(delivered.body)).toBe(201);

    const seen = await referrals(s.repA, keyPersonId);
    expect(seen.status).toBe(200);
    expect(stages(seen.body)).toEqual([
      ['买家一', 'customer', s.repB.sub],
      ['买家二', 'owner', s.repA.sub],
      ['买家三', 'lead', s.repB.sub],
    ]);
    expect(seen.body.items[0]).not.toHaveProperty('phone');
    expect(stages((await referrals(s.manager, keyPersonId)).body)).toHaveLength(3);
  });

  it('pages the buyers like every list', async () => {
    const first = await referrals(s.repA, keyPersonId, '?limit=2');
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const rest = await referrals(s.repA, keyPersonId, `?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect(stages(rest.body)).toEqual([['买家三', 'lead', s.repB.sub]]);
  });

  it('another rep sees only the buyers they own; a key person of another site is not found', async () => {
    expect(stages((await referrals(s.repB, keyPersonId)).body)).toEqual([
      ['买家一', 'customer', s.repB.sub],
      ['买家三', 'lead', s.repB.sub],
    ]);
    expect((await referrals(staff('manager', 'mgr-x', ['ref2']), keyPersonId)).status).toBe(404);
  });

  it('an unknown referrer phone is 400 with a field code, in either language, and creates nothing', async () => {
    const phone = freshPhone();
    const res = await register(s.repA, { phone, referredBy: freshPhone() });
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual(expect.objectContaining({ path: 'referredBy', code: 'unknown_referrer' }));
    const zh = await api.call(s.repA, 'POST', '/v1/customers', {
      body: { siteId: 'ref1', name: '陈静', phone, channel: 'referral', referredBy: freshPhone() },
      headers: { 'Accept-Language': 'zh-CN' },
    });
    expect(JSON.stringify(zh.body.errors)).toContain('推荐人');
    const found = await api.call(s.repA, 'GET', `/v1/customers?siteId=ref1&phone=${phone}`);
    expect(found.body.items).toEqual([]);
  });

  it('a known phone named with a referrer gets its reception only: who brought a customer is settled at their first intake', async () => {
    const known = await register(s.repA, {
      name: '买家一',
      phone: (await api.call(s.repB, 'GET', `/v1/customers/${signedId}`)).body.phone,
      referredBy: keyPhone,
    });
    expect(known.status).toBe(200);
    expect((await referrals(s.manager, keyPersonId)).body.items).toHaveLength(3);
  });

  it('the registrations report counts the referrals for the key person; a rep reads the key persons they own', async () => {
    const report = await api.call(s.manager, 'GET', '/v1/reports/registrations?siteId=ref1&from=2026-11-23&to=2026-11-23');
    expect(report.status).toBe(200);
    expect(report.body.byKeyPerson).toEqual([{ keyPersonId, name: '后勤主任', referrals: 3 }]);
    const mine = await api.call(s.repB, 'GET', '/v1/reports/registrations?siteId=ref1&from=2026-11-23&to=2026-11-23');
    expect(mine.body.byKeyPerson).toEqual([]);
  });

  it('the rebuild finds a referral count changed by hand and sets it back to what the buyers add up to', async () => {
    const ctx = { store: api.table.store, clock: api.clock, ids: createIds() };
    expect((await rebuildReports(ctx, 'ref1', { dryRun: true })).differences).toEqual([]);
    await api.table.doc.send(
      new UpdateCommand({
        TableName: api.table.tableName,
        Key: { PK: 'REG#ref1#2026-11-23', SK: `REFERRER#${keyPersonId}` },
        UpdateExpression: 'ADD referrals :n',
        ExpressionAttributeValues: { ':n': 2 },
      }),
    );
    const found = await rebuildReports(ctx, 'ref1');
    expect(found.differences).toEqual([
      { target: { kind: 'referrals', siteId: 'ref1', day: '2026-11-23', keyPersonId }, figure: 'referrals', stored: 5, recomputed: 3 },
    ]);
    expect(found.fixed).toBe(1);
    expect((await rebuildReports(ctx, 'ref1', { dryRun: true })).differences).toEqual([]);
  });
});
