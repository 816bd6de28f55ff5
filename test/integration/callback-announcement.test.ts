import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dispatchMessage, readForDispatch, releaseDeferred, runCallbacksJob, type SmsSender } from '@guanjia/core';
import { admin, createTestApi, freshPhone, seedSite, staff, type TestApi } from '../support/api.ts';

let api: TestApi;
const ctx = () => ({ store: api.table.store, clock: api.clock, ids: { next: () => 'unused' } });
const shanghai = (local: string) => new Date(`${local}+08:00`);
const ONE_PLAN = { callbackPlan: [{ plan: 'P3M', offset: 'P3M', checklist: [] }] };

/** A provider that records what it was asked to send. */
class RecordingSender implements SmsSender {
  sent: { to: string; body: string }[] = [];
  async send(message: { to: string; body: string; kind: 'notice' | 'care' }) {
    this.sent.push(message);
    return { providerId: `p-${this.sent.length}` };
  }
}
let sender: RecordingSender;

beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());
beforeEach(() => {
  sender = new RecordingSender();
});

type Who = Record<'repA' | 'service', ReturnType<typeof staff>>;

/** An owner handed their home on 2025-01-06, whose living check falls due on 2025-04-06. */
async function owner(siteId: string, s: Who, label: string) {
  api.clock.current = shanghai('2025-01-06T10:00:00');
  const created = await api.call(s.repA, 'POST', '/v1/customers', { body: { siteId, name: '吴敏', phone: freshPhone(), channel: 'walk_in' } });
  const customerId = created.body.customer.id as string;
  const delivery = await api.call(s.service, 'POST', `/v1/customers/${customerId}/deliveries`, {
    body: { asset: { kind: 'home', label }, deliveredOn: '2025-01-06' },
  });
  const taskId = delivery.body.callbacks[0].taskId as string;
  return { customerId, taskId, announcement: `sms:callback_P3M:${taskId}` };
}

/** The callbacks job at `local` (Shanghai), then the dispatcher on each announcement, as the stream would bring it. */
async function announceAt(local: string, ids: string[]) {
  api.clock.current = shanghai(local);
  expect(await runCallbacksJob(ctx(), '2025-04-06')).toMatchObject({ announced: ids.length });
  for (const id of ids) await dispatchMessage(ctx(), sender, id);
}

const complete = (who: ReturnType<typeof staff>, taskId: string) =>
  api.call(who, 'POST', `/v1/tasks/${taskId}/complete`, { body: { outcome: 'reached', satisfaction: 5 } });
const stored = async (id: string) => (await api.table.store.getMessage(id))!;

