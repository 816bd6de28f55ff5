import { describe, expect, it } from 'vitest';
import { JOB_SCHEDULES } from '@guanjia/core';
import { JOB_SUCCEEDED, METRICS_NAMESPACE, SMS_FAILED } from '../../functions/metric-names.ts';
import { JOB_SILENCE_HOURS } from '../../infra/operations.ts';
import { idOf, refersTo, resourcesOf, synthStack } from '../support/stack.ts';

const { template } = synthStack('test', { alarmEmail: 'ops@example.com' });
const alarms = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm')).map((a) => a.Properties);
const alarm = (name: string) => {
  const found = alarms.find((a) => a.AlarmName === `guanjia-test-${name}`);
  if (!found) throw new Error(`no alarm guanjia-test-${name}; there are ${alarms.map((a) => a.AlarmName).join(', ')}`);
  return found;
};
const topic = idOf(template, 'AWS::SNS::Topic');
const dimensions = (a: Record<string, any>): Record<string, unknown> =>
  Object.fromEntries((a.Dimensions as { Name: string; Value: unknown }[]).map((d) => [d.Name, d.Value]));

describe('alarms', () => {
  it('go to one topic, which mails the stage’s alarm address', () => {
    expect(alarms.length).toBeGreaterThan(10);
    for (const a of alarms) {
      expect(a.AlarmActions).toEqual([{ Ref: topic }]);
      expect(a.OKActions).toEqual([{ Ref: topic }]);
    }
    const [subscription] = Object.values(resourcesOf(template, 'AWS::SNS::Subscription')).map((s) => s.Properties);
    expect(subscription).toMatchObject({ Protocol: 'email', Endpoint: 'ops@example.com', TopicArn: { Ref: topic } });
  });

  it('fire when any function throws', () => {
    for (const name of ['api', 'sms', ...JOB_SCHEDULES.map((s) => `job-${s.job}`)]) {
      const a = alarm(`${name}-errors`);
      const fn = idOf(template, 'AWS::Lambda::Function', (p) => p.FunctionName === `guanjia-test-${name}`);
      expect(a).toMatchObject({
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
      expect(refersTo(dimensions(a).FunctionName, fn)).toBe(true);
    }
  });

  it('fire as soon as a dead-letter queue holds anything', () => {
    for (const name of ['sms', 'job']) {
      const a = alarm(`${name}-dead-letters`);
      const queue = idOf(template, 'AWS::SQS::Queue', (q) => q.QueueName === `guanjia-test-${name}-dead-letters`);
      expect(a).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
      expect(refersTo(dimensions(a).QueueName, queue)).toBe(true);
    }
  });

  it('watch SMS failures on the metric the dispatcher emits, with its exact dimensions', () => {
    expect(alarm('sms-failures')).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      MetricName: SMS_FAILED,
      Statistic: 'Sum',
      Dimensions: [{ Name: 'service', Value: 'guanjia-test' }],
    });
  });

  it(`report a job with no successful run in ${JOB_SILENCE_HOURS} hours, counting no data as no success`, () => {
    for (const { job } of JOB_SCHEDULES) {
      const a = alarm(`job-${job}-silent`);
      expect(a).toMatchObject({
        Namespace: METRICS_NAMESPACE,
        MetricName: JOB_SUCCEEDED,
        Statistic: 'Sum',
        Period: 3600,
        EvaluationPeriods: JOB_SILENCE_HOURS,
        ComparisonOperator: 'LessThanThreshold',
        Threshold: 1,
        TreatMissingData: 'breaching',
      });
      expect(a.DatapointsToAlarm ?? a.EvaluationPeriods).toBe(JOB_SILENCE_HOURS);
      expect(dimensions(a)).toEqual({ service: 'guanjia-test', job });
    }
  });

  it('leave the topic without a subscriber on a stage that names no address', () => {
    expect(Object.keys(resourcesOf(synthStack('test').template, 'AWS::SNS::Subscription'))).toEqual([]);
  });
});

describe('the dashboard', () => {
  it('shows the API, the functions, SMS, the jobs and the dead-letter queues', () => {
    const [dashboard] = Object.values(resourcesOf(template, 'AWS::CloudWatch::Dashboard')).map((d) => d.Properties);
    expect(dashboard!.DashboardName).toBe('guanjia-test');
    const body = JSON.stringify(dashboard!.DashboardBody);
    for (const title of ['API requests and errors', 'Function errors', 'SMS', 'Job runs that succeeded', 'Dead-letter queues']) expect(body).toContain(title);
    expect(body).toContain(JOB_SUCCEEDED);
    expect(body).toContain(SMS_FAILED);
  });
});
