import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { composeMessage, loadSite, type Customer, type OutboxMessage } from '@guanjia/core';
import { JOB_SUCCEEDED, METRICS_NAMESPACE, SMS_FAILED, SMS_SENT } from '../../functions/metric-names.ts';
import { messageItem } from '@guanjia/dynamo/entities/outbox';
import { createTestApi, freshPhone, seedSite, type TestApi } from '../support/api.ts';
import { blobsWith, captureOutput, lambdaContext, metricTotal } from './captured-output.ts';

/** The SMS and jobs Lambdas invoked as AWS invokes them, on DynamoDB Local, with SNS mocked. */
let api: TestApi;
let s: Awaited<ReturnType<typeof seedSite>>;
const sns = mockClient(SNSClient);
type SmsHandler = (event: DynamoDBStreamEvent, context: unknown) => Promise<DynamoDBBatchResponse>;
type JobsHandler = (event: unknown, context: unknown) => Promise<Record<string, unknown>>;
let sms: SmsHandler;
let jobs: JobsHandler;

const SERVICE = 'guanjia-test';
const smsContext = lambdaContext('guanjia-test-sms');
const jobContext = lambdaContext('guanjia-test-job-outbox');

/** A stream record as Lambda delivers it: the item's new image in DynamoDB JSON. */
const record = (message: OutboxMessage, sequenceNumber: string): DynamoDBRecord => ({
  eventID: sequenceNumber,
  eventName: 'INSERT',
  eventSource: 'aws:dynamodb',
  awsRegion: 'ap-southeast-1',
  dynamodb: {
    NewImage: marshall(messageItem(message), {
      removeUndefinedValues: true,
    }) as never,
    SequenceNumber: sequenceNumber,
    StreamViewType: 'NEW_AND_OLD_IMAGES',
  },
  eventSourceARN: 'arn:aws:dynamodb:ap-southeast-1:123456789012:table/t/stream/2026',
});
const batch = (...records: DynamoDBRecord[]): DynamoDBStreamEvent => ({
  Records: records,
});

/** A queued callback notice to a new customer of the site, in the table as a job would leave it. */
async function queued(siteId = 'fn'): Promise<{ message: OutboxMessage; customer: Customer }> {
  const created = await api.call(s.repA, 'POST', '/v1/customers', {
    body: {
      siteId: 'fn',
      name: '钱进',
      phone: freshPhone(),
      channel: 'walk_in',
    },
  });
  const customer = (await api.table.store.getCustomer(created.body.customer.id))!;
  const site = await loadSite({ store: api.table.store, clock: api.clock, ids: { next: () => 'x' } }, 'fn');
  const message = {
    ...composeMessage(site, customer, 'callback_P3M', `fn-${customer.id}`, { asset: '7栋' }, new Date().toISOString()),
    siteId,
  };
  await api.table.store.enqueueMessages([message]);
  return { message, customer };
}

/** The national digits of a number: what must never be whole in a log line. */
const digitsOf = (phone: string) => phone.replace(/^\+86/, '');

/** A module of `functions/` as a fresh cold start, with the environment changed as given for its import. */
async function coldStart<T>(path: string, env: Record<string, string>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  vi.resetModules();
  Object.assign(process.env, env);
  try {
    return ((await import(path)) as { handler: T }).handler;
  } finally {
    Object.assign(process.env, saved);
  }
}

beforeAll(async () => {
  api = await createTestApi();
  // No quiet hours at this site, so the result does not depend on the hour the test runs.
  s = await seedSite(api, 'fn', {
    quietHours: { start: '00:00', end: '00:00' },
  });
  Object.assign(process.env, {
    TABLE_NAME: api.table.tableName,
    AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoEndpoint'),
    // DynamoDB Local keeps a database per key and region: the harness's own.
    AWS_REGION: 'local',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    POWERTOOLS_SERVICE_NAME: SERVICE,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    JOB_NAME: 'outbox',
  });
  ({ handler: sms } = (await import('../../functions/sms.ts')) as never);
  ({ handler: jobs } = (await import('../../functions/jobs.ts')) as never);
});
afterAll(() => {
  sns.restore();
  api.close();
});

