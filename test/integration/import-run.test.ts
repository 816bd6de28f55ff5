import { callbackId, createIds, drainImport, runCallbacksJob, type Context, type Store } from '@guanjia/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, createTestApi, freshPhone, seedSite, staff, type TestApi } from '../support/api.ts';

let api: TestApi;
let s: Awaited<ReturnType<typeof seedSite>>;
let ctx: Context;

beforeAll(async () => {
  api = await createTestApi();
  s = await seedSite(api, 'run');
  await seedSite(api, 'run2');
  api.clock.current = new Date('2026-06-10T02:00:00Z');
  ctx = { store: api.table.store, clock: api.clock, ids: createIds() };
});
afterAll(() => api.close());

const csv = (...lines: string[]) => `${lines.join('\r\n')}\r\n`;

async function post(file: string, kind = 'deliveries', who = s.service, siteId = 'run') {
  return api.call(who, 'POST', `/v1/imports?siteId=${siteId}&kind=${kind}`, { raw: file, headers: { 'Content-Type': 'text/csv' } });
}

/** Sends the file and works it to the end in this process, as the worker would. */
async function imported(file: string, kind = 'deliveries', who = s.service, on: Context = ctx) {
  const res = await post(file, kind, who);
  expect(res.status).toBe(202);
  await drainImport(on, res.body.import.id);
  return (await api.call(who, 'GET', `/v1/imports/${res.body.import.id}`)).body.import;
}

async function customerOf(phone: string, siteId = 'run') {
  const found = await api.call(admin, 'GET', `/v1/customers?siteId=${siteId}&phone=${phone}`);
  expect(found.status).toBe(200);
  return found.body.items[0];
}

const deliveriesOf = async (customerId: string) => (await api.call(admin, 'GET', `/v1/customers/${customerId}/deliveries`)).body.items;
const callbacksOf = async (deliveryId: string) =>
  Object.fromEntries((await Promise.all(['P3M', 'P1Y'].map((plan) => ctx.store.getTask(callbackId(deliveryId, plan))))).map((t) => [t?.plan, t?.status]));

