import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, createTestApi, freshPhone, seedSite, staff, type TestApi } from '../support/api.ts';

/** 推荐设计师 (000): profiles, matching a customer to the site's designers, and assigning one. */
let api: TestApi;
afterAll(() => api.close());
beforeAll(async () => {
  api = await createTestApi();
});

type Level = 'standard' | 'excellent' | 'deputy_chief' | 'chief';

/** A decoration site with designers of the given levels and styles, each with a profile. */
async function siteWithDesigners(siteId: string, designers: [id: string, level: Level, styles: string[]][]) {
  const people = await seedSite(api, siteId, { kind: 'decoration' });
  for (const [id, level, styles] of designers) {
    const added = await api.call(admin, 'POST', `/v1/sites/${siteId}/staff`, { body: { id, name: `设计师${id}`, role: 'designer' } });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    const profile = await api.call(people.manager, 'PUT', `/v1/sites/${siteId}/staff/${id}/profile`, { body: { level, styles } });
    expect(profile.status, JSON.stringify(profile.body)).toBe(200);
  }
  return people;
}

/** A 120 m² home with a 200,000 yuan budget: at the default 10 %, a 20,000 yuan design budget. */
async function homeOf(siteId: string, rep: ReturnType<typeof staff>, needs: Record<string, unknown> = { area: 120, budget: 200_000 }) {
  const res = await api.call(rep, 'POST', '/v1/customers', { body: { siteId, name: '刘洋', phone: freshPhone(), channel: 'walk_in', needs } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.customer.id as string;
}

const match = (who: ReturnType<typeof staff>, customerId: string, body: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  api.call(who, 'POST', `/v1/customers/${customerId}/matches`, { body, headers });

describe('matching designers to a customer', () => {
  it('ranks a 120 m² customer with a 20,000 yuan design budget away from a 200 yuan/m² designer (24,000 > 20,000)', async () => {
    const s = await siteWithDesigners('dz1', [
      ['des-chief', 'chief', ['现代简约']],
      ['des-deputy', 'deputy_chief', ['现代简约']],
    ]);
    const res = await match(s.repA, await homeOf('dz1', s.repA), {}, { 'Accept-Language': 'zh-CN' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const [first, second] = res.body.candidates;
    expect(first).toMatchObject({ staffId: 'des-deputy', level: 'deputy_chief', fee: 14_400 });
    expect(first.reasons[0]).toMatchObject({ code: 'fee_within_budget', text: '设计费 120㎡×120元=14,400元，在预算内' });
    expect(second).toMatchObject({ staffId: 'des-chief', fee: 24_000 });
    expect(second.reasons[0]).toMatchObject({ code: 'fee_over_budget', params: { fee: 24_000, designBudget: 20_000 } });
  });

  it('prefers the designer of the style the customer asks for', async () => {
    const s = await siteWithDesigners('dz2', [
      ['des-a', 'deputy_chief', ['现代简约']],
      ['des-b', 'deputy_chief', ['北欧', '日式']],
    ]);
    const res = await match(s.repA, await homeOf('dz2', s.repA), { styles: ['北欧'] });
    expect(res.body.candidates.map((c: { staffId: string }) => c.staffId)).toEqual(['des-b', 'des-a']);
    expect(res.body.candidates[0].reasons.map((r: { code: string }) => r.code)).toContain('style_match');
  });

  it('says its reasons in Chinese for Accept-Language zh-CN and in English otherwise', async () => {
    const s = await siteWithDesigners('dz3', [['des-x', 'deputy_chief', ['北欧']]]);
    const customerId = await homeOf('dz3', s.repA);
    const zh = await match(s.repA, customerId, { styles: ['北欧'] }, { 'Accept-Language': 'zh-CN' });
    const en = await match(s.repA, customerId, { styles: ['北欧'] });
    expect(zh.body.candidates[0].reasons.map((r: { text: string }) => r.text)).toEqual([
      '设计费 120㎡×120元=14,400元，在预算内',
      '擅长您喜欢的风格：北欧',
      '今年还可接15位客户（每年最多15位）',
    ]);
    expect(en.body.candidates[0].reasons[0].text).toBe('Design fee 120 m² × 120 yuan = 14,400 yuan, within the budget');
    expect(en.body.candidates[0].reasons.map((r: { code: string }) => r.code)).toEqual(['fee_within_budget', 'style_match', 'capacity_left']);
  });

  it('shares equal candidates by load over 10 assignments: none gets more than one more than another', async () => {
    const s = await siteWithDesigners('dz4', [
      ['des-1', 'excellent', ['北欧']],
      ['des-2', 'excellent', ['北欧']],
      ['des-3', 'excellent', ['北欧']],
    ]);
    const counts = new Map<string, number>();
    for (let i = 0; i < 10; i++) {
      const customerId = await homeOf('dz4', s.repA);
      const best = (await match(s.repA, customerId, { styles: ['北欧'] })).body.candidates[0].staffId as string;
      const assigned = await api.call(s.repA, 'POST', `/v1/customers/${customerId}/designer`, { body: { staffId: best } });
      expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
      counts.set(best, (counts.get(best) ?? 0) + 1);
    }
    const loads = ['des-1', 'des-2', 'des-3'].map((id) => counts.get(id) ?? 0);
    expect(loads.reduce((a, b) => a + b)).toBe(10);
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
  });

  it("makes as many DynamoDB requests for a match whatever the number of the site's customers", async () => {
    const s = await siteWithDesigners('dz5', [
      ['des-p', 'excellent', ['北欧']],
      ['des-q', 'deputy_chief', ['现代简约']],
    ]);
    const customerId = await homeOf('dz5', s.repA);
    let requests = 0;
    api.table.doc.middlewareStack.add(
      (next) => async (args) => {
        requests++;
        return next(args);
      },
      { step: 'initialize', name: 'countRequests' },
    );
    try {
      const counted = async () => {
        requests = 0;
        expect((await match(s.repA, customerId)).status).toBe(200);
        return requests;
      };
      const before = await counted();
      for (let i = 0; i < 15; i++) await homeOf('dz5', s.repB);
      expect(await counted()).toBe(before);
      expect(before).toBeLessThanOrEqual(3);
    } finally {
      api.table.doc.middlewareStack.remove('countRequests');
    }
  });
});

describe('assigning a designer', () => {
  it('records who decided on the customer and in its change log, and the designer then reads the customer', async () => {
    const s = await siteWithDesigners('dz6', [['des-w', 'excellent', ['北欧']]]);
    const designer = staff('designer', 'des-w', ['dz6']);
    const mine = await homeOf('dz6', s.repA);
    const other = await homeOf('dz6', s.repA);
    expect((await api.call(designer, 'GET', `/v1/customers/${mine}`)).status).toBe(404);
    const assigned = await api.call(s.repA, 'POST', `/v1/customers/${mine}/designer`, { body: { staffId: 'des-w' } });
    expect(assigned.body).toMatchObject({ designerId: 'des-w', designerDecision: { decidedBy: s.repA.sub } });
    expect(await api.call(designer, 'GET', `/v1/customers/${mine}`)).toMatchObject({ status: 200, body: { id: mine, designerId: 'des-w' } });
    expect((await api.call(designer, 'GET', `/v1/customers/${other}`)).status).toBe(404);
    expect((await api.call(designer, 'PATCH', `/v1/customers/${mine}`, { body: { intentLevel: 'A' } })).status).toBe(403);
    expect((await api.call(designer, 'GET', '/v1/customers?siteId=dz6')).body.items.map((c: { id: string }) => c.id)).toEqual([mine]);
    const changes = await api.call(s.manager, 'GET', `/v1/customers/${mine}/changes`);
    expect(changes.body.items).toContainEqual(expect.objectContaining({ field: 'designerId', from: null, to: 'des-w', by: s.repA.sub, via: 'designer' }));
  });

  it("gives the designer a customer leaves the year's room back, and counts the customer for the new one", async () => {
    const s = await siteWithDesigners('dz9', [
      ['des-m', 'excellent', ['北欧']],
      ['des-n', 'excellent', ['北欧']],
    ]);
    const customerId = await homeOf('dz9', s.repA);
    await api.call(s.repA, 'POST', `/v1/customers/${customerId}/designer`, { body: { staffId: 'des-m' } });
    const moved = await api.call(s.manager, 'POST', `/v1/customers/${customerId}/designer`, { body: { staffId: 'des-n' } });
    expect(moved.body).toMatchObject({ designerId: 'des-n', designerDecision: { decidedBy: s.manager.sub } });
    const loads = (await match(s.repA, customerId)).body.candidates.map((c: { staffId: string; assignmentsLastYear: number }) => [
      c.staffId,
      c.assignmentsLastYear,
    ]);
    expect(Object.fromEntries(loads)).toEqual({ 'des-m': 0, 'des-n': 1 });
  });

  it("refuses a staff member without a profile, in the reader's language", async () => {
    const s = await siteWithDesigners('dz7', []);
    const customerId = await homeOf('dz7', s.repA);
    const res = await api.call(s.repA, 'POST', `/v1/customers/${customerId}/designer`, {
      body: { staffId: 'repb-dz7' },
      headers: { 'Accept-Language': 'zh-CN' },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ path: 'staffId', code: 'not_designer', message: '“repb-dz7”在站点“dz7”没有设计师档案' });
  });

  it('counts an assignment in the profile and takes the site fees and margin as set', async () => {
    const s = await siteWithDesigners('dz8', [['des-f', 'chief', []]]);
    const patched = await api.call(admin, 'PATCH', '/v1/sites/dz8', { body: { designerFees: { chief: 150 }, designBudgetPercent: 12, matchMargin: 3 } });
    expect(patched.body).toMatchObject({ designerFees: { standard: 30, chief: 150 }, designBudgetPercent: 12, matchMargin: 3 });
    const customerId = await homeOf('dz8', s.repA);
    const res = await match(s.manager, customerId);
    expect(res.body.candidates[0]).toMatchObject({ feePerM2: 150, fee: 18_000 });
    expect(res.body.candidates[0].reasons[0]).toMatchObject({ code: 'fee_within_budget', params: { designBudget: 24_000 } });
    await api.call(s.manager, 'POST', `/v1/customers/${customerId}/designer`, { body: { staffId: 'des-f' } });
    const profile = await api.call(s.manager, 'PUT', '/v1/sites/dz8/staff/des-f/profile', { body: { level: 'chief', styles: ['法式'] } });
    expect(profile.body).toMatchObject({ assignmentsLastYear: 1, capacityPerYear: 15, styles: ['法式'] });
  });
});