describe('functions/sms', () => {
  it('sends a queued message through SNS once however often its record comes, and counts it once', async () => {
    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'sns-42' });
    const { message, customer } = await queued();

    const first = await captureOutput(() => sms(batch(record(message, '100')), smsContext));
    const again = await captureOutput(() => sms(batch(record(message, '100')), smsContext));
    expect(first.value).toEqual({ batchItemFailures: [] });
    expect(again.value).toEqual({ batchItemFailures: [] });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    expect(sns.commandCalls(PublishCommand)[0]!.args[0].input).toMatchObject({
      PhoneNumber: customer.phone,
      MessageAttributes: {
        'AWS.SNS.SMS.SMSType': {
          DataType: 'String',
          StringValue: 'Transactional',
        },
      },
    });
    expect(await api.table.store.getMessage(message.id)).toMatchObject({
      state: 'sent',
      providerId: 'sns-42',
    });

    expect(metricTotal(first.emf, SMS_SENT)).toBe(1);
    expect(metricTotal(again.emf, SMS_SENT)).toBe(0);
    expect(blobsWith(first.emf, SMS_SENT)[0]!._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: METRICS_NAMESPACE,
        Dimensions: [['service']],
        Metrics: [{ Name: SMS_SENT, Unit: 'Count' }],
      },
    ]);
    expect(first.logs).toContainEqual(
      expect.objectContaining({
        message: 'sms dispatched',
        messageId: message.id,
        state: 'sent',
        service: SERVICE,
      }),
    );
    for (const out of [first, again]) {
      expect(out.text).not.toContain(digitsOf(customer.phone));
      expect(out.text).not.toContain(message.body);
    }
  });

  it('counts a message SNS refuses as failed, logging its reason but not the number SNS quoted', async () => {
    const { message, customer } = await queued();
    sns.reset();
    sns.on(PublishCommand).rejects(
      Object.assign(new Error(`Invalid parameter: PhoneNumber Reason: ${customer.phone} is not valid`), {
        name: 'InvalidParameterException',
        $metadata: { httpStatusCode: 400 },
      }),
    );

    const out = await captureOutput(() => sms(batch(record(message, '200')), smsContext));
    // Refused for good: retrying the record would not change it, so the batch succeeds.
    expect(out.value).toEqual({ batchItemFailures: [] });
    expect(metricTotal(out.emf, SMS_FAILED)).toBe(1);
    expect(metricTotal(out.emf, SMS_SENT)).toBe(0);
    expect(blobsWith(out.emf, SMS_FAILED)[0]!._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['service']]);
    expect(out.logs).toContainEqual(
      expect.objectContaining({
        message: 'sms dispatched',
        messageId: message.id,
        state: 'failed',
        reason: 'InvalidParameter',
      }),
    );
    expect(out.text).not.toContain(digitsOf(customer.phone));
  });

  it('stops at the first message that throws and reports its record, so the next waits for the retry', async () => {
    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'sns-43' });
    const broken = await queued('no-such-site');
    const next = await queued();

    const out = await captureOutput(() => sms(batch(record(broken.message, '300'), record(next.message, '301')), smsContext));
    expect(out.value).toEqual({
      batchItemFailures: [{ itemIdentifier: '300' }],
    });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect(await api.table.store.getMessage(next.message.id)).toMatchObject({
      state: 'queued',
    });
    expect(out.logs).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        messageId: broken.message.id,
        sequenceNumber: '300',
        error: expect.objectContaining({ name: 'NotFoundError' }),
      }),
    );
  });

  it('reports the first record of the batch when DynamoDB fails', async () => {
    sns.reset();
    const { message } = await queued();
    const other = await queued();
    const onMissingTable = await coldStart<SmsHandler>('../../functions/sms.ts', { TABLE_NAME: 'no_such_table' });

    const out = await captureOutput(() => onMissingTable(batch(record(message, '400'), record(other.message, '401')), smsContext));
    expect(out.value).toEqual({
      batchItemFailures: [{ itemIdentifier: '400' }],
    });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect(out.logs).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        messageId: message.id,
        error: expect.objectContaining({ name: 'ResourceNotFoundException' }),
      }),
    );
    expect(out.logs.filter((line) => line.level === 'ERROR')).toHaveLength(1);
  });
});

describe('functions/jobs', () => {
  it('runs its job, logs the result and emits JobSucceeded with exactly the dimensions service and job', async () => {
    const out = await captureOutput(() => jobs({ job: 'outbox' }, jobContext));
    expect(out.error).toBeUndefined();
    expect(out.value).toMatchObject({
      job: 'outbox',
      released: expect.any(Number),
    });
    expect(out.logs).toContainEqual(
      expect.objectContaining({
        level: 'INFO',
        message: 'job finished',
        result: out.value,
        function_name: 'guanjia-test-job-outbox',
      }),
    );

    const succeeded = blobsWith(out.emf, JOB_SUCCEEDED);
    expect(succeeded).toHaveLength(1);
    const [blob] = succeeded;
    expect(blob!._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: METRICS_NAMESPACE,
        Dimensions: [['service', 'job']],
        Metrics: [{ Name: JOB_SUCCEEDED, Unit: 'Count' }],
      },
    ]);
    // No other key: every key of the blob besides `_aws` is a dimension or a metric value.
    expect(Object.keys(blob!).sort()).toEqual([JOB_SUCCEEDED, '_aws', 'job', 'service'].sort());
    expect(blob).toMatchObject({
      service: SERVICE,
      job: 'outbox',
      [JOB_SUCCEEDED]: 1,
    });
  });

  it('refuses a payload for another job, or for none, so that Scheduler retries and dead-letters it', async () => {
    for (const event of [{ job: 'callbacks' }, { job: 'nope' }, {}, null]) {
      const out = await captureOutput(() => jobs(event, jobContext));
      expect((out.error as Error).message).toMatch(/this function runs the job 'outbox'/);
      expect(blobsWith(out.emf, JOB_SUCCEEDED)).toEqual([]);
      expect(out.logs).toContainEqual(
        expect.objectContaining({
          level: 'ERROR',
          message: 'invocation failed',
        }),
      );
    }
  });

  it('masks a phone number the refusal quotes, in the log line and in the error the runtime prints', async () => {
    const out = await captureOutput(() => jobs({ job: '+86 139 1234 5678' }, jobContext));
    expect((out.error as Error).message).toContain('139****5678');
    expect((out.error as Error).stack).not.toMatch(/139 1234 5678/);
    const [line] = out.logs.filter((l) => l.level === 'ERROR');
    expect(line!.error.message).toContain('139****5678');
    expect(out.text).not.toMatch(/139 1234 5678|13912345678/);
  });

  it('stops the cold start, naming JOB_NAME, when it names no job', async () => {
    await expect(coldStart('../../functions/jobs.ts', { JOB_NAME: 'nope' })).rejects.toThrow(/JOB_NAME: not a job; jobs: .*outbox/);
  });
});
