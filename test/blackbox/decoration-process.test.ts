import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, launch, mintToken, START_TIMEOUT, stop, waitForHealth, type Launched } from '../support/runtime-process.ts';

// The home-decoration manual's process (000) end to end against the started runtime, over
// HTTP as a console drives it: intake with needs, a designer recommended and assigned, the
// meeting, the loop closed, the follow-ups within 2 days and then twice a week (the site's cadence), the contract.

const DAY = 24 * 3600_000;
const SITE = 'deco-e2e';

describe('the decoration process against the running runtime', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'guanjia-decoration-'));
  let apiUrl: string;
  let runtime: Launched | undefined;
  const tokens: Record<string, string> = {};

  async function call(who: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const headers: Record<string, string> = { authorization: `Bearer ${tokens[who]}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${apiUrl}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }
  async function expectStatus(status: number, reply: Promise<{ status: number; body: any }>) {
    const answer = await reply;
    expect(answer.status, JSON.stringify(answer.body)).toBe(status);
    return answer.body;
  }
  const openTasksOf = async (customerId: string) =>
    ((await expectStatus(200, call('manager', 'GET', `/v1/tasks?siteId=${SITE}&status=open&limit=100`))).items as { customerId: string }[]).filter(
      (t) => t.customerId === customerId,
    );

  beforeAll(async () => {
    const port = await freePort();
    apiUrl = `http://127.0.0.1:${port}`;
    runtime = launch(port, dataDir);
    await waitForHealth(apiUrl, runtime);
    tokens.admin = mintToken(dataDir, '--role', 'admin', '--sub', 'e2e-admin');
    for (const [who, role, sub] of [
      ['manager', 'manager', 'mgr-deco'],
      ['rep', 'sales', 'rep-deco'],
      ['designer', 'designer', 'des-deco'],
    ] as const) {
      tokens[who] = mintToken(dataDir, '--role', role, '--sub', sub, '--sites', SITE);
    }
  }, START_TIMEOUT + 10_000);

  afterAll(async () => {
    await stop(runtime, dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('takes a walk-in from intake through designer, closed loop and follow-ups to the contract', async () => {
    // 000: a lead is called back within 2 days of the first visit, then twice a week: the site's cadence says so.
    await expectStatus(
      201,
      call('admin', 'POST', '/v1/sites', {
        id: SITE,
        name: '家装体验店',
        kind: 'decoration',
        smsSignature: '管家',
        followUpCadence: { firstVisitDays: 2, H: 3, A: 3 },
      }),
    );
    for (const [id, role] of [
      ['mgr-deco', 'manager'],
      ['rep-deco', 'sales'],
      ['des-deco', 'designer'],
      ['des-other', 'designer'],
    ])
      await expectStatus(201, call('admin', 'POST', `/v1/sites/${SITE}/staff`, { id, name: id, role }));
    await expectStatus(200, call('manager', 'PUT', `/v1/sites/${SITE}/staff/des-deco/profile`, { level: 'deputy_chief', styles: ['北欧'] }));
    await expectStatus(200, call('manager', 'PUT', `/v1/sites/${SITE}/staff/des-other/profile`, { level: 'chief', styles: ['中式'] }));

    // 第二步: intake with the home's needs; the first follow-up falls within the first-visit window (2 days).
    const intake = await expectStatus(
      201,
      call('rep', 'POST', '/v1/customers', {
        siteId: SITE,
        name: '刘洋',
        phone: '13911112222',
        channel: 'walk_in',
        intentLevel: 'A',
        needs: { area: 120, budget: 200_000, notes: '北欧风格' },
      }),
    );
    const id = intake.customer.id as string;
    expect(Date.parse(intake.followUp.dueAt) - Date.now()).toBeLessThanOrEqual(2 * DAY);

    // 第三步: the designer recommended by budget and style, then assigned.
    const matches = await expectStatus(200, call('rep', 'POST', `/v1/customers/${id}/matches`, { styles: ['北欧'] }));
    expect(matches.candidates[0]).toMatchObject({ staffId: 'des-deco', fee: 14_400 });
    expect((await expectStatus(200, call('rep', 'POST', `/v1/customers/${id}/designer`, { staffId: 'des-deco' }))).designerId).toBe('des-deco');

    // 第四步: the designer says the meeting took place; the rep closes the loop that day.
    const loop = await expectStatus(201, call('designer', 'POST', `/v1/customers/${id}/designer-meeting`));
    expect(loop).toMatchObject({ kind: 'close_loop', assigneeId: 'rep-deco' });
    expect(Date.parse(loop.dueAt) - Date.now()).toBeLessThan(DAY);
    const secondVisitAt = new Date(Math.ceil((Date.now() + 3 * DAY) / 60_000) * 60_000).toISOString();
    const closed = await expectStatus(
      200,
      call('rep', 'POST', `/v1/tasks/${loop.id}/complete`, {
        outcome: 'reached',
        closeLoop: { satisfiedDesigner: true, satisfiedWork: true, satisfiedIdea: false, budgetClear: true, next: 'second_visit', secondVisitAt },
      }),
    );
    expect(closed.result.closeLoop.next).toBe('second_visit');
    expect(await openTasksOf(id)).toEqual([expect.objectContaining({ id: intake.followUp.id, kind: 'follow_up', dueAt: secondVisitAt })]);

    // 第五步: the second visit, then a call: each next follow-up 3 days on, twice a week by the site's cadence for level A.
    const visit = await expectStatus(201, call('rep', 'POST', `/v1/customers/${id}/interactions`, { channel: 'visit', summary: '二次到店，看了平面布局' }));
    expect(Math.abs(Date.parse(visit.nextFollowUp.dueAt) - (Date.now() + 3 * DAY))).toBeLessThan(60_000);
    const call2 = await expectStatus(201, call('rep', 'POST', `/v1/customers/${id}/interactions`, { channel: 'call', summary: '确认方案修改意见' }));
    expect(Math.abs(Date.parse(call2.nextFollowUp.dueAt) - (Date.now() + 3 * DAY))).toBeLessThan(60_000);

    // 第六步: the contract signed; nobody chases a customer any more.
    expect((await expectStatus(200, call('rep', 'PATCH', `/v1/customers/${id}`, { stage: 'customer' }))).stage).toBe('customer');
    expect(await openTasksOf(id)).toEqual([]);
  });
});
