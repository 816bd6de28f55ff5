import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  composeMessage,
  dispatchMessage,
  MAX_REQUEUES,
  releaseDeferred,
  requeueStalled,
  STALLED_AFTER_MINUTES,
  SmsRejectedError,
  type OutboxMessage,
  type SmsSender,
} from '@guanjia/core';
import { admin, createTestApi, freshPhone, seedSite, type TestApi } from '../support/api.ts';

let api: TestApi;
let s: Awaited<ReturnType<typeof seedSite>>;

/** A provider that records what it was asked to send. */
class RecordingSender implements SmsSender {
  sent: { to: string; body: string; kind: string }[] = [];
  failWith: Error | null = null;
  async send(message: { to: string; body: string; kind: 'notice' | 'care' }) {
    await new Promise((r) => setTimeout(r, 5));
    if (this.failWith) throw this.failWith;
    this.sent.push(message);
    return { providerId: `p-${this.sent.length}` };
  }
}

let sender: RecordingSender;
const shanghai = (local: string) => new Date(`${local}+08:00`);
const ctx = () => ({ store: api.table.store, clock: api.clock, ids: { next: () => 'unused' } });

beforeAll(async () => {
  api = await createTestApi();
  s = await seedSite(api, 'sms');
});
afterAll(() => api.close());
beforeEach(() => {
  sender = new RecordingSender();
  api.clock.current = shanghai('2026-11-23T10:00:00');
});

async function owner(extra: Record<string, unknown> = {}) {
  const res = await api.call(s.repA, 'POST', '/v1/customers', { body: { siteId: 'sms', name: '林芳', phone: freshPhone(), channel: 'walk_in', ...extra } });
  return res.body.customer as { id: string; phone: string };
}

async function queue(customerId: string, purpose: 'callback_P3M' | 'birthday', ref: string): Promise<OutboxMessage> {
  const site = (await api.table.store.getSite('sms'))!;
  const customer = (await api.table.store.getCustomer(customerId))!;
  const message = composeMessage(
    { ...site, smsCareCap: site.smsCareCap ?? { count: 4, days: 30 }, smsTemplates: site.smsTemplates ?? {} },
    customer,
    purpose,
    ref,
    { asset: '3栋1801' },
    api.clock.now().toISOString(),
  );
  await api.table.store.enqueueMessages([message]);
  return message;
}

const stored = async (id: string) => (await api.table.store.getMessage(id))!;

