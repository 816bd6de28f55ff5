import { describe, expect, it } from 'vitest';
import { JOB_SCHEDULES } from '@guanjia/core';
import { RUNNING_IMPORT_FILTER } from '@guanjia/dynamo/import-stream';
import { QUEUED_MESSAGE_FILTER } from '@guanjia/dynamo/outbox-stream';
import { STREAM_RETRY_ATTEMPTS } from '../../infra/stream-source.ts';
import { idOf, refersTo, resourcesOf, synthStack } from '../support/stack.ts';

const { template } = synthStack('test', { sms: { maxPerSecond: 30, dispatcherConcurrency: 4 }, logRetentionDays: 90 });
const functions = resourcesOf(template, 'AWS::Lambda::Function');
const byName = (name: string) => {
  const found = Object.entries(functions).find(([, f]) => f.Properties.FunctionName === `guanjia-test-${name}`);
  if (!found) throw new Error(`no function guanjia-test-${name}`);
  return { id: found[0], props: found[1].Properties };
};
const env = (name: string): Record<string, unknown> => byName(name).props.Environment.Variables;

describe('the functions', () => {
  it('are one per door: the API, the SMS dispatcher, the import worker and each job', () => {
    const names = Object.values(functions)
      .map((f) => f.Properties.FunctionName)
      .sort();
    expect(names).toEqual(['guanjia-test-api', 'guanjia-test-sms', 'guanjia-test-imports', ...JOB_SCHEDULES.map((s) => `guanjia-test-job-${s.job}`)].sort());
  });

  it('run on arm64 and Node.js 24, with Powertools told the stage and namespace', () => {
    for (const f of Object.values(functions)) {
      expect(f.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], Handler: 'index.handler' });
      expect(f.Properties.Environment.Variables).toMatchObject({ POWERTOOLS_SERVICE_NAME: 'guanjia-test', POWERTOOLS_METRICS_NAMESPACE: 'Guanjia' });
      expect(refersTo(f.Properties.Environment.Variables.TABLE_NAME, idOf(template, 'AWS::DynamoDB::GlobalTable'))).toBe(true);
    }
  });

  it('log to a group of their own, kept as long as the stage says', () => {
    const groups = resourcesOf(template, 'AWS::Logs::LogGroup');
    for (const f of Object.values(functions)) {
      const groupId = f.Properties.LoggingConfig.LogGroup.Ref as string;
      expect(groups[groupId]!.Properties).toMatchObject({ LogGroupName: `/aws/lambda/${f.Properties.FunctionName}`, RetentionInDays: 90 });
    }
  });

  it('give each job function the one job it runs', () => {
    for (const s of JOB_SCHEDULES) expect(env(`job-${s.job}`).JOB_NAME).toBe(s.job);
  });

  it('hand the API its pools and the cursor secret by reference, never the secret itself', () => {
    const api = env('api');
    expect(Object.keys(api)).toEqual(
      expect.arrayContaining(['STAFF_USER_POOL_ID', 'STAFF_CLIENT_ID', 'OWNER_USER_POOL_ID', 'OWNER_CLIENT_ID', 'CURSOR_SECRET_ARN']),
    );
    expect(api).not.toHaveProperty('CURSOR_SECRET');
    expect(
      refersTo(
        api.STAFF_USER_POOL_ID,
        idOf(template, 'AWS::Cognito::UserPool', (p) => p.UserPoolName === 'guanjia-test-staff'),
      ),
    ).toBe(true);
    expect(
      refersTo(
        api.OWNER_USER_POOL_ID,
        idOf(template, 'AWS::Cognito::UserPool', (p) => p.UserPoolName === 'guanjia-test-owners'),
      ),
    ).toBe(true);
  });
});

const allMappings = Object.values(resourcesOf(template, 'AWS::Lambda::EventSourceMapping'));
const mappingsOf = (name: string) => allMappings.filter((m) => refersTo(m.Properties.FunctionName, byName(name).id));

describe('the SMS dispatcher', () => {
  const mappings = mappingsOf('sms');

  it('reads the table stream through a filter that passes only queued outbox items', () => {
    expect(mappings).toHaveLength(1);
    const m = mappings[0]!.Properties;
    expect(refersTo(m.FunctionName, byName('sms').id)).toBe(true);
    expect(JSON.stringify(m.EventSourceArn)).toContain('StreamArn');
    expect(m.FilterCriteria.Filters.map((f: { Pattern: string }) => JSON.parse(f.Pattern))).toEqual([QUEUED_MESSAGE_FILTER]);
  });

  it('bisects a failing batch, retries a bounded number of times, then dead-letters to SQS', () => {
    const m = mappings[0]!.Properties;
    expect(m).toMatchObject({
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: STREAM_RETRY_ATTEMPTS,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const queueId = idOf(template, 'AWS::SQS::Queue', (q) => q.QueueName === 'guanjia-test-sms-dead-letters');
    expect(refersTo(m.DestinationConfig.OnFailure.Destination, queueId)).toBe(true);
  });

  it('keeps its instances together under the SMS rate cap', () => {
    const sms = byName('sms').props;
    const perInstance = Number(sms.Environment.Variables.SMS_MAX_PER_SECOND);
    expect(sms.ReservedConcurrentExecutions).toBe(4);
    expect(perInstance).toBe(7);
    expect(sms.ReservedConcurrentExecutions * perInstance).toBeLessThanOrEqual(30);
  });

  it('is the only function allowed to send SMS', () => {
    const publishers = Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.PolicyDocument).includes('sns:Publish'))
      .flatMap((p) => p.Properties.Roles.map((r: { Ref: string }) => r.Ref));
    expect(publishers).toEqual([byName('sms').props.Role['Fn::GetAtt'][0]]);
  });
});

describe('the import worker', () => {
  it('reads the table stream through a filter that passes only running import records, and no other function has a stream', () => {
    const mappings = mappingsOf('imports');
    expect(mappings).toHaveLength(1);
    expect(allMappings).toHaveLength(2);
    const m = mappings[0]!.Properties;
    expect(m.FilterCriteria.Filters.map((f: { Pattern: string }) => JSON.parse(f.Pattern))).toEqual([RUNNING_IMPORT_FILTER]);
  });

  it('bisects a failing batch, retries a bounded number of times, then dead-letters to SQS', () => {
    const m = mappingsOf('imports')[0]!.Properties;
    expect(m).toMatchObject({
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: STREAM_RETRY_ATTEMPTS,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const queueId = idOf(template, 'AWS::SQS::Queue', (q) => q.QueueName === 'guanjia-test-import-dead-letters');
    expect(refersTo(m.DestinationConfig.OnFailure.Destination, queueId)).toBe(true);
  });

  it('has time for a whole chunk of rows, far more than the API request that started the import', () => {
    expect(byName('imports').props.Timeout).toBe(300);
  });
});