describe('a handover list imported for real', () => {
  it('answers 202 at once with the import running, and ends done with its counts once the rows are worked', async () => {
    const [a, b] = [freshPhone(), freshPhone()];
    const res = await post(csv('姓名,手机,房号,交付日期', `张伟,${a},1栋101,2026-03-05`, `王芳,${b},1栋102,2026-05-06`, `坏行,123,1栋103,2026-05-06`));
    expect(res.status).toBe(202);
    expect(res.headers.get('Location')).toBe(`/v1/imports/${res.body.import.id}`);
    expect(res.body.import).toMatchObject({ status: 'running', dryRun: false, counts: { rows: 3, valid: 2, invalid: 1, created: 0 } });
    expect(await customerOf(a)).toBeUndefined();

    await drainImport(ctx, res.body.import.id);
    const done = await api.call(s.service, 'GET', `/v1/imports/${res.body.import.id}`);
    expect(done.body.import).toMatchObject({ status: 'done', counts: { rows: 3, valid: 2, invalid: 1, created: 2, updated: 0, skipped: 0 } });
    const owner = await customerOf(a);
    expect(owner).toMatchObject({ name: '张伟', stage: 'owner' });
    expect(await deliveriesOf(owner.id)).toMatchObject([{ asset: { label: '1栋101' }, deliveredOn: '2026-03-05' }]);
  });

  it('records the callbacks already past on the import day as skipped, and opens the ones still ahead', async () => {
    const [old, recent] = [freshPhone(), freshPhone()];
    await imported(csv('姓名,手机,房号,交付日期', `李雷,${old},3栋301,2025-04-10`, `韩梅,${recent},3栋302,2026-05-01`));
    const [oldDelivery] = await deliveriesOf((await customerOf(old)).id);
    expect(await callbacksOf(oldDelivery.id)).toEqual({ P3M: 'cancelled', P1Y: 'cancelled' });
    const [recentDelivery] = await deliveriesOf((await customerOf(recent)).id);
    expect(await callbacksOf(recentDelivery.id)).toEqual({ P3M: 'open', P1Y: 'open' });
  });

  it('creates nothing the second time the same file comes, and corrects a date that changed', async () => {
    const [a, b] = [freshPhone(), freshPhone()];
    const file = csv('姓名,手机,房号,交付日期', `周杰,${a},5栋501,2026-04-01`, `吴磊,${b},5栋502,2026-04-02`);
    expect((await imported(file)).counts).toMatchObject({ created: 2, updated: 0, skipped: 0 });
    const tasksBefore = await callbacksOf((await deliveriesOf((await customerOf(a)).id))[0].id);
    expect((await imported(file)).counts).toMatchObject({ created: 0, updated: 0, skipped: 2 });
    const changed = csv('姓名,手机,房号,交付日期', `周杰,${a},５栋501 ,2026-04-03`);
    expect((await imported(changed)).counts).toMatchObject({ created: 0, updated: 1, skipped: 0 });
    const deliveries = await deliveriesOf((await customerOf(a)).id);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0].deliveredOn).toBe('2026-04-03');
    expect(await callbacksOf(deliveries[0].id)).toEqual(tasksBefore);
  });

  it('makes each customer and delivery once when the same file is imported twice at once', async () => {
    const phones = Array.from({ length: 6 }, () => freshPhone());
    const file = csv('姓名,手机,房号,交付日期', ...phones.map((p, i) => `业主${i},${p},6栋60${i},2026-04-0${i + 1}`));
    const [one, two] = await Promise.all([post(file), post(file)]);
    await Promise.all([drainImport(ctx, one.body.import.id), drainImport(ctx, two.body.import.id)]);
    for (const phone of phones) {
      const found = await api.call(admin, 'GET', `/v1/customers?siteId=run&phone=${phone}`);
      expect(found.body.items).toHaveLength(1);
      expect(await deliveriesOf(found.body.items[0].id)).toHaveLength(1);
    }
  });

  it('goes on after a worker died mid-list, ending with every delivery once and each callback announced once', async () => {
    const phones = Array.from({ length: 230 }, () => freshPhone());
    const file = csv('姓名,手机,房号,交付日期', ...phones.map((p, i) => `业主${i},${p},7栋${i},2026-05-01`));
    // A site of its own, so that the callbacks counted below are this list's alone.
    const own = await seedSite(api, 'run3', { callbackCapacity: 500 });
    const res = await post(file, 'deliveries', own.service, 'run3');
    let calls = 0;
    const dying: Store = {
      ...ctx.store,
      createDelivery: (fact) => {
        if (++calls === 123) throw new Error('the worker died');
        return ctx.store.createDelivery(fact);
      },
    };
    await expect(drainImport({ ...ctx, store: dying }, res.body.import.id)).rejects.toThrow('the worker died');
    expect((await api.call(own.service, 'GET', `/v1/imports/${res.body.import.id}`)).body.import).toMatchObject({ status: 'running', chunksDone: 1 });
    const done = await drainImport(ctx, res.body.import.id);
    expect(done).toMatchObject({ status: 'done', counts: { valid: 230, invalid: 0 } });
    expect(done!.counts.created + done!.counts.updated).toBe(230);
    for (const phone of [phones[0]!, phones[122]!, phones[229]!]) expect(await deliveriesOf((await customerOf(phone, 'run3')).id)).toHaveLength(1);

    // Three months on, every 3-month callback is given out and announced once, and a second run adds none.
    const dueDay = new Date('2026-08-01T01:30:00Z');
    const first = await runCallbacksJob({ ...ctx, clock: { now: () => dueDay } }, '2026-08-01');
    const again = await runCallbacksJob({ ...ctx, clock: { now: () => dueDay } }, '2026-08-01');
    expect(first.announced).toBeGreaterThanOrEqual(230);
    expect(again.announced).toBe(0);
    const given: string[] = [];
    for (let cursor = ''; ; ) {
      const page = await api.call(own.manager, 'GET', `/v1/tasks?assigneeId=${own.service.sub}&kind=callback&limit=100${cursor}`);
      given.push(...page.body.items.map((t: { id: string }) => t.id));
      if (!page.body.nextCursor) break;
      cursor = `&cursor=${encodeURIComponent(page.body.nextCursor)}`;
    }
    expect(new Set(given).size).toBe(230);
    const messages = await api.call(admin, 'GET', `/v1/customers/${(await customerOf(phones[122]!, 'run3')).id}/messages`);
    expect(messages.body.items.filter((m: { purpose: string }) => m.purpose === 'callback_P3M')).toHaveLength(1);
  }, 180_000);
});