describe('the outbox', () => {
  it('sends a queued notice once, with its history', async () => {
    const c = await owner();
    const m = await queue(c.id, 'callback_P3M', `t1-${c.id}`);
    expect(m.body.startsWith('【管家】林芳您好')).toBe(true);
    const done = await dispatchMessage(ctx(), sender, m.id);
    expect(done).toMatchObject({ state: 'sent', providerId: 'p-1', sentAt: api.clock.now().toISOString() });
    expect(done!.history.map((h) => h.state)).toEqual(['queued', 'sending', 'sent']);
    expect(sender.sent).toEqual([{ to: c.phone, body: m.body, kind: 'notice' }]);
    expect(await dispatchMessage(ctx(), sender, m.id)).toMatchObject({ state: 'sent' });
    expect(sender.sent).toHaveLength(1);
  });

  it('is queued once under its deterministic id', async () => {
    const c = await owner();
    await queue(c.id, 'callback_P3M', `t2-${c.id}`);
    await queue(c.id, 'callback_P3M', `t2-${c.id}`);
    const listed = await api.call(s.repA, 'GET', `/v1/customers/${c.id}/messages`);
    expect(listed.body.items).toHaveLength(1);
  });

  it('sends once when two dispatchers get the same message at once', async () => {
    const c = await owner();
    const m = await queue(c.id, 'callback_P3M', `t3-${c.id}`);
    const results = await Promise.all(Array.from({ length: 5 }, () => dispatchMessage(ctx(), sender, m.id)));
    expect(sender.sent).toHaveLength(1);
    expect(results.some((r) => r?.state === 'sent')).toBe(true);
    expect((await stored(m.id)).state).toBe('sent');
  });

  it('defers a message queued at 22:00 to 09:00 and sends it then', async () => {
    const c = await owner();
    api.clock.current = shanghai('2026-11-23T22:00:00');
    const m = await queue(c.id, 'callback_P3M', `t4-${c.id}`);
    expect(await dispatchMessage(ctx(), sender, m.id)).toMatchObject({
      state: 'deferred',
      reason: 'quiet_hours',
      sendAfter: shanghai('2026-11-24T09:00:00').toISOString(),
    });
    expect(sender.sent).toHaveLength(0);

    api.clock.current = shanghai('2026-11-24T08:59:00');
    await releaseDeferred(ctx());
    expect((await stored(m.id)).state).toBe('deferred');

    api.clock.current = shanghai('2026-11-24T09:00:00');
    expect(await releaseDeferred(ctx())).toBeGreaterThanOrEqual(1);
    expect(await releaseDeferred(ctx())).toBe(0);
    expect((await stored(m.id)).state).toBe('queued');
    expect(await dispatchMessage(ctx(), sender, m.id)).toMatchObject({ state: 'sent', sentAt: shanghai('2026-11-24T09:00:00').toISOString() });
    expect((await stored(m.id)).history.map((h) => h.state)).toEqual(['queued', 'deferred', 'queued', 'sending', 'sent']);
  });

  it('gives an opted-out owner the callback notice but no birthday text', async () => {
    const c = await owner({ smsConsent: true });
    const opted = await api.call(s.service, 'POST', '/v1/sms/opt-out', { body: { phone: c.phone } });
    expect(opted.status).toBe(201);
    const notice = await queue(c.id, 'callback_P3M', `t5-${c.id}`);
    const care = await queue(c.id, 'birthday', `2026-${c.id}`);
    expect(await dispatchMessage(ctx(), sender, notice.id)).toMatchObject({ state: 'sent' });
    expect(await dispatchMessage(ctx(), sender, care.id)).toMatchObject({ state: 'suppressed', reason: 'opted_out' });
    expect(sender.sent.map((m) => m.kind)).toEqual(['notice']);
    const listed = await api.call(s.manager, 'GET', `/v1/customers/${c.id}/messages`);
    expect(listed.body.items.map((m: { state: string }) => m.state).sort()).toEqual(['sent', 'suppressed']);
  });

  it('sends care only to a number that consented, and at most the cap in 30 days', async () => {
    const without = await owner();
    const noConsent = await queue(without.id, 'birthday', `2026-${without.id}`);
    expect(await dispatchMessage(ctx(), sender, noConsent.id)).toMatchObject({ state: 'suppressed', reason: 'no_consent' });

    const c = await owner({ smsConsent: true });
    const states: string[] = [];
    for (let i = 0; i < 5; i++) {
      const m = await queue(c.id, 'birthday', `${i}-${c.id}`);
      states.push((await dispatchMessage(ctx(), sender, m.id))!.state);
      api.clock.advance(24 * 3600_000);
    }
    expect(states).toEqual(['sent', 'sent', 'sent', 'sent', 'suppressed']);
    expect((await stored(`sms:birthday:4-${c.id}`)).reason).toBe('care_cap_reached');
  });

  it('records a permanent failure and does not try again', async () => {
    const c = await owner();
    const m = await queue(c.id, 'callback_P3M', `t7-${c.id}`);
    sender.failWith = new SmsRejectedError('InvalidParameter', 'SNS InvalidParameter');
    expect(await dispatchMessage(ctx(), sender, m.id)).toMatchObject({ state: 'failed', reason: 'InvalidParameter' });
    sender.failWith = null;
    expect(await dispatchMessage(ctx(), sender, m.id)).toMatchObject({ state: 'failed' });
    expect(sender.sent).toHaveLength(0);
  });

  it("keeps a customer's messages within reach", async () => {
    const c = await owner();
    expect((await api.call(s.repB, 'GET', `/v1/customers/${c.id}/messages`)).status).toBe(404);
    expect((await api.call(s.repA, 'POST', '/v1/sms/opt-out', { body: { phone: c.phone } })).status).toBe(403);
  });
});

