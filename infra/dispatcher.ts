import { Duration, Validations } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { QUEUED_MESSAGE_FILTER } from '@guanjia/dynamo/outbox-stream';
import { GuanjiaFunction } from './lambda.ts';
import { deadLetterQueue } from './queues.ts';
import { filteredTableStream } from './stream-source.ts';
import type { StageSettings } from './settings.ts';

export interface DispatcherProps {
  stage: string;
  table: TableV2;
  sms: StageSettings['sms'];
  logRetention: RetentionDays;
  retainLogs: boolean;
}

/**
 * Sends the outbox: the table's stream, filtered to SMS items that are `queued`, feeds a
 * function whose instances together stay under the account's SNS rate.
 */
export class Dispatcher extends Construct {
  readonly function: GuanjiaFunction;
  readonly deadLetters: Queue;
  /** Messages per second each instance may send: instances × this never exceeds the stage's cap. */
  readonly perInstancePerSecond: number;

  constructor(scope: Construct, id: string, props: DispatcherProps) {
    super(scope, id);
    const { sms } = props;
    this.perInstancePerSecond = Math.floor(sms.maxPerSecond / sms.dispatcherConcurrency);
    this.function = new GuanjiaFunction(this, 'Sms', {
      stage: props.stage,
      name: 'sms',
      entry: 'functions/sms.ts',
      description: 'Guanjia SMS dispatcher: sends queued outbox messages',
      table: props.table,
      logRetention: props.logRetention,
      retainLogs: props.retainLogs,
      memorySize: 512,
      timeout: Duration.minutes(1),
      reservedConcurrentExecutions: sms.dispatcherConcurrency,
      environment: {
        SMS_MAX_PER_SECOND: String(this.perInstancePerSecond),
        ...(sms.senderId ? { SMS_SENDER_ID: sms.senderId } : {}),
      },
    });
    const publish = new PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] });
    this.function.role.addToPolicy(publish);
    Validations.of(this.function.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        "SNS authorises Publish to a phone number only on Resource '*' (a number has no ARN); the statement allows sns:Publish alone. ListStreams, which the stream needs, has no resource-level permission either.",
    });

    this.deadLetters = deadLetterQueue(this, 'DeadLetters', `guanjia-${props.stage}-sms-dead-letters`, 'the SMS dispatcher stream');
    this.function.fn.addEventSource(filteredTableStream(props.table, QUEUED_MESSAGE_FILTER, this.deadLetters, 20));
  }
}
