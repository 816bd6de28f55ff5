import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

/** The part of a DynamoDB stream record the outbox reads; Lambda's and the local reader's are both this shape. */
export interface StreamRecordLike {
  eventName?: string;
  // Lambda's event types spell AttributeValue their own way; the wire format is the same.
  dynamodb?: { NewImage?: Record<string, unknown> };
}

/**
 * The outbox messages a stream batch asks to be sent: items of type `sms` that are now
 * `queued` (new, or released from quiet hours). The same filter goes on the Lambda's event
 * source mapping, so locally and in AWS the dispatcher sees the same records.
 */
export function queuedMessageIds(records: readonly StreamRecordLike[]): string[] {
  const ids: string[] = [];
  for (const record of records) {
    if (record.eventName !== 'INSERT' && record.eventName !== 'MODIFY') continue;
    const image = record.dynamodb?.NewImage;
    if (!image) continue;
    const item = unmarshall(image as Record<string, AttributeValue>) as { type?: string; state?: string; id?: string };
    if (item.type === 'sms' && item.state === 'queued' && typeof item.id === 'string') ids.push(item.id);
  }
  return ids;
}

/** The filter pattern for the event source mapping, in Lambda's filter syntax. */
export const QUEUED_MESSAGE_FILTER = {
  eventName: ['INSERT', 'MODIFY'],
  dynamodb: { NewImage: { type: { S: ['sms'] }, state: { S: ['queued'] } } },
} as const;