describe('site texts', () => {
  it('are checked when saved', async () => {
    const bad = await api.call(admin, 'PATCH', '/v1/sites/sms', { body: { smsTemplates: { birthday: '【{signature}】{nickname}生日快乐 回T退订' } } });
    expect(bad.status).toBe(400);
    const noOptOut = await api.call(admin, 'PATCH', '/v1/sites/sms', { body: { smsTemplates: { birthday: '【{signature}】{name}生日快乐' } } });
    expect(noOptOut.status).toBe(400);
    const good = await api.call(admin, 'PATCH', '/v1/sites/sms', { body: { smsTemplates: { birthday: '【{signature}】亲爱的{name}，生日快乐！回T退订' } } });
    expect(good.status).toBe(200);
    const c = await owner({ smsConsent: true });
    const m = await queue(c.id, 'birthday', `t9-${c.id}`);
    expect(m.body).toBe('【管家】亲爱的林芳，生日快乐！回T退订');
    expect(m.parts).toBe(1);
  });
});

describe('a message the dispatcher never claimed', () => {
  const later = (minutes: number) => new Date(api.clock.now().getTime() + minutes * 60_000);

  it(`is left alone for ${STALLED_AFTER_MINUTES} minutes, then queued again, and sent once`, async () => {
    const c = await owner();
    const m = await queue(c.id, 'callback_P3M', `st1-${c.id}`);
    api.clock.current = later(STALLED_AFTER_MINUTES - 1);
    await requeueStalled(ctx());
    expect(await stored(m.id)).toMatchObject({ state: 'queued', version: m.version });

    api.clock.current = later(1);
    expect((await requeueStalled(ctx())).requeued).toBeGreaterThanOrEqual(1);
    const requeued = await stored(m.id);
    expect(requeued).toMatchObject({ state: 'queued', reason: 'stalled', version: m.version + 1, updatedAt: api.clock.now().toISOString() });
    // Queued again just now, so the next run leaves it alone.
    await requeueStalled(ctx());
    expect((await stored(m.id)).version).toBe(m.version + 1);

    expect(await dispatchMessage(ctx(), sender, m.id)).toMatchObject({ state: 'sent', reason: null });
    expect(sender.sent.filter((x) => x.body === m.body)).toHaveLength(1);
    expect((await stored(m.id)).history.map((h) => h.state)).toEqual(['queued', 'queued', 'sending', 'sent']);
    api.clock.current = later(STALLED_AFTER_MINUTES * 10);
    await requeueStalled(ctx());
    expect((await stored(m.id)).state).toBe('sent');
  });

  it(`is recorded as failed, reason stalled, after ${MAX_REQUEUES} tries`, async () => {
    const c = await owner();
    const m = await queue(c.id, 'callback_P3M', `st2-${c.id}`);
    for (let i = 0; i < MAX_REQUEUES; i++) {
      api.clock.current = later(STALLED_AFTER_MINUTES);
      await requeueStalled(ctx());
      expect(await stored(m.id)).toMatchObject({ state: 'queued', version: m.version + i + 1 });
    }
    api.clock.current = later(STALLED_AFTER_MINUTES);
    expect((await requeueStalled(ctx())).failed).toBeGreaterThanOrEqual(1);
    expect(await stored(m.id)).toMatchObject({ state: 'failed', reason: 'stalled' });
    expect(await dispatchMessage(ctx(), sender, m.id)).toMatchObject({ state: 'failed' });
    expect(sender.sent).toHaveLength(0);
  });

  it('is not queued again once a dispatcher has claimed it, even if the send never finished', async () => {
    const c = await owner();
    const m = await queue(c.id, 'callback_P3M', `st3-${c.id}`);
    // A dispatcher that dies mid-send leaves `sending`: the outcome is unknown, so no second try.
    sender.failWith = null;
    const hanging: SmsSender = { send: () => new Promise(() => {}) };
    void dispatchMessage(ctx(), hanging, m.id);
    await expect.poll(async () => (await stored(m.id)).state).toBe('sending');
    api.clock.current = later(STALLED_AFTER_MINUTES * 2);
    await requeueStalled(ctx());
    expect((await stored(m.id)).state).toBe('sending');
  });
});
