import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { composeMessage, JOBS, loadSite, siteDay, STALLED_AFTER_MINUTES, type OutboxMessage } from '@guanjia/core';
import { messageItem } from '@guanjia/dynamo/entities/outbox';
import { mintToken } from '@guanjia/local/tokens';
import { admin, createTestApi, freshPhone, seedSite, staff, type TestApi } from '../support/api.ts';
import { bundleInputs, functionEnv, invokeBundle, synthBundles, type Bundles } from '../support/bundles.ts';

/**
 * The functions as they ship: each bundle `cdk synth` builds (index.mjs in its asset folder)
 * run in a fresh `node` with the environment the template gives it, on recorded events,
 * against DynamoDB Local, with a stand-in for SNS's Publish endpoint.
 */

// Synthesis bundles three entries with esbuild and runs cdk-nag: seconds, more on a busy machine.
const SYNTH_TIMEOUT = 180_000;
const SITE = 'bundled';

const recorded = <T>(name: string): T => JSON.parse(readFileSync(new URL(`./events/${name}.json`, import.meta.url), 'utf8')) as T;

let bundles: Bundles;
let api: TestApi;
let sns: FakeSns;
let people: Awaited<ReturnType<typeof seedSite>>;
// The seeded manager has no phone; this one gets the escalation SMS.
const manager2 = staff('manager', `mgr2-${SITE}`, [SITE]);
const MANAGER2_PHONE = '+8613800000071';

beforeAll(async () => {
  [bundles, api, sns] = await Promise.all([synthBundles(), createTestApi(), startFakeSns()]);
  // No quiet hours, so that what the dispatcher does does not depend on the hour the test runs.
  people = await seedSite(api, SITE, { quietHours: { start: '00:00', end: '00:00' } });
  await api.call(admin, 'POST', `/v1/sites/${SITE}/staff`, { body: { id: manager2.sub, name: '王经理', role: 'manager', phone: MANAGER2_PHONE.slice(3) } });
}, SYNTH_TIMEOUT);

afterAll(async () => {
  await bundles?.remove();
  await sns?.close();
  api?.close();
});

/** Invokes the bundled function `name` once, as a cold start, with this file's table and endpoints. */
function invoke<T>(name: string, event: unknown, values: Record<string, string | undefined> = {}) {
  const bundle = bundles.get(name);
  const env = functionEnv(bundle, {
    TABLE_NAME: api.table.tableName,
    // DynamoDB Local keeps a database per access key and region: the harness's own.
    AWS_REGION: 'local',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoEndpoint'),
    ...values,
  });
  return invokeBundle<T>(bundle, event, env);
}

const metric = (lines: Record<string, any>[], name: string) => lines.filter((line) => line._aws && name in line);

describe('the bundles', () => {
  it('are one per function, the jobs included, each an ES module with its handler', () => {
    expect(bundles.bundles.map((b) => b.name).sort()).toEqual(['api', 'sms', 'imports', ...Object.keys(JOBS).map((job) => `job:${job}`)].sort());
    for (const bundle of bundles.bundles) {
      expect(bundle.handler).toBe('index.handler');
      expect(bundle.entry).toMatch(/\/asset\.[0-9a-f]{64}\/index\.mjs$/);
      expect(bundle.bytes).toBeGreaterThan(10_000);
      expect(bundle.environment).toMatchObject({ POWERTOOLS_SERVICE_NAME: 'guanjia-test', POWERTOOLS_METRICS_NAMESPACE: 'Guanjia' });
      expect(bundle.unresolved).toContain('TABLE_NAME');
    }
  });

  it('carry the SNS client in the dispatcher only', async () => {
    const sns = /(^|\/)node_modules\/@aws-sdk\/client-sns\//;
    const dispatcher = await bundleInputs(bundles.get('sms'));
    expect(dispatcher.inOutput.filter((path) => sns.test(path)).length).toBeGreaterThan(0);
    for (const name of ['api', ...Object.keys(JOBS).map((job) => `job:${job}`)]) {
      const { read } = await bundleInputs(bundles.get(name));
      // Not even read: esbuild never reached the package from this entry.
      expect(
        read.filter((path) => sns.test(path)),
        name,
      ).toEqual([]);
    }
  });
});

