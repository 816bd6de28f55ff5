import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '@guanjia/api';
import { createIds, type Principal } from '@guanjia/core';
import { freshPhone, TestClock } from '../support/api.ts';
import { createTestTable, type TestTable } from '../support/dynamo.ts';

// The token is the principal itself, so that a test can name any issuer, as two Cognito pools
// or a local runtime would; what is under test is what the API does with the principal.
const tokenOf = (p: Principal): string => Buffer.from(JSON.stringify(p)).toString('base64url');
const verifyToken = async (token: string): Promise<Principal> => JSON.parse(Buffer.from(token, 'base64url').toString()) as Principal;

let table: TestTable;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  table = await createTestTable();
  app = createApp({ store: table.store, clock: new TestClock(), ids: createIds(), verifyToken, cursorSecret: 'idempotency-scope-cursor-secret' });
  const admin: Principal = { sub: 'root', role: 'admin', sites: [], issuer: 'staff-pool' };
  for (const id of ['idem-a', 'idem-b']) expect((await post(admin, '/v1/sites', { id, name: id, kind: 'real_estate', smsSignature: '管家' })).status).toBe(201);
});
afterAll(() => table.close());

async function post(principal: Principal, path: string, body: unknown, key?: string) {
  const headers: Record<string, string> = {
    Authorization: `Bearer ${tokenOf(principal)}`,
    'Content-Type': 'application/json',
    ...(key ? { 'Idempotency-Key': key } : {}),
  };
  const res = await app.request(path, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: res.status, replayed: res.headers.get('Idempotent-Replayed') === 'true', body: (await res.json()) as any };
}

const intake = () => ({ siteId: 'idem-a', name: '吴昊', phone: freshPhone(), channel: 'walk_in' });

describe('an Idempotency-Key belongs to the issuer, role, sub and reach that used it', () => {
  it('is not replayed for a manager token with the sub of the service token that used it', async () => {
    const body = intake();
    const service: Principal = { sub: 'pat', role: 'service', sites: ['idem-a'], issuer: 'staff-pool' };
    const first = await post(service, '/v1/customers', body, 'same-sub-1');
    expect(first.status).toBe(201);
    const manager: Principal = { ...service, role: 'manager' };
    const second = await post(manager, '/v1/customers', body, 'same-sub-1');
    expect(second.replayed).toBe(false);
    // Run afresh: the phone is now known at the site, so this is the second reception's answer.
    expect(second.status).toBe(200);
    expect(second.body.attribution.isNew).toBe(false);
  });

  it('is not replayed for the same sub from another issuer', async () => {
    const body = { name: '南门店', kind: 'retail', smsSignature: '管家' };
    const staff: Principal = { sub: 'shared-sub', role: 'admin', sites: [], issuer: 'staff-pool' };
    const first = await post(staff, '/v1/sites', body, 'same-sub-2');
    const other = await post({ ...staff, issuer: 'another-pool' }, '/v1/sites', body, 'same-sub-2');
    expect(first.status).toBe(201);
    expect(other.replayed).toBe(false);
    expect(other.body.id).not.toBe(first.body.id);
  });

  it("does not hand an admin's stored answer to a token of that sub that may not create sites", async () => {
    const body = { name: '西门店', kind: 'auto', smsSignature: '管家' };
    const admin: Principal = { sub: 'promoted', role: 'admin', sites: [], issuer: 'staff-pool' };
    expect((await post(admin, '/v1/sites', body, 'demoted-1')).status).toBe(201);
    const demoted = await post({ ...admin, role: 'manager', sites: ['idem-a'] }, '/v1/sites', body, 'demoted-1');
    expect(demoted.replayed).toBe(false);
    expect(demoted.status).toBe(403);
  });

  it('checks the reach of a token whose sites changed before any replay, and still replays for the reach that made it', async () => {
    const body = intake();
    const before: Principal = { sub: 'moved', role: 'manager', sites: ['idem-a'], issuer: 'staff-pool' };
    const first = await post(before, '/v1/customers', body, 'moved-1');
    expect(first.status).toBe(201);
    const after = await post({ ...before, sites: ['idem-b'] }, '/v1/customers', body, 'moved-1');
    expect(after.replayed).toBe(false);
    expect(after.status).toBe(403);
    const again = await post({ ...before, sites: ['idem-a'] }, '/v1/customers', body, 'moved-1');
    expect(again).toEqual({ status: 201, replayed: true, body: first.body });
  });
});
