import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, createTestApi, freshPhone, seedSite, type TestApi } from '../support/api.ts';

let api: TestApi;
let s: Awaited<ReturnType<typeof seedSite>>;
let customerId: string;

beforeAll(async () => {
  api = await createTestApi();
  s = await seedSite(api, 'edge');
  const res = await api.call(s.repA, 'POST', '/v1/customers', { body: { siteId: 'edge', name: '林青', phone: freshPhone(), channel: 'walk_in' } });
  customerId = res.body.customer.id;
});
afterAll(() => api.close());

const intake = (extra: Record<string, unknown>) => ({ siteId: 'edge', name: '周杰', phone: freshPhone(), channel: 'walk_in', ...extra });
const countCustomers = async () => (await api.call(s.manager, 'GET', '/v1/customers?siteId=edge&limit=100')).body.items.length;

function expectProblem(res: { status: number; headers: Headers; body: any }, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('Content-Type')).toBe('application/problem+json');
  expect(res.body).toMatchObject({ status, code });
}

describe('numbers the database cannot keep are refused at the schema', () => {
  it.each([
    ['area', 1e-300],
    ['budget', 5e-324],
    ['quantity', 1e-131],
  ])('a reception with needs.%s = %s is 400 and creates nothing', async (field, value) => {
    const before = await countCustomers();
    const res = await api.call(s.repA, 'POST', '/v1/customers', { body: intake({ needs: { [field]: value } }) });
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(`needs.${field}`);
    expect(await countCustomers()).toBe(before);
  });

  it('a PATCH of needs with a number under 1e-130 is 400 and leaves the customer as it was', async () => {
    const before = (await api.call(s.repA, 'GET', `/v1/customers/${customerId}`)).body;
    const res = await api.call(s.repA, 'PATCH', `/v1/customers/${customerId}`, { body: { needs: { area: 1e-200 } } });
    expectProblem(res, 400, 'validation_failed');
    expect((await api.call(s.repA, 'GET', `/v1/customers/${customerId}`)).body).toEqual(before);
  });

  it('keeps small fractions and zero that the database can hold', async () => {
    const res = await api.call(s.repA, 'POST', '/v1/customers', { body: intake({ needs: { area: 1e-7, budget: 0, quantity: 12.5 } }) });
    expect(res.status).toBe(201);
    expect(res.body.customer.needs).toEqual({ area: 1e-7, budget: 0, quantity: 12.5 });
  });
});

describe('unknown query parameters are 400', () => {
  // `zz_never` is a name no route will ever take, so the test keeps its meaning as filters grow.
  it.each([
    ['/v1/customers?siteId=edge&zz_never=1'],
    ['/v1/tasks?zz_never=1'],
    ['/v1/complaints?siteId=edge&zz_never=x'],
    ['/v1/conflicts?siteId=edge&zz_never=x'],
    ['/v1/customers/{id}?zz_never=1'],
    ['/v1/customers/{id}/interactions?zz_never=1'],
    ['/v1/sites/edge?zz_never=1'],
  ])('GET %s names the parameter it does not know', async (path) => {
    const res = await api.call(s.manager, 'GET', path.replace('{id}', customerId));
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors).toContainEqual(expect.objectContaining({ path: 'zz_never' }));
  });

  it('on a POST too, and nothing is written', async () => {
    const before = await countCustomers();
    const res = await api.call(s.repA, 'POST', '/v1/customers?zz_never=1', { body: intake({}) });
    expectProblem(res, 400, 'validation_failed');
    expect(await countCustomers()).toBe(before);
  });

  it('still answers the parameters a route names', async () => {
    const res = await api.call(s.manager, 'GET', '/v1/customers?siteId=edge&stage=lead&limit=5');
    expect(res.status).toBe(200);
  });
});

describe('a PATCH that names nothing is 400 and stamps nothing', () => {
  it.each([
    ['no body at all', {}],
    ['an empty object', { body: {} }],
  ])('customer, %s', async (_, options) => {
    const before = (await api.call(s.repA, 'GET', `/v1/customers/${customerId}`)).body;
    const res = await api.call(s.repA, 'PATCH', `/v1/customers/${customerId}`, options);
    expectProblem(res, 400, 'validation_failed');
    expect((await api.call(s.repA, 'GET', `/v1/customers/${customerId}`)).body.updatedAt).toBe(before.updatedAt);
  });

  it.each([
    ['no body at all', {}],
    ['an empty object', { body: {} }],
  ])('site, %s', async (_, options) => {
    const before = (await api.call(admin, 'GET', '/v1/sites/edge')).body;
    const res = await api.call(admin, 'PATCH', '/v1/sites/edge', options);
    expectProblem(res, 400, 'validation_failed');
    expect((await api.call(admin, 'GET', '/v1/sites/edge')).body.updatedAt).toBe(before.updatedAt);
  });
});

describe('text that only looks like text is refused', () => {
  it.each([
    ['zero-width spaces only', '\u200b\u200b\u200b'],
    ['a zero-width joiner and a BOM', '\u200d\ufeff'],
    ['a NUL', '周\u0000杰'],
    ['a lone surrogate', 'ab\ud800'],
    ['combining marks only', '\u0301\u0302'],
  ])('a name of %s is 400 and creates nothing', async (_, name) => {
    const before = await countCustomers();
    const res = await api.call(s.repA, 'POST', '/v1/customers', { body: intake({ name }) });
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors).toContainEqual(expect.objectContaining({ path: 'name' }));
    expect(await countCustomers()).toBe(before);
  });

  it('keeps names with emoji, line breaks in notes and tabs', async () => {
    const res = await api.call(s.repA, 'POST', '/v1/customers', { body: intake({ name: '周杰 😀', note: '第一行\n第二行\t完' }) });
    expect(res.status).toBe(201);
    expect(res.body.customer).toMatchObject({ name: '周杰 😀', note: '第一行\n第二行\t完' });
  });

  it.each(['+8613800138000x', '138-0013-8000 ext', '1380013800０'])('a phone written %s is 400', async (phone) => {
    const before = await countCustomers();
    const res = await api.call(s.repA, 'POST', '/v1/customers', { body: intake({ phone }) });
    expectProblem(res, 400, 'validation_failed');
    expect(await countCustomers()).toBe(before);
  });

  it('still reads a number written with spaces, dashes and brackets', async () => {
    const res = await api.call(s.repA, 'POST', '/v1/customers', { body: intake({ phone: '+86 (139) 0000-1234' }) });
    expect(res.status).toBe(201);
    expect(res.body.customer.phone).toBe('+8613900001234');
  });
});

describe('every input error speaks the same code', () => {
  it('malformed JSON is validation_failed, as a wrong field is', async () => {
    const res = await api.call(s.repA, 'POST', '/v1/customers', { raw: '{"siteId": "edge",', headers: { 'Content-Type': 'application/json' } });
    expectProblem(res, 400, 'validation_failed');
  });
});
