import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { composeMessage, loadSite, type OutboxMessage } from '@guanjia/core';
import { messageItem } from '../../packages/dynamo/src/items.ts';
import { createTestApi, freshPhone, seedSite, type TestApi } from '../support/api.ts';

/** The SMS and jobs Lambdas invoked as AWS invokes them, on DynamoDB Local, with SNS mocked. */
let api: TestApi;
let s: Awaited<ReturnType<typeof seedSite>>;
const sns = mockClient(SNSClient);
let sms: (event: DynamoDBStreamEvent) => Promise<void>;
let jobs: (event: { job?: string }) => Promise<Record<string, unknown>>;

/** A stream batch as Lambda delivers it: the item's new image in DynamoDB JSON. */
const insertEvent = (message: OutboxMessage): DynamoDBStreamEvent => ({
  Records: [
    {
      eventID: '1',
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      awsRegion: 'ap-southeast-1',
      dynamodb: { NewImage: marshall(messageItem(message), { removeUndefinedValues: true }) as never, SequenceNumber: '100', StreamViewType: 'NEW_AND_OLD_IMAGES' },
      eventSourceARN: 'arn:aws:dynamodb:ap-southeast-1:123456789012:table/t/stream/2026',
    },
  ],
});

beforeAll(async () => {
  api = await createTestApi();
  // No quiet hours at this site, so the result does not depend on the hour the test runs.
  s = await seedSite(api, 'fn', { quietHours: { start: '00:00', end: '00:00' } });
  Object.assign(process.env, {
    TABLE_NAME: api.table.tableName,
    AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoEndpoint'),
    // DynamoDB Local keeps a database per key and region: the harness's own.
    AWS_REGION: 'local',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
  ({ handler: sms } = (await import('../../functions/sms.ts')) as never);
  ({ handler: jobs } = (await import('../../functions/jobs.ts')) as never);
});
afterAll(() => {
  sns.restore();
  api.close();
});

describe('functions/sms', () => {
  it('sends a queued message of the batch through SNS, once however often the record comes', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'sns-42' });
    const created = await api.call(s.repA, 'POST', '/v1/customers', { body: { siteId: 'fn', name: '钱进', phone: freshPhone(), channel: 'walk_in' } });
    const customer = (await api.table.store.getCustomer(created.body.customer.id))!;
    const site = await loadSite({ store: api.table.store, clock: api.clock, ids: { next: () => 'x' } }, 'fn');
    const message = composeMessage(site, customer, 'callback_P3M', `fn-${customer.id}`, { asset: '7栋' }, new Date().toISOString());
    await api.table.store.enqueueMessages([message]);

    await sms(insertEvent(message));
    await sms(insertEvent(message));
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    expect(sns.commandCalls(PublishCommand)[0]!.args[0].input).toMatchObject({
      PhoneNumber: customer.phone,
      MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
    });
    expect(await api.table.store.getMessage(message.id)).toMatchObject({ state: 'sent', providerId: 'sns-42' });
  });
});

describe('functions/jobs', () => {
  it('runs the job EventBridge names, and refuses one that does not exist', async () => {
    expect(await jobs({ job: 'outbox' })).toMatchObject({ job: 'outbox', released: expect.any(Number) });
    expect(await jobs({ job: 'callbacks' })).toMatchObject({ job: 'callbacks' });
    await expect(jobs({ job: 'nope' })).rejects.toThrow(/no job 'nope'/);
  });
});
