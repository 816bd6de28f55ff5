import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { backfillPhoneTails, createIds, drainHandover, type Principal } from '@guanjia/core';
import { claimKey } from '@guanjia/dynamo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, createTestApi, freshPhone, seedSite, staff, type TestApi } from '../support/api.ts';
import { createCountedApp, type CountedApp } from '../support/counted-app.ts';

const SITE = 'irq';
const GET = 'DynamoDB_20120810.GetItem';
const TRANSACT = 'DynamoDB_20120810.TransactWriteItems';
const QUERY = 'DynamoDB_20120810.Query';

let api: TestApi;
let s: Awaited<ReturnType<typeof seedSite>>;
let counted: CountedApp;

beforeAll(async () => {
  api = await createTestApi();
  s = await seedSite(api, SITE);
  counted = await createCountedApp(api);
});
afterAll(async () => {
  await counted?.close();
  api?.close();
});

/** An intake through the app whose DynamoDB requests the proxy counts. */
async function intakeThroughProxy(principal: Principal, phone: string, extra: Record<string, unknown> = {}) {
  const res = await counted.request(principal, 'POST', '/v1/customers', { siteId: SITE, name: '张伟', phone, channel: 'walk_in', ...extra });
  return { status: res.status, body: (await res.json()) as { attribution: { ownerId?: string; isNew: boolean; conflict: boolean } } };
}

/**
 * The requests of one intake, after a first one of the caller that warms what the instance
 * keeps between requests (the site's settings, the staff check), as the intakes of a working
 * day meet them.
 */
async function countedIntake(principal: Principal, phone: string, extra: Record<string, unknown> = {}) {
  await intakeThroughProxy(principal, freshPhone());
  counted.proxy.reset();
  const reply = await intakeThroughProxy(principal, phone, extra);
  return { ...reply, counts: counted.proxy.counts() };
}

/** An intake through the plain test app, uncounted, to set the scene. */
async function intake(principal: Principal, phone: string) {
  return api.call(principal, 'POST', '/v1/customers', { body: { siteId: SITE, name: '张伟', phone, channel: 'walk_in' } });
}

describe('intake requests', () => {
  it('counts requests of a new phone given with its consent: one transaction, the phone not read first', async () => {
    const { status, counts } = await countedIntake(s.repA, freshPhone(), { smsConsent: true });
    expect(status).toBe(201);
    expect(counts).toEqual({ [TRANSACT]: 1 });
  });

  it("counts requests of a new phone without a consent: the transaction, and the phone's newest consent read for the answer", async () => {
    const { status, counts } = await countedIntake(s.repA, freshPhone());
    expect(status).toBe(201);
    expect(counts).toEqual({ [TRANSACT]: 1, [QUERY]: 1 });
  });

  it("counts requests of a known phone at its owner's intake: the refused transaction, which names the owner, and the reception's transaction", async () => {
    const phone = freshPhone();
    expect((await intake(s.repA, phone)).status).toBe(201);
    const { status, body, counts } = await countedIntake(s.repA, phone);
    expect(status).toBe(200);
    expect(body.attribution).toEqual({ ownerId: s.repA.sub, isNew: false, conflict: false });
    expect(counts).toEqual({ [TRANSACT]: 2 });
  });

  it("counts requests of a known phone at a manager's intake the same way", async () => {
    const phone = freshPhone();
    expect((await intake(s.repB, phone)).status).toBe(201);
    const { body, counts } = await countedIntake(s.manager, phone);
    expect(body.attribution).toEqual({ ownerId: s.repB.sub, isNew: false, conflict: false });
    expect(counts).toEqual({ [TRANSACT]: 2 });
  });

  it('answers a claim written before claims carried the owner from the customer, at the cost of reading it, until the backfill gives the claim its owner', async () => {
    const phone = freshPhone();
    const created = await intake(s.repA, phone);
    expect(created.status).toBe(201);
    const claim = claimKey(created.body.customer.phone, SITE);
    await api.table.doc.send(
      new UpdateCommand({ TableName: api.table.tableName, Key: claim, UpdateExpression: 'REMOVE ownerId', ConditionExpression: 'attribute_exists(ownerId)' }),
    );
    const { status, body, counts } = await countedIntake(s.repA, phone);
    expect(status).toBe(200);
    expect(body.attribution).toEqual({ ownerId: s.repA.sub, isNew: false, conflict: false });
    expect(counts).toEqual({ [TRANSACT]: 2, [GET]: 1 });

    // The site's backfill of phone tails writes each claim again, now with its owner.
    await backfillPhoneTails({ store: api.table.store, clock: api.clock, ids: createIds() }, SITE);
    expect((await countedIntake(s.repA, phone)).counts).toEqual({ [TRANSACT]: 2 });
  });
});