describe('the API bundle', () => {
  type Result = APIGatewayProxyStructuredResultV2;
  const withSecret = {
    STAFF_USER_POOL_ID: 'ap-east-1_Ab12Cd34E',
    STAFF_CLIENT_ID: '3q8v1n5k7m2p4r6t8w0y2a4c6e',
    OWNER_USER_POOL_ID: 'ap-east-1_Fg56Hi78J',
    OWNER_CLIENT_ID: '5s0x3p7m9o4r6t8v0x2z4b6d8f',
    // In AWS an ARN the function reads at cold start; here the value itself.
    CURSOR_SECRET_ARN: undefined,
    CURSOR_SECRET: 'bundled-test-cursor-secret-of-40-chars!!',
  };

  it('answers GET /health with 200, and counts its cold start', async () => {
    const res = await invoke<Result>('api', recorded<APIGatewayProxyEventV2>('api-get-health'), withSecret);
    expect(res.error).toBeUndefined();
    expect(res.result).toMatchObject({ statusCode: 200, headers: { 'content-type': 'application/json' } });
    expect(JSON.parse(res.result!.body!)).toEqual({ status: 'ok' });
    expect(metric(res.lines, 'ColdStart')).toEqual([expect.objectContaining({ service: 'guanjia-test', function_name: 'guanjia-test-api', ColdStart: 1 })]);
  });

  it('refuses a locally minted token with 401 problem+json: in AWS only Cognito tokens count', async () => {
    const event = recorded<APIGatewayProxyEventV2>('api-get-customers');
    const token = await mintToken({ sub: people.manager.sub, role: 'manager', sites: [SITE] }, 'any-local-secret');
    event.headers.authorization = `Bearer ${token}`;
    const res = await invoke<Result>('api', event, withSecret);
    expect(res.error).toBeUndefined();
    expect(res.result).toMatchObject({ statusCode: 401, headers: { 'content-type': 'application/problem+json' } });
    expect(JSON.parse(res.result!.body!)).toMatchObject({ status: 401 });
  });

  it('stops at cold start, naming the variable, without a cursor secret', async () => {
    const res = await invoke<Result>('api', recorded('api-get-health'), { ...withSecret, CURSOR_SECRET: undefined });
    expect(res.result).toBeUndefined();
    expect(res.error?.errorMessage).toMatch(/CURSOR_SECRET_ARN: set exactly one of CURSOR_SECRET and CURSOR_SECRET_ARN/);
  });
});

