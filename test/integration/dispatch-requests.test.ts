import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cachedSites, composeMessage, dispatchMessage, type Context, type OutboxMessage, type SmsSender } from '@guanjia/core';
import { createDocumentClient, DynamoStore } from '@guanjia/dynamo';
import { createTestApi, freshPhone, seedSite, type TestApi } from '../support/api.ts';
import { byOperation, startDynamoProxy, type DynamoProxy } from '../support/dynamo-proxy.ts';

/** The SMS dispatcher as its Lambda builds it (functions/sms.ts: the site read through the cache), its requests counted. */
let api: TestApi;
let s: Awaited<ReturnType<typeof seedSite>>;
let proxy: DynamoProxy;
let doc: ReturnType<typeof createDocumentClient>;
let counted: Context;
const sender: SmsSender = { send: async () => ({ providerId: 'p' }) };

beforeAll(async () => {
  api = await createTestApi();
  api.clock.current = new Date('2026-11-23T10:00:00+08:00');
  s = await seedSite(api, 'dreq');
  proxy = await startDynamoProxy(inject('dynamoEndpoint'));
  doc = createDocumentClient({ endpoint: proxy.endpoint, region: 'local' });
  counted = { store: cachedSites(new DynamoStore(doc, api.table.tableName)), clock: api.clock, ids: { next: () => 'unused' } };
});
afterAll(async () => {
  doc.destroy();
  await proxy.close();
  api.close();
});

async function queued(purpose: 'callback_P3M' | 'birthday'): Promise<OutboxMessage> {
  const site = (await api.table.store.getSite('dreq'))!;
  const body = { siteId: 'dreq', name: '林芳', phone: freshPhone(), channel: 'walk_in', smsConsent: true };
  const customer = (await api.call(s.repA, 'POST', '/v1/customers', { body })).body.customer;
  const message = composeMessage(site, customer, purpose, `req-${customer.id}`, { asset: '3栋1801' }, api.clock.now().toISOString());
  await api.table.store.enqueueMessages([message]);
  return message;
}

async function requestsOf(message: OutboxMessage) {
  proxy.reset();
  expect((await dispatchMessage(counted, sender, message.id))?.state).toBe('sent');
  return byOperation(proxy.counts());
}

describe("the SMS dispatcher's DynamoDB requests", () => {
  it('sends a notice with three requests once its site is warm: the message read, its claim and its outcome', async () => {
    await requestsOf(await queued('callback_P3M'));
    expect(await requestsOf(await queued('callback_P3M'))).toEqual({ GetItem: 1, PutItem: 2 });
  });

  it("sends a care text with five: the phone's consent and its texts of the cap's period read besides", async () => {
    await requestsOf(await queued('birthday'));
    expect(await requestsOf(await queued('birthday'))).toEqual({ GetItem: 1, PutItem: 2, Query: 2 });
  });
});