describe("the claim's copy of the owner", () => {
  it('follows a conflict settled for the claimant: the old owner now collides, the new one is known, and a stale backfill does not undo it', async () => {
    const phone = freshPhone();
    expect((await intake(s.repA, phone)).status).toBe(201);
    const collided = await intake(s.repB, phone);
    expect(collided.body.attribution).toEqual({ isNew: false, conflict: true });
    const open = await api.call(s.manager, 'GET', `/v1/conflicts?siteId=${SITE}&status=open`);
    const conflict = (open.body.items as { id: string; customerId: string }[]).find((c) => c.customerId === collided.body.customerId)!;
    expect((await api.call(s.manager, 'POST', `/v1/conflicts/${conflict.id}/resolve`, { body: { ownerId: s.repB.sub } })).status).toBe(200);

    expect((await intakeThroughProxy(s.repB, phone)).body.attribution).toEqual({ ownerId: s.repB.sub, isNew: false, conflict: false });
    expect((await intakeThroughProxy(s.repA, phone)).body.attribution).toEqual({ isNew: false, conflict: true });

    // The tail backfill, working from a list read before the move, does not put the old owner back.
    const moved = (await api.table.store.getCustomer(collided.body.customerId))!;
    expect(await api.table.store.indexPhoneTail({ ...moved, ownerId: s.repA.sub })).toBe(false);
    expect((await intakeThroughProxy(s.repB, phone)).body.attribution).toEqual({ ownerId: s.repB.sub, isNew: false, conflict: false });
  });

  it("follows a leaver's hand-over: the colleague who took the customer is its owner at the next intake", async () => {
    const leaver = staff('sales', `leaver-${SITE}`, [SITE]);
    expect((await api.call(admin, 'POST', `/v1/sites/${SITE}/staff`, { body: { id: leaver.sub, name: '离职代表', role: 'sales' } })).status).toBe(201);
    const phone = freshPhone();
    expect((await intake(leaver, phone)).status).toBe(201);
    expect((await api.call(s.manager, 'POST', `/v1/sites/${SITE}/staff/${leaver.sub}/deactivate`)).status).toBe(200);
    const started = await api.call(s.manager, 'POST', `/v1/sites/${SITE}/staff/${leaver.sub}/handover`, { body: { to: [s.repB.sub] } });
    expect(started.status).toBe(202);
    await drainHandover({ store: api.table.store, clock: api.clock, ids: createIds() }, started.body.handover.id);

    expect((await intakeThroughProxy(s.repB, phone)).body.attribution).toEqual({ ownerId: s.repB.sub, isNew: false, conflict: false });
    expect((await intakeThroughProxy(s.manager, phone)).body.attribution).toEqual({ ownerId: s.repB.sub, isNew: false, conflict: false });
  });

  it('settles a conflict and hands over a customer whose phone claim names another customer, leaving that claim as it was', async () => {
    const phone = freshPhone();
    expect((await intake(s.repA, phone)).status).toBe(201);
    const collided = await intake(s.repB, phone);
    const customerId = collided.body.customerId as string;
    // A claim from before claims were checked: it names someone else, as the tail backfill reports.
    const key = claimKey(`+86${phone}`, SITE);
    await api.table.doc.send(
      new UpdateCommand({
        TableName: api.table.tableName,
        Key: key,
        UpdateExpression: 'SET customerId = :other',
        ExpressionAttributeValues: { ':other': 'someone-else' },
      }),
    );
    const open = await api.call(s.manager, 'GET', `/v1/conflicts?siteId=${SITE}&status=open`);
    const conflict = (open.body.items as { id: string; customerId: string }[]).find((c) => c.customerId === customerId)!;
    expect((await api.call(s.manager, 'POST', `/v1/conflicts/${conflict.id}/resolve`, { body: { ownerId: s.repB.sub } })).status).toBe(200);
    expect((await api.table.store.getCustomer(customerId))!.ownerId).toBe(s.repB.sub);

    const leaver = staff('sales', `leaver2-${SITE}`, [SITE]);
    expect((await api.call(admin, 'POST', `/v1/sites/${SITE}/staff`, { body: { id: leaver.sub, name: '离职代表', role: 'sales' } })).status).toBe(201);
    const other = freshPhone();
    const theirs = (await intake(leaver, other)).body.customer.id as string;
    await api.table.doc.send(
      new UpdateCommand({
        TableName: api.table.tableName,
        Key: claimKey(`+86${other}`, SITE),
        UpdateExpression: 'SET customerId = :other',
        ExpressionAttributeValues: { ':other': 'someone-else' },
      }),
    );
    expect((await api.call(s.manager, 'POST', `/v1/sites/${SITE}/staff/${leaver.sub}/deactivate`)).status).toBe(200);
    const started = await api.call(s.manager, 'POST', `/v1/sites/${SITE}/staff/${leaver.sub}/handover`, { body: { to: [s.repA.sub] } });
    await drainHandover({ store: api.table.store, clock: api.clock, ids: createIds() }, started.body.handover.id);
    expect((await api.table.store.getCustomer(theirs))!.ownerId).toBe(s.repA.sub);
    const claim = (await api.table.doc.send(new GetCommand({ TableName: api.table.tableName, Key: key }))).Item!;
    expect(claim).toMatchObject({ customerId: 'someone-else', ownerId: s.repA.sub });
  });
});
