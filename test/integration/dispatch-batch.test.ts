import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { composeMessage, type OutboxMessage, type SmsMessage, type SmsSender } from '@guanjia/core';
import { dispatchStreamBatch, type StreamRecordLike } from '@guanjia/dynamo';
import { createTestApi, freshPhone, seedSite, type TestApi } from '../support/api.ts';

/**
 * The stream batch loop reads the next message ahead while this one is claimed and sent:
 * what it must still guarantee, against DynamoDB Local.
 */
let api: TestApi;
let s: Awaited<ReturnType<typeof seedSite>>;
const ctx = () => ({ store: api.table.store, clock: api.clock, ids: { next: () => 'unused' } });

class RecordingSender implements SmsSender {
  sent: SmsMessage[] = [];
  async send(message: SmsMessage) {
    // Slow enough that the next message's read is back before this send is.
    await new Promise((r) => setTimeout(r, 20));
    this.sent.push(message);
    return { providerId: `p-${this.sent.length}` };
  }
}

beforeAll(async () => {
  api = await createTestApi();
  s = await seedSite(api, 'batch');
});
afterAll(() => api.close());
let sender: RecordingSender;
beforeEach(() => {
  sender = new RecordingSender();
  api.clock.current = new Date('2026-11-23T10:00:00+08:00');
});

async function queued(purpose: 'callback_P3M' | 'birthday', ref: string, customer?: { id: string; name: string; phone: string }, siteId = 'batch') {
  const site = (await api.table.store.getSite('batch'))!;
  const c =
    customer ??
    (await api.call(s.repA, 'POST', '/v1/customers', { body: { siteId: 'batch', name: '林芳', phone: freshPhone(), channel: 'walk_in' } })).body.customer;
  const message: OutboxMessage = {
    ...composeMessage({ ...site, smsCareCap: { count: 4, days: 30 }, smsTemplates: {} }, c, purpose, ref, { asset: '3栋1801' }, api.clock.now().toISOString()),
    siteId,
  };
  await api.table.store.enqueueMessages([message]);
  return message;
}

let sequence = 0;
const record = (id: string, eventName: 'INSERT' | 'MODIFY' = 'INSERT'): StreamRecordLike => ({
  eventName,
  dynamodb: { NewImage: marshall({ type: 'sms', state: 'queued', id }), SequenceNumber: String(++sequence) },
});

describe('a stream batch, read ahead', () => {
  it('sends a message recorded twice in one batch once, though its second read went out before its send', async () => {
    const m = await queued('callback_P3M', `twice-${sequence}`);
    const outcomes: (string | undefined)[] = [];
    const answer = await dispatchStreamBatch([record(m.id), record(m.id, 'MODIFY')], ctx(), sender, {
      dispatched: (_id, outcome, handedOver) => outcomes.push(`${outcome?.state}${handedOver ? ' by this call' : ''}`),
    });
    expect(answer.batchItemFailures).toEqual([]);
    expect(sender.sent).toHaveLength(1);
    expect(outcomes).toEqual(['sent by this call', 'sent']);
  });

  it('counts the care cap in batch order: the fifth care text to one customer in a batch is suppressed', async () => {
    const c = (
      await api.call(s.repA, 'POST', '/v1/customers', {
        body: { siteId: 'batch', name: '林芳', phone: freshPhone(), channel: 'walk_in', smsConsent: true },
      })
    ).body.customer;
    const messages = [];
    for (let i = 0; i < 5; i++) messages.push(await queued('birthday', `cap-${i}-${c.id}`, c));
    const answer = await dispatchStreamBatch(
      messages.map((m) => record(m.id)),
      ctx(),
      sender,
    );
    expect(answer.batchItemFailures).toEqual([]);
    expect(sender.sent).toHaveLength(4);
    expect(await api.table.store.getMessage(messages[4]!.id)).toMatchObject({ state: 'suppressed', reason: 'care_cap_reached' });
  });

  it('stops at a message whose read fails, and sends nothing after it', async () => {
    const first = await queued('callback_P3M', `before-${sequence}`);
    const broken = await queued('callback_P3M', `broken-${sequence}`, undefined, 'no-such-site');
    const after = await queued('callback_P3M', `after-${sequence}`);
    const records = [record(first.id), record(broken.id), record(after.id)];
    const answer = await dispatchStreamBatch(records, ctx(), sender);
    expect(answer.batchItemFailures).toEqual([{ itemIdentifier: records[1]!.dynamodb!.SequenceNumber }]);
    expect(sender.sent.map((m) => m.body)).toEqual([first.body]);
    expect(await api.table.store.getMessage(after.id)).toMatchObject({ state: 'queued', version: 1 });
  });
});
