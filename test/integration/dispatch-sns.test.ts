import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeMessage, dispatchMessage, loadSite, type OutboxMessage, type SmsSender } from '@guanjia/core';
import { RateLimiter, sendWithRetry, SnsSms } from '@guanjia/sms';
import { createTestApi, freshPhone, seedSite, type TestApi } from '../support/api.ts';

/**
 * The dispatcher with the real SNS adapter, SNS itself mocked (there is no local SNS): what
 * the Lambda will do, against DynamoDB Local.
 */
let api: TestApi;
let s: Awaited<ReturnType<typeof seedSite>>;
const sns = mockClient(SNSClient);
const ctx = () => ({ store: api.table.store, clock: api.clock, ids: { next: () => 'unused' } });

beforeAll(async () => {
  api = await createTestApi();
  s = await seedSite(api, 'sns');
  api.clock.current = new Date('2026-11-23T03:00:00Z'); // 11:00 in Shanghai, outside quiet hours
});
afterAll(() => {
  sns.restore();
  api.close();
});

async function queued(count: number): Promise<OutboxMessage[]> {
  const site = await loadSite(ctx(), 'sns');
  const messages: OutboxMessage[] = [];
  // Ten receptions at a time: on a loaded CI machine 500 in a row outlasted the test's timeout.
  const one = async () => {
    const created = await api.call(s.repA, 'POST', '/v1/customers', { body: { siteId: 'sns', name: '何静', phone: freshPhone(), channel: 'walk_in' } });
    const customer = (await api.table.store.getCustomer(created.body.customer.id))!;
    messages.push(composeMessage(site, customer, 'callback_P3M', `burst-${customer.id}`, { asset: '6栋' }, api.clock.now().toISOString()));
  };
  for (let i = 0; i < count; i += 10) await Promise.all(Array.from({ length: Math.min(10, count - i) }, one));
  await api.table.store.enqueueMessages(messages);
  return messages;
}

/** Virtual time: the limiter and the backoff wait without waiting, and every send is stamped. */
function virtualSender(client: SNSClient) {
  let now = 0;
  const sleep = async (ms: number) => void (now += ms);
  const limiter = new RateLimiter({ perSecond: 20, now: () => now, sleep });
  const starts: number[] = [];
  const adapter = new SnsSms(client);
  const sender: SmsSender = {
    send: async (message) => await sendWithRetry({ send: (m) => (starts.push(now), adapter.send(m)) }, message, { limiter, sleep }),
  };
  return { sender, starts };
}

describe('dispatching through SNS', () => {
  it('retries throttling and sends each message exactly once', async () => {
    sns.reset();
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    sns.on(PublishCommand).rejectsOnce(throttled).rejectsOnce(throttled).resolves({ MessageId: 'sns-1' });
    const [message] = await queued(1);
    const { sender } = virtualSender(new SNSClient({ region: 'ap-southeast-1' }));
    const done = await dispatchMessage(ctx(), sender, message!.id);
    expect(done).toMatchObject({ state: 'sent', providerId: 'sns-1' });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(3);
    expect(sns.commandCalls(PublishCommand)[0]!.args[0].input).toMatchObject({ PhoneNumber: message!.to, Message: message!.body });
    expect(await dispatchMessage(ctx(), sender, message!.id)).toMatchObject({ state: 'sent' });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(3);
  });

  it('holds the send cap under a burst of 500 messages, losing and doubling none', async () => {
    sns.reset();
    let id = 0;
    sns.on(PublishCommand).callsFake(async () => ({ MessageId: `m-${++id}` }));
    const messages = await queued(500);
    const { sender, starts } = virtualSender(new SNSClient({ region: 'ap-southeast-1' }));
    const pending = messages.map((m) => m.id);
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let next = pending.shift(); next; next = pending.shift()) await dispatchMessage(ctx(), sender, next);
      }),
    );
    expect(sns.commandCalls(PublishCommand)).toHaveLength(500);
    expect(new Set(sns.commandCalls(PublishCommand).map((c) => c.args[0].input.PhoneNumber)).size).toBe(500);
    const sorted = [...starts].sort((a, b) => a - b);
    let most = 0;
    for (let i = 0, j = 0; i < sorted.length; i++) {
      while (sorted[i]! - sorted[j]! >= 1000) j++;
      most = Math.max(most, i - j + 1);
    }
    expect(most).toBeLessThanOrEqual(20);
    expect(sorted.at(-1)! - sorted[0]!).toBeGreaterThanOrEqual(24_000);
    for (const m of messages.slice(0, 20)) expect((await api.table.store.getMessage(m.id))!.state).toBe('sent');
  }, 600_000);
});
