import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Principal } from '@guanjia/core';
import { customerKey } from '@guanjia/dynamo';
import { createTestApi, freshPhone, seedSite, type TestApi } from '../support/api.ts';
import { createCountedApp, type CountedApp } from '../support/counted-app.ts';

const SITE = 'wr';
const DAY = 24 * 3600_000;

let api: TestApi;
let s: Awaited<ReturnType<typeof seedSite>>;
/** The same app over the same table, its DynamoDB requests counted by the proxy. */
let counted: CountedApp;

beforeAll(async () => {
  api = await createTestApi();
  api.clock.current = new Date('2026-11-20T02:00:00Z');
  s = await seedSite(api, SITE);
  counted = await createCountedApp(api);
});
afterAll(async () => {
  await counted.close();
  api.close();
});

async function call(principal: Principal, method: string, path: string, body?: unknown) {
  const res = await counted.request(principal, method, path, body);
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

/** The requests one call makes, once the staff check and the site are warm from a call before it. */
async function requestsOf(send: () => Promise<{ status: number }>, status: number) {
  counted.proxy.reset();
  expect((await send()).status).toBe(status);
  return counted.proxy.counts();
}

async function lead() {
  const res = await api.call(s.repA, 'POST', '/v1/customers', {
    body: { siteId: SITE, name: '周敏', phone: freshPhone(), channel: 'walk_in', intentLevel: 'B' },
  });
  expect(res.status).toBe(201);
  return { id: res.body.customer.id as string, phone: res.body.customer.phone as string, followUpId: res.body.followUp.id as string };
}

const contact = (customerId: string) => () =>
  call(s.repA, 'POST', `/v1/customers/${customerId}/interactions`, { channel: 'call', summary: '回访', intentLevel: 'A' });
const complaint = (customerId: string) => () =>
  call(s.service, 'POST', '/v1/complaints', { customerId, category: 'service', channel: 'hotline', description: '态度差' });

async function rawTask(id: string) {
  return (await api.table.doc.send(new GetCommand({ TableName: api.table.tableName, Key: { PK: `TASK#${id}`, SK: 'TASK' } }))).Item!;
}

/** A follow-up's stored item with its own id and its customer's id and phone as placeholders, to compare two customers' follow-ups. */
async function comparable(of: Awaited<ReturnType<typeof lead>>) {
  const text = JSON.stringify(await rawTask(of.followUpId));
  return JSON.parse(text.replaceAll(of.followUpId, '<task>').replaceAll(of.id, '<customer>').replaceAll(of.phone, '<phone>'));
}

/** The customer as saved before it carried a copy of its follow-up's due time. */
const forgetCopy = (customerId: string) =>
  api.table.doc.send(new UpdateCommand({ TableName: api.table.tableName, Key: customerKey(customerId), UpdateExpression: 'REMOVE openFollowUpDueAt' }));

describe('DynamoDB requests of a write', () => {
  it('records an interaction with two DynamoDB requests once the site is warm', async () => {
    const [warm, measured] = [await lead(), await lead()];
    expect((await contact(warm.id)()).status).toBe(201);
    expect(await requestsOf(contact(measured.id), 201)).toEqual({ 'DynamoDB_20120810.GetItem': 1, 'DynamoDB_20120810.TransactWriteItems': 1 });
    // And again on the follow-up that contact opened: the copy moves with the pointer.
    expect(await requestsOf(contact(measured.id), 201)).toEqual({ 'DynamoDB_20120810.GetItem': 1, 'DynamoDB_20120810.TransactWriteItems': 1 });
    const done = await rawTask(measured.followUpId);
    expect(done).toMatchObject({ status: 'done', outcome: 'reached', closedBy: s.repA.sub, version: 2 });
  });

  it('files a complaint with two DynamoDB requests once the site is warm', async () => {
    const [warm, measured] = [await lead(), await lead()];
    expect((await complaint(warm.id)()).status).toBe(201);
    expect(await requestsOf(complaint(measured.id), 201)).toEqual({ 'DynamoDB_20120810.GetItem': 1, 'DynamoDB_20120810.TransactWriteItems': 1 });
  });

  it('completes a follow-up task with three DynamoDB requests once the site is warm, the task read once', async () => {
    const [warm, measured] = [await lead(), await lead()];
    expect((await call(s.repA, 'POST', `/v1/tasks/${warm.followUpId}/complete`, { outcome: 'unreachable' })).status).toBe(200);
    const complete = () => call(s.repA, 'POST', `/v1/tasks/${measured.followUpId}/complete`, { outcome: 'unreachable' });
    expect(await requestsOf(complete, 200)).toEqual({ 'DynamoDB_20120810.GetItem': 2, 'DynamoDB_20120810.TransactWriteItems': 1 });
  });
});

describe('a follow-up closed unread', () => {
  it('is stored as the same item a close that reads the task writes, closed on its due day or days later', async () => {
    for (const closedAfter of [3600_000, 30 * DAY]) {
      api.clock.current = new Date('2026-11-20T02:00:00Z');
      const [unread, read] = [await lead(), await lead()];
      await forgetCopy(read.id);
      api.clock.current = new Date(Date.parse('2026-11-20T02:00:00Z') + closedAfter);
      expect((await contact(unread.id)()).status).toBe(201);
      expect((await contact(read.id)()).status).toBe(201);
      const closed = await comparable(unread);
      expect(closed).toEqual(await comparable(read));
      expect(closed.status).toBe('done');
      // Closed a month late it is filed under the day it closed; on its first day, nowhere.
      expect('GSI3PK' in closed).toBe(closedAfter > DAY);
    }
  });

  it('is read and closed for a customer saved before the copy was kept, and the copy is kept from then on', async () => {
    const old = await lead();
    await forgetCopy(old.id);
    await contact(old.id)();
    expect(await requestsOf(contact(old.id), 201)).toMatchObject({ 'DynamoDB_20120810.TransactWriteItems': 1 });
    const fresh = await lead();
    await forgetCopy(fresh.id);
    expect(await requestsOf(contact(fresh.id), 201)).toEqual({ 'DynamoDB_20120810.GetItem': 2, 'DynamoDB_20120810.TransactWriteItems': 1 });
    expect(await requestsOf(contact(fresh.id), 201)).toEqual({ 'DynamoDB_20120810.GetItem': 1, 'DynamoDB_20120810.TransactWriteItems': 1 });
  });

  it('is never closed from a stale copy: the write fails, the task is read, and the contact closes it as read', async () => {
    const stale = await lead();
    const other = await lead();
    await forgetCopy(other.id);
    // A copy that no longer tells the task's due time, as a write that moved the follow-up and forgot the copy would leave.
    await api.table.doc.send(
      new UpdateCommand({
        TableName: api.table.tableName,
        Key: customerKey(stale.id),
        UpdateExpression: 'SET openFollowUpDueAt = :wrong',
        ExpressionAttributeValues: { ':wrong': '2026-01-01T00:00:00.000Z' },
      }),
    );
    const res = await contact(stale.id)();
    expect(res.status).toBe(201);
    expect(res.body.interaction.taskId).toBe(stale.followUpId);
    expect((await contact(other.id)()).status).toBe(201);
    expect(await comparable(stale)).toEqual(await comparable(other));
    const customer = await api.call(s.repA, 'GET', `/v1/customers/${stale.id}`);
    expect(customer.body.openFollowUpId).toBe(res.body.nextFollowUp.id);
    expect(customer.body).not.toHaveProperty('openFollowUpDueAt');
  });
});
