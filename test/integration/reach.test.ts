import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal, Role } from '@guanjia/core';
import { admin, createTestApi, freshPhone, seedSite, staff, type CallOptions, type TestApi } from '../support/api.ts';

/**
 * The README's "Who may do what" table, route by route: every principal against every route,
 * with the status each must get. 403 is a role that may never do it; 404 a record outside the
 * caller's reach.
 */
let api: TestApi;
let s1: Awaited<ReturnType<typeof seedSite>>;

const who = {
  admin,
  manager: staff('manager', 'mgr-r1', ['r1']),
  otherManager: staff('manager', 'mgr-r2', ['r2']),
  owningRep: staff('sales', 'repa-r1', ['r1']),
  otherRep: staff('sales', 'repb-r1', ['r1']),
  service: staff('service', 'svc-r1', ['r1']),
  otherService: staff('service', 'svc-r2', ['r2']),
  // Assigned to the leads of lead() below, so that their reads show a designer's reach.
  designer: staff('designer', 'des-r1', ['r1']),
  otherDesigner: staff('designer', 'des2-r1', ['r1']),
  owner: { sub: 'owner-1', role: 'owner', sites: [], phone: '+8613812345678' } as Principal,
};
type Who = keyof typeof who;

beforeAll(async () => {
  api = await createTestApi();
  s1 = await seedSite(api, 'r1');
  await seedSite(api, 'r2');
  for (const d of [who.designer, who.otherDesigner]) {
    await api.call(admin, 'POST', '/v1/sites/r1/staff', { body: { id: d.sub, name: d.sub, role: 'designer' } });
    const res = await api.call(admin, 'PUT', `/v1/sites/r1/staff/${d.sub}/profile`, { body: { level: 'excellent', styles: ['北欧'] } });
    if (res.status !== 200) throw new Error(`designer profile: ${res.status}`);
  }
});
afterAll(() => api.close());

/** A fresh lead of the owning rep, with its follow-up, a conflict opened by the other rep and a designer assigned. */
async function lead() {
  const phone = freshPhone();
  const created = await api.call(s1.repA, 'POST', '/v1/customers', { body: { siteId: 'r1', name: '黄磊', phone, channel: 'walk_in' } });
  await api.call(s1.repB, 'POST', '/v1/customers', { body: { siteId: 'r1', name: '黄磊', phone, channel: 'walk_in' } });
  await api.call(s1.repA, 'POST', `/v1/customers/${created.body.customer.id}/designer`, { body: { staffId: who.designer.sub } });
  const conflicts = await api.call(s1.manager, 'GET', '/v1/conflicts?siteId=r1&limit=100');
  const conflict = conflicts.body.items.find((c: { customerId: string }) => c.customerId === created.body.customer.id);
  return { customerId: created.body.customer.id as string, taskId: created.body.followUp.id as string, conflictId: conflict.id as string };
}

/** A fresh sales rep of r1, deactivated already when `deactivated`: a leaver whose customers can be handed over. */
async function freshRep(deactivated: boolean) {
  const id = `s-${freshPhone()}`;
  await api.call(admin, 'POST', '/v1/sites/r1/staff', { body: { id, name: 'x', role: 'sales' } });
  if (deactivated) await api.call(admin, 'POST', `/v1/sites/r1/staff/${id}/deactivate`);
  return id;
}

/** A hand-over of a fresh leaver's (empty) book, started by the admin. */
async function handover() {
  const started = await api.call(admin, 'POST', `/v1/sites/r1/staff/${await freshRep(true)}/handover`, { body: { to: ['repb-r1'] } });
  if (started.status !== 202) throw new Error(`starting a hand-over: ${started.status}`);
  return started.body.handover.id as string;
}

/** A fresh lead of the owning rep with a loss request waiting for a manager. */
async function lossAsked() {
  const { customerId } = await lead();
  const asked = await api.call(s1.repA, 'POST', `/v1/customers/${customerId}/loss`, { body: { reason: '已在竞品处购车' } });
  if (asked.status !== 200) throw new Error(`asking for a loss: ${asked.status}`);
  return customerId;
}