describe("a callback's announcement", () => {
  it('is withdrawn when the callback is completed during the quiet hours it was deferred by, and never sent when they end', async () => {
    const s = await seedSite(api, 'cba1', ONE_PLAN);
    const o = await owner('cba1', s, '1栋101');
    await announceAt('2025-04-06T22:30:00', [o.announcement]);
    expect(await stored(o.announcement)).toMatchObject({ state: 'deferred', reason: 'quiet_hours' });

    api.clock.current = shanghai('2025-04-07T02:28:00');
    expect((await complete(s.service, o.taskId)).status).toBe(200);
    const messages = (await api.call(s.manager, 'GET', `/v1/customers/${o.customerId}/messages`)).body.items;
    expect(messages).toMatchObject([{ id: o.announcement, state: 'suppressed', reason: 'callback_closed', sendAfter: null }]);

    api.clock.current = shanghai('2025-04-07T09:00:00');
    await releaseDeferred(ctx());
    // A stream record for it arriving late finds nothing to send.
    expect(await dispatchMessage(ctx(), sender, o.announcement)).toMatchObject({ state: 'suppressed' });
    expect(sender.sent).toEqual([]);
    expect((await stored(o.announcement)).history.map((h) => h.state)).toEqual(['queued', 'deferred', 'suppressed']);
  });

  it('that was sent already is left as it is when the callback is completed', async () => {
    const s = await seedSite(api, 'cba2', ONE_PLAN);
    const o = await owner('cba2', s, '1栋102');
    await announceAt('2025-04-06T10:00:00', [o.announcement]);
    const sent = await stored(o.announcement);
    expect(sent.state).toBe('sent');

    api.clock.current = shanghai('2025-04-06T15:00:00');
    expect((await complete(s.service, o.taskId)).status).toBe(200);
    expect(await stored(o.announcement)).toEqual(sent);
    expect(sender.sent).toHaveLength(1);
  });

  it('is not sent by a dispatcher that read it queued before the callback was completed', async () => {
    const s = await seedSite(api, 'cba3', ONE_PLAN);
    const o = await owner('cba3', s, '1栋103');
    api.clock.current = shanghai('2025-04-06T10:00:00');
    await runCallbacksJob(ctx(), '2025-04-06');
    const read = await readForDispatch(ctx(), o.announcement);
    expect(read.message?.state).toBe('queued');

    expect((await complete(s.service, o.taskId)).status).toBe(200);
    expect(await dispatchMessage(ctx(), sender, o.announcement, read)).toMatchObject({ state: 'suppressed', reason: 'callback_closed' });
    expect(sender.sent).toEqual([]);
  });

  it('claimed by the dispatcher between the completion reading it and writing is sent once and not withdrawn', async () => {
    const s = await seedSite(api, 'cba4', ONE_PLAN);
    const o = await owner('cba4', s, '1栋104');
    api.clock.current = shanghai('2025-04-06T10:00:00');
    await runCallbacksJob(ctx(), '2025-04-06');

    const store = api.table.store;
    const getMessage = store.getMessage;
    let raced = false;
    store.getMessage = async (id) => {
      const message = await getMessage(id);
      if (id === o.announcement && !raced) {
        raced = true;
        store.getMessage = getMessage;
        await dispatchMessage(ctx(), sender, id);
      }
      return message;
    };
    try {
      // An API instance made now sees the store as patched (it copies the store's functions).
      const done = await api.call(s.service, 'POST', `/v1/tasks/${o.taskId}/complete`, { body: { outcome: 'reached' } }, api.instance());
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({ status: 'done', outcome: 'reached' });
    } finally {
      store.getMessage = getMessage;
    }
    expect(raced).toBe(true);
    expect(sender.sent).toHaveLength(1);
    expect((await stored(o.announcement)).history.map((h) => h.state)).toEqual(['queued', 'sending', 'sent']);
  });

  it('is either sent or withdrawn, never both, when completions race the dispatcher', async () => {
    const s = await seedSite(api, 'cba5', { ...ONE_PLAN, callbackCapacity: 10 });
    const owners = [];
    for (let i = 0; i < 6; i++) owners.push(await owner('cba5', s, `2栋${i}`));
    api.clock.current = shanghai('2025-04-06T10:00:00');
    await runCallbacksJob(ctx(), '2025-04-06');

    const answers = await Promise.all(
      owners.flatMap((o) => [complete(s.service, o.taskId), dispatchMessage(ctx(), sender, o.announcement), dispatchMessage(ctx(), sender, o.announcement)]),
    );
    for (const [i] of owners.entries()) expect((answers[i * 3] as { status: number }).status).toBe(200);
    for (const o of owners) {
      const message = await stored(o.announcement);
      const states = message.history.map((h) => h.state);
      const sends = sender.sent.filter((m) => m.body === message.body).length;
      if (message.state === 'sent') {
        expect(states).toEqual(['queued', 'sending', 'sent']);
        expect(sends).toBe(1);
      } else {
        expect(message).toMatchObject({ state: 'suppressed', reason: 'callback_closed' });
        expect(states).toEqual(['queued', 'suppressed']);
        expect(sends).toBe(0);
      }
    }
  });

  it("of a repair's callback, given out by the callbacks job after its agent left, is withdrawn when the callback is completed at night", async () => {
    const s = await seedSite(api, 'cba6');
    api.clock.current = shanghai('2026-11-23T10:00:00');
    const gone = staff('service', 'svc-gone-cba6', ['cba6']);
    expect((await api.call(admin, 'POST', '/v1/sites/cba6/staff', { body: { id: gone.sub, name: '离职客服', role: 'service' } })).status).toBe(201);
    const created = await api.call(s.repA, 'POST', '/v1/customers', { body: { siteId: 'cba6', name: '孙丽', phone: freshPhone(), channel: 'walk_in' } });
    const customerId = created.body.customer.id as string;
    const filed = await api.call(s.service, 'POST', '/v1/complaints', {
      body: { customerId, category: 'repair', channel: 'hotline', description: '卫生间漏水' },
    });
    const step = (type: string, extra: Record<string, unknown> = {}) =>
      api.call(s.manager, 'POST', `/v1/complaints/${filed.body.complaint.id}/events`, { body: { type, ...extra } });
    expect((await step('assign', { assigneeId: gone.sub })).status).toBe(201);
    expect((await step('respond')).status).toBe(201);
    expect((await api.call(s.manager, 'POST', `/v1/sites/cba6/staff/${gone.sub}/deactivate`)).status).toBe(200);
    expect((await step('resolve', { note: '已更换密封圈' })).status).toBe(201);
    const [repair] = (await api.call(admin, 'GET', '/v1/tasks?siteId=cba6&kind=repair_callback&status=open')).body.items as { id: string; dueOn: string }[];

    api.clock.current = shanghai(`${repair!.dueOn}T22:30:00`);
    expect(await runCallbacksJob(ctx(), repair!.dueOn)).toMatchObject({ announced: 1 });
    const announcement = ((await api.call(s.manager, 'GET', `/v1/customers/${customerId}/messages`)).body.items as { id: string }[]).find((m) =>
      m.id.endsWith(`:${repair!.id}`),
    )!;
    expect(await dispatchMessage(ctx(), sender, announcement.id)).toMatchObject({ state: 'deferred' });

    api.clock.current = new Date(api.clock.now().getTime() + 4 * 3600_000);
    expect((await complete(s.service, repair!.id)).status).toBe(200);
    expect(await stored(announcement.id)).toMatchObject({ state: 'suppressed', reason: 'callback_closed' });
    api.clock.current = new Date(api.clock.now().getTime() + 8 * 3600_000);
    await releaseDeferred(ctx());
    expect(await dispatchMessage(ctx(), sender, announcement.id)).toMatchObject({ state: 'suppressed' });
    expect(sender.sent).toEqual([]);
  });
});