describe('a lead list imported for real', () => {
  it('gives new phones to the rep named, opens a review and no follow-up for a potential lead, and opens a conflict where another rep owns the phone', async () => {
    const [fresh, watched, theirs] = [freshPhone(), freshPhone(), freshPhone()];
    const mine = await api.call(s.repA, 'POST', '/v1/customers', { body: { siteId: 'run', name: '老客', phone: theirs, channel: 'walk_in' } });
    expect(mine.status).toBe(201);
    const record = await imported(
      csv(
        '姓名,手机,来源,客户类型,负责人',
        `新客,${fresh},扫楼,,${s.repB.sub}`,
        `观望,${watched},扫楼,潜在客户,${s.repB.sub}`,
        `老客,${theirs},扫楼,,${s.repB.sub}`,
      ),
      'leads',
      s.manager,
    );
    expect(record.counts).toMatchObject({ created: 2, updated: 1, skipped: 0 });
    expect(await customerOf(fresh)).toMatchObject({ ownerId: s.repB.sub, stage: 'lead' });
    const potential = await customerOf(watched);
    expect(potential).toMatchObject({ ownerId: s.repB.sub, leadType: 'potential' });
    expect(await ctx.store.getTask(potential.openFollowUpId!)).toMatchObject({ kind: 'review', assigneeId: s.repB.sub });
    expect(await customerOf(theirs)).toMatchObject({ ownerId: s.repA.sub });
    const conflicts = await api.call(s.manager, 'GET', '/v1/conflicts?siteId=run');
    expect(
      conflicts.body.items.some((c: { customerId: string; claimantId: string }) => c.customerId === mine.body.customer.id && c.claimantId === s.repB.sub),
    ).toBe(true);
  });

  it('records a consent from the list only for a phone nobody has asked yet', async () => {
    const [asked, unasked] = [freshPhone(), freshPhone()];
    expect((await api.call(s.service, 'POST', '/v1/sms/opt-out', { body: { phone: asked } })).status).toBeLessThan(300);
    await imported(csv('姓名,手机,来源,短信', `甲,${asked},扫楼,是`, `乙,${unasked},扫楼,是`), 'leads', s.manager);
    expect((await ctx.store.latestConsent((await customerOf(asked)).phone))?.granted).toBe(false);
    expect(await ctx.store.latestConsent((await customerOf(unasked)).phone)).toMatchObject({ granted: true, source: 'import' });
  });
});

describe('following an import', () => {
  it("gives the refused rows back as given with a reason, and lists the site's imports newest first", async () => {
    const record = await imported(csv('姓名,手机,房号,交付日期', `好行,${freshPhone()},8栋801,2026-05-01`, '坏行,1.38001E+10,8栋802,2026-05-01'));
    const errors = await api.app.request(`/v1/imports/${record.id}/errors`, { headers: { Authorization: `Bearer ${await api.tokenFor(s.manager)}` } });
    expect(errors.status).toBe(200);
    const bytes = new Uint8Array(await errors.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).trim().split('\r\n');
    expect(lines[0]).toBe('姓名,手机,房号,交付日期,reason');
    expect(lines[1]).toMatch(/^坏行,1\.38001E\+10,8栋802,2026-05-01,.+/);
    expect(lines).toHaveLength(2);
    const list = await api.call(s.manager, 'GET', '/v1/imports?siteId=run&limit=2');
    expect(list.body.items[0].id).toBe(record.id);
  });

  it('shows an import only to staff of its site, and never to sales reps', async () => {
    const record = await imported(csv('姓名,手机,房号,交付日期', `丙,${freshPhone()},9栋901,2026-05-01`));
    expect((await api.call(staff('manager', 'mgr-run2', ['run2']), 'GET', `/v1/imports/${record.id}`)).status).toBe(404);
    expect((await api.call(staff('service', 'svc-run2', ['run2']), 'GET', `/v1/imports/${record.id}/errors`)).status).toBe(404);
    expect((await api.call(s.repA, 'GET', `/v1/imports/${record.id}`)).status).toBe(403);
    expect((await post(csv('姓名,手机,房号,交付日期', `丁,${freshPhone()},9栋902,2026-05-01`), 'deliveries', s.repA)).status).toBe(403);
  });
});