type Case = [route: string, request: () => Promise<[method: string, path: string, options?: CallOptions]>, expected: Record<Who, number>];

const only = (allowed: Partial<Record<Who, number>>, otherwise: number): Record<Who, number> =>
  Object.fromEntries((Object.keys(who) as Who[]).map((k) => [k, allowed[k] ?? otherwise])) as Record<Who, number>;

const cases: Case[] = [
  ['POST /v1/sites', async () => ['POST', '/v1/sites', { body: { name: 'x', kind: 'retail', smsSignature: 'x' } }], only({ admin: 201 }, 403)],
  ['GET /v1/sites/{id}', async () => ['GET', '/v1/sites/r1'], only({ admin: 200, manager: 200, otherManager: 404 }, 403)],
  ['PATCH /v1/sites/{id}', async () => ['PATCH', '/v1/sites/r1', { body: { name: 'Site r1' } }], only({ admin: 200 }, 403)],
  [
    'POST /v1/sites/{id}/staff',
    async () => ['POST', '/v1/sites/r1/staff', { body: { id: `s-${freshPhone()}`, name: 'x', role: 'sales' } }],
    only({ admin: 201 }, 403),
  ],
  ['GET /v1/sites/{id}/staff', async () => ['GET', '/v1/sites/r1/staff'], only({ admin: 200, manager: 200, otherManager: 404 }, 403)],
  [
    'POST /v1/sites/{id}/staff/{staffId}/deactivate',
    async () => ['POST', `/v1/sites/r1/staff/${await freshRep(false)}/deactivate`],
    only({ admin: 200, manager: 200, otherManager: 404 }, 403),
  ],
  [
    'POST /v1/sites/{id}/staff/{staffId}/handover',
    async () => ['POST', `/v1/sites/r1/staff/${await freshRep(true)}/handover`, { body: { to: ['repb-r1'] } }],
    only({ admin: 202, manager: 202, otherManager: 404 }, 403),
  ],
  ['GET /v1/handovers/{id}', async () => ['GET', `/v1/handovers/${await handover()}`], only({ admin: 200, manager: 200, otherManager: 404 }, 403)],
  [
    'PUT /v1/sites/{id}/reception/duty',
    async () => ['PUT', '/v1/sites/r1/reception/duty', { body: { staffIds: ['repa-r1'] } }],
    only({ admin: 200, manager: 200, otherManager: 404 }, 403),
  ],
  [
    'GET /v1/sites/{id}/reception/next',
    async () => ['GET', '/v1/sites/r1/reception/next'],
    only({ admin: 200, manager: 200, otherManager: 404, owningRep: 200, otherRep: 200, service: 200, otherService: 404 }, 403),
  ],
  [
    'POST /v1/sites/{id}/reception/next',
    async () => ['POST', '/v1/sites/r1/reception/next'],
    only({ admin: 200, manager: 200, otherManager: 404, owningRep: 200, otherRep: 200, service: 200, otherService: 404 }, 403),
  ],
  [
    'POST /v1/customers',
    async () => ['POST', '/v1/customers', { body: { siteId: 'r1', name: 'x', phone: freshPhone(), channel: 'phone' } }],
    only({ admin: 201, manager: 201, owningRep: 201, otherRep: 201, service: 201 }, 403),
  ],
  [
    'GET /v1/customers',
    async () => ['GET', '/v1/customers?siteId=r1'],
    only({ admin: 200, manager: 200, owningRep: 200, otherRep: 200, service: 200, designer: 200, otherDesigner: 200 }, 403),
  ],
  [
    'GET /v1/customers/{id}',
    async () => ['GET', `/v1/customers/${(await lead()).customerId}`],
    only({ admin: 200, manager: 200, owningRep: 200, service: 200, designer: 200, owner: 403 }, 404),
  ],
  [
    'PATCH /v1/customers/{id}',
    async () => ['PATCH', `/v1/customers/${(await lead()).customerId}`, { body: { intentLevel: 'B' } }],
    only({ admin: 200, manager: 200, owningRep: 200, service: 200, designer: 403, otherDesigner: 403, owner: 403 }, 404),
  ],
  [
    'GET /v1/customers/{id}/receptions',
    async () => ['GET', `/v1/customers/${(await lead()).customerId}/receptions`],
    only({ admin: 200, manager: 200, owningRep: 200, service: 200, designer: 200, owner: 403 }, 404),
  ],
  [
    // The other rep of the site reads the list (their own buyers only, none here): naming a key person they do not own is how referrals work.
    'GET /v1/customers/{id}/referrals',
    async () => ['GET', `/v1/customers/${(await lead()).customerId}/referrals`],
    only({ admin: 200, manager: 200, owningRep: 200, otherRep: 200, service: 200, designer: 200, owner: 403 }, 404),
  ],
  [
    'POST /v1/customers/{id}/interactions',
    async () => ['POST', `/v1/customers/${(await lead()).customerId}/interactions`, { body: { channel: 'call', summary: 'x' } }],
    only({ admin: 201, manager: 201, owningRep: 201, service: 201, designer: 403, otherDesigner: 403, owner: 403 }, 404),
  ],
  [
    'GET /v1/customers/{id}/interactions',
    async () => ['GET', `/v1/customers/${(await lead()).customerId}/interactions`],
    only({ admin: 200, manager: 200, owningRep: 200, service: 200, designer: 200, owner: 403 }, 404),
  ],
  [
    'POST /v1/customers/{id}/loss',
    async () => ['POST', `/v1/customers/${(await lead()).customerId}/loss`, { body: { reason: 'x' } }],
    only({ admin: 200, manager: 200, owningRep: 200, service: 403, otherService: 403, designer: 403, otherDesigner: 403, owner: 403 }, 404),
  ],
  ...(['approve', 'reject'] as const).map(
    (step): Case => [
      `POST /v1/customers/{id}/loss/${step}`,
      async () => ['POST', `/v1/customers/${await lossAsked()}/loss/${step}`, { body: {} }],
      only({ admin: 200, manager: 200, otherManager: 404 }, 403),
    ],
  ),
  [
    'POST /v1/customers/{id}/deliveries',
    async () => [
      'POST',
      `/v1/customers/${(await lead()).customerId}/deliveries`,
      { body: { asset: { kind: 'home', label: 'A-1' }, deliveredOn: '2026-11-01' } },
    ],
    only({ admin: 201, manager: 201, service: 201, owningRep: 403, otherRep: 403, designer: 403, otherDesigner: 403, owner: 403 }, 404),
  ],
  [
    'GET /v1/customers/{id}/deliveries',
    async () => ['GET', `/v1/customers/${(await lead()).customerId}/deliveries`],
    only({ admin: 200, manager: 200, owningRep: 200, service: 200, designer: 403, otherDesigner: 403, owner: 403 }, 404),
  ],
  [
    'POST /v1/complaints',
    async () => ['POST', '/v1/complaints', { body: { customerId: (await lead()).customerId, category: 'service', channel: 'hotline', description: 'x' } }],
    only({ admin: 201, manager: 201, owningRep: 201, service: 201, designer: 403, otherDesigner: 403 }, 404),
  ],
  ['GET /v1/complaints', async () => ['GET', '/v1/complaints?siteId=r1'], only({ admin: 200, manager: 200, service: 200 }, 403)],
  // An owner looks a complaint up by its number; a number out of reach is an empty list.
  [
    'GET /v1/complaints?number=',
    async () => ['GET', '/v1/complaints?number=9999999999'],
    only({ admin: 200, manager: 200, otherManager: 200, service: 200, otherService: 200, owner: 200 }, 403),
  ],
  [
    'GET /v1/tasks',
    async () => ['GET', '/v1/tasks?siteId=r1'],
    only({ admin: 200, manager: 200, owningRep: 200, otherRep: 200, service: 200, designer: 200, otherDesigner: 200 }, 403),
  ],
  [
    'POST /v1/tasks/{id}/complete',
    async () => ['POST', `/v1/tasks/${(await lead()).taskId}/complete`, { body: { outcome: 'reached' } }],
    only({ admin: 200, manager: 200, owningRep: 200, service: 200, designer: 403, otherDesigner: 403, owner: 403 }, 404),
  ],
  [
    'PUT /v1/sites/{id}/staff/{staffId}/profile',
    async () => ['PUT', '/v1/sites/r1/staff/des2-r1/profile', { body: { level: 'excellent', styles: ['北欧'] } }],
    only({ admin: 200, manager: 200, otherManager: 404 }, 403),
  ],
  [
    'POST /v1/customers/{id}/matches',
    async () => ['POST', `/v1/customers/${(await lead()).customerId}/matches`, { body: {} }],
    only({ admin: 200, manager: 200, owningRep: 200, service: 403, otherService: 403, designer: 403, otherDesigner: 403, owner: 403 }, 404),
  ],
  [
    'POST /v1/customers/{id}/designer',
    async () => ['POST', `/v1/customers/${(await lead()).customerId}/designer`, { body: { staffId: 'des2-r1' } }],
    only({ admin: 200, manager: 200, owningRep: 200, service: 403, otherService: 403, designer: 403, otherDesigner: 403, owner: 403 }, 404),
  ],
  ['GET /v1/conflicts', async () => ['GET', '/v1/conflicts?siteId=r1'], only({ admin: 200, manager: 200 }, 403)],
  [
    'POST /v1/campaigns',
    async () => [
      'POST',
      '/v1/campaigns',
      { body: { siteId: 'r1', name: 'x', sendOn: '2099-01-01', template: '【{signature}】{name}您好。回T退订', audience: { stage: 'owner' } } },
    ],
    only({ admin: 201, manager: 201 }, 403),
  ],
  ['GET /v1/me', async () => ['GET', '/v1/me'], only({ owner: 200 }, 403)],
  ['GET /v1/me/deliveries', async () => ['GET', '/v1/me/deliveries'], only({ owner: 200 }, 403)],
  ['GET /v1/me/complaints', async () => ['GET', '/v1/me/complaints'], only({ owner: 200 }, 403)],
  ['GET /v1/me/preferences', async () => ['GET', '/v1/me/preferences'], only({ owner: 200 }, 403)],
  ['PUT /v1/me/preferences', async () => ['PUT', '/v1/me/preferences', { body: { smsCare: true } }], only({ owner: 200 }, 403)],
  [
    'POST /v1/conflicts/{id}/resolve',
    async () => ['POST', `/v1/conflicts/${(await lead()).conflictId}/resolve`, { body: { ownerId: 'repa-r1' } }],
    only({ admin: 200, manager: 200, otherManager: 404 }, 403),
  ],
];