describe('the job bundles', () => {
  it('callbacks: announces the callbacks due to the owner by SMS and gives them to the agent, once', async () => {
    const created = await api.call(people.repA, 'POST', '/v1/customers', { body: { siteId: SITE, name: '吴敏', phone: freshPhone(), channel: 'walk_in' } });
    const customer = created.body.customer as { id: string; phone: string };
    // Long enough ago that both of the site's callbacks (3 months, 1 year) are due, whatever today is.
    const delivery = await api.call(people.service, 'POST', `/v1/customers/${customer.id}/deliveries`, {
      body: { asset: { kind: 'home', label: '7栋1201' }, deliveredOn: '2025-01-15' },
    });
    expect(delivery.status).toBe(201);
    const callbacks = delivery.body.callbacks as { taskId: string; plan: string }[];
    expect(callbacks.map((c) => c.plan).sort()).toEqual(['P1Y', 'P3M']);

    const run = await invoke<Record<string, unknown>>('job:callbacks', recorded('scheduler-callbacks'));
    expect(run.error).toBeUndefined();
    expect(run.result).toMatchObject({ job: 'callbacks', due: 2, announced: 2, skipped: 0, sitesWithoutAgents: [] });
    expect(metric(run.lines, 'JobSucceeded')).toEqual([expect.objectContaining({ service: 'guanjia-test', job: 'callbacks', JobSucceeded: 1 })]);

    for (const { taskId, plan } of callbacks) {
      const message = await api.table.store.getMessage(`sms:callback_${plan}:${taskId}`);
      expect(message).toMatchObject({ state: 'queued', kind: 'notice', to: customer.phone, customerId: customer.id });
      expect(message!.body).toContain('7栋1201');
    }
    const tasks = (await api.call(people.manager, 'GET', `/v1/tasks?siteId=${SITE}&kind=callback&limit=100`)).body.items as {
      id: string;
      assigneeId: string | null;
    }[];
    for (const { taskId } of callbacks) expect(tasks.find((t) => t.id === taskId)?.assigneeId).toBe(people.service.sub);

    const again = await invoke<Record<string, unknown>>('job:callbacks', recorded('scheduler-callbacks'));
    expect(again.result).toMatchObject({ job: 'callbacks', due: 0, announced: 0 });
  });

  it('sla: escalates an unanswered complaint past its deadline to the managers', async () => {
    const customer = await api.call(people.repA, 'POST', '/v1/customers', { body: { siteId: SITE, name: '冯刚', phone: freshPhone(), channel: 'walk_in' } });
    // Filed two days ago, so its 24-hour deadline has passed by the real clock the bundle runs on.
    api.clock.current = new Date(Date.now() - 48 * 3600_000);
    const filed = await api.call(people.service, 'POST', '/v1/complaints', {
      body: { customerId: customer.body.customer.id, category: 'service', channel: 'hotline', description: '物业不回电话' },
    });
    expect(filed.status).toBe(201);
    const id = filed.body.complaint.id as string;

    const run = await invoke<Record<string, unknown>>('job:sla', recorded('scheduler-sla'));
    expect(run.error).toBeUndefined();
    expect(run.result).toEqual({ job: 'sla', checked: 1, warned: 0, escalated: 1 });

    expect((await api.call(people.manager, 'GET', `/v1/complaints/${id}`)).body).toMatchObject({ status: 'received', escalated: true });
    expect(await api.table.store.getMessage(`sms:sla_escalation:${id}:${manager2.sub}`)).toMatchObject({ state: 'queued', to: MANAGER2_PHONE, kind: 'notice' });
    const escalations = (await api.call(people.manager, 'GET', `/v1/tasks?siteId=${SITE}&kind=escalation&limit=100`)).body.items as { id: string }[];
    expect(escalations.map((t) => t.id).sort()).toEqual([`escalation:${id}:${manager2.sub}`, `escalation:${id}:${people.manager.sub}`].sort());
  });

  it('care: greets a consenting customer on their birthday, today in Shanghai', async () => {
    const today = siteDay(new Date(), 'Asia/Shanghai');
    const body = { siteId: SITE, name: '郑丽', phone: freshPhone(), channel: 'walk_in', birthday: today.slice(5), smsConsent: true };
    const customer = (await api.call(people.repA, 'POST', '/v1/customers', { body })).body.customer as { id: string; phone: string };

    const run = await invoke<Record<string, unknown>>('job:care', recorded('scheduler-care'));
    expect(run.error).toBeUndefined();
    expect(run.result).toMatchObject({ job: 'care', days: [today], birthdays: 1, queued: 1 });
    expect(metric(run.lines, 'JobSucceeded')).toEqual([expect.objectContaining({ service: 'guanjia-test', job: 'care', JobSucceeded: 1 })]);
    const messages = (await api.call(people.repA, 'GET', `/v1/customers/${customer.id}/messages`)).body.items as { purpose: string; to: string }[];
    expect(messages).toEqual([expect.objectContaining({ purpose: 'birthday', to: customer.phone })]);
  });

  it('outbox: queues again a message no dispatcher picked up in time', async () => {
    const created = await api.call(people.repA, 'POST', '/v1/customers', { body: { siteId: SITE, name: '孙悦', phone: freshPhone(), channel: 'walk_in' } });
    const customer = (await api.table.store.getCustomer(created.body.customer.id))!;
    const site = await loadSite({ store: api.table.store, clock: api.clock, ids: { next: () => 'unused' } }, SITE);
    const queuedAt = new Date(Date.now() - (STALLED_AFTER_MINUTES + 10) * 60_000).toISOString();
    const message = composeMessage(site, customer, 'callback_P3M', `stalled-${customer.id}`, { asset: '2栋301' }, queuedAt);
    await api.table.store.enqueueMessages([message]);

    const run = await invoke<Record<string, unknown>>('job:outbox', recorded('scheduler-outbox'));
    expect(run.error).toBeUndefined();
    expect(run.result).toMatchObject({ job: 'outbox', requeued: expect.any(Number), failed: 0 });
    expect(run.result!.requeued).toBeGreaterThanOrEqual(1);
    expect(metric(run.lines, 'JobSucceeded')).toEqual([expect.objectContaining({ job: 'outbox', JobSucceeded: 1 })]);
    expect(await api.table.store.getMessage(message.id)).toMatchObject({ state: 'queued', reason: 'stalled', version: message.version + 1 });
  });

  it('throws on an event for another job, changing nothing', async () => {
    const run = await invoke('job:callbacks', recorded('scheduler-sla'));
    expect(run.result).toBeUndefined();
    expect(run.error).toEqual({ errorType: 'Error', errorMessage: "this function runs the job 'callbacks', not 'sla'" });
    expect(metric(run.lines, 'JobSucceeded')).toEqual([]);
  });
});

