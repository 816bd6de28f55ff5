import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '@guanjia/api';
import { FIELD_CODES } from '@guanjia/core';
import { createTestApi, freshPhone, seedSite, type TestApi } from '../support/api.ts';

let api: TestApi;
let s: Awaited<ReturnType<typeof seedSite>>;

beforeAll(async () => {
  api = await createTestApi();
  s = await seedSite(api, 'conv');
});
afterAll(() => api.close());

const intake = (phone: string, extra: Record<string, unknown> = {}) => ({ siteId: 'conv', name: '周杰', phone, channel: 'walk_in', ...extra });
const countCustomers = async () => (await api.call(s.manager, 'GET', '/v1/customers?siteId=conv&limit=100')).body.items.length;
const phoneTaken = (phone: string) => api.table.store.findCustomerIdByPhone('conv', phone);

describe('bad input is a 4xx problem and writes nothing', () => {
  it.each([
    ['an unknown field', { body: intake('13911112222', { vip: true }) }, 400, 'vip', 'unknown_field'],
    ['an unknown nested field', { body: intake('13911112222', { needs: { garage: 2 } }) }, 400, 'needs.garage', 'unknown_field'],
    ['a bad phone', { body: intake('12345') }, 400, 'phone', 'invalid_phone'],
    ['a missing name', { body: { siteId: 'conv', phone: '13911112222', channel: 'walk_in' } }, 400, 'name', 'required'],
    ['a blank name', { body: intake('13911112222', { name: '   ' }) }, 400, 'name', 'too_short'],
    ['a name too long', { body: intake('13911112222', { name: '张'.repeat(51) }) }, 400, 'name', 'too_long'],
    ['a bad channel', { body: intake('13911112222', { channel: 'fax' }) }, 400, 'channel', 'not_allowed'],
    ['a bad birthday', { body: intake('13911112222', { birthday: '02-30' }) }, 400, 'birthday', 'invalid_date'],
    ['malformed JSON', { raw: '{"siteId": "conv",', headers: { 'Content-Type': 'application/json' } }, 400, undefined, undefined],
    ['no JSON content type', { raw: JSON.stringify(intake('13911112222')), headers: { 'Content-Type': 'text/plain' } }, 415, undefined, undefined],
    ['a body over 64 KiB', { body: intake('13911112222', { note: 'x'.repeat(MAX_BODY_BYTES) }) }, 413, undefined, undefined],
  ])('%s', async (_, options, status, path, fieldCode) => {
    const before = await countCustomers();
    const res = await api.call(s.repA, 'POST', '/v1/customers', options);
    expect(res.status).toBe(status);
    expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    expect(res.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String), detail: expect.any(String), code: expect.any(String) });
    if (path) expect(res.body.errors).toContainEqual(expect.objectContaining({ path, code: fieldCode }));
    for (const field of res.body.errors ?? []) expect(FIELD_CODES).toContain(field.code);
    expect(JSON.stringify(res.body)).not.toMatch(/at \S+ \(|node_modules/);
    expect(await countCustomers()).toBe(before);
    expect(await phoneTaken('+8613911112222')).toBeNull();
  });

  it('trims what was typed', async () => {
    const res = await api.call(s.repA, 'POST', '/v1/customers', { body: intake(freshPhone(), { name: '  周杰  ', note: ' 下午再来 ' }) });
    expect(res.body.customer).toMatchObject({ name: '周杰', note: '下午再来' });
  });

  it('answers an unknown route with a problem', async () => {
    const res = await api.call(s.repA, 'GET', '/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
  });
});

describe('Idempotency-Key', () => {
  it('returns the first answer again and creates nothing on a retry', async () => {
    const body = intake(freshPhone(), { needs: { area: 90, budget: 1 } });
    const headers = { 'Idempotency-Key': 'retry-1' };
    const first = await api.call(s.repA, 'POST', '/v1/customers', { body, headers });
    const before = await countCustomers();
    const reordered = { ...body, needs: { budget: 1, area: 90 } };
    const second = await api.call(s.repA, 'POST', '/v1/customers', { body: reordered, headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await countCustomers()).toBe(before);
    const receptions = await api.call(s.repA, 'GET', `/v1/customers/${first.body.customer.id}/receptions`);
    expect(receptions.body.items).toHaveLength(1);
  });

  it('is 422 with another body, and changes nothing', async () => {
    const headers = { 'Idempotency-Key': 'retry-2' };
    await api.call(s.repA, 'POST', '/v1/customers', { body: intake(freshPhone()), headers });
    const before = await countCustomers();
    const other = await api.call(s.repA, 'POST', '/v1/customers', { body: intake(freshPhone()), headers });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('idempotency_key_reused');
    expect(await countCustomers()).toBe(before);
  });

  it('belongs to the caller: another rep may use the same key', async () => {
    const headers = { 'Idempotency-Key': 'retry-3' };
    const a = await api.call(s.repA, 'POST', '/v1/customers', { body: intake(freshPhone()), headers });
    const b = await api.call(s.repB, 'POST', '/v1/customers', { body: intake(freshPhone()), headers });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body.customer.id).not.toBe(a.body.customer.id);
  });

  it('lets a retry through after a failed first attempt', async () => {
    const headers = { 'Idempotency-Key': 'retry-4' };
    const phone = freshPhone();
    const failed = await api.call(s.repA, 'POST', '/v1/customers', { body: intake(phone, { siteId: 'nowhere' }), headers });
    expect(failed.status).toBe(403);
    const replay = await api.call(s.repA, 'POST', '/v1/customers', { body: intake(phone, { siteId: 'nowhere' }), headers });
    expect(replay.status).toBe(403);
  });

  it('answers concurrent retries with one creation', async () => {
    const body = intake(freshPhone());
    const headers = { 'Idempotency-Key': 'retry-5' };
    const replies = await Promise.all(Array.from({ length: 5 }, () => api.call(s.repA, 'POST', '/v1/customers', { body, headers })));
    const created = replies.filter((r) => r.status === 201);
    expect(new Set(created.map((r) => r.body.customer.id)).size).toBe(1);
    expect(replies.every((r) => r.status === 201 || (r.status === 409 && r.body.code === 'idempotency_in_progress'))).toBe(true);
    const receptions = await api.call(s.repA, 'GET', `/v1/customers/${created[0]!.body.customer.id}/receptions`);
    expect(receptions.body.items).toHaveLength(1);
  });
});

