import { Duration, Stack, TimeZone, Validations, type CfnElement } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { JOB_SCHEDULES, toScheduleExpression, type JobSchedule } from '@guanjia/core/schedules';
import { GuanjiaFunction } from './lambda.ts';
import { deadLetterQueue } from './queues.ts';

/** Scheduler's own retries of an invocation that failed; the job's next run catches up in any case. */
export const SCHEDULE_RETRY_ATTEMPTS = 3;

export interface JobsProps {
  stage: string;
  table: TableV2;
  logRetention: RetentionDays;
  retainLogs: boolean;
}

export interface ScheduledJob {
  schedule: JobSchedule;
  function: GuanjiaFunction;
}

/** A daily job may have a month of missed days to catch up; a frequent one must end before its next turn. */
const timeoutOf = (s: JobSchedule): Duration => (s.every ? Duration.seconds(Math.min(300, s.every.minutes * 60 - 5)) : Duration.minutes(10));

/**
 * A function and an EventBridge Scheduler schedule for each job in `JOB_SCHEDULES`, the list
 * the local runtime fires from too: there is no second list of cron strings to drift.
 */
export class Jobs extends Construct {
  readonly jobs: ScheduledJob[];
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: JobsProps) {
    super(scope, id);
    this.deadLetters = deadLetterQueue(this, 'DeadLetters', `guanjia-${props.stage}-job-dead-letters`, 'the job schedules');
    this.jobs = JOB_SCHEDULES.map((schedule) => {
      const fn = new GuanjiaFunction(this, schedule.job, {
        stage: props.stage,
        name: `job-${schedule.job}`,
        entry: 'functions/jobs.ts',
        description: `Guanjia job ${schedule.job}: ${schedule.description}`,
        table: props.table,
        logRetention: props.logRetention,
        retainLogs: props.retainLogs,
        timeout: timeoutOf(schedule),
        environment: { JOB_NAME: schedule.job },
      });
      // A role per schedule, so that each may invoke its own job and nothing else.
      const role = new Role(this, `${schedule.job}-scheduler-role`, { assumedBy: new ServicePrincipal('scheduler.amazonaws.com') });
      const functionId = Stack.of(this).getLogicalId(fn.fn.node.defaultChild as CfnElement);
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`,
        reason:
          "The scheduler target grant covers the function's versions and aliases (ARN:*) as well as the function; it names this one function and only lambda:InvokeFunction.",
      });
      new Schedule(this, `${schedule.job}-schedule`, {
        scheduleName: `guanjia-${props.stage}-${schedule.job}`,
        description: schedule.description,
        schedule: ScheduleExpression.expression(toScheduleExpression(schedule), TimeZone.of(schedule.timezone)),
        target: new LambdaInvoke(fn.fn, {
          role,
          input: ScheduleTargetInput.fromObject({ job: schedule.job }),
          retryAttempts: SCHEDULE_RETRY_ATTEMPTS,
          // A run that cannot start within its own period is overtaken by the next one.
          maxEventAge: schedule.every ? Duration.minutes(Math.max(1, schedule.every.minutes)) : Duration.hours(1),
          deadLetterQueue: this.deadLetters,
        }),
      });
      return { schedule, function: fn };
    });
  }
}