describe('the SMS dispatcher bundle', () => {
  const streamRecord = recorded<DynamoDBStreamEvent>('outbox-stream-insert').Records[0]!;

  /** The recorded stream batch with these outbox items in place of the recorded one, at these sequence numbers. */
  const batch = (...records: [OutboxMessage, string][]): DynamoDBStreamEvent => ({
    Records: records.map(([message, sequenceNumber]) => {
      const image = marshall(messageItem(message), { removeUndefinedValues: true });
      return {
        ...streamRecord,
        eventID: `e-${sequenceNumber}`,
        dynamodb: { ...streamRecord.dynamodb, Keys: { PK: image.PK, SK: image.SK } as never, NewImage: image as never, SequenceNumber: sequenceNumber },
      };
    }),
  });

  /** A queued callback notice to a new customer of the site, in the table as the jobs leave it. */
  async function queued(siteId = SITE): Promise<OutboxMessage> {
    const created = await api.call(people.repA, 'POST', '/v1/customers', { body: { siteId: SITE, name: '钱进', phone: freshPhone(), channel: 'walk_in' } });
    const customer = (await api.table.store.getCustomer(created.body.customer.id))!;
    const site = await loadSite({ store: api.table.store, clock: api.clock, ids: { next: () => 'unused' } }, SITE);
    const message = composeMessage({ ...site, id: siteId }, customer, 'callback_P3M', `bundled-${customer.id}`, { asset: '3栋502' }, new Date().toISOString());
    await api.table.store.enqueueMessages([message]);
    return message;
  }

  // The SDK takes a service's endpoint from AWS_ENDPOINT_URL_<SERVICE>; every other AWS call goes nowhere.
  const dispatch = (event: DynamoDBStreamEvent) => invoke<DynamoDBBatchResponse>('sms', event, { AWS_ENDPOINT_URL_SNS: sns.endpoint });

  it('publishes a queued message through SNS and marks it sent, once however often the record comes', async () => {
    sns.reset();
    const message = await queued();
    const event = batch([message, '1405400000000000000000100']);

    const first = await dispatch(event);
    expect(first.error).toBeUndefined();
    expect(first.result).toEqual({ batchItemFailures: [] });
    expect(sns.published).toEqual([
      {
        contentType: expect.stringMatching(/^application\/x-www-form-urlencoded\b/),
        params: {
          Action: 'Publish',
          Version: '2010-03-31',
          PhoneNumber: message.to,
          Message: message.body,
          'MessageAttributes.entry.1.Name': 'AWS.SNS.SMS.SMSType',
          'MessageAttributes.entry.1.Value.DataType': 'String',
          'MessageAttributes.entry.1.Value.StringValue': 'Transactional',
        },
      },
    ]);
    expect(await api.table.store.getMessage(message.id)).toMatchObject({ state: 'sent', providerId: 'fake-sns-1' });
    expect(metric(first.lines, 'SmsSent')).toEqual([expect.objectContaining({ SmsSent: 1 })]);
    // Logs never hold a whole phone number.
    expect(first.lines.length).toBeGreaterThan(1);
    expect(first.stdout + first.stderr).not.toContain(message.to.slice(1));

    const second = await dispatch(event);
    expect(second.result).toEqual({ batchItemFailures: [] });
    expect(sns.published).toHaveLength(1);
  });

  it('records a message SNS refuses as failed, with SNS’s code, and goes on', async () => {
    sns.reset();
    const message = await queued();
    sns.refuse(message.to);
    const res = await dispatch(batch([message, '1405400000000000000000200']));
    expect(res.result).toEqual({ batchItemFailures: [] });
    expect(sns.published).toHaveLength(1);
    expect(await api.table.store.getMessage(message.id)).toMatchObject({ state: 'failed', reason: 'InvalidParameter' });
  });

  it('stops the batch at a record it cannot dispatch and reports it by sequence number, so nothing overtakes it', async () => {
    sns.reset();
    const before = await queued();
    const orphan = await queued('no-such-site');
    const after = await queued();
    const res = await dispatch(batch([before, '1405400000000000000000301'], [orphan, '1405400000000000000000302'], [after, '1405400000000000000000303']));
    expect(res.result).toEqual({ batchItemFailures: [{ itemIdentifier: '1405400000000000000000302' }] });
    expect(sns.published.map((p) => p.params.PhoneNumber)).toEqual([before.to]);
    expect(await api.table.store.getMessage(before.id)).toMatchObject({ state: 'sent' });
    expect(await api.table.store.getMessage(orphan.id)).toMatchObject({ state: 'queued' });
    expect(await api.table.store.getMessage(after.id)).toMatchObject({ state: 'queued' });
    for (const message of [before, orphan, after]) expect(res.stdout + res.stderr).not.toContain(message.to.slice(1));
  });
});

