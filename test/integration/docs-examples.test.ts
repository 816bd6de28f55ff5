import type { Principal, Role } from '@guanjia/core';
import { seedDemo } from '@guanjia/local/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, createTestApi, type TestApi } from '../support/api.ts';
import { exampleBody, exampleUrl, operationsOf, type OpenApi, type Operation } from '../support/swagger-sample.ts';

/**
 * "Try it out" in /docs, unchanged, against the demo site that `npm start` seeds: every
 * operation's examples, sent as Swagger UI sends them with a token of a role the operation
 * names, must be answered 2xx, not 400 for a made-up value or 403 for a site no one has.
 */
let api: TestApi;
let document: OpenApi;

// The demo's people, as `npm run token` mints them in the README's walk through.
const demo: Record<Exclude<Role, 'owner' | 'admin'>, Principal> = {
  sales: { sub: 'rep-li', role: 'sales', sites: ['demo'] },
  manager: { sub: 'mgr-demo', role: 'manager', sites: ['demo'] },
  service: { sub: 'svc-chen', role: 'service', sites: ['demo'] },
  designer: { sub: 'des-wang', role: 'designer', sites: ['demo'] },
};
/** The owner of the README: the phone of the intake example. */
const owner: Principal = { sub: 'o1', role: 'owner', sites: [], phone: '+8613800138000' };

beforeAll(async () => {
  api = await createTestApi();
  await seedDemo(api.app, await api.tokenFor(admin));
  document = (await (await api.app.request('/openapi.json')).json()) as OpenApi;
});
afterAll(() => api.close());

const operation = (route: string): { path: string; method: string; operation: Operation } => {
  const found = operationsOf(document).find((o) => o.route === route);
  if (!found) throw new Error(`${route} is not in the document`);
  return found;
};

/** Sends the route's examples as Swagger UI does, the path's record ids replaced where given. */
async function tryItOut(principal: Principal, route: string, ids: Record<string, string> = {}) {
  const { path, method, operation: op } = operation(route);
  const url = exampleUrl(
    path.replace(/\{([^}]+)\}/g, (whole, name: string) => ids[name] ?? whole),
    op,
  );
  const body = exampleBody(document, op)?.value;
  return api.call(principal, method.toUpperCase(), url, body === undefined ? {} : { body });
}

/** Who tries a route out: the owner where only an owner may, else a demo staff member the route admits, a sales rep first. */
function callerFor(route: string, roles: readonly string[]): Principal {
  // Staff file for a customer id no example can know; the owner's filing needs none.
  if (route === 'POST /v1/complaints' || !roles.some((r) => r !== 'owner')) return owner;
  for (const role of ['sales', 'manager', 'service'] as const) if (roles.includes(role)) return demo[role];
  return admin;
}

describe('"Try it out" in /docs, unchanged, on the demo site', () => {
  it('registers 张伟 from the documented body of POST /v1/customers as the demo sales rep', async () => {
    const res = await tryItOut(demo.sales, 'POST /v1/customers');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.customer).toMatchObject({ siteId: 'demo', name: '张伟', ownerId: 'rep-li' });
  });

  it('adds a staff member to the demo site from the documented body, as an admin', async () => {
    const res = await tryItOut(admin, 'POST /v1/sites/{siteId}/staff');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ siteId: 'demo', name: '王芳' });
  });

  it('files the documented complaint as the owner whose phone the intake example registered', async () => {
    await tryItOut(demo.sales, 'POST /v1/customers');
    const res = await tryItOut(owner, 'POST /v1/complaints');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.complaint).toMatchObject({ siteId: 'demo', category: 'repair' });
  });

  it('answers 2xx to every operation whose path names no record, as a role it names', async () => {
    const refused: string[] = [];
    let tried = 0;
    for (const { route, path, operation: op } of operationsOf(document)) {
      const json = op.requestBody === undefined || op.requestBody.content['application/json'] !== undefined;
      // The staff member is the one added above: a second time is rightly 409.
      if (!path.startsWith('/v1/') || /\{(id|deliveryId)\}/.test(path) || !json || route === 'POST /v1/sites/{siteId}/staff') continue;
      tried++;
      const caller = callerFor(route, op['x-roles'] ?? []);
      const res = await tryItOut(caller, route);
      if (res.status >= 300) refused.push(`${route} as ${caller.sub}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    }
    expect(refused).toEqual([]);
    expect(tried).toBeGreaterThan(20);
  });

  it('accepts the documented body of each route on a customer, task or complaint once the path names a real one', async () => {
    const intake = await api.call(demo.sales, 'POST', '/v1/customers', {
      body: { ...(exampleBody(document, operation('POST /v1/customers').operation)!.value as object), phone: '13900139000' },
    });
    const id = intake.body.customer.id as string;
    const contact = await tryItOut(demo.sales, 'POST /v1/customers/{id}/interactions', { id });
    expect(contact.status, JSON.stringify(contact.body)).toBe(201);
    const completed = await tryItOut(demo.sales, 'POST /v1/tasks/{id}/complete', { id: contact.body.nextFollowUp.id });
    expect(completed.status, JSON.stringify(completed.body)).toBe(200);
    const changed = await tryItOut(demo.sales, 'PATCH /v1/customers/{id}', { id });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    const delivered = await tryItOut(demo.service, 'POST /v1/customers/{id}/deliveries', { id });
    expect(delivered.status, JSON.stringify(delivered.body)).toBe(201);
    await tryItOut(demo.sales, 'POST /v1/customers');
    const filed = await tryItOut(owner, 'POST /v1/complaints');
    const answered = await tryItOut(demo.service, 'POST /v1/complaints/{id}/events', { id: filed.body.complaint.id });
    expect(answered.status, JSON.stringify(answered.body)).toBe(201);
  });
});