describe('lists', () => {
  it('walk every customer once through cursors', async () => {
    await Promise.all(Array.from({ length: 7 }, () => api.call(s.repB, 'POST', '/v1/customers', { body: intake(freshPhone(), { intentLevel: 'B' }) })));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/v1/customers?siteId=conv&intentLevel=B&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res = await api.call(s.manager, 'GET', query);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...res.body.items.map((c: { id: string }) => c.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
  });

  it.each([
    ['garbled', 'not-a-cursor'],
    ['forged', `${Buffer.from('{"s":"/v1/customers?siteId=conv","p":{"PK":"x"}}').toString('base64url')}.AAAA`],
  ])('refuse a %s cursor with 400', async (_, cursor) => {
    const res = await api.call(s.manager, 'GET', `/v1/customers?siteId=conv&cursor=${encodeURIComponent(cursor)}`);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('cursor');
  });

  it('refuse a cursor from another list', async () => {
    const page = await api.call(s.manager, 'GET', '/v1/customers?siteId=conv&limit=1');
    const res = await api.call(s.manager, 'GET', `/v1/customers?siteId=conv&intentLevel=A&cursor=${encodeURIComponent(page.body.nextCursor)}`);
    expect(res.status).toBe(400);
  });

  it.each(['0', '101', 'ten'])('refuse limit=%s', async (limit) => {
    expect((await api.call(s.manager, 'GET', `/v1/customers?siteId=conv&limit=${limit}`)).status).toBe(400);
  });
});

describe('auth', () => {
  it.each([
    ['no token', {}],
    ['a malformed header', { Authorization: 'Token abc' }],
    ['a forged token', { Authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4Iiwicm9sZSI6ImFkbWluIn0.c2lnbmF0dXJl' }],
  ])('is 401 with %s', async (_, headers) => {
    const res = await api.call(null, 'GET', '/v1/customers?siteId=conv', { headers });
    expect(res.status).toBe(401);
    expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    expect(res.headers.get('WWW-Authenticate')).toMatch(/^Bearer/);
  });

  it.each([
    ["npm's script header before the token", 'Bearer > token > tsx packages/local/src/token-cli.ts --role admin --sub x eyJ.eyJ.sig'],
    ['a token that starts with >', 'Bearer >eyJ.eyJ.sig'],
    ['a token with a space inside', 'Bearer eyJ.eyJ .sig'],
  ])('is 401 telling to mint with npm run -s token, given %s', async (_, authorization) => {
    const res = await api.call(null, 'GET', '/v1/customers?siteId=conv', { headers: { Authorization: authorization } });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'invalid_token', detail: expect.stringContaining('npm run -s token') });
    expect(res.headers.get('WWW-Authenticate')).toBe('Bearer error="invalid_token"');
  });
});

describe('outside /v1', () => {
  it('answers /health without a token', async () => {
    const res = await api.call(null, 'GET', '/health');
    expect(res).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('publishes an OpenAPI 3.1 document of every route', async () => {
    const res = await api.call(null, 'GET', '/openapi.json');
    expect(res.body.openapi).toBe('3.1.0');
    const routes = Object.entries(res.body.paths as Record<string, object>).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(routes).toEqual(
      expect.arrayContaining([
        'POST /v1/sites',
        'GET /v1/sites/{siteId}',
        'PATCH /v1/sites/{siteId}',
        'POST /v1/sites/{siteId}/staff',
        'GET /v1/sites/{siteId}/staff',
        'PUT /v1/sites/{siteId}/reception/duty',
        'GET /v1/sites/{siteId}/reception/next',
        'POST /v1/sites/{siteId}/reception/next',
        'POST /v1/customers',
        'GET /v1/customers',
        'GET /v1/customers/{id}',
        'PATCH /v1/customers/{id}',
        'POST /v1/customers/{id}/interactions',
        'GET /v1/customers/{id}/interactions',
        'GET /v1/conflicts',
        'POST /v1/conflicts/{id}/resolve',
        'GET /v1/tasks',
        'POST /v1/tasks/{id}/complete',
      ]),
    );
    expect(res.body.components.schemas.Intake.additionalProperties).toBe(false);
  });

  it('serves /docs with its assets from the installed package, not a CDN', async () => {
    const page = await api.call(null, 'GET', '/docs');
    expect(page.status).toBe(200);
    const srcs = [...String(page.body).matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(srcs.length).toBeGreaterThan(0);
    for (const src of srcs) {
      expect(src.startsWith('/')).toBe(true);
      const asset = await api.app.request(src);
      expect(asset.status).toBe(200);
      // The page's own start-up script is a few hundred bytes; Swagger UI's files are far more.
      expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(100);
    }
  });
});
