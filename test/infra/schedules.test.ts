import { describe, expect, it } from 'vitest';
import { JOB_SCHEDULES, toScheduleExpression } from '@guanjia/core';
import { SCHEDULE_RETRY_ATTEMPTS } from '../../infra/jobs.ts';
import { idOf, refersTo, resourcesOf, synthStack } from '../support/stack.ts';

const { template } = synthStack('test');
const schedules = Object.values(resourcesOf(template, 'AWS::Scheduler::Schedule')).map((s) => s.Properties);

describe('the job schedules', () => {
  it('are generated from JOB_SCHEDULES: one each, same expression, in Asia/Shanghai', () => {
    expect(schedules.map((s) => s.Name).sort()).toEqual(JOB_SCHEDULES.map((s) => `guanjia-test-${s.job}`).sort());
    for (const job of JOB_SCHEDULES) {
      const s = schedules.find((x) => x.Name === `guanjia-test-${job.job}`)!;
      expect(s).toMatchObject({
        ScheduleExpression: toScheduleExpression(job),
        ScheduleExpressionTimezone: 'Asia/Shanghai',
        State: 'ENABLED',
        FlexibleTimeWindow: { Mode: 'OFF' },
      });
      expect(s.ScheduleExpression).toMatch(/^cron\(/);
    }
  });

  it('invoke each job’s own function with the event the handler expects', () => {
    for (const job of JOB_SCHEDULES) {
      const s = schedules.find((x) => x.Name === `guanjia-test-${job.job}`)!;
      const fn = idOf(template, 'AWS::Lambda::Function', (p) => p.FunctionName === `guanjia-test-job-${job.job}`);
      expect(refersTo(s.Target.Arn, fn)).toBe(true);
      expect(JSON.parse(s.Target.Input)).toEqual({ job: job.job });
    }
  });

  it('retry a failed invocation a few times, then dead-letter it', () => {
    const queue = idOf(template, 'AWS::SQS::Queue', (q) => q.QueueName === 'guanjia-test-job-dead-letters');
    for (const s of schedules) {
      expect(s.Target.RetryPolicy.MaximumRetryAttempts).toBe(SCHEDULE_RETRY_ATTEMPTS);
      expect(s.Target.RetryPolicy.MaximumEventAgeInSeconds).toBeGreaterThanOrEqual(60);
      expect(refersTo(s.Target.DeadLetterConfig.Arn, queue)).toBe(true);
    }
  });

  it('each run under a role that may invoke only its own job', () => {
    const policies = Object.values(resourcesOf(template, 'AWS::IAM::Policy')).map((p) => p.Properties);
    for (const job of JOB_SCHEDULES) {
      const s = schedules.find((x) => x.Name === `guanjia-test-${job.job}`)!;
      const role = s.Target.RoleArn['Fn::GetAtt'][0] as string;
      const statements = policies.filter((p) => p.Roles.some((r: { Ref: string }) => r.Ref === role)).flatMap((p) => p.PolicyDocument.Statement);
      const invoke = statements.filter((st) => st.Action === 'lambda:InvokeFunction');
      const fn = idOf(template, 'AWS::Lambda::Function', (p) => p.FunctionName === `guanjia-test-job-${job.job}`);
      expect(invoke).toHaveLength(1);
      expect(invoke[0].Resource.every((r: unknown) => refersTo(r, fn))).toBe(true);
    }
  });
});