describe.each(cases)('%s', (_, request, expected) => {
  it.each(Object.keys(who) as Who[])('as %s', async (name) => {
    const [method, path, options] = await request();
    const res = await api.call(who[name], method, path, options);
    expect(res.status, JSON.stringify(res.body)).toBe(expected[name]);
  });
});

const ROLE_OF: Record<Who, Role> = {
  admin: 'admin',
  manager: 'manager',
  otherManager: 'manager',
  owningRep: 'sales',
  otherRep: 'sales',
  service: 'service',
  otherService: 'service',
  designer: 'designer',
  otherDesigner: 'designer',
  owner: 'owner',
};

/** `GET /v1/sites/{siteId}` and the table's `GET /v1/sites/{id}` are one route. */
const routeKey = (method: string, path: string) => `${method.toUpperCase()} ${path.split('?')[0]!.replace(/\{[^}]+\}/g, '{}')}`;

describe('the document', () => {
  it("names as a route's x-roles exactly the roles this table lets in (not 403 to every one of them)", async () => {
    const document = (await (await api.app.request('/openapi.json')).json()) as { paths: Record<string, Record<string, { 'x-roles'?: Role[] }>> };
    const documented = new Map<string, Role[] | undefined>();
    for (const [path, operations] of Object.entries(document.paths))
      for (const [method, operation] of Object.entries(operations)) documented.set(routeKey(method, path), operation['x-roles']);
    const established = new Map<string, Set<Role>>();
    for (const [route, , expected] of cases) {
      const [method, path] = route.split(' ') as [string, string];
      const roles = established.get(routeKey(method, path)) ?? new Set<Role>();
      for (const [name, status] of Object.entries(expected)) if (status !== 403) roles.add(ROLE_OF[name as Who]);
      established.set(routeKey(method, path), roles);
    }
    for (const [route, roles] of established) {
      expect(documented.has(route), `${route} is in the document`).toBe(true);
      expect([...(documented.get(route) ?? [])].sort(), route).toEqual([...roles].sort());
    }
  });
});

