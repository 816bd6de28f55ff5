import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuanjiaClient, orThrow, ProblemError, type GuanjiaClient } from '@guanjia/client';
import { freePort, launch, mintToken, START_TIMEOUT, stop, waitForHealth, type Launched } from '../support/runtime-process.ts';

// The typed client against the runtime `npm start` runs, over real HTTP, with tokens from
// the CLI: what the console team gets, checked end to end. Only the client is imported.

describe('the typed client, against the running local runtime', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'guanjia-client-'));
  let runtime: Launched | undefined;
  let baseUrl: string;
  let asAdmin: GuanjiaClient;
  let asRep: GuanjiaClient;
  let customerId: string;

  beforeAll(async () => {
    baseUrl = `http://127.0.0.1:${await freePort()}`;
    runtime = launch(Number(new URL(baseUrl).port), dataDir);
    await waitForHealth(baseUrl, runtime);
    asAdmin = createGuanjiaClient({ baseUrl, token: mintToken(dataDir, '--role', 'admin', '--sub', 'ops') });
    const repToken = mintToken(dataDir, '--role', 'sales', '--sub', 'rep-wang', '--sites', 'jiangpan');
    asRep = createGuanjiaClient({ baseUrl, getToken: () => repToken });
  }, START_TIMEOUT + 30_000);

  afterAll(async () => {
    await stop(runtime, dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('creates a site and its sales rep as an admin', async () => {
    const site = await asAdmin.POST('/v1/sites', { body: { id: 'jiangpan', name: '江畔花园', kind: 'real_estate', smsSignature: '江畔花园' } });
    expect(site.response.status, JSON.stringify(site.error)).toBe(201);
    expect(site.data).toMatchObject({ id: 'jiangpan', kind: 'real_estate', timezone: 'Asia/Shanghai' });

    const rep = await orThrow(
      asAdmin.POST('/v1/sites/{siteId}/staff', { params: { path: { siteId: 'jiangpan' } }, body: { id: 'rep-wang', name: '王芳', role: 'sales' } }),
    );
    expect(rep).toMatchObject({ siteId: 'jiangpan', id: 'rep-wang', role: 'sales' });
  });

  it('takes in a walk-in as the rep: 201, a customer the rep owns, and a first follow-up on the work list', async () => {
    const intake = await asRep.POST('/v1/customers', {
      body: { siteId: 'jiangpan', name: '张伟', phone: '13800138000', channel: 'walk_in', intentLevel: 'A', needs: { area: 120, layout: '3室2厅' } },
    });
    expect(intake.response.status, JSON.stringify(intake.error)).toBe(201);
    // 200 (a known phone) and 201 (a new customer) answer different shapes; the type says which is which.
    const created = intake.data;
    if (!created || !('customer' in created)) throw new Error(`expected a new customer, got ${JSON.stringify(created)}`);
    expect(created.customer).toMatchObject({ phone: '+8613800138000', ownerId: 'rep-wang', siteId: 'jiangpan' });
    expect(created.attribution.isNew).toBe(true);
    customerId = created.customer.id;

    const tasks = await orThrow(asRep.GET('/v1/tasks', { params: { query: { assigneeId: 'rep-wang' } } }));
    expect(tasks.nextCursor).toBeNull();
    expect(tasks.items).toEqual([expect.objectContaining({ id: created.followUp.id, kind: 'follow_up', status: 'open', customerId })]);
  });

  it('hands back a refused intake as a typed problem naming the field', async () => {
    const refused = await asRep.POST('/v1/customers', { body: { siteId: 'jiangpan', name: '李四', phone: '12345', channel: 'phone' } });
    expect(refused.data).toBeUndefined();
    expect(refused.response.status).toBe(400);
    expect(refused.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.error).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(refused.error?.errors?.map((e) => e.path)).toEqual(['phone']);
  });

  it('throws a ProblemError from orThrow when the role may not do a thing, and answers 401 without a token', async () => {
    // Sites are read by admins and managers only, even the rep's own.
    const forbidden = await orThrow(asRep.GET('/v1/sites/{siteId}', { params: { path: { siteId: 'jiangpan' } } })).catch((e: unknown) => e);
    expect(forbidden).toBeInstanceOf(ProblemError);
    expect((forbidden as ProblemError).problem).toMatchObject({ status: 403, code: 'forbidden' });

    const anonymous = createGuanjiaClient({ baseUrl });
    const { error, response } = await anonymous.GET('/v1/customers/{id}', { params: { path: { id: customerId } } });
    expect(response.status).toBe(401);
    expect(error?.code).toBe('unauthorized');
  });
});
