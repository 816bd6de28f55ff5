import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createIds, dispatchMessage, runCallbacksJob, runDayCloseJob, type Context, type OutboxMessage, type SmsSender } from '@guanjia/core';
import { admin, createTestApi, freshPhone, seedSite, type staff, type TestApi } from '../support/api.ts';

let api: TestApi;
const ctx = (): Context => ({ store: api.table.store, clock: api.clock, ids: createIds() });
const at = (iso: string) => (api.clock.current = new Date(iso));

// A table per test: the day-close job works through every site of its table.
beforeEach(async () => {
  api = await createTestApi();
  at('2026-11-23T01:30:00Z'); // Monday 23 November, 09:30 in Shanghai
});
afterEach(() => api.close());

/** The seeded manager has no phone; these two have. */
async function siteWithManagers(siteId: string) {
  const people = await seedSite(api, siteId);
  const phones = { [`mgr2-${siteId}`]: '13800000001', [`mgr3-${siteId}`]: '13800000002' };
  for (const [id, phone] of Object.entries(phones)) {
    const res = await api.call(admin, 'POST', `/v1/sites/${siteId}/staff`, {
      body: { id, name: id === `mgr2-${siteId}` ? '王经理' : '陈经理', role: 'manager', phone },
    });
    expect(res.status).toBe(201);
  }
  return { ...people, managersWithPhone: Object.keys(phones) };
}

const digestOf = (siteId: string, day: string, managerId: string) => api.table.store.getMessage(`sms:daily_digest:${siteId}:${day}:${managerId}`);

async function intake(siteId: string, rep: ReturnType<typeof staff>) {
  const res = await api.call(rep, 'POST', '/v1/customers', { body: { siteId, name: '孙丽', phone: freshPhone(), channel: 'walk_in' } });
  expect(res.status).toBe(201);
  return res.body.customer.id as string;
}