describe('what is within reach', () => {
  it('a sales rep lists only the customers and tasks they own', async () => {
    await lead();
    const customers = await api.call(s1.repB, 'GET', '/v1/customers?siteId=r1&limit=100');
    expect(customers.body.items.every((c: { ownerId: string }) => c.ownerId === s1.repB.sub)).toBe(true);
    const tasks = await api.call(s1.repB, 'GET', '/v1/tasks?siteId=r1&limit=100');
    expect(tasks.body.items.every((t: { assigneeId: string }) => t.assigneeId === s1.repB.sub)).toBe(true);
    expect((await api.call(s1.repB, 'GET', `/v1/customers?siteId=r1&ownerId=${s1.repA.sub}`)).status).toBe(403);
    expect((await api.call(s1.repB, 'GET', `/v1/tasks?assigneeId=${s1.repA.sub}`)).status).toBe(403);
  });

  it('a designer reads and lists the customers assigned to them and no other, and lists only their own tasks', async () => {
    const { customerId } = await lead();
    expect((await api.call(who.designer, 'GET', `/v1/customers/${customerId}`)).status).toBe(200);
    expect((await api.call(who.otherDesigner, 'GET', `/v1/customers/${customerId}`)).status).toBe(404);
    const listed = async (designer: typeof who.designer) =>
      (await api.call(designer, 'GET', '/v1/customers?siteId=r1&limit=100')).body.items.map((c: { id: string }) => c.id);
    expect(await listed(who.designer)).toContain(customerId);
    expect(await listed(who.otherDesigner)).not.toContain(customerId);
    expect((await api.call(who.otherDesigner, 'GET', `/v1/customers?siteId=r1&designerId=${who.designer.sub}`)).status).toBe(403);
    const tasks = await api.call(who.designer, 'GET', '/v1/tasks?siteId=r1&limit=100');
    expect(tasks.body.items.every((t: { assigneeId: string }) => t.assigneeId === who.designer.sub)).toBe(true);
    expect((await api.call(who.designer, 'GET', `/v1/tasks?assigneeId=${s1.repA.sub}`)).status).toBe(403);
  });

  it("an owner no site knows has no records, and sees no one else's", async () => {
    await lead();
    expect(await api.call(who.owner, 'GET', '/v1/me')).toMatchObject({ status: 200, body: { items: [] } });
    expect((await api.call(who.owner, 'GET', '/v1/me/complaints')).body).toEqual({ items: [], nextCursor: null });
  });

  it("another rep sees of a key person's referrals only the buyers they own", async () => {
    const { customerId } = await lead();
    const keyPhone = (await api.call(s1.repA, 'GET', `/v1/customers/${customerId}`)).body.phone;
    for (const rep of [s1.repA, s1.repB])
      await api.call(rep, 'POST', '/v1/customers', { body: { siteId: 'r1', name: rep.sub, phone: freshPhone(), channel: 'referral', referredBy: keyPhone } });
    const owners = async (p: Principal) =>
      (await api.call(p, 'GET', `/v1/customers/${customerId}/referrals`)).body.items.map((i: { ownerId: string }) => i.ownerId).sort();
    expect(await owners(s1.repA)).toEqual([s1.repA.sub, s1.repB.sub].sort());
    expect(await owners(s1.repB)).toEqual([s1.repB.sub]);
  });

  it('a manager sees every customer of their site', async () => {
    const { customerId } = await lead();
    const res = await api.call(s1.manager, 'GET', '/v1/customers?siteId=r1&limit=100');
    expect(res.body.items.map((c: { id: string }) => c.id)).toContain(customerId);
  });
});