interface FakeSns {
  endpoint: string;
  /** Publish requests, as their form parameters. */
  published: { contentType: string; params: Record<string, string> }[];
  /** Makes Publish to this number fail as SNS does for a number it will not send to. */
  refuse(phone: string): void;
  reset(): void;
  close(): Promise<void>;
}

/**
 * SNS's Publish as @aws-sdk/client-sns (3.1169) calls it: the awsQuery protocol, a form-encoded
 * POST answered in XML. Anything else (a JSON request) is answered 400 and recorded, so a
 * change of protocol shows in the assertions instead of passing unnoticed.
 */
async function startFakeSns(): Promise<FakeSns> {
  const published: FakeSns['published'] = [];
  const refused = new Set<string>();
  const xml = '<?xml version="1.0"?>';
  const ns = 'http://sns.amazonaws.com/doc/2010-03-31/';
  const server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const contentType = String(req.headers['content-type'] ?? '');
    const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
    published.push({ contentType, params });
    const requestId = `req-${published.length}`;
    const fail = (status: number, code: string, message: string) =>
      res
        .writeHead(status, { 'content-type': 'text/xml' })
        .end(
          `${xml}<ErrorResponse xmlns="${ns}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
        );
    if (req.method !== 'POST' || !contentType.startsWith('application/x-www-form-urlencoded') || params.Action !== 'Publish')
      return fail(400, 'InvalidAction', 'only awsQuery Publish is played here');
    if (params.PhoneNumber && refused.has(params.PhoneNumber))
      return fail(400, 'InvalidParameter', 'Invalid parameter: PhoneNumber Reason: not valid to publish to');
    res
      .writeHead(200, { 'content-type': 'text/xml' })
      .end(
        `${xml}<PublishResponse xmlns="${ns}"><PublishResult><MessageId>fake-sns-${published.length}</MessageId></PublishResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></PublishResponse>`,
      );
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    published,
    refuse: (phone) => refused.add(phone),
    reset: () => {
      published.length = 0;
      refused.clear();
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((closed) => server.close(() => closed()));
    },
  };
}