describe('the evening digest', () => {
  it('texts each manager with a phone the day’s figures once, before quiet hours, and nobody without one', async () => {
    const s = await siteWithManagers('dg1');
    // The 23rd: a lead whose follow-up falls due on the 25th at 09:30, and two owners handed over
    // three months before the 25th, whose callbacks fall due that day.
    await intake('dg1', s.repA);
    const owners: string[] = [];
    for (const label of ['3栋301', '3栋302']) {
      const id = await intake('dg1', s.repB);
      const res = await api.call(s.service, 'POST', `/v1/customers/${id}/deliveries`, { body: { asset: { kind: 'home', label }, deliveredOn: '2026-08-25' } });
      expect(res.status).toBe(201);
      owners.push(id);
    }

    // The 25th: both callbacks given to the agent, one of them done; a new lead; an urgent
    // complaint left unanswered past its four hours, and a normal one still within its day.
    at('2026-11-25T01:30:00Z');
    expect(await runCallbacksJob(ctx(), '2026-11-25')).toMatchObject({ announced: 2 });
    const callbacks = (await api.call(s.service, 'GET', `/v1/tasks?assigneeId=${s.service.sub}&kind=callback`)).body.items;
    expect(callbacks).toHaveLength(2);
    expect((await api.call(s.service, 'POST', `/v1/tasks/${callbacks[0].id}/complete`, { body: { outcome: 'reached', satisfaction: 5 } })).status).toBe(200);
    await intake('dg1', s.repB);
    for (const severity of ['urgent', 'normal']) {
      const res = await api.call(s.service, 'POST', '/v1/complaints', {
        body: { customerId: owners[0], category: 'service', channel: 'hotline', description: '电梯故障', severity },
      });
      expect(res.status).toBe(201);
    }

    // 20:30: not yet the evening (and a first run owes none that passed before it). 20:45, the
    // last run before quiet hours at 21:00: the digest.
    at('2026-11-25T12:30:00Z');
    expect(await runDayCloseJob(ctx())).toMatchObject({ digests: 0 });
    expect(await digestOf('dg1', '2026-11-24', 'mgr2-dg1')).toBeNull();
    at('2026-11-25T12:45:00Z');
    expect(await runDayCloseJob(ctx())).toMatchObject({ sites: 1, digests: 2 });

    const [toWang, toChen] = [await digestOf('dg1', '2026-11-25', 'mgr2-dg1'), await digestOf('dg1', '2026-11-25', 'mgr3-dg1')];
    expect(toWang).toMatchObject({ state: 'queued', kind: 'notice', purpose: 'daily_digest', to: '+8613800000001', staffId: 'mgr2-dg1', siteId: 'dg1' });
    expect(toWang!.body).toBe('【管家】王经理您好，Site dg111月25日日报：接待1组，新增客户1个，逾期未跟进1个，回访完成1/2，投诉超时未答复1件。');
    expect(toChen).toMatchObject({ to: '+8613800000002', staffId: 'mgr3-dg1' });
    expect(toChen!.body).toContain('陈经理您好');
    expect(await digestOf('dg1', '2026-11-25', s.manager.sub)).toBeNull();

    // The same run again, the next one in quiet hours, and the next morning's: nothing more.
    for (const iso of ['2026-11-25T12:45:00Z', '2026-11-25T13:00:00Z', '2026-11-26T00:30:00Z']) {
      at(iso);
      expect(await runDayCloseJob(ctx())).toMatchObject({ digests: 0 });
    }
    expect(await digestOf('dg1', '2026-11-25', 'mgr2-dg1')).toEqual(toWang);

    // Sent at once: 20:45 is outside quiet hours.
    at('2026-11-25T12:46:00Z');
    const sender = new RecordingSender();
    expect(await dispatchMessage(ctx(), sender, toWang!.id)).toMatchObject({ state: 'sent' });
    expect(sender.sent).toEqual([{ to: '+8613800000001', body: toWang!.body, kind: 'notice' }]);
  });

  it('after a missed evening sends the latest missed day only, held to the end of quiet hours', async () => {
    const s = await siteWithManagers('dg2');
    expect(await runDayCloseJob(ctx())).toMatchObject({ digests: 0 }); // the 23rd in the morning: a first run owes nothing
    at('2026-11-24T02:00:00Z'); // the 24th at 10:00
    await intake('dg2', s.repA);
    at('2026-11-25T02:00:00Z'); // the 25th: two receptions
    await intake('dg2', s.repA);
    await intake('dg2', s.repB);

    // No run on the evenings of the 24th and the 25th; the first is at 08:00 on the 26th, in quiet hours.
    at('2026-11-26T00:00:00Z');
    expect(await runDayCloseJob(ctx())).toMatchObject({ digests: 2 });
    expect(await digestOf('dg2', '2026-11-24', 'mgr2-dg2')).toBeNull();
    const digest = (await digestOf('dg2', '2026-11-25', 'mgr2-dg2')) as OutboxMessage;
    expect(digest.body).toContain('11月25日日报：接待2组，新增客户2个，逾期未跟进0个');

    const sender = new RecordingSender();
    expect(await dispatchMessage(ctx(), sender, digest.id)).toMatchObject({ state: 'deferred', sendAfter: '2026-11-26T01:00:00.000Z', reason: 'quiet_hours' });
    expect(sender.sent).toEqual([]);

    at('2026-11-26T00:15:00Z');
    expect(await runDayCloseJob(ctx())).toMatchObject({ digests: 0 });
  });

  it('tells a past day’s overdue follow-ups as they stood at its end when it catches up', async () => {
    const s = await siteWithManagers('dg3');
    const lead = await intake('dg3', s.repA); // its follow-up falls due on the 25th at 09:30
    await runDayCloseJob(ctx());
    // The evening of the 25th is missed; at 07:00 on the 26th the follow-up is done, a day late.
    at('2026-11-25T23:00:00Z');
    const res = await api.call(s.repA, 'POST', `/v1/customers/${lead}/interactions`, { body: { channel: 'call', summary: '回访' } });
    expect(res.body.closed).not.toBeNull();
    at('2026-11-26T00:00:00Z');
    expect(await runDayCloseJob(ctx())).toMatchObject({ daysClosed: 1, digests: 2 });
    expect((await digestOf('dg3', '2026-11-25', 'mgr2-dg3'))!.body).toContain('逾期未跟进1个');
    const report = await api.call(s.manager, 'GET', '/v1/reports/daily-activity?siteId=dg3&date=2026-11-25');
    expect(report.body.totals.followUpsOverdue).toBe(1);
  });
});

/** A provider that records what it was asked to send. */
class RecordingSender implements SmsSender {
  sent: { to: string; body: string; kind: string }[] = [];
  async send(message: { to: string; body: string; kind: 'notice' | 'care' }) {
    this.sent.push(message);
    return { providerId: `p-${this.sent.length}` };
  }
}
