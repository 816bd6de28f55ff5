import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, Dashboard, GraphWidget, Metric, TextWidget, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { JOB_SUCCEEDED, METRICS_NAMESPACE, SMS_FAILED, SMS_SENT, serviceName } from '../functions/metric-names.ts';
import type { GuanjiaFunction } from './lambda.ts';
import type { ScheduledJob } from './jobs.ts';

/** Hours without a successful run after which a job is reported missing: a daily job, plus two hours' grace. */
export const JOB_SILENCE_HOURS = 26;
/** SMS failures in 15 minutes that wake someone: one bad number is routine, a run of them is SNS or the account. */
export const SMS_FAILURES_ALARM = 5;

export interface OperationsProps {
  stage: string;
  alarmEmail?: string;
  functions: GuanjiaFunction[];
  jobs: ScheduledJob[];
  dispatcher: GuanjiaFunction;
  /** Each with the short name its alarm goes by. */
  deadLetterQueues: { name: string; queue: Queue }[];
  apis: HttpApi[];
}

/** Alarms to one topic (mailed to the stage's alarm address) and a dashboard of the same signals. */
export class Operations extends Construct {
  readonly topic: Topic;
  readonly dashboard: Dashboard;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Alarms', { topicName: `guanjia-${props.stage}-alarms`, displayName: `Guanjia ${props.stage} alarms`, enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    const service = serviceName(props.stage);
    // The functions' own metrics, summed, with exactly the dimensions Powertools gives them.
    const sms = (name: string, period: Duration) =>
      new Metric({ namespace: METRICS_NAMESPACE, metricName: name, dimensionsMap: { service }, period, statistic: 'Sum' });
    const jobSucceeded = (job: string) =>
      new Metric({ namespace: METRICS_NAMESPACE, metricName: JOB_SUCCEEDED, dimensionsMap: { service, job }, period: Duration.hours(1), statistic: 'Sum' });
    const action = new SnsAction(this.topic);
    const alarm = (
      idPart: string,
      metric: IMetric,
      options: { threshold: number; description: string; evaluationPeriods?: number; lessThan?: boolean; missing?: TreatMissingData },
    ): Alarm => {
      const a = new Alarm(this, idPart, {
        alarmName: `guanjia-${props.stage}-${idPart}`,
        alarmDescription: options.description,
        metric,
        threshold: options.threshold,
        evaluationPeriods: options.evaluationPeriods ?? 1,
        comparisonOperator: options.lessThan ? ComparisonOperator.LESS_THAN_THRESHOLD : ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: options.missing ?? TreatMissingData.NOT_BREACHING,
      });
      a.addAlarmAction(action);
      a.addOkAction(action);
      this.alarms.push(a);
      return a;
    };

    for (const f of props.functions) {
      alarm(`${f.name}-errors`, f.fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }), {
        threshold: 1,
        description: `guanjia-${props.stage}-${f.name} threw. Its log group /aws/lambda/guanjia-${props.stage}-${f.name} holds the error, with phone numbers masked.`,
      });
    }
    for (const { name, queue } of props.deadLetterQueues) {
      alarm(`${name}-dead-letters`, queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }), {
        threshold: 1,
        description: `guanjia-${props.stage}-${name}-dead-letters: work gave up after its retries and waits there. Read the messages, fix the cause, then replay them (see the README).`,
      });
    }
    alarm('sms-failures', sms(SMS_FAILED, Duration.minutes(15)), {
      threshold: SMS_FAILURES_ALARM,
      description: `${SMS_FAILURES_ALARM} or more SMS failed in 15 minutes: check the SNS spend limit, the account's SMS sandbox state, and the reasons on the failed messages.`,
    });
    alarm('sms-stream-lag', props.dispatcher.fn.metric('IteratorAge', { period: Duration.minutes(5), statistic: 'Maximum' }), {
      threshold: Duration.minutes(10).toMilliseconds(),
      description: 'The SMS dispatcher is more than 10 minutes behind the table stream: owners are waiting for their texts.',
    });
    for (const { schedule } of props.jobs) {
      alarm(`job-${schedule.job}-silent`, jobSucceeded(schedule.job), {
        threshold: 1,
        lessThan: true,
        // Every hourly period of the last 26 without a success; no data at all counts as none.
        evaluationPeriods: JOB_SILENCE_HOURS,
        missing: TreatMissingData.BREACHING,
        description: `The ${schedule.job} job has not finished a run in ${JOB_SILENCE_HOURS} hours. Check its schedule, its errors alarm and its log group; a run once it is fixed catches up the missed days.`,
      });
    }
    for (const api of props.apis) {
      alarm(`${api.node.id.toLowerCase()}-api-5xx`, api.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }), {
        threshold: 5,
        description: `The ${api.node.id} API answered 5 or more requests with 5xx in 5 minutes.`,
      });
    }

    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: `guanjia-${props.stage}` });
    this.dashboard.addWidgets(
      new TextWidget({ markdown: `# Guanjia ${props.stage}\nAlarms go to the topic guanjia-${props.stage}-alarms.`, width: 24, height: 2 }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'API requests and errors',
        left: props.apis.map((a) => a.metricCount()),
        right: props.apis.flatMap((a) => [a.metricClientError(), a.metricServerError()]),
        width: 12,
      }),
      new GraphWidget({ title: 'API latency p90', left: props.apis.map((a) => a.metricLatency({ statistic: 'p90' })), width: 12 }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'Function errors', left: props.functions.map((f) => f.fn.metricErrors()), width: 12 }),
      new GraphWidget({ title: 'Function duration p90', left: props.functions.map((f) => f.fn.metricDuration({ statistic: 'p90' })), width: 12 }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'SMS',
        left: [SMS_SENT, SMS_FAILED].map((name) => sms(name, Duration.minutes(5))),
        right: [props.dispatcher.fn.metric('IteratorAge', { statistic: 'Maximum' })],
        width: 12,
      }),
      new GraphWidget({
        title: 'Job runs that succeeded',
        left: props.jobs.map(({ schedule }) => jobSucceeded(schedule.job)),
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Dead-letter queues',
        left: props.deadLetterQueues.map(({ queue }) => queue.metricApproximateNumberOfMessagesVisible()),
        width: 24,
      }),
    );
  }
}
