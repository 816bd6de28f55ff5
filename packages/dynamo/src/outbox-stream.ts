import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

/** The part of a DynamoDB stream record the outbox reads; Lambda's and the local reader's are both this shape. */
export interface StreamRecordLike {
  eventName?: string;
  // Lambda's event types spell AttributeValue their own way; the wire format is the same.
  dynamodb?: { NewImage?: Record<string, unknown>; SequenceNumber?: string };
}

/** A queued message and where its record sits in the shard, to report the record back to Lambda as failed. */
export interface QueuedMessage {
  id: string;
  sequenceNumber: string | undefined;
}

/**
 * The outbox messages a stream batch asks to be sent: items of type `sms` that are now
 * `queued` (new, or released from quiet hours). The same filter goes on the Lambda's event
 * source mapping, so locally and in AWS the dispatcher sees the same records.
 */
export function queuedMessageIds(records: readonly StreamRecordLike[]): string[] {
  return queuedMessages(records).map((message) => message.id);
}

/** `queuedMessageIds`, each with its record's sequence number, in stream order. */
export function queuedMessages(records: readonly StreamRecordLike[]): QueuedMessage[] {
  const queued: QueuedMessage[] = [];
  for (const record of records) {
    if (record.eventName !== 'INSERT' && record.eventName !== 'MODIFY') continue;
    const image = record.dynamodb?.NewImage;
    if (!image) continue;
    const item = unmarshall(image as Record<string, AttributeValue>) as { type?: string; state?: string; id?: string };
    if (item.type === 'sms' && item.state === 'queued' && typeof item.id === 'string')
      queued.push({ id: item.id, sequenceNumber: record.dynamodb?.SequenceNumber });
  }
  return queued;
}

/** The filter pattern for the event source mapping, in Lambda's filter syntax. */
export const QUEUED_MESSAGE_FILTER = {
  eventName: ['INSERT', 'MODIFY'],
  dynamodb: { NewImage: { type: { S: ['sms'] }, state: { S: ['queued'] } } },
} as const;
